// Page preparation: what OCR sees. Finds the page's resolution, its scanner marks and whether
// it is blank; turns it upright; removes its skew; binarises it. The page as loaded is never
// changed. docs/preparation.md explains the choices and their measurements.
#pragma once

#include <string>
#include <vector>

#include "core/recognised_text.h"
#include "core/step_timing.h"
#include "ocr/page_image.h"
#include "pipeline/prepare_orientation.h"
#include "pipeline/prepare_skew.h"
#include "pipeline/prepare_text_marks.h"

namespace casenote {

class OrientationDetector;

// What OCR is given to read (docs/ocr.md has the measurements).
enum class OcrImage {
  // The page in grey with its paper flattened, and the specks binarisation would drop and the
  // scanner marks painted as paper; Tesseract thresholds it itself. A bilevel scan is read as
  // it is, less its specks and marks.
  Grey,
  // Preparation's own ink: the flattened page thresholded, specks dropped, marks erased.
  Binarised,
};

struct PrepareSettings {
  double max_skew_degrees = 15.0;
  SkewMethod skew_method = SkewMethod::ProjectionProfile;
  // A page's orientation is settled by the first of these checks that is sure enough; when
  // none is, the page keeps its text lines across and a note says it may be upside down.
  double min_text_shape_confidence = 8.0;  // Leptonica's ascender count (upright_confidence)
  float min_osd_confidence = 5.0f;         // Tesseract's orientation confidence
  double min_reading_margin = 0.5;         // share of the best reading the runner-up falls short by
  // Scans finer than max_ocr_dpi are read at ocr_dpi: Tesseract reads 300 dpi text as well as
  // 600, in a quarter of the time.
  int max_ocr_dpi = 400;
  int ocr_dpi = 300;
  OcrImage ocr_image = OcrImage::Grey;
};

struct PreparedPage {
  PageImage image;                 // upright, deskewed, as settings.ocr_image says: what OCR reads
  double scale = 1;                // image pixels per loaded pixel, below 1 for a scan read at ocr_dpi
  int rotation_degrees = 0;        // clockwise rotation applied
  double rotation_confidence = 0;  // on the scale of rotation_method's check (PrepareSettings)
  OrientationMethod rotation_method = OrientationMethod::None;
  double skew_degrees = 0;         // skew removed, positive when text lines rose to the right
  double skew_confidence = 0;      // on the scale of the skew method (SkewMethod)
  bool blank = false;
  Resolution resolution;           // of the page as loaded, and where it came from
  std::vector<std::string> notes;  // things a reviewer should know, e.g. an unsure orientation
  std::vector<StepTiming> timings; // analyse, skew, binarise, level, orientation, level_grey
};

// Prepares one page for OCR. A blank page is only analysed: its image is the page in grey.
PreparedPage prepare_page(const PageImage& original, OrientationDetector& orientation,
                          const PrepareSettings& settings);

// Puts the boxes and size of a page recognised in a prepared image of `scale` back into
// pixels of the page's loaded resolution, upright and deskewed.
RecognisedPage at_loaded_resolution(RecognisedPage page, double scale);

}  // namespace casenote
