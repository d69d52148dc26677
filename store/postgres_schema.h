// Opening a casenote database on a PostgreSQL server: its schema, created or brought up to
// date. Private to the store module.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "store/postgres_db.h"

namespace casenote::sql {

// The schema version this program writes (casenote_schema.version once migrated). It follows
// the SQLite store's kSchemaVersion: the same version holds the same tables on both.
inline constexpr int kPostgresSchemaVersion = 8;

// Connects to `url` and creates the casenote schema in its database when absent. Refuses a
// database that holds other tables but no casenote schema, or a schema newer than this program's.
Result<Connection> open_postgresql_database(const std::string& url, std::chrono::milliseconds lock_timeout);

}  // namespace casenote::sql
