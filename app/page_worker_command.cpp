#include "app/commands.h"
#include "pipeline/page_worker.h"

namespace casenote {

void add_page_worker_command(CLI::App& app, int& exit_status) {
  auto* command = app.add_subcommand("page-worker", "a page worker process, started by ingest and watch");
  // Started by the pipeline only, on the channel it passes as file descriptor 3.
  command->group("");
  auto limits = std::make_shared<InputLimits>();
  add_input_limit_options(*command, *limits);
  command->callback([limits, &exit_status] { exit_status = run_page_worker(3, *limits); });
}

}  // namespace casenote
