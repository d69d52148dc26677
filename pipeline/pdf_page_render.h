// Drawing a decoded PDF image onto its page as a viewer displays the page.
#pragma once

#include "core/affine.h"
#include "core/result.h"
#include "ocr/page_image.h"
#include "pipeline/pdf_image_decoder.h"

namespace casenote {

// Where an image lands on the page as displayed.
struct DisplayedPlacement {
  // Maps image pixel coordinates (x right, y down; pixel (i, j) covers [i, i+1] x [j, j+1])
  // to display points: origin at the top-left corner of the visible page, y down, the
  // page's /Rotate already applied.
  Affine image_to_display;
  // Visible page size in points, as displayed.
  double display_width = 0;
  double display_height = 0;
};

// Draws `image` on a white page of the displayed size, clipping whatever falls outside, at
// the image's own resolution: one output pixel per image pixel along each image axis. The
// result's resolution is that scale in pixels per inch. When the image sits square to the
// page (turned by a multiple of 90 degrees, perhaps mirrored) its pixels are moved, never
// resampled, and a 1-bit image stays 1 bpp; otherwise it is resampled bilinearly into grey
// or colour. Fails for a degenerate placement or a page that would exceed
// `limits.max_image_pixels` at that resolution.
Result<PageImage> render_displayed_page(const DecodedPdfImage& image, const DisplayedPlacement& placement,
                                        const InputLimits& limits);

}  // namespace casenote
