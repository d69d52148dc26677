#include "web/session_table.h"

#include <sodium.h>

namespace casenote {
namespace {

constexpr size_t kTokenBytes = 32;

std::string random_token() {
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * kTokenBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string key_of(const std::string& token) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace

Result<StartedSession> SessionTable::start(const std::string& user, Clock::time_point now) {
  if (sodium_init() < 0) return Error{"starting a session: libsodium could not start"};
  StartedSession started{random_token(), random_token()};
  std::lock_guard lock(mutex_);
  forget_expired(now);
  sessions_[key_of(started.token)] = Entry{{user, started.csrf_token}, now, now};
  return started;
}

std::optional<Session> SessionTable::find(const std::string& token, Clock::time_point now) {
  if (token.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(key_of(token));
  if (found == sessions_.end()) return std::nullopt;
  Entry& entry = found->second;
  if (now - entry.last_seen > idle_limit_ || now - entry.started > absolute_limit_) {
    sessions_.erase(found);
    return std::nullopt;
  }
  entry.last_seen = now;
  return entry.session;
}

void SessionTable::end(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(key_of(token));
}

void SessionTable::forget_expired(Clock::time_point now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const Entry& entry = it->second;
    if (now - entry.last_seen > idle_limit_ || now - entry.started > absolute_limit_)
      it = sessions_.erase(it);
    else
      ++it;
  }
}

bool tokens_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace casenote
