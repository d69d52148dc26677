// The casenote subcommands. Each adds itself to the command line; when chosen, its callback
// runs and leaves the process exit status in `exit_status`.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "pipeline/ingest.h"
#include "pipeline/input_limits.h"
#include "store/store.h"

namespace casenote {

void add_ingest_command(CLI::App& app, int& exit_status);
void add_patients_command(CLI::App& app, int& exit_status);
void add_export_command(CLI::App& app, int& exit_status);
void add_search_command(CLI::App& app, int& exit_status);
void add_review_command(CLI::App& app, int& exit_status);
void add_audit_command(CLI::App& app, int& exit_status);
void add_watch_command(CLI::App& app, int& exit_status);
void add_page_worker_command(CLI::App& app, int& exit_status);
void add_serve_command(CLI::App& app, int& exit_status);
void add_users_command(CLI::App& app, int& exit_status);
void add_events_command(CLI::App& app, int& exit_status);
void add_stats_command(CLI::App& app, int& exit_status);
void add_store_command(CLI::App& app, int& exit_status);
void add_worker_command(CLI::App& app, int& exit_status);
// Adds `enqueue` and `status`, for the queue that `worker`s on many hosts share.
void add_queue_commands(CLI::App& app, int& exit_status);

// The ingest settings `ingest` and `watch` share: `workers` page workers running this program,
// the page time limit, and the input limits those workers open files under.
IngestSettings ingest_settings(int workers, int page_time_limit_s, const InputLimits& limits);

// Adds --max-image-side, --max-image-pixels, --max-pages, --max-pdf-nesting and
// --max-pdf-objects, each defaulting to InputLimits' value.
void add_input_limit_options(CLI::App& command, InputLimits& limits);

// Adds the --db option every command shares.
CLI::Option* add_db_option(CLI::App& command, std::string& db);

// Where the searchable PDFs go, as the commands that write or move them are told.
struct ArchiveOptions {
  std::string folder;  // empty: beside the database
  std::string name_template = ArchiveSettings{}.name_template;
};

// Adds --archive and --archive-name.
void add_archive_options(CLI::App& command, ArchiveOptions& options);

// The archive settings `options` give for the database `db` (casenote.db keeps its PDFs in
// casenote-archive/ beside it unless told otherwise); fails on an unusable name template.
Result<ArchiveSettings> archive_settings(const ArchiveOptions& options, const std::string& db);

// Adds --user, defaulting to the operating-system user running casenote: the name the audit
// trail records for what the command does.
CLI::Option* add_user_option(CLI::App& command, std::string& user);

// Adds --log-phi to a command that prints what ingest finds: without it, what the command prints
// names documents and inputs but never a patient's identifiers or a document's text.
CLI::Option* add_log_phi_flag(CLI::App& command, bool& log_phi);

// Adds --busy-timeout SECONDS (default 10, from 0 to a day) to a command that writes the store:
// how long a write waits for another process's lock on the database before it gives up.
CLI::Option* add_busy_timeout_option(CLI::App& command, StoreOptions& store);

// Opens the store, or prints why not and returns null.
std::unique_ptr<Store> open_store_or_report(const std::string& db, const StoreOptions& options = {});

// Why `value`, given to `command`'s date `option`, is no ISO date, in one line ("stats: --from
// '2024-13-01' is not a date (YYYY-MM-DD)"); nothing when it is one or is empty.
std::optional<std::string> date_option_problem(const std::string& command, const std::string& option,
                                               const std::string& value);

// Prints "casenote: MESSAGE" on stderr and returns the exit status for a failed command.
int report_failure(const std::string& message);

}  // namespace casenote
