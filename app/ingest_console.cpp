#include "app/ingest_console.h"

#include <fmt/format.h>

#include <cstdio>

namespace casenote {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPlainLineInterval = std::chrono::seconds(30);

std::string minutes_and_seconds(double seconds) {
  long total = static_cast<long>(seconds + 0.5);
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

// "12/58 pages, 78.2 pages/min, ETA 0:34, 3/10 inputs, 0 failed". Until every input's pages are
// counted, the page total is extrapolated from the inputs counted so far.
std::string progress_text(const IngestProgress& p, double elapsed_seconds) {
  double rate = elapsed_seconds > 0 ? p.pages_done * 60.0 / elapsed_seconds : 0;
  std::string text;
  if (p.inputs_total > 0) {
    bool all_counted = p.inputs_seen >= p.inputs_total;
    double estimate = p.inputs_seen > 0 ? static_cast<double>(p.pages_counted) * p.inputs_total / p.inputs_seen : 0;
    if (estimate < p.pages_counted) estimate = p.pages_counted;
    text = fmt::format("{}/{}{} pages, {:.1f} pages/min", p.pages_done, all_counted ? "" : "~",
                       static_cast<long>(estimate + 0.5), rate);
    if (rate > 0 && estimate > p.pages_done)
      text += ", ETA " + minutes_and_seconds((estimate - p.pages_done) / rate * 60.0);
    text += fmt::format(", {}/{} inputs", p.inputs_done, p.inputs_total);
  } else {
    text = fmt::format("{} pages, {:.1f} pages/min, {} inputs", p.pages_done, rate, p.inputs_done);
  }
  return text + fmt::format(", {} failed", p.failures);
}

// What the needs-review line says of why: every reason in full with `log_phi`, else only how
// many, and where a person may read them.
std::string review_summary(const IngestedDocument& d, bool log_phi) {
  if (log_phi) {
    std::string reasons;
    for (const auto& r : d.review_reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    return reasons;
  }
  size_t n = d.review_reasons.size();
  return fmt::format("{} reason{}: casenote review show {}", n, n == 1 ? "" : "s", d.document_id);
}

}  // namespace

IngestConsole::IngestConsole(bool terminal, bool log_phi)
    : terminal_(terminal), log_phi_(log_phi), started_(Clock::now()), last_plain_line_(started_) {}

void IngestConsole::progress(const IngestProgress& progress) {
  std::lock_guard lock(mutex_);
  latest_ = progress;
  if (terminal_) {
    draw_progress_line();
  } else if (Clock::now() - last_plain_line_ >= kPlainLineInterval) {
    last_plain_line_ = Clock::now();
    double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    fmt::print(stderr, "{}\n", progress_text(latest_, elapsed));
  }
}

void IngestConsole::input_done(const InputResult& result) {
  std::lock_guard lock(mutex_);
  clear_progress_line();
  switch (result.outcome) {
    case InputResult::Outcome::Stored:
      for (const auto& d : result.documents) {
        if (d.status == "filed") {
          fmt::print("filed        {}  {}  -> patient {}\n", d.document_id, d.source, d.patient_id.value_or(""));
        } else {
          fmt::print("needs review {}  {}  ({})\n", d.document_id, d.source, review_summary(d, log_phi_));
        }
      }
      break;
    case InputResult::Outcome::Failed:
      fmt::print("failed       {}: {}\n", result.path, result.reason);
      break;
    case InputResult::Outcome::Duplicate:
      fmt::print("duplicate    {}  (already stored)\n", result.path);
      break;
  }
  std::fflush(stdout);
  if (terminal_) draw_progress_line();
}

void IngestConsole::summary(const IngestReport& report) {
  std::lock_guard lock(mutex_);
  clear_progress_line();
  double minutes = report.seconds / 60.0;
  fmt::print("{} filed, {} need review, {} failed, {} duplicates; {} pages in {:.1f} s ({:.1f} pages/min, {:.2f} s/page)\n",
             report.documents_filed, report.documents_for_review, report.inputs_failed, report.duplicates,
             report.pages, report.seconds, minutes > 0 ? report.pages / minutes : 0.0,
             report.pages ? report.seconds / report.pages : 0.0);
  if (report.inputs_abandoned > 0)
    fmt::print("stopped: {} inputs left queued; run the same command again to finish them\n",
               report.inputs_abandoned);
}

void IngestConsole::clear_progress_line() {
  if (!line_drawn_) return;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  line_drawn_ = false;
}

void IngestConsole::draw_progress_line() {
  double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  fmt::print(stderr, "\r{}\x1b[K", progress_text(latest_, elapsed));
  std::fflush(stderr);
  line_drawn_ = true;
}

}  // namespace casenote
