// Patient master index CSV bytes through the importer's parser.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "pipeline/patient_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  casenote::PatientCsv csv = casenote::parse_patient_csv(in);
  if (csv.rows.size() != csv.row_lines.size()) __builtin_trap();
  return 0;
}
