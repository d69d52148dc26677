// Opening a casenote database: the file's permissions, the connection's settings, and the
// schema migrations that bring an older file up to date. Private to the store module.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "store/sqlite_db.h"

namespace casenote::sql {

// The schema version this program writes (PRAGMA user_version once migrated).
inline constexpr int kSchemaVersion = 8;

// Marks a file as a casenote database (PRAGMA application_id), so that some other program's
// SQLite file is refused rather than migrated: "CsNt".
inline constexpr int kApplicationId = 0x43734e74;

// Opens `path` (creating it owner-only when absent) in WAL mode with foreign keys enforced, then
// applies, each in its own transaction, every migration the file has not had. Refuses a file
// that is not SQLite, belongs to another program, or has a schema newer than kSchemaVersion.
// A statement waits up to `busy_timeout` for another process's lock before failing.
Result<Connection> open_casenote_database(const std::string& path, std::chrono::milliseconds busy_timeout);

}  // namespace casenote::sql
