// casenote store copy: a scanning room's SQLite store moved into the shared PostgreSQL one.
#include <fmt/format.h>

#include "app/commands.h"
#include "store/store_copy.h"

namespace casenote {
namespace {

struct CopyOptions {
  std::string from;
  std::string to;
  StoreOptions store;
};

// Prints each table's count and checksum, never a value from it: the rows are patients' records.
int run_copy(const CopyOptions& o) {
  auto report = copy_store(o.from, o.to, o.store);
  if (!report) {
    report_failure(report.error().message);
    return 1;
  }
  fmt::print("{:<16}{:>10}  {}\n", "table", "rows", "checksum");
  std::int64_t rows = 0;
  for (const TableCopy& table : report->tables) {
    fmt::print("{:<16}{:>10}  {}\n", table.table, table.rows, table.checksum.substr(0, 12));
    rows += table.rows;
  }
  fmt::print("verified: {} rows in {} tables, {} to {}\n", rows, report->tables.size(), o.from,
             report->destination);
  return 0;
}

}  // namespace

void add_store_command(CLI::App& app, int& exit_status) {
  auto* store = app.add_subcommand("store", "Move a store between databases");
  store->require_subcommand(1);
  auto o = std::make_shared<CopyOptions>();

  auto* copy = store->add_subcommand(
      "copy", "Copy a SQLite store, patients, documents, audit trail and all, into an empty PostgreSQL database, "
              "and check every table's rows and checksum on both sides");
  copy->add_option("--from", o->from, "the SQLite store to copy")->required()->type_name("FILE");
  copy->add_option("--to", o->to, "the PostgreSQL database: postgresql://user@host:port/database")
      ->required()
      ->type_name("URL");
  add_busy_timeout_option(*copy, o->store);
  copy->callback([o, &exit_status] { exit_status = run_copy(*o); });
}

}  // namespace casenote
