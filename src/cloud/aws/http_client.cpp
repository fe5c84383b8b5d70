#include "cloud/aws/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "cloud/cloud.hpp"

namespace stackshift::cloud::aws {

namespace {

bool same_name(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

// curl_global_init is not thread-safe and must run before the first handle.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl cannot be initialised");
    });
}

// The endpoint of a URL for messages: scheme and host, without the path and query.
std::string endpoint_of(const std::string& url) {
    auto scheme = url.find("://");
    auto path = url.find_first_of("/?", scheme == std::string::npos ? 0 : scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

std::string seconds_text(std::chrono::milliseconds ms) {
    auto tenths = ms.count() / 100;
    return std::to_string(tenths / 10) + (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : "") + "s";
}

class HeaderList {
public:
    ~HeaderList() { curl_slist_free_all(m_list); }
    void add(const std::string& line) {
        curl_slist* next = curl_slist_append(m_list, line.c_str());
        if (next == nullptr) throw std::bad_alloc();
        m_list = next;
    }
    curl_slist* get() const { return m_list; }

private:
    curl_slist* m_list = nullptr;
};

size_t append_body(char* data, size_t size, size_t count, void* target) {
    static_cast<std::string*>(target)->append(data, size * count);
    return size * count;
}

// Header lines of the last response only: a 100 Continue or a redirect starts a new set.
size_t append_header(char* data, size_t size, size_t count, void* target) {
    auto& headers = *static_cast<HttpHeaders*>(target);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        headers.clear();
    } else if (auto colon = line.find(':'); colon != std::string::npos) {
        auto value = line.find_first_not_of(" \t", colon + 1);
        headers.emplace_back(line.substr(0, colon), value == std::string::npos ? "" : line.substr(value));
    }
    return size * count;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A query component as its bytes: %XX decoded, '+' a space as form encoding has it; a '%'
// not followed by two hex digits is kept as a '%'.
std::string query_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string sigv4_encode(const std::string& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : bytes) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string with_canonical_query(const std::string& url) {
    auto mark = url.find('?');
    if (mark == std::string::npos) return url;
    auto fragment = url.find('#', mark);
    std::string query = url.substr(mark + 1, fragment == std::string::npos ? std::string::npos : fragment - mark - 1);
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    while (start <= query.size()) {
        auto end = std::min(query.find('&', start), query.size());
        std::string part = query.substr(start, end - start);
        if (!part.empty()) {
            auto eq = part.find('=');
            pairs.emplace_back(sigv4_encode(query_decode(part.substr(0, eq))),
                               eq == std::string::npos ? "" : sigv4_encode(query_decode(part.substr(eq + 1))));
        }
        start = end + 1;
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out = url.substr(0, mark);
    for (std::size_t i = 0; i < pairs.size(); ++i) out += (i == 0 ? "?" : "&") + pairs[i].first + "=" + pairs[i].second;
    return out;
}

struct HttpClient::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl != nullptr) curl_easy_cleanup(curl);
    }
};

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (same_name(key, name)) return value;
    return {};
}

HttpClient::HttpClient(HttpTimeouts timeouts) : m_handle(std::make_unique<Handle>()), m_timeouts(timeouts) {
    init_curl_once();
    m_handle->curl = curl_easy_init();
    if (m_handle->curl == nullptr) throw std::runtime_error("libcurl cannot create a handle");
}

HttpClient::~HttpClient() = default;

namespace {

// The request's method and body. A body goes as POSTFIELDS whatever the method, so that the
// signer hashes exactly the bytes sent.
void set_method_and_body(CURL* curl, const HttpRequest& request) {
    if (request.method == "GET" && request.body.empty()) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
        return;
    }
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
}

void fill_headers(HeaderList& list, const HttpRequest& request, const Credentials& credentials) {
    for (const auto& [name, value] : request.headers) list.add(name + ": " + value);
    if (!credentials.session_token.empty()) list.add("X-Amz-Security-Token: " + credentials.session_token);
    // No "Expect:" line to switch off curl's 100-continue: libcurl 7.88 signs a header it is
    // told to remove as "expect:" with an empty value, which AWS never receives, so the
    // signature would not match (Sigv4 tests). The 100-continue curl adds itself (bodies over
    // 1 MiB) is not signed: Sigv4.LargeTemplateBodyMatchesBotocore.
}

[[noreturn]] void throw_transport_error(CURLcode code, const char* detail, const std::string& url,
                                        const HttpTimeouts& timeouts) {
    std::string endpoint = endpoint_of(url);
    std::string what = *detail != '\0' ? detail : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT)
        throw CloudError("RequestTimeout", "no answer from " + endpoint + " within " + seconds_text(timeouts.total) +
                                               " (connect timeout " + seconds_text(timeouts.connect) + "): " + what +
                                               "; check the endpoint and the network, then run again");
    throw CloudError("ConnectionError", "cannot reach " + endpoint + ": " + what +
                                            "; check the endpoint, the region and the network, then run again");
}

}  // namespace

HttpResponse HttpClient::send(const HttpRequest& request, const Credentials& credentials, const SigningScope& scope) {
    CURL* curl = m_handle->curl;
    // Reset forgets the last call's options but keeps its open connections.
    curl_easy_reset(curl);
    HttpResponse response;
    HeaderList headers;
    fill_headers(headers, request, credentials);
    std::string sigv4 = "aws:amz:" + scope.region + ":" + scope.service;
    std::string userpwd = credentials.access_key_id + ":" + credentials.secret_access_key;
    char detail[CURL_ERROR_SIZE] = {};

    std::string url = with_canonical_query(request.url);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    set_method_and_body(curl, request);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_timeouts.connect.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_timeouts.total.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in threads
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

    CURLcode code = curl_easy_perform(curl);
    // The secret must not outlive the call in the handle's options.
    curl_easy_setopt(curl, CURLOPT_USERPWD, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) throw_transport_error(code, detail, request.url, m_timeouts);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace stackshift::cloud::aws
