// The review workstation over a real socket: the request-size cap is the server's, so it is
// tested through HttpServer rather than WebApp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "store/store.h"
#include "support/temp_dir.h"
#include "web/http_server.h"
#include "web/web_app.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

// Sends `request` to 127.0.0.1:`port` and returns everything the server answers until it closes.
std::string round_trip(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading it all
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buffer[4096];
  while (ssize_t n = ::recv(fd, buffer, sizeof buffer, 0)) {
    if (n < 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("a request body over --max-request-bytes is refused with 413 and the limit", "[web][limits]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("c.db"));
  REQUIRE(store.ok());
  WebApp app(**store, WebSettings{});
  HttpServer server(app, 1000);
  auto port = server.bind("127.0.0.1", 0);
  REQUIRE(port.ok());
  std::thread serving([&] { (void)server.serve(); });

  const std::string large = round_trip(*port, post("/api/login", std::string(1001, 'x')));
  const std::string small = round_trip(*port, post("/api/login", R"({"user":"nobody","password":"x"})"));
  server.stop();
  serving.join();

  CHECK(large.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(large.find("the request is larger than the server accepts (1000 bytes)") != std::string::npos);
  // Under the cap the app answers for itself (here: not signed in, or a bad sign-in).
  CHECK(small.rfind("HTTP/1.1 413", 0) != 0);
  CHECK(small.rfind("HTTP/1.1 ", 0) == 0);
}

TEST_CASE("answer() takes a request's bytes without a socket, as serve() would", "[web][limits]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.file("c.db"));
  REQUIRE(store.ok());
  WebApp app(**store, WebSettings{});
  HttpServer server(app, 1000);

  CHECK(server.answer(post("/api/login", std::string(1001, 'x'))).rfind("HTTP/1.1 413", 0) == 0);
  const std::string queue = server.answer("GET /api/queue?sort=newest HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(queue.rfind("HTTP/1.1 401", 0) == 0);
  CHECK(queue.find("sign in first") != std::string::npos);
  CHECK(server.answer("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  // Bytes that are no request get httplib's 400, or nothing.
  const std::string garbage = server.answer(std::string("\x00\xff GET\r\n\r\n", 10));
  CHECK((garbage.empty() || garbage.rfind("HTTP/1.1 400", 0) == 0));
}
