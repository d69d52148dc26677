// Which way up a page is: the direction of its text lines, then which end of them is up.
#pragma once

#include "ocr/page_image.h"
#include "pipeline/prepare_skew.h"

namespace casenote {

// How a page's orientation was decided, from cheapest to dearest.
enum class OrientationMethod {
  None,               // nothing was sure; the page was left as its lines suggest, with a note
  TextShape,          // Leptonica's count of ascenders against descenders
  TesseractOsd,       // Tesseract's orientation detection
  ReadingComparison,  // reading the page each way round and keeping the way that read best
};

// The export's name for a method: none, text_shape, tesseract_osd, reading_comparison.
const char* orientation_method_name(OrientationMethod method);

// Which way a page's text lines run, found by measuring skew both as the page stands and
// turned a quarter clockwise: lines run the way whose rows line up more sharply.
struct LineDirection {
  int quarter_turns = 0;      // 0: lines run across the page as it stands; 1: turn it a quarter clockwise
  double ratio = 1;           // how much sharper the winning way lines up; about 1 when it is unclear
  SkewEstimate as_it_stands;  // the skews measured both ways
  SkewEstimate turned;
};
LineDirection find_line_direction(const PageImage& binary, int dpi, double max_skew_degrees);

// Whether a binary page (1 bpp, ink set, text lines across, 150 dpi or more) reads right way
// up, from the shapes of its letters: Latin text has more ascenders than descenders. Positive
// when it stands upright, negative when it is upside down; the size is Leptonica's confidence,
// about 8 or more when sure, 0 when there is too little text. A page of 250 dpi or more is
// measured at half resolution first, in a fifth of the time, and again at full resolution
// only when that first measure is below `sure_at`.
double upright_confidence(const PageImage& binary, double sure_at);

}  // namespace casenote
