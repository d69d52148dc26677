// casenote: scanned health records in, searchable records filed to patients out.
#include <unistd.h>

#include <cstdlib>

#include "app/commands.h"

namespace {

// Tesseract's OpenMP threads oversubscribe the cores when every worker runs its own engine
// (one page measured 8.5 s instead of 1.5 s on two cores). The limit is read when the OpenMP
// runtime starts, before main(), so the process restarts itself once with it set.
void cap_openmp_threads(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT")) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
  // Without /proc the process goes on uncapped: slower, still correct.
}

}  // namespace

int main(int argc, char** argv) {
  cap_openmp_threads(argv);

  CLI::App app{"casenote: scanned health records in, searchable records filed to patients out"};
  app.require_subcommand(1);
  int exit_status = 0;
  casenote::add_ingest_command(app, exit_status);
  casenote::add_patients_command(app, exit_status);
  casenote::add_export_command(app, exit_status);
  casenote::add_search_command(app, exit_status);
  casenote::add_review_command(app, exit_status);
  casenote::add_audit_command(app, exit_status);
  casenote::add_watch_command(app, exit_status);
  casenote::add_page_worker_command(app, exit_status);
  casenote::add_serve_command(app, exit_status);
  casenote::add_users_command(app, exit_status);
  casenote::add_events_command(app, exit_status);
  casenote::add_stats_command(app, exit_status);
  casenote::add_store_command(app, exit_status);
  casenote::add_queue_commands(app, exit_status);
  casenote::add_worker_command(app, exit_status);
  CLI11_PARSE(app, argc, argv);
  return exit_status;
}
