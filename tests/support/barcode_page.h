// Scanned pages with barcodes on them, drawn with ZXing's writer, for barcode and separator
// sheet tests.
#pragma once

#include <leptonica/allheaders.h>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace casenote::testing {

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixFree>;

// A white 8-bit A4 page at 300 dpi.
inline PixPtr blank_page(int width = 2480, int height = 3508) {
  PixPtr page(pixCreate(width, height, 8));
  pixSetAll(page.get());
  pixSetResolution(page.get(), 300, 300);
  return page;
}

// A sample scan as an 8-bit page.
inline PixPtr read_page(const std::string& path) {
  PixPtr read(pixRead(path.c_str()));
  if (!read) throw std::runtime_error("cannot read " + path);
  PixPtr grey(pixConvertTo8(read.get(), 0));
  pixCopyResolution(grey.get(), read.get());
  return grey;
}

// Draws `text` as a `format` symbol with its top left corner at (x, y), `module` pixels per bar
// or cell, on a white quiet zone.
inline void draw_barcode(Pix* page, ZXing::BarcodeFormat format, const std::string& text, int x, int y,
                         int module = 4, int bar_height = 120) {
  bool linear = format == ZXing::BarcodeFormat::Code128;
  auto matrix = ZXing::MultiFormatWriter(format).setMargin(0).encode(text, 0, linear ? 1 : 0);
  int quiet = 10 * module;
  int rows = linear ? bar_height : matrix.height() * module;
  // Setting every bit of an 8-bit pixel makes it white.
  pixRasterop(page, x - quiet, y - quiet, matrix.width() * module + 2 * quiet, rows + 2 * quiet, PIX_SET, nullptr, 0, 0);
  for (int row = 0; row < rows; ++row)
    for (int column = 0; column < matrix.width() * module; ++column)
      if (matrix.get(column / module, linear ? 0 : row / module)) pixSetPixel(page, x + column, y + row, 0);
}

// `page` as a scanner might return it: turned `degrees` about its centre, softened by a 3x3 mean
// and speckled by up to `noise` grey levels either way (the same speckle for the same `seed`).
inline PixPtr scanned_roughly(Pix* page, float degrees, int noise, unsigned seed = 1) {
  PixPtr turned(pixRotate(page, degrees * 3.14159265f / 180, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  PixPtr soft(pixBlockconv(turned.get(), 1, 1));
  std::mt19937 speckle(seed);
  for (int y = 0; y < static_cast<int>(pixGetHeight(soft.get())); ++y)
    for (int x = 0; x < static_cast<int>(pixGetWidth(soft.get())); ++x) {
      l_uint32 grey = 0;
      pixGetPixel(soft.get(), x, y, &grey);
      int speckled = static_cast<int>(grey) + static_cast<int>(speckle() % (2 * noise + 1)) - noise;
      pixSetPixel(soft.get(), x, y, std::clamp(speckled, 0, 255));
    }
  pixCopyResolution(soft.get(), page);
  return soft;
}

// Writes `pages` as one multi-page TIFF (LZW), in order.
inline void write_tiff(const std::string& path, const std::vector<Pix*>& pages) {
  for (size_t i = 0; i < pages.size(); ++i)
    if (pixWriteTiff(path.c_str(), pages[i], IFF_TIFF_LZW, i == 0 ? "w" : "a") != 0)
      throw std::runtime_error("cannot write " + path);
}

}  // namespace casenote::testing
