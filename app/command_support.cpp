#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/commands.h"

namespace casenote {

CLI::Option* add_db_option(CLI::App& command, std::string& db) {
  return command.add_option("--db", db, "SQLite store")->capture_default_str();
}

CLI::Option* add_user_option(CLI::App& command, std::string& user) {
  if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name)
    user = entry->pw_name;
  else if (const char* name = std::getenv("USER"))
    user = name;
  else
    user = "uid-" + std::to_string(geteuid());
  return command.add_option("--user", user, "name recorded in the audit trail")->capture_default_str();
}

std::unique_ptr<Store> open_store_or_report(const std::string& db) {
  auto store = open_sqlite_store(db);
  if (!store) {
    report_failure(store.error().message);
    return nullptr;
  }
  return std::move(*store);
}

int report_failure(const std::string& message) {
  std::cerr << "casenote: " << message << "\n";
  return 2;
}

}  // namespace casenote
