// Page preparation: what OCR sees. Turns a page upright, removes skew and recognises blank
// pages. The original image is never changed.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "ocr/page_image.h"

namespace casenote {

class OrientationDetector;

struct PreparedPage {
  PageImage image;            // upright, deskewed, binarised: what OCR reads
  int rotation_degrees = 0;   // clockwise rotation applied
  double skew_degrees = 0;    // skew removed, positive when text lines rose to the right
  float orientation_confidence = 0;
  bool blank = false;
  std::vector<std::string> notes;  // things a reviewer should know, e.g. an unsure orientation
};

struct PrepareSettings {
  // Below this Tesseract orientation confidence a page is left as scanned, with a note.
  float min_orientation_confidence = 2.0f;
  double max_skew_degrees = 15.0;
};

// True when the page carries no text-like marks: an empty back of a duplex scan, perhaps with
// a punched hole or a smudge.
bool is_blank_page(const PageImage& image);

// Measures the skew of text lines within ±max_degrees; positive when lines rise to the right.
// Returns 0 when the page gives no reliable measurement.
double measure_skew(const PageImage& grey, double max_degrees);

// Binarises a grey page after flattening its background.
PageImage binarise_for_ocr(const PageImage& grey);

// Prepares one page for OCR.
PreparedPage prepare_page(const PageImage& original, OrientationDetector& orientation,
                          const PrepareSettings& settings);

}  // namespace casenote
