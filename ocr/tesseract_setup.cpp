#include "ocr/tesseract_setup.h"

namespace casenote {

Result<std::unique_ptr<tesseract::TessBaseAPI>> init_tesseract(
    const std::string& tessdata_dir, const std::string& language, tesseract::OcrEngineMode mode,
    const std::vector<std::pair<std::string, std::string>>& init_variables) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // debug_file can only be set at Init (it is an init-only parameter); without it Tesseract
  // prints "Estimating resolution" and similar lines for every page.
  std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
  for (const auto& [name, value] : init_variables) {
    names.push_back(name);
    values.push_back(value);
  }
  const char* datapath = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();
  if (api->Init(datapath, language.c_str(), mode, nullptr, 0, &names, &values, false) != 0) {
    return Error{"cannot load Tesseract language '" + language + "'" +
                 (tessdata_dir.empty() ? std::string(" from the default tessdata folder")
                                       : " from " + tessdata_dir)};
  }
  return api;
}

}  // namespace casenote
