// The PostgreSQL backend of store/sql_db.h, over libpq. Private to the store module.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "store/sql_db.h"

namespace casenote::sql {

// Connects to the server `url` names (postgresql://user@host:port/database, or libpq's
// key=value form), in UTC, with statements waiting up to `lock_timeout` for another session's
// locks before failing.
Result<Connection> open_postgresql_connection(const std::string& url, std::chrono::milliseconds lock_timeout);

// `url` with any password replaced by "***", for messages and logs.
std::string url_without_password(const std::string& url);

// The statement `sql`, written with SQLite's parameters (? and ?N), with PostgreSQL's ($N).
// Text in quotes is left alone.
std::string postgresql_parameters(const std::string& sql);

}  // namespace casenote::sql
