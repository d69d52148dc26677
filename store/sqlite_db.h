// The SQLite backend of store/sql_db.h. Private to the store module.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "store/sql_db.h"

namespace casenote::sql {

// Opens the SQLite file at `path` read-write, creating it when absent. A statement waits up to
// `busy_timeout` for another process's lock before failing. SQLite reads the file lazily, so a
// file that is not a database is only noticed by the first statement (is_not_a_database()).
Result<Connection> open_sqlite_connection(const std::string& path, std::chrono::milliseconds busy_timeout);

// Whether `error` is SQLite saying the file it read is not a database.
bool is_not_a_database(const Error& error);

}  // namespace casenote::sql
