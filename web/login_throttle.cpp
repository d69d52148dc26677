#include "web/login_throttle.h"

namespace casenote {

bool LoginThrottle::allows(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(name);
  if (found == failures_.end()) return true;
  if (now - found->second.last > window_) {
    failures_.erase(found);
    return true;
  }
  return found->second.count < max_failures_;
}

void LoginThrottle::record_failure(const std::string& name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Failures& failures = failures_[name];
  if (now - failures.last > window_) failures.count = 0;
  ++failures.count;
  failures.last = now;
}

void LoginThrottle::record_success(const std::string& name) {
  std::lock_guard lock(mutex_);
  failures_.erase(name);
}

}  // namespace casenote
