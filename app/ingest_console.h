// What `ingest` and `watch` print: a line per input as it is done (stdout), a live progress line
// on a terminal or a plain one every 30 seconds otherwise (stderr), and a closing summary.
// Lines name inputs and document ids, never a patient's identifiers.
#pragma once

#include <chrono>
#include <mutex>

#include "pipeline/ingest.h"

namespace casenote {

class IngestConsole {
 public:
  // `terminal`: stderr is a terminal, so the progress line is redrawn in place.
  explicit IngestConsole(bool terminal);

  void progress(const IngestProgress& progress);
  void input_done(const InputResult& result);
  // Clears the progress line and prints the summary.
  void summary(const IngestReport& report);

 private:
  void clear_progress_line();
  void draw_progress_line();

  std::mutex mutex_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_, last_plain_line_;
  IngestProgress latest_;
  bool line_drawn_ = false;
};

}  // namespace casenote
