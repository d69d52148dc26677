// Ctrl-C and SIGTERM as a request to stop: the first asks the pipeline to finish the pages in
// progress and store what is complete; the second ends the process at once.
#pragma once

#include <atomic>

namespace casenote {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& stop_on_interrupt();

}  // namespace casenote
