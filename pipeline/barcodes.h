// Reading the barcodes printed on a scanned page: separator sheets and patient labels are
// recognised by what they carry (pipeline/patient_labels.h), not here.
#pragma once

#include <string>
#include <vector>

#include "core/box.h"
#include "ocr/page_image.h"

namespace casenote {

struct Barcode {
  std::string format;  // "Code128", "QRCode" or "DataMatrix"
  std::string text;    // the symbol's content as UTF-8
  Box box;             // where it is, in the pixels of the page as scanned

  bool operator==(const Barcode&) const = default;
};

struct BarcodeReading {
  std::vector<Barcode> barcodes;  // in no particular order
  // Why part of the page could not be read, when it could not; a symbol there may be missed.
  std::string problem;
};

// Reads the Code 128, QR and Data Matrix symbols on `page`, in any of the four orientations.
// A symbol that fails its own error check is not returned.
BarcodeReading read_barcodes(const PageImage& page);

}  // namespace casenote
