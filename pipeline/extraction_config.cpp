#include "pipeline/extraction_config.h"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace casenote {
namespace {

using nlohmann::json;

// A list of strings at `key` of `object`, or an error naming where it is not one.
Result<std::vector<std::string>> strings_at(const json& object, const std::string& key, const std::string& where) {
  const json& value = object.at(key);
  if (!value.is_array()) return Error{where + ": expected a list of strings"};
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) return Error{where + ": expected a list of strings"};
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status check_keys(const json& object, std::initializer_list<std::string_view> known, const std::string& where) {
  if (!object.is_object()) return Error{(where.empty() ? "the configuration" : where) + ": expected an object"};
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view k : known) found |= k == key;
    if (!found) return Error{"unknown key '" + (where.empty() ? "" : where + ".") + key + "'"};
  }
  return ok_status();
}

// "400-499" or "999": a range of NHS numbers by their first three digits.
std::optional<NhsNumberRange> parse_range(std::string_view text) {
  auto number = [](std::string_view digits) -> std::optional<int> {
    int value = 0;
    if (digits.size() != 3) return std::nullopt;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
  };
  size_t dash = text.find('-');
  auto first = number(text.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : number(text.substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return NhsNumberRange{*first, *last};
}

Status read_labels(const json& labels, ExtractionOptions& options) {
  if (!labels.is_object()) return Error{"labels: expected an object of field kinds"};
  for (const auto& [kind_name, texts] : labels.items()) {
    auto kind = label_kind_named(kind_name);
    if (!kind) return Error{"labels." + kind_name + ": unknown field kind"};
    auto list = strings_at(labels, kind_name, "labels." + kind_name);
    if (!list) return list.error();
    for (const std::string& text : *list) options.extra_labels.push_back({text, *kind});
  }
  return ok_status();
}

Status read_hospital_number(const json& section, ExtractionOptions& options) {
  if (auto known = check_keys(section, {"labels", "patterns"}, "hospital_number"); !known) return known.error();
  if (section.contains("labels")) {
    auto labels = strings_at(section, "labels", "hospital_number.labels");
    if (!labels) return labels.error();
    options.hospital_number_labels = *labels;
  }
  if (section.contains("patterns")) {
    auto patterns = strings_at(section, "patterns", "hospital_number.patterns");
    if (!patterns) return patterns.error();
    auto compiled = HospitalNumberPatterns::compile(*patterns);
    if (!compiled) return Error{"hospital_number.patterns: " + compiled.error().message};
    options.hospital_number_patterns = std::move(*compiled);
  }
  return ok_status();
}

Status read_ranges(const json& config, ExtractionOptions& options) {
  auto ranges = strings_at(config, "nhs_number_ranges", "nhs_number_ranges");
  if (!ranges) return ranges.error();
  options.nhs_number_ranges.clear();
  for (const std::string& text : *ranges) {
    auto range = parse_range(text);
    if (!range) return Error{"nhs_number_ranges: '" + text + "' is not a range like \"400-499\" or \"999\""};
    options.nhs_number_ranges.push_back(*range);
  }
  return ok_status();
}

}  // namespace

Result<ExtractionOptions> parse_extraction_config(std::string_view json_text) {
  json config = json::parse(json_text, nullptr, false, true);
  if (config.is_discarded()) return Error{"not valid JSON"};
  if (auto known = check_keys(config, {"labels", "hospital_number", "letterhead", "nhs_number_ranges"}, ""); !known)
    return known.error();
  ExtractionOptions options;
  if (config.contains("labels"))
    if (auto read = read_labels(config["labels"], options); !read) return read.error();
  if (config.contains("hospital_number"))
    if (auto read = read_hospital_number(config["hospital_number"], options); !read) return read.error();
  if (config.contains("letterhead")) {
    auto letterhead = strings_at(config, "letterhead", "letterhead");
    if (!letterhead) return letterhead.error();
    options.letterhead_text = *letterhead;
  }
  if (config.contains("nhs_number_ranges"))
    if (auto read = read_ranges(config, options); !read) return read.error();
  return options;
}

Result<ExtractionOptions> load_extraction_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot be read"};
  std::ostringstream text;
  text << in.rdbuf();
  auto options = parse_extraction_config(text.str());
  if (!options) return Error{path + ": " + options.error().message};
  return options;
}

}  // namespace casenote
