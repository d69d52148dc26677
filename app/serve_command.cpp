// casenote serve: the review workstation, a web application for the clerks who clear the
// review queue (web/web_app.h).
#include <pthread.h>
#include <signal.h>

#include <fmt/format.h>

#include <iostream>
#include <thread>

#include "app/commands.h"
#include "web/http_server.h"
#include "web/web_app.h"

namespace casenote {
namespace {

struct ServeOptions {
  std::string db = "casenote.db";
  StoreOptions store;  // how long a write waits for another process's lock
  std::string host = "127.0.0.1";
  int port = 8080;
  bool secure_cookie = false;
  bool file_on_name_and_date_of_birth = false;
  ArchiveOptions archive;  // where a decision that renames a document's PDF moves it
  size_t max_request_bytes = kDefaultMaxRequestBytes;
};

int run_serve(const ServeOptions& o) {
  auto store = open_store_or_report(o.db, o.store);
  if (!store) return 1;
  auto users = store->users();
  if (!users) return report_failure(users.error().message);
  auto archive = archive_settings(o.archive, o.db);
  if (!archive) return report_failure(archive.error().message);

  WebSettings settings;
  settings.secure_cookie = o.secure_cookie;
  settings.linking.file_on_name_and_date_of_birth = o.file_on_name_and_date_of_birth;
  settings.archive = *archive;
  settings.log = [](const std::string& line) { std::cerr << "casenote serve: " + line + "\n"; };
  WebApp app(*store, std::move(settings));
  HttpServer server(app, o.max_request_bytes);

  // Ctrl-C and SIGTERM are taken by one thread, which stops the server; every other thread
  // (the server's pool is started after this) has them blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });

  auto port = server.bind(o.host, o.port);
  Status served = port ? ok_status() : Status(port.error());
  if (port) {
    fmt::print("casenote: the review workstation is at http://{}:{}/ (Ctrl-C stops it)\n", o.host, *port);
    if (users->empty()) fmt::print("casenote: no one can sign in yet: add a user with `casenote users add NAME`\n");
    std::fflush(stdout);
    served = server.serve();
  }
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes the stopper if the server ended by itself
  stopper.join();
  if (!served) return report_failure(served.error().message);
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Serve the review workstation, the clerks' web application");
  add_db_option(*command, o->db);
  add_busy_timeout_option(*command, o->store);
  command->add_option("--host", o->host, "address to listen on; keep the default unless a TLS proxy is in front")
      ->capture_default_str();
  command->add_option("--port", o->port, "port to listen on; 0 takes any free port")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  command->add_flag("--secure-cookie", o->secure_cookie,
                    "send the session cookie over HTTPS only (when a TLS proxy is in front)");
  command->add_flag("--file-on-name-and-dob", o->file_on_name_and_date_of_birth,
                    "let a corrected name and date of birth file a document on their own");
  add_archive_options(*command, o->archive);
  command->add_option("--max-request-bytes", o->max_request_bytes, "largest request body accepted; larger ones get 413")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->callback([o, &exit_status] { exit_status = run_serve(*o); });
}

}  // namespace casenote
