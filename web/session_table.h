// Signed-in sessions of the review workstation. A session is known by a random token, which
// the browser holds in an HttpOnly cookie, and carries a second random token that every request
// changing something must echo in a header (web/web_app.h): another site can make the browser
// send the cookie, but cannot read the page to learn the second token.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"

namespace casenote {

struct Session {
  std::string user;
  std::string csrf_token;
};

struct StartedSession {
  std::string token;       // the cookie's value
  std::string csrf_token;
};

// Safe to use from several threads at once.
class SessionTable {
 public:
  using Clock = std::chrono::steady_clock;

  // A session ends after `idle_limit` without a request, and `absolute_limit` after it began.
  SessionTable(Clock::duration idle_limit, Clock::duration absolute_limit)
      : idle_limit_(idle_limit), absolute_limit_(absolute_limit) {}

  // Starts a session for `user` with fresh random tokens (256 bits each). Fails only when the
  // system's random source cannot be used.
  Result<StartedSession> start(const std::string& user, Clock::time_point now);

  // The live session `token` names, counting this as a request; nothing for an unknown, ended
  // or expired token. Expired sessions are forgotten.
  std::optional<Session> find(const std::string& token, Clock::time_point now);

  // Ends the session `token` names, if any.
  void end(const std::string& token);

 private:
  struct Entry {
    Session session;
    Clock::time_point started;
    Clock::time_point last_seen;
  };
  void forget_expired(Clock::time_point now);

  Clock::duration idle_limit_;
  Clock::duration absolute_limit_;
  std::mutex mutex_;
  // Keyed by a hash of the token, so that looking one up reveals nothing of the others through
  // the time a comparison takes.
  std::map<std::string, Entry> sessions_;
};

// True when `a` and `b` are equal, in a time that depends only on their lengths.
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace casenote
