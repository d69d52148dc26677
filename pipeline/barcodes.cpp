#include "pipeline/barcodes.h"

#include <leptonica/allheaders.h>

// text() returns UTF-8 rather than UTF-16 with this set, as ZXing 2 always will.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>

#include "core/result.h"
#include "pipeline/allocation_budget.h"
#include "pipeline/prepare_text_marks.h"

namespace casenote {
namespace {

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixFree>;

Box bounding_box(const ZXing::Position& corners, int view_left, int view_top) {
  int left = corners[0].x, right = corners[0].x, upper = corners[0].y, lower = corners[0].y;
  for (const auto& point : corners) {
    left = std::min(left, point.x);
    right = std::max(right, point.x);
    upper = std::min(upper, point.y);
    lower = std::max(lower, point.y);
  }
  return {left + view_left, upper + view_top, right - left + 1, lower - upper + 1};
}

ZXing::DecodeHints hints_for(ZXing::BarcodeFormats formats, ZXing::Binarizer binarizer) {
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  hints.setBinarizer(binarizer);
  // Measured on a 300 dpi A4 page: without trying harder a Code 128 label was missed; the
  // downscaled passes found nothing more and nearly doubled the time (80 ms to 140 ms).
  hints.setTryRotate(true);
  hints.setTryHarder(true);
  hints.setTryDownscale(false);
  return hints;
}

// What ZXing may allocate reading a view. Reading the 40 pages of the throughput benchmark
// needed less than a twentieth of this (at a fiftieth, 14 of them ran out); ZXing's endless
// Data Matrix trace reaches it within a second.
std::size_t allocation_budget_for(const ZXing::ImageView& view) {
  return (std::size_t{64} << 20) + std::size_t{32} * view.width() * view.height();
}

// Reads the `formats` symbols in `view`, which starts at (left, top) on the page, adding those
// not found yet to `found`. An error names what stopped ZXing; a symbol in the view may then
// have been missed.
Status read_view(const ZXing::ImageView& view, ZXing::BarcodeFormats formats, ZXing::Binarizer binarizer, int left,
                 int top, std::vector<Barcode>& found) {
  ZXing::Results symbols;
  try {
    AllocationBudget budget(allocation_budget_for(view));
    symbols = ZXing::ReadBarcodes(view, hints_for(formats, binarizer));
  } catch (const std::bad_alloc&) {
    return Error{"the barcode reader ran out of its memory allowance"};
  } catch (const std::exception& e) {
    return Error{std::string("the barcode reader failed: ") + e.what()};
  }
  for (const auto& symbol : symbols) {
    if (!symbol.isValid()) continue;
    Barcode barcode{ZXing::ToString(symbol.format()), symbol.text(), bounding_box(symbol.position(), left, top)};
    bool seen = std::any_of(found.begin(), found.end(), [&](const Barcode& b) {
      return b.format == barcode.format && b.text == barcode.text;
    });
    if (!seen) found.push_back(std::move(barcode));
  }
  return ok_status();
}

// Where a QR code or Data Matrix may be on an 8-bit page: areas at least 3 mm across where, over
// any 3 mm square, about 30% or more of the paper is dark. A symbol is about half ink; text,
// even bold, stays lighter than that over 3 mm because of the white between its lines and
// letters. Pictures, stamps and scanner borders pass too, and cost one small read each.
std::vector<Box> dense_areas(Pix* grey, int dpi) {
  // Measured on 40 hospital-like pages and 900 generated labels (see docs/throughput.md): a
  // mean below 180 of 255 over the square finds symbols with cells from 0.34 mm up.
  constexpr int kDarkMean = 180;
  const int factor = std::max(1, dpi / 150);
  PixPtr reduced(factor > 1 ? pixScaleAreaMap(grey, 1.0f / factor, 1.0f / factor) : pixClone(grey));
  const double pixels_per_mm = dpi / 25.4 / factor;
  const int half_square = std::max(1, static_cast<int>(std::lround(1.5 * pixels_per_mm)));
  PixPtr mean(pixBlockconv(reduced.get(), half_square, half_square));
  if (!mean) return {};
  PixPtr dark(pixThresholdToBinary(mean.get(), kDarkMean));
  if (!dark) return {};
  BOXA* boxes = pixConnCompBB(dark.get(), 8);
  if (!boxes) return {};
  std::vector<Box> areas;
  const int smallest = static_cast<int>(3 * pixels_per_mm);
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    int x = 0, y = 0, w = 0, h = 0;
    boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
    if (w >= smallest && h >= smallest) areas.push_back({x * factor, y * factor, w * factor, h * factor});
  }
  boxaDestroy(&boxes);
  return areas;
}

}  // namespace

BarcodeReading read_barcodes(const PageImage& page) {
  BarcodeReading reading;
  if (page.empty()) return reading;
  PixPtr grey(pixConvertTo8(page.pix(), 0));
  if (!grey) return reading;
  // Resolution only sizes the dense areas; a file's tag is believed when a scan could have it,
  // else the page is taken for A4 (never coarser than 300 dpi, so a small receipt is not
  // taken for a coarse page and its areas for too small).
  const int dpi = plausible_file_dpi(page.dpi()) ? page.dpi() : std::max(300, dpi_from_page_size(page));
  const std::vector<Box> areas = dense_areas(grey.get(), dpi);
  // Leptonica keeps 8-bit pixels in 32-bit words; swapping makes each row plain bytes in order.
  if (pixEndianByteSwap(grey.get()) != 0) return reading;
  const ZXing::ImageView view(reinterpret_cast<const uint8_t*>(pixGetData(grey.get())), pixGetWidth(grey.get()),
                              pixGetHeight(grey.get()), ZXing::ImageFormat::Lum, pixGetWpl(grey.get()) * 4);
  auto note = [&](const Status& read) {
    if (!read && reading.problem.empty()) reading.problem = read.error().message;
  };
  // Linear symbols are read across the whole page: separator sheets carry a Code 128.
  note(read_view(view, ZXing::BarcodeFormat::Code128, ZXing::Binarizer::LocalAverage, 0, 0, reading.barcodes));
  // ZXing 1.4 looks for a Data Matrix symbol only along lines through the middle of what it
  // is given, and its Data Matrix detector can trace noise on blank paper without end (see
  // pipeline/allocation_budget.h), so the 2D symbols are read in each dense area alone, with a
  // margin of paper around it (a quarter of its size, at least 3 mm) for the symbol's quiet
  // zone and for the parts of it lighter than the mean. An area is small and mostly symbol and
  // paper, so one threshold for all of it (ZXing's GlobalHistogram) serves: on 900 generated
  // labels it found 897 where the local thresholds ZXing uses by default found 889, missing
  // symbols whose area's blocks happened to fall badly.
  const int least_margin = dpi * 3 / 25;
  for (const Box& area : areas) {
    const int margin = std::max(least_margin, std::max(area.w, area.h) / 4);
    const int left = std::max(0, area.x - margin), top = std::max(0, area.y - margin);
    const int right = std::min(view.width(), area.right() + margin);
    const int bottom = std::min(view.height(), area.bottom() + margin);
    note(read_view(view.cropped(left, top, right - left, bottom - top),
                   ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix, ZXing::Binarizer::GlobalHistogram,
                   left, top, reading.barcodes));
  }
  return reading;
}

}  // namespace casenote
