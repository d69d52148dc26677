#include "ocr/tesseract_setup.h"

namespace casenote {

Result<std::unique_ptr<tesseract::TessBaseAPI>> init_tesseract(const std::string& tessdata_dir,
                                                               const std::string& language,
                                                               tesseract::OcrEngineMode mode) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // debug_file can only be set at Init (it is an init-only parameter); without it Tesseract
  // prints "Estimating resolution" and similar lines for every page.
  std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
  const char* datapath = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();
  if (api->Init(datapath, language.c_str(), mode, nullptr, 0, &names, &values, false) != 0) {
    return Error{"cannot load Tesseract language '" + language + "'" +
                 (tessdata_dir.empty() ? std::string(" from the default tessdata folder")
                                       : " from " + tessdata_dir)};
  }
  return api;
}

}  // namespace casenote
