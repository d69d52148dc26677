#include "app/stop_signal.h"

#include <signal.h>
#include <unistd.h>

namespace casenote {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void request_stop(int) {
  stop_requested = true;
  constexpr char kMessage[] =
      "\ncasenote: stopping after the pages in progress; what is unfinished stays queued for the next run "
      "(press Ctrl-C again to quit at once)\n";
  // write() is safe in a signal handler; nothing can be done about a failed one.
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

}  // namespace

const std::atomic<bool>& stop_on_interrupt() {
  [[maybe_unused]] static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    // The second signal finds the default action back in place and ends the process.
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return true;
  }();
  return stop_requested;
}

}  // namespace casenote
