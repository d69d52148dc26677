// casenote: scanned health records in, searchable records filed to patients out.
#include "app/commands.h"
#include "ocr/openmp_threads.h"
#include "pipeline/opencv_threads.h"

int main(int argc, char** argv) {
  casenote::restart_with_one_openmp_thread(argv);
  casenote::hold_opencv_to_one_thread();

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
