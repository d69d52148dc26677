#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/commands.h"

namespace casenote {

CLI::Option* add_db_option(CLI::App& command, std::string& db) {
  return command.add_option("--db", db, "the store: a SQLite file, or a PostgreSQL database as postgresql://USER@HOST/DB")
      ->capture_default_str();
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

void add_archive_options(CLI::App& command, ArchiveOptions& options) {
  command.add_option("--archive", options.folder,
                     "folder for the searchable PDFs (default: beside the database, e.g. casenote-archive/)");
  command
      .add_option("--archive-name", options.name_template,
                  "PDF path in the archive; placeholders {patient_id} {document_id} {document_type} {status} "
                  "{nhs_number} {hospital_number} {family_name}")
      ->capture_default_str();
}

void add_input_limit_options(CLI::App& command, InputLimits& limits) {
  command.add_option("--max-image-side", limits.max_image_side, "widest or tallest page image, in pixels")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--max-image-pixels", limits.max_image_pixels, "most pixels in one page image")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--max-pages", limits.max_pages, "most pages in one input file")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--max-pdf-nesting", limits.max_pdf_nesting, "deepest nesting of PDF arrays and dictionaries")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--max-pdf-objects", limits.max_pdf_objects, "most objects a PDF may declare")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

CLI::Option* add_log_phi_flag(CLI::App& command, bool& log_phi) {
  return command.add_flag("--log-phi", log_phi,
                          "print review reasons in full, which can quote patients' names, NHS numbers and dates "
                          "of birth (default: only how many, and the document id to look them up by)");
}

Result<ArchiveSettings> archive_settings(const ArchiveOptions& options, const std::string& db) {
  if (auto usable = check_archive_template(options.name_template); !usable) return usable.error();
  if (!options.folder.empty()) return ArchiveSettings{options.folder, options.name_template};
  // A PostgreSQL store has no folder of its own, and the hosts sharing it need a common archive.
  if (is_postgresql_url(db))
    return Error{"a PostgreSQL store needs --archive DIR: the folder, shared by every host, for its searchable PDFs"};
  const std::filesystem::path path(db);
  return ArchiveSettings{(path.parent_path() / (path.stem().string() + "-archive")).string(), options.name_template};
}

CLI::Option* add_busy_timeout_option(CLI::App& command, StoreOptions& store) {
  static constexpr double kMaxSeconds = 86400;
  auto set = [&store](double seconds) {
    store.busy_timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
  };
  // CLI11's own Range check calls a word "not in range"; this says what was wanted.
  CLI::Validator seconds_in_a_day(
      [](std::string& value) -> std::string {
        char* end = nullptr;
        const double seconds = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0' || !(seconds >= 0 && seconds <= kMaxSeconds))
          return fmt::format("'{}' is not a number of seconds from 0 to {:g}", value, kMaxSeconds);
        return "";
      },
      "");
  auto default_s = std::chrono::duration<double>(StoreOptions{}.busy_timeout).count();
  return command
      .add_option_function<double>("--busy-timeout", set,
                                   "seconds to wait for another process's lock on the database before giving up")
      ->default_str(fmt::format("{:g}", default_s))
      ->type_name("SECONDS")
      ->check(seconds_in_a_day);
}

std::unique_ptr<Store> open_store_or_report(const std::string& db, const StoreOptions& options) {
  auto store = open_store(db, options);
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
