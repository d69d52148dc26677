// Where a prepared page's pixels came from: the map from the upright, deskewed page that OCR
// reads (and word boxes are in) back to the page as it was loaded.
#pragma once

#include "core/affine.h"

namespace casenote {

// How preparation turned a loaded page into the one OCR read.
struct PreparationGeometry {
  int loaded_width = 0;       // the page as loaded, in pixels
  int loaded_height = 0;
  int rotation_degrees = 0;   // clockwise quarter turns applied first (0, 90, 180, 270)
  double skew_degrees = 0;    // then this rotation, clockwise for positive, about the page centre
  int prepared_width = 0;     // the result, whose canvas may have grown to keep the corners
  int prepared_height = 0;
};

// Maps prepared-page pixel coordinates (x right, y down) to loaded-page pixel coordinates.
// Preparation turns the page by whole quarter turns, then rotates it about its centre and
// centres it on the (possibly larger) canvas; this undoes both.
Affine prepared_to_loaded(const PreparationGeometry& geometry);

}  // namespace casenote
