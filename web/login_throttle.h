// Slows password guessing: once a user name has had too many failed sign-ins within a window,
// further attempts for it are refused, without checking the password, until the window has
// passed since the last failure. A success clears the name's failures.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace casenote {

// Safe to use from several threads at once.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  LoginThrottle(int max_failures, Clock::duration window) : max_failures_(max_failures), window_(window) {}

  // True when a sign-in for `name` may be tried now.
  bool allows(const std::string& name, Clock::time_point now);

  void record_failure(const std::string& name, Clock::time_point now);
  void record_success(const std::string& name);

 private:
  struct Failures {
    int count = 0;
    Clock::time_point last;
  };

  int max_failures_;
  Clock::duration window_;
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

}  // namespace casenote
