#include "web/login_throttle.h"

namespace casenote {

namespace {

// Names sharing their first kMaxNameBytes bytes share one count: that can only refuse them
// sooner, and a huge name costs no more memory than a long one.
std::string key_of(const std::string& name) { return name.substr(0, LoginThrottle::kMaxNameBytes); }

}  // namespace

bool LoginThrottle::allows(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(key_of(name));
  if (found == failures_.end()) return !full_of_throttled(now);
  if (expired(found->second, now)) {
    failures_.erase(found);
    return true;
  }
  return found->second.count < max_failures_;
}

void LoginThrottle::record_failure(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  // A sweep every window keeps the table to the names that failed lately; each failure has
  // already cost a password hash, so the walk over at most max_names_ names is cheap beside it.
  if (now - last_sweep_ > window_) sweep(now);
  std::string key = key_of(name);
  auto found = failures_.find(key);
  if (found == failures_.end()) {
    if (!make_room(now)) return;  // every name tracked is refused, and so is this one (allows)
    found = failures_.emplace(std::move(key), Failures{}).first;
  }
  Failures& failures = found->second;
  if (expired(failures, now)) failures.count = 0;
  ++failures.count;
  failures.last = now;
}

void LoginThrottle::record_success(const std::string& name) {
  std::lock_guard lock(mutex_);
  failures_.erase(key_of(name));
}

std::size_t LoginThrottle::tracked_names() {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void LoginThrottle::sweep(Clock::time_point now) {
  std::erase_if(failures_, [&](const auto& entry) { return expired(entry.second, now); });
  last_sweep_ = now;
}

// Frees a place for one more name when the table is full, and says whether there is one.
// Expired names go first. Then the name with the oldest last failure among those not yet
// refused: forgetting it gives back fewer than max_failures_ guesses at it, and only after
// max_names_ other names have failed since, so the cap cannot be used to unlock a name.
// A refused name is never dropped to make room; when every name is refused, none is made, and
// allows() refuses untracked names too until some expire. That can lock everyone out for a
// window, but only under tens of thousands of failures in one window, and failing open then
// would let the attacker guess at will.
bool LoginThrottle::make_room(Clock::time_point now) {
  if (failures_.size() < max_names_) return true;
  sweep(now);
  if (failures_.size() < max_names_) return true;
  auto oldest = failures_.end();
  for (auto it = failures_.begin(); it != failures_.end(); ++it)
    if (!throttled(it->second, now) && (oldest == failures_.end() || it->second.last < oldest->second.last))
      oldest = it;
  if (oldest == failures_.end()) return false;
  failures_.erase(oldest);
  return true;
}

bool LoginThrottle::full_of_throttled(Clock::time_point now) const {
  if (failures_.size() < max_names_) return false;
  for (const auto& [key, failures] : failures_)
    if (!throttled(failures, now)) return false;
  return true;
}

}  // namespace casenote
