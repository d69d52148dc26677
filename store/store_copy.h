// Moving a scanning room's SQLite store into the shared PostgreSQL one (casenote store copy).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace casenote {

// One table as copied: how many rows, and the hex SHA-256 of its rows in key order, each value
// written with its type, read back the same from both databases.
struct TableCopy {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;
};

// What a copy moved, table by table in the order it copied them.
struct CopyReport {
  std::string destination;  // the destination's URL without its password
  std::vector<TableCopy> tables;
};

// Copies every row of the SQLite store at `from_sqlite_path` (migrated to the current schema
// first) into the PostgreSQL database `to_url` (its schema created when absent), in one
// transaction, with the search index rebuilt and the id sequences past the copied ids. Each
// table's count and checksum are read back from the destination and must equal the source's, or
// nothing is written. Refuses a source that does not exist and a destination that holds any
// patients, documents, inputs, users or audit entries. The source is locked against writers
// while it is read, and is otherwise unchanged.
Result<CopyReport> copy_store(const std::string& from_sqlite_path, const std::string& to_url,
                              const StoreOptions& options = {});

}  // namespace casenote
