// The HTTP client without a server that signs: the canonical query it sends (libcurl 7.88
// signs the query as written), and a refused connection as a CloudError naming the endpoint.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cloud/aws/http_client.hpp"
#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {
namespace {

TEST(HttpCanonicalQuery, SortsAndEncodesAsSigV4Does) {
    EXPECT_EQ(with_canonical_query("https://ec2.eu-west-1.amazonaws.com/?Version=2016-11-15&Action=Describe"),
              "https://ec2.eu-west-1.amazonaws.com/?Action=Describe&Version=2016-11-15");
    // '+' is a space, written %20; '/' and ':' are encoded, '~' is not; a bare name gets '='.
    EXPECT_EQ(with_canonical_query("http://h/p?b=x+y/z&a=tag%3aName&c~=~&flag"),
              "http://h/p?a=tag%3AName&b=x%20y%2Fz&c~=~&flag=");
    // Equal names keep their values in order.
    EXPECT_EQ(with_canonical_query("http://h/?k=2&k=1"), "http://h/?k=1&k=2");
}

TEST(HttpCanonicalQuery, LeavesAUrlWithoutQueryAlone) {
    EXPECT_EQ(with_canonical_query("https://ecs.us-east-1.amazonaws.com/"), "https://ecs.us-east-1.amazonaws.com/");
}

// A port nothing listens on: bound, then closed.
int closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    close(fd);
    return ntohs(address.sin_port);
}

TEST(HttpClient, RefusedConnectionIsAConnectionErrorNamingTheEndpoint) {
    std::string endpoint = "http://127.0.0.1:" + std::to_string(closed_port());
    HttpClient client(HttpTimeouts{std::chrono::milliseconds(2000), std::chrono::milliseconds(3000)});
    try {
        client.send({"POST", endpoint + "/?Action=ListStacks", {}, "x"}, {"AKID", "secret", "", std::nullopt, "test"},
                    {"eu-west-1", "cloudformation"});
        FAIL() << "nothing listens there";
    } catch (const CloudError& e) {
        EXPECT_EQ(e.code(), "ConnectionError");
        EXPECT_NE(e.message().find("cannot reach " + endpoint + ":"), std::string::npos) << e.message();
    }
}

}  // namespace
}  // namespace stackshift::cloud::aws
