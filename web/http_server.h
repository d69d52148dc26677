// The review workstation over HTTP: cpp-httplib's server, a pool of threads, carrying requests
// to a WebApp and its answers back. HTTP only; TLS belongs to a proxy in front of it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "web/web_app.h"

namespace casenote {

// Sign-in and review decisions are a few hundred bytes; nothing the workstation takes is large.
constexpr size_t kDefaultMaxRequestBytes = 64 * 1024;

class HttpServer {
 public:
  // Serves `app`, refusing with 413 any request whose body is over `max_request_bytes`.
  explicit HttpServer(WebApp& app, size_t max_request_bytes = kDefaultMaxRequestBytes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `host`:`port`, or any free port when `port` is 0, and returns the port bound.
  Result<int> bind(const std::string& host, int port);

  // Answers requests until stop() is called from another thread.
  Status serve();

  // Makes serve() return. Safe to call from any thread, before or during serve().
  void stop();

  // Answers one request given as the bytes a client sent, and returns the bytes of the response,
  // without a socket: the same parsing, limits and handlers as serve(). For the fuzzer
  // (fuzz/fuzz_http_request.cpp) and tests.
  std::string answer(const std::string& request_bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casenote
