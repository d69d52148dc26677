// The review workstation over HTTP: cpp-httplib's server, a pool of threads, carrying requests
// to a WebApp and its answers back. HTTP only; TLS belongs to a proxy in front of it.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "web/web_app.h"

namespace casenote {

class HttpServer {
 public:
  explicit HttpServer(WebApp& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `host`:`port`, or any free port when `port` is 0, and returns the port bound.
  Result<int> bind(const std::string& host, int port);

  // Answers requests until stop() is called from another thread.
  Status serve();

  // Makes serve() return. Safe to call from any thread, before or during serve().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casenote
