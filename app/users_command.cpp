// casenote users: the people who may sign in to the review workstation (casenote serve).
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <iostream>

#include "app/commands.h"
#include "web/passwords.h"

namespace casenote {
namespace {

struct UsersOptions {
  std::string db = "casenote.db";
  std::string added_by;
  std::string name;
};

// One line from standard input; on a terminal, asked for with `prompt` and not echoed.
std::optional<std::string> read_secret_line(const std::string& prompt) {
  const bool terminal = isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!read) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new user's password: typed twice on a terminal, else the first line of standard input.
Result<std::string> new_password(const std::string& name) {
  auto password = read_secret_line(fmt::format("password for {}: ", name));
  if (!password) return Error{"no password given on standard input"};
  if (auto weak = weak_password_reason(*password)) return Error{*weak};
  if (isatty(STDIN_FILENO)) {
    auto again = read_secret_line("the same password again: ");
    if (!again || *again != *password) return Error{"the two passwords differ"};
  }
  return *password;
}

int run_add(const UsersOptions& o) {
  if (o.name.empty() || o.name.find_first_of(" \t\r\n") != std::string::npos)
    return report_failure("users add: a user name is one word");
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  auto existing = store->user(o.name);
  if (!existing) return report_failure(existing.error().message);
  if (*existing) return report_failure("users add: " + o.name + " is already a user");
  auto password = new_password(o.name);
  if (!password) return report_failure("users add: " + password.error().message);
  auto hash = hash_password(*password);
  if (!hash) return report_failure(hash.error().message);
  if (auto added = store->add_user({o.name, *hash, ""}, o.added_by); !added) return report_failure(added.error().message);
  fmt::print("{} may now sign in to the review workstation (casenote serve)\n", o.name);
  return 0;
}

int run_list(const UsersOptions& o) {
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  auto users = store->users();
  if (!users) return report_failure(users.error().message);
  for (const auto& u : *users) fmt::print("{}  added {}\n", u.name, u.created_at.substr(0, 10));
  fmt::print("{} users\n", users->size());
  return 0;
}

}  // namespace

void add_users_command(CLI::App& app, int& exit_status) {
  auto* users = app.add_subcommand("users", "The people who may sign in to the review workstation");
  users->require_subcommand(1);
  auto o = std::make_shared<UsersOptions>();

  auto* add = users->add_subcommand(
      "add", "Add a user; the password is asked for twice on a terminal, else read from the first line of standard input");
  add_db_option(*add, o->db);
  add_user_option(*add, o->added_by);
  add->add_option("name", o->name, "the name they sign in with")->required();
  add->callback([o, &exit_status] { exit_status = run_add(*o); });

  auto* list = users->add_subcommand("list", "List the users");
  add_db_option(*list, o->db);
  list->callback([o, &exit_status] { exit_status = run_list(*o); });
}

}  // namespace casenote
