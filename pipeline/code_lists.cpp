#include "pipeline/code_lists.h"

#include <fstream>
#include <sstream>

namespace casenote {

Result<CodeLists> load_code_lists(const std::vector<std::string>& specs) {
  CodeLists lists;
  for (const std::string& spec : specs) {
    size_t equals = spec.find('=');
    auto system = code_system_named(spec.substr(0, equals));
    if (equals == std::string::npos || equals + 1 == spec.size() || !system)
      return Error{"code list '" + spec + "': expected SYSTEM=FILE with SYSTEM one of icd10, opcs4, snomed_ct"};
    if (lists.count(*system))
      return Error{"code list '" + spec + "': a second list for " + code_system_name(*system)};
    std::string path = spec.substr(equals + 1);
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path + ": cannot be read"};
    std::ostringstream text;
    text << in.rdbuf();
    auto list = parse_code_list(text.str());
    if (!list) return Error{path + ": " + list.error().message};
    lists.emplace(*system, std::move(*list));
  }
  return lists;
}

}  // namespace casenote
