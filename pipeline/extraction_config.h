// A trust's extraction configuration: the labels it prints, the shapes of its hospital numbers,
// its letterhead, and the NHS number ranges it accepts. The format is documented, with its
// defaults, in docs/extraction.md.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "extract/extraction_options.h"

namespace casenote {

// The options a configuration in JSON gives: every key is optional and a missing key keeps the
// default. An unknown key, field kind, pattern or range is an error that names it.
Result<ExtractionOptions> parse_extraction_config(std::string_view json_text);

// Reads and parses the configuration file at `path`; errors begin with the path.
Result<ExtractionOptions> load_extraction_config(const std::string& path);

}  // namespace casenote
