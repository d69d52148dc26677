// What `ingest` and `watch` print: a line per input as it is done (stdout), a live progress line
// on a terminal or a plain one every 30 seconds otherwise (stderr), and a closing summary.
// Lines name inputs, document ids and the store's patient ids. Review reasons can quote a
// patient's identifiers (two names, two NHS numbers read off one document), so they are printed
// only when asked for; otherwise a needs-review line says how many there are.
#pragma once

#include <chrono>
#include <mutex>

#include "pipeline/ingest.h"

namespace casenote {

class IngestConsole {
 public:
  // `terminal`: stderr is a terminal, so the progress line is redrawn in place. `log_phi`: review
  // reasons are printed in full, patient identifiers and all (--log-phi).
  IngestConsole(bool terminal, bool log_phi);

  void progress(const IngestProgress& progress);
  void input_done(const InputResult& result);
  // Clears the progress line and prints the summary.
  void summary(const IngestReport& report);

 private:
  void clear_progress_line();
  void draw_progress_line();

  std::mutex mutex_;
  bool terminal_;
  bool log_phi_;
  std::chrono::steady_clock::time_point started_, last_plain_line_;
  IngestProgress latest_;
  bool line_drawn_ = false;
};

}  // namespace casenote
