// Finding the images a PDF page paints, and where it paints them.
#pragma once

#include <vector>

#include "core/affine.h"
#include "core/result.h"

namespace PoDoFo {
class PdfObject;
class PdfPage;
class PdfVecObjects;
}  // namespace PoDoFo

namespace casenote {

// One image XObject painted by a page.
struct PlacedImage {
  const PoDoFo::PdfObject* image = nullptr;
  // Maps the image's unit square to the page's default user space: the current
  // transformation matrix at the `Do` that painted it, Form XObject matrices included.
  Affine unit_to_user;
};

// Follows the page's content streams (q/Q/cm, and `Do` into Form XObjects) and lists every
// image they paint, in painting order. Text, paths and other operators are ignored. Fails for
// inline images, malformed matrices, names missing from the resources, and Form XObjects
// nested implausibly deep.
Result<std::vector<PlacedImage>> find_placed_images(const PoDoFo::PdfPage& page, const PoDoFo::PdfVecObjects& objects);

}  // namespace casenote
