// Stores for tests that must hold on both backends: such a test runs once on a SQLite file and
// once on a PostgreSQL database of a throwaway server (scripts/test-postgres.sh).
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/store.h"

namespace casenote::test {

// The backends, for GENERATE: `auto backend = GENERATE(from_range(store_backends()));`
inline std::vector<std::string> store_backends() { return {"sqlite", "postgresql"}; }

namespace detail {

inline bool server_answers(const std::string& url) {
  PGconn* db = PQconnectdb(url.c_str());
  bool ok = PQstatus(db) == CONNECTION_OK;
  PQfinish(db);
  return ok;
}

inline std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A server this process started, stopped when the process ends.
class OwnServer {
 public:
  OwnServer() : dir_(std::string("/tmp/casenote-test-postgres-") + std::to_string(std::random_device{}())) {
    std::string command = std::string(CASENOTE_SOURCE_DIR) + "/scripts/test-postgres.sh start " + dir_ + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot start a PostgreSQL server: " + command);
    url_ = read_first_line(dir_ + "/url");
  }
  ~OwnServer() {
    std::string command = std::string(CASENOTE_SOURCE_DIR) + "/scripts/test-postgres.sh stop " + dir_;
    std::system(command.c_str());
  }
  const std::string& url() const { return url_; }

 private:
  std::string dir_;
  std::string url_;
};

}  // namespace detail

// The URL of the tests' PostgreSQL server: the one ctest's fixture started
// (tests/CMakeLists.txt), else one this process starts on first use and stops at exit.
inline const std::string& test_postgres_server() {
  static const std::string url = [] {
    std::string shared = detail::read_first_line(std::string(CASENOTE_TEST_POSTGRES_DIR) + "/url");
    if (!shared.empty() && detail::server_answers(shared)) return shared;
    static detail::OwnServer own;
    return own.url();
  }();
  return url;
}

// A new, empty database of `backend`: the SQLite file `sqlite_path`, or a schema of its own on
// the test server, named by a URL that sets the connection's search_path to it.
inline std::string new_store_location(const std::string& backend, const std::string& sqlite_path) {
  if (backend == "sqlite") return sqlite_path;
  const std::string& server = test_postgres_server();
  std::string schema = "t" + std::to_string(std::random_device{}()) + std::to_string(std::random_device{}());
  PGconn* db = PQconnectdb(server.c_str());
  PGresult* created = PQexec(db, ("CREATE SCHEMA " + schema).c_str());
  bool ok = PQresultStatus(created) == PGRES_COMMAND_OK;
  std::string why = PQerrorMessage(db);
  PQclear(created);
  PQfinish(db);
  if (!ok) throw std::runtime_error("creating a schema on the test server: " + why);
  return server + "?options=-csearch_path%3D" + schema;
}

// What a statement run as another client returned: its rows as text, or the database's error.
struct RawResult {
  std::string error;  // "" when it succeeded
  std::vector<std::vector<std::string>> rows;
};

// Runs `sql` on the database at `location` as a client other than casenote, to see what the
// database itself holds or refuses.
inline RawResult run_raw(const std::string& location, const std::string& sql) {
  RawResult out;
  if (is_postgresql_url(location)) {
    PGconn* db = PQconnectdb(location.c_str());
    PGresult* result = PQexec(db, sql.c_str());
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) out.error = PQresultErrorMessage(result);
    for (int row = 0; row < PQntuples(result); ++row) {
      out.rows.emplace_back();
      for (int column = 0; column < PQnfields(result); ++column) out.rows.back().push_back(PQgetvalue(result, row, column));
    }
    PQclear(result);
    PQfinish(db);
    return out;
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(location.c_str(), &db) == SQLITE_OK);
  auto collect = [](void* rows, int columns, char** values, char**) {
    auto& table = *static_cast<std::vector<std::vector<std::string>>*>(rows);
    table.emplace_back();
    for (int i = 0; i < columns; ++i) table.back().push_back(values[i] ? values[i] : "");
    return 0;
  };
  if (sqlite3_exec(db, sql.c_str(), collect, &out.rows, nullptr) != SQLITE_OK) out.error = sqlite3_errmsg(db);
  sqlite3_close(db);
  return out;
}

// Opens the store at `location` (new_store_location()), failing the test when it cannot.
inline std::unique_ptr<Store> open_test_store(const std::string& location) {
  auto store = open_store(location);
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store.ok());
  return std::move(store).value();
}

}  // namespace casenote::test
