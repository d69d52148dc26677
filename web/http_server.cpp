#include "web/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace casenote {
namespace {

WebRequest web_request(const httplib::Request& in) {
  WebRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  for (const auto& [name, value] : in.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers.emplace(std::move(lower), value);
  }
  out.body = in.body;
  return out;
}

// A connection held in memory: reads the request's bytes, keeps what is written back.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(const std::string& in) : in_(in) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, in_.size() - read_);
    std::copy_n(in_.data() + read_, n, ptr);
    read_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  const std::string& written() const { return out_; }

 private:
  const std::string& in_;
  size_t read_ = 0;
  std::string out_;
};

// httplib's server with its one-request entry point opened up for answer().
class Server : public httplib::Server {
 public:
  using httplib::Server::process_request;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(WebApp& app) : app(app) {}
  WebApp& app;
  Server server;
};

HttpServer::HttpServer(WebApp& app, size_t max_request_bytes) : impl_(std::make_unique<Impl>(app)) {
  auto carry = [this](const httplib::Request& request, httplib::Response& response) {
    WebResponse answer = impl_->app.handle(web_request(request));
    response.status = answer.status;
    for (const auto& [name, value] : answer.headers) response.set_header(name, value);
    response.set_content(std::move(answer.body), answer.content_type.c_str());
  };
  impl_->server.Get(".*", carry);
  impl_->server.Post(".*", carry);
  impl_->server.set_payload_max_length(max_request_bytes);
  // cpp-httplib refuses an oversized body with a bare 413; the client is told the limit. Every
  // other error answer is the app's own and left as it is.
  const std::string too_large = "{\"error\":\"the request is larger than the server accepts (" +
                                std::to_string(max_request_bytes) + " bytes)\"}";
  impl_->server.set_error_handler(httplib::Server::HandlerWithResponse(
      [too_large](const httplib::Request&, httplib::Response& response) {
        if (response.status != 413) return httplib::Server::HandlerResponse::Unhandled;
        response.set_content(too_large, "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  impl_->server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    response.status = 500;
    response.set_content(R"({"error":"the server failed to answer"})", "application/json");
  });
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind(const std::string& host, int port) {
  if (port == 0) {
    const int bound = impl_->server.bind_to_any_port(host);
    if (bound < 0) return Error{"cannot listen on " + host + ": no free port"};
    return bound;
  }
  if (!impl_->server.bind_to_port(host, port))
    return Error{"cannot listen on " + host + ":" + std::to_string(port) + " (in use, or not an address of this machine)"};
  return port;
}

Status HttpServer::serve() {
  if (!impl_->server.listen_after_bind()) return Error{"the server stopped listening"};
  return ok_status();
}

void HttpServer::stop() { impl_->server.stop(); }

std::string HttpServer::answer(const std::string& request_bytes) {
  MemoryStream connection(request_bytes);
  bool closed = false;
  impl_->server.process_request(connection, true, closed, nullptr);
  return connection.written();
}

}  // namespace casenote
