// Slows password guessing: once a user name has had too many failed sign-ins within a window,
// further attempts for it are refused, without checking the password, until the window has
// passed since the last failure. A success clears the name's failures.
//
// Memory is bounded whatever names clients send: a name is kept by at most kMaxNameBytes of it,
// names whose window has passed are swept out, and at most max_names names are tracked.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace casenote {

// Safe to use from several threads at once.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  // Longer names are kept by their first kMaxNameBytes bytes.
  static constexpr std::size_t kMaxNameBytes = 256;
  static constexpr std::size_t kDefaultMaxNames = 10'000;

  // Refuses a name after `max_failures` failures within `window`; tracks at most `max_names` names.
  LoginThrottle(int max_failures, Clock::duration window, std::size_t max_names = kDefaultMaxNames)
      : max_failures_(max_failures), window_(window), max_names_(max_names < 1 ? 1 : max_names) {}

  // True when a sign-in for `name` may be tried now.
  bool allows(const std::string& name, Clock::time_point now);

  // Counts a failed sign-in for `name` at `now`.
  void record_failure(const std::string& name, Clock::time_point now);
  // Clears `name`'s failures.
  void record_success(const std::string& name);

  // How many names have failures on record (for tests and diagnostics).
  std::size_t tracked_names();

 private:
  struct Failures {
    int count = 0;
    Clock::time_point last;
  };

  bool expired(const Failures& failures, Clock::time_point now) const { return now - failures.last > window_; }
  bool throttled(const Failures& failures, Clock::time_point now) const {
    return !expired(failures, now) && failures.count >= max_failures_;
  }
  void sweep(Clock::time_point now);
  bool make_room(Clock::time_point now);
  bool full_of_throttled(Clock::time_point now) const;

  int max_failures_;
  Clock::duration window_;
  std::size_t max_names_;
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
  Clock::time_point last_sweep_;
};

}  // namespace casenote
