// Coarse page orientation (0/90/180/270) with Tesseract's orientation and script detection.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "ocr/page_image.h"

namespace tesseract {
class TessBaseAPI;
}

namespace casenote {

struct OrientationEstimate {
  int rotation_degrees = 0;  // clockwise rotation that makes the page upright
  float confidence = 0;      // Tesseract's orientation confidence; ~15 is reasonably sure
};

class OrientationDetector {
 public:
  // Loads the `osd` model with the legacy engine, which orientation detection needs; the
  // LSTM-only English model returns confident nonsense here.
  static Result<std::unique_ptr<OrientationDetector>> create(const std::string& tessdata_dir);
  ~OrientationDetector();

  // Estimates the page's orientation. Fails when the page has too little text to tell.
  Result<OrientationEstimate> detect(const PageImage& image);

 private:
  explicit OrientationDetector(std::unique_ptr<tesseract::TessBaseAPI> api);
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace casenote
