// Bytes as an HTTP request to the review workstation, in process: cpp-httplib's request parsing
// and payload limit, then the app's own work on top of it (routes and path segments, query
// parameters, cookies and sessions, CSRF and origin checks, JSON bodies, every handler) over a
// small store with documents in review.
//
// A request can only reach the signed-in routes with a live session, which the fuzzer cannot
// guess: the harness signs in once and puts the session's cookie and CSRF token wherever the
// input says $COOKIE or $CSRF (the seeds in make_seeds.py do). A request that signs out is
// followed by a fresh sign-in. The store's documents change as the fuzzer accepts, corrects and
// rejects them; that is part of what is fuzzed.
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"
#include "web/http_server.h"
#include "web/passwords.h"
#include "web/web_app.h"

namespace {

using namespace casenote;

constexpr const char* kUser = "clerk.fuzz";
constexpr const char* kPassword = "a long enough password";

struct Workstation {
  std::string folder;
  std::unique_ptr<Store> store;
  std::unique_ptr<WebApp> app;
  std::unique_ptr<HttpServer> server;
  std::string cookie;  // "casenote_session=..." as a browser sends it back
  std::string csrf;
};

[[noreturn]] void fail(const std::string& why) {
  fprintf(stderr, "fuzz_http_request: %s\n", why.c_str());
  abort();
}

DocumentRecord in_review(const std::string& id, const std::string& text) {
  DocumentRecord d;
  d.id = id;
  d.source = "/scans/" + id + ".png";
  d.sha256 = std::string(64, id.back());
  d.document_type = "clinic_letter";
  d.status = "needs_review";
  d.filed_by = "scanner1";
  d.text = text;
  d.pages = {{1, 0, 0, 90, false, text, {}}};
  d.fields = {{"nhs_number", "9993251004", 0.6, 1, {100, 200, 180, 30}},
              {"date_of_birth", "1985-04-12", 0.9, 1, {100, 250, 150, 30}}};
  d.review_reasons = {"no patient in the index has these identifiers"};
  return d;
}

// Signs in over HTTP, as a browser does, and keeps the session's cookie and token.
void sign_in(Workstation& w) {
  const std::string body = std::string(R"({"name":")") + kUser + R"(","password":")" + kPassword + R"("})";
  const std::string response = w.server->answer("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                                                "Content-Type: application/json\r\nContent-Length: " +
                                                std::to_string(body.size()) + "\r\n\r\n" + body);
  const size_t cookie = response.find("casenote_session=");
  const size_t json = response.find("\r\n\r\n");
  if (cookie == std::string::npos || json == std::string::npos) fail("cannot sign in: " + response);
  w.cookie = response.substr(cookie, response.find(';', cookie) - cookie);
  w.csrf = nlohmann::json::parse(response.substr(json + 4)).at("csrf_token").get<std::string>();
}

Workstation& workstation() {
  static Workstation* w = [] {
    auto* made = new Workstation;
    char folder[] = "/tmp/fuzz-http-XXXXXX";
    if (!mkdtemp(folder)) fail("cannot make a temporary folder");
    made->folder = folder;
    std::atexit([] { std::filesystem::remove_all(workstation().folder); });
    auto store = open_sqlite_store(made->folder + "/c.db");
    if (!store) fail(store.error().message);
    made->store = std::move(*store);
    if (!made->store->import_patients({{"", "9993251003", "K1", "NOWAK", "Katarzyna Anna", "1985-04-12", "F", "LS1 1AA"}}))
      fail("cannot import a patient");
    for (const auto& [id, text] : {std::pair{"D1", "Dermatology clinic letter about eczema"},
                                   std::pair{"D2", "Referral letter about knee pain"}})
      if (!made->store->save_document(in_review(id, text))) fail("cannot save a document");
    auto hash = hash_password(kPassword);
    if (!hash || !made->store->add_user({kUser, *hash, ""}, "fuzz")) fail("cannot add a user");
    WebSettings settings;
    settings.archive = {made->folder + "/archive", "{patient_id}/{document_id}.pdf"};
    made->app = std::make_unique<WebApp>(*made->store, settings);
    made->server = std::make_unique<HttpServer>(*made->app);
    sign_in(*made);
    return made;
  }();
  return *w;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Workstation& w = workstation();
  std::string request(reinterpret_cast<const char*>(data), size);
  replace_all(request, "$COOKIE", w.cookie);
  replace_all(request, "$CSRF", w.csrf);
  const std::string response = w.server->answer(request);
  // An answer, if any, is a whole HTTP response.
  if (!response.empty() && response.rfind("HTTP/1.1 ", 0) != 0) __builtin_trap();
  if (request.find("/api/logout") != std::string::npos) sign_in(w);
  return 0;
}
