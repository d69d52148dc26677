#include "pipeline/barcodes.h"

#include <leptonica/allheaders.h>

// text() returns UTF-8 rather than UTF-16 with this set, as ZXing 2 always will.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <memory>

namespace casenote {
namespace {

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};

// The box of `corners`, found in a view of the page `scale` times smaller and `top` pixels down.
Box bounding_box(const ZXing::Position& corners, int scale = 1, int top = 0) {
  int left = corners[0].x, right = corners[0].x, upper = corners[0].y, lower = corners[0].y;
  for (const auto& point : corners) {
    left = std::min(left, point.x);
    right = std::max(right, point.x);
    upper = std::min(upper, point.y);
    lower = std::max(lower, point.y);
  }
  return {left * scale, upper * scale + top, (right - left + 1) * scale, (lower - upper + 1) * scale};
}

ZXing::DecodeHints hints_for(ZXing::BarcodeFormats formats) {
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  // Measured on a 300 dpi A4 page: without trying harder a Code 128 label was missed; the
  // downscaled passes found nothing more and nearly doubled the time (80 ms to 140 ms).
  hints.setTryRotate(true);
  hints.setTryHarder(true);
  hints.setTryDownscale(false);
  return hints;
}

void add_valid(const ZXing::Results& symbols, int scale, int top, std::vector<Barcode>& found) {
  for (const auto& symbol : symbols) {
    if (!symbol.isValid()) continue;
    Barcode barcode{ZXing::ToString(symbol.format()), symbol.text(), bounding_box(symbol.position(), scale, top)};
    bool seen = std::any_of(found.begin(), found.end(), [&](const Barcode& b) {
      return b.format == barcode.format && b.text == barcode.text;
    });
    if (!seen) found.push_back(std::move(barcode));
  }
}

// ZXing 1.4 looks for a Data Matrix symbol only along lines through the image's centre, so one
// on a label near a page's edge is missed. Reading strips 2 cm tall, each 0.5 cm below the last,
// finds any symbol at least 1 cm tall wherever it is (45 of 45 positions on an A4 page, against
// 5 of 45 without). At 300 dpi and more the strips are read at half size, which keeps labels'
// modules (0.5 mm and up) at 3 pixels or more. CPU per page, measured: a 300 dpi letter 110 ms
// for the whole-page pass and 40 ms more for the strips; a 200 dpi letter 39 + 64 ms.
void read_data_matrix_in_strips(const ZXing::ImageView& page, int dpi, std::vector<Barcode>& found) {
  int pixels_per_cm = (dpi > 0 ? dpi : 300) * 100 / 254;
  int scale = dpi >= 300 ? 2 : 1;
  auto hints = hints_for(ZXing::BarcodeFormat::DataMatrix);
  for (int top = 0; top < page.height(); top += pixels_per_cm / 2) {
    ZXing::ImageView strip = page.cropped(0, top, 0, 2 * pixels_per_cm);
    add_valid(ZXing::ReadBarcodes(scale > 1 ? strip.subsampled(scale) : strip, hints), scale, top, found);
  }
}

}  // namespace

std::vector<Barcode> read_barcodes(const PageImage& page) {
  if (page.empty()) return {};
  // Leptonica keeps 8-bit pixels in 32-bit words; swapping makes each row plain bytes in order.
  std::unique_ptr<Pix, PixFree> grey(pixConvertTo8(page.pix(), 0));
  if (!grey || pixEndianByteSwap(grey.get()) != 0) return {};
  ZXing::ImageView view(reinterpret_cast<const uint8_t*>(pixGetData(grey.get())), pixGetWidth(grey.get()),
                        pixGetHeight(grey.get()), ZXing::ImageFormat::Lum, pixGetWpl(grey.get()) * 4);
  std::vector<Barcode> found;
  add_valid(ZXing::ReadBarcodes(view, hints_for(ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::QRCode |
                                                ZXing::BarcodeFormat::DataMatrix)),
            1, 0, found);
  read_data_matrix_in_strips(view, page.dpi(), found);
  return found;
}

}  // namespace casenote
