#pragma once
// HttpClient: AWS API calls made in this process over HTTPS, signed with Signature Version 4
// by libcurl itself (CURLOPT_AWS_SIGV4): no hand-written signing. One curl handle is kept for
// the client's life, so calls to the same endpoint reuse one connection. Every call has a
// connect and a total timeout; a transport failure is a CloudError naming the endpoint.
// A client is not safe to share between threads: give each thread its own.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cloud/aws/credentials.hpp"

namespace stackshift::cloud::aws {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";  // GET, POST, PUT, DELETE, ...
    std::string url;             // https://cloudformation.eu-west-1.amazonaws.com/?...
    HttpHeaders headers;         // sent as given, and signed
    std::string body;
};

struct HttpResponse {
    long status = 0;
    HttpHeaders headers;  // names as the server wrote them
    std::string body;
    // The first header of that name (case-insensitive), or "".
    std::string header(const std::string& name) const;
};

// What a request is signed for: "aws:amz:REGION:SERVICE".
struct SigningScope {
    std::string region;   // eu-west-1
    std::string service;  // cloudformation, ecs, ...
};

struct HttpTimeouts {
    std::chrono::milliseconds connect{10'000};
    std::chrono::milliseconds total{60'000};
};

// The URL with its query in SigV4's canonical form: every name and value percent-encoded as
// SigV4 encodes them (all but A-Z a-z 0-9 - _ . ~, a '+' read as a space), the pairs sorted by
// name then value, "name=" for a name without a value. libcurl 7.88's signer signs the query
// exactly as written, where AWS signs the canonical form, so the client sends that form.
std::string with_canonical_query(const std::string& url);

class HttpClient {
public:
    explicit HttpClient(HttpTimeouts timeouts = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends the request signed with `credentials` for `scope` (a session token goes in
    // X-Amz-Security-Token, signed with the rest) and returns whatever status the server
    // answered: an AWS error in the body is the caller's to read. Throws CloudError
    // "RequestTimeout" when no answer came within the timeouts and "ConnectionError" when the
    // endpoint could not be reached or the connection broke.
    HttpResponse send(const HttpRequest& request, const Credentials& credentials, const SigningScope& scope);

private:
    struct Handle;  // the curl handle: curl/curl.h stays in http_client.cpp
    std::unique_ptr<Handle> m_handle;
    HttpTimeouts m_timeouts;
};

}  // namespace stackshift::cloud::aws
