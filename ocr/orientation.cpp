#include "ocr/orientation.h"

#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "ocr/tesseract_setup.h"

namespace casenote {

OrientationDetector::OrientationDetector(std::unique_ptr<tesseract::TessBaseAPI> osd,
                                         std::unique_ptr<tesseract::TessBaseAPI> reader)
    : osd_(std::move(osd)), reader_(std::move(reader)) {}

OrientationDetector::~OrientationDetector() = default;

Result<std::unique_ptr<OrientationDetector>> OrientationDetector::create(const std::string& tessdata_dir,
                                                                         const std::string& language) {
  auto osd = init_tesseract(tessdata_dir, "osd", tesseract::OEM_TESSERACT_ONLY);
  if (!osd) return osd.error();
  (*osd)->SetPageSegMode(tesseract::PSM_OSD_ONLY);
  auto reader = init_tesseract(tessdata_dir, language, tesseract::OEM_LSTM_ONLY);
  if (!reader) return reader.error();
  (*reader)->SetPageSegMode(tesseract::PSM_SINGLE_COLUMN);
  return std::unique_ptr<OrientationDetector>(new OrientationDetector(std::move(*osd), std::move(*reader)));
}

Result<OrientationEstimate> OrientationDetector::detect(const PageImage& image) {
  osd_->SetImage(image.pix());
  if (image.dpi() > 0) osd_->SetSourceResolution(image.dpi());
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  bool found = osd_->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  osd_->Clear();
  if (!found) return Error{"too little text to detect orientation"};
  // Tesseract reports how far the content is turned clockwise; undoing it is the rest of a turn.
  return OrientationEstimate{(360 - orient_deg) % 360, orient_conf};
}

double OrientationDetector::readable_characters(const PageImage& image) {
  reader_->SetImage(image.pix());
  if (image.dpi() > 0) reader_->SetSourceResolution(image.dpi());
  double characters = 0;
  if (reader_->Recognize(nullptr) == 0) {
    std::unique_ptr<tesseract::ResultIterator> it(reader_->GetIterator());
    if (it) {
      do {
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        if (!text) continue;
        const std::string word = text.get();
        const auto alphanumeric = std::count_if(word.begin(), word.end(), [](unsigned char c) { return std::isalnum(c); });
        if (alphanumeric >= 2) characters += static_cast<double>(word.size()) * it->Confidence(tesseract::RIL_WORD) / 100;
      } while (it->Next(tesseract::RIL_WORD));
    }
  }
  reader_->Clear();
  return characters;
}

}  // namespace casenote
