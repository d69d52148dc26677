// Reading a patient master index exported as CSV.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "pipeline/input_limits.h"
#include "store/records.h"

namespace casenote {

struct PatientCsv {
  std::vector<PatientRecord> rows;  // rows that passed validation
  std::vector<int> row_lines;       // the file line each of `rows` started on
  std::vector<std::string> errors;  // "line N: reason" for each rejected row, or a header error
};

// Parses CSV (RFC 4180 quoting) with the header
// nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode.
// A row is rejected when its NHS number fails the checksum, its date of birth is not an ISO
// date, its family name is empty, or it has neither NHS nor hospital number. A wrong header
// rejects the whole file. A record longer than `limits.max_csv_record_bytes` (all its fields
// and separators together) is rejected with its line number, and reading goes on at the next line.
PatientCsv parse_patient_csv(std::istream& in, const InputLimits& limits = {});

}  // namespace casenote
