#include "pipeline/patient_csv.h"

#include <array>
#include <limits>
#include <optional>

#include "extract/dates.h"
#include "extract/nhs_number.h"

namespace casenote {
namespace {

constexpr std::array<const char*, 7> kHeader{"nhs_number", "hospital_number", "family_name", "given_names",
                                             "date_of_birth", "sex", "postcode"};
// Reads one CSV record, which may span lines inside quotes. Advances `line` by the lines read.
// Nothing when the input is exhausted; an error string in `error` for malformed quoting or a
// record over `max_bytes`, counted over all its fields so that a line of commas is bounded too.
std::optional<std::vector<std::string>> read_record(std::istream& in, int& line, std::string& error, size_t max_bytes) {
  std::vector<std::string> fields(1);
  bool quoted = false, any = false;
  size_t bytes = 0;
  for (int c; (c = in.get()) != EOF;) {
    any = true;
    if (++bytes > max_bytes) {
      error = "record longer than " + std::to_string(max_bytes) + " bytes";
      // Skip the rest of the line so the next record starts cleanly.
      in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
      ++line;
      return fields;
    }
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          fields.back() += static_cast<char>(in.get());
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        fields.back() += static_cast<char>(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++line;
      return fields;
    } else if (c != '\r') {
      fields.back() += static_cast<char>(c);
    }
  }
  if (!any) return std::nullopt;
  ++line;
  if (quoted) error = "unterminated quoted field";
  return fields;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string validate(const PatientRecord& p) {
  if (!p.nhs_number.empty() && !nhs_number_valid(p.nhs_number)) return "NHS number fails the modulus-11 check";
  if (p.nhs_number.empty() && p.hospital_number.empty()) return "neither NHS number nor hospital number";
  if (p.family_name.empty()) return "family_name is empty";
  if (!parse_iso_date(p.date_of_birth)) return "date_of_birth is not a valid YYYY-MM-DD date";
  return "";
}

}  // namespace

PatientCsv parse_patient_csv(std::istream& in, const InputLimits& limits) {
  PatientCsv out;
  int line = 0;
  std::string error;
  auto header = read_record(in, line, error, limits.max_csv_record_bytes);
  if (!header) {
    out.errors.push_back("line 1: file is empty, expected a header");
    return out;
  }
  bool header_ok = error.empty() && header->size() == kHeader.size();
  for (size_t i = 0; header_ok && i < kHeader.size(); ++i) header_ok = trim((*header)[i]) == kHeader[i];
  if (!header_ok) {
    out.errors.push_back(
        "line 1: header must be nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode");
    return out;
  }

  while (true) {
    int first_line = line + 1;
    error.clear();
    auto record = read_record(in, line, error, limits.max_csv_record_bytes);
    if (!record) break;
    auto where = "line " + std::to_string(first_line) + ": ";
    if (!error.empty()) {
      out.errors.push_back(where + error);
      continue;
    }
    if (record->size() == 1 && trim((*record)[0]).empty()) continue;  // blank line
    if (record->size() != kHeader.size()) {
      out.errors.push_back(where + "expected 7 fields, found " + std::to_string(record->size()));
      continue;
    }
    auto& f = *record;
    PatientRecord p;
    p.nhs_number = trim(f[0]);
    std::erase(p.nhs_number, ' ');
    p.hospital_number = trim(f[1]);
    p.family_name = trim(f[2]);
    p.given_names = trim(f[3]);
    p.date_of_birth = trim(f[4]);
    p.sex = trim(f[5]);
    p.postcode = trim(f[6]);
    if (auto reason = validate(p); !reason.empty()) {
      out.errors.push_back(where + reason);
      continue;
    }
    out.rows.push_back(std::move(p));
    out.row_lines.push_back(first_line);
  }
  return out;
}

}  // namespace casenote
