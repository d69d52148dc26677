// Tesseract's answers to "which way up is this page?": its orientation detection, and how well
// its recogniser reads the page as it stands, for comparing the ways a page could be turned.
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
  // Loads the `osd` model with the legacy engine, which orientation detection needs (the
  // LSTM-only English model returns confident nonsense there), and `language` with the LSTM
  // engine for reading tests. Fails when either cannot be found.
  static Result<std::unique_ptr<OrientationDetector>> create(const std::string& tessdata_dir,
                                                             const std::string& language = "eng");
  ~OrientationDetector();

  // Estimates the page's orientation. Fails when the page has too little text to tell.
  Result<OrientationEstimate> detect(const PageImage& image);

  // How much of the page reads as it stands: the characters of the recognised words of two or
  // more letters or digits, each counted at its word's confidence (0..1). A page read the wrong
  // way round yields little but fragments and low confidences.
  double readable_characters(const PageImage& image);

 private:
  OrientationDetector(std::unique_ptr<tesseract::TessBaseAPI> osd, std::unique_ptr<tesseract::TessBaseAPI> reader);
  std::unique_ptr<tesseract::TessBaseAPI> osd_;
  std::unique_ptr<tesseract::TessBaseAPI> reader_;
};

}  // namespace casenote
