// The review workstation (casenote serve): the clerks' web application over the store. Every
// decision goes through pipeline/review.h under the signed-in user's name, so a decision taken
// in the browser follows the same rules, and leaves the same audit trail, as the command line.
//
// Everything under /api/ but sign-in needs a session; every request that changes something
// needs the session's CSRF token in the X-CSRF-Token header and a JSON body, and is refused
// when its Origin is another site. The front end (web/static/) is served from memory.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "pipeline/archive_stage.h"
#include "pipeline/filing.h"
#include "store/store.h"
#include "web/web_request.h"

namespace casenote {

struct WebSettings {
  // Marks the session cookie Secure, so the browser sends it over HTTPS only: needed when the
  // workstation is reached through a TLS proxy, wrong over plain HTTP.
  bool secure_cookie = false;
  LinkingPolicy linking;  // what a corrected document may be filed on (pipeline/filing.h)
  // Where a decision that renames a document's searchable PDF moves it, as `casenote review`
  // does (pipeline/review.h); with no folder, PDFs stay where they are.
  ArchiveSettings archive;
  std::chrono::seconds session_idle_limit = std::chrono::minutes(30);
  std::chrono::seconds session_absolute_limit = std::chrono::hours(12);
  int max_failed_sign_ins = 5;  // per user name, within the window
  std::chrono::seconds failed_sign_in_window = std::chrono::minutes(15);
  // Receives one line per sign-in and per change, naming the user and the document, never a
  // patient's identifiers. May be empty.
  std::function<void(const std::string&)> log;
};

class WebApp {
 public:
  WebApp(Store& store, WebSettings settings);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  // Answers one request. Safe to call from several threads at once: the store is used by one
  // of them at a time.
  WebResponse handle(const WebRequest& request);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace casenote
