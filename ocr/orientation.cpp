#include "ocr/orientation.h"

#include "ocr/tesseract_setup.h"

namespace casenote {

OrientationDetector::OrientationDetector(std::unique_ptr<tesseract::TessBaseAPI> api)
    : api_(std::move(api)) {}

OrientationDetector::~OrientationDetector() = default;

Result<std::unique_ptr<OrientationDetector>> OrientationDetector::create(const std::string& tessdata_dir) {
  auto api = init_tesseract(tessdata_dir, "osd", tesseract::OEM_TESSERACT_ONLY);
  if (!api) return api.error();
  (*api)->SetPageSegMode(tesseract::PSM_OSD_ONLY);
  return std::unique_ptr<OrientationDetector>(new OrientationDetector(std::move(*api)));
}

Result<OrientationEstimate> OrientationDetector::detect(const PageImage& image) {
  api_->SetImage(image.pix());
  if (image.dpi() > 0) api_->SetSourceResolution(image.dpi());
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  bool found = api_->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  api_->Clear();
  if (!found) return Error{"too little text to detect orientation"};
  // Tesseract reports how far the content is turned clockwise; undoing it is the rest of a turn.
  return OrientationEstimate{(360 - orient_deg) % 360, orient_conf};
}

}  // namespace casenote
