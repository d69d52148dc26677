#include "ocr/brick_opening.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace casenote {
namespace {

// A 1 bpp image's rows: `wpl` 32-bit words each, the leftmost pixel in a word's top bit.
struct BitRows {
  uint32_t* data;
  int height, wpl;

  uint32_t* row(int y) const { return data + static_cast<size_t>(y) * wpl; }
};

// Word `i` of `row` seen `k` pixels further right, as if each pixel took the value of the one
// k to its right (k >= 0); pixels past the row's end are white.
uint32_t word_from_right(const uint32_t* row, int wpl, int i, int k) {
  const int q = i + k / 32, r = k % 32;
  const uint32_t here = q < wpl ? row[q] : 0;
  if (r == 0) return here;
  const uint32_t next = q + 1 < wpl ? row[q + 1] : 0;
  return (here << r) | (next >> (32 - r));
}

// The same, from `k` pixels to the left; pixels before the row's start are white.
uint32_t word_from_left(const uint32_t* row, int i, int k) {
  const int q = i - k / 32, r = k % 32;
  const uint32_t here = q >= 0 ? row[q] : 0;
  if (r == 0) return here;
  const uint32_t previous = q - 1 >= 0 ? row[q - 1] : 0;
  return (here >> r) | (previous << (32 - r));
}

// The shifts that grow a run of one pixel to `length` pixels: doubling by 1, 2, 4 ... up to
// the largest power of two not above `length`, then one shift by the rest (two runs of that
// power, the rest apart, span `length`).
std::vector<int> passes(int length) {
  std::vector<int> shifts;
  int reach = 1;
  for (; 2 * reach <= length; reach *= 2) shifts.push_back(reach);
  if (length > reach) shifts.push_back(length - reach);
  return shifts;
}

// Each pixel stays black only if the `length` pixels from it rightwards are all black.
void erode_rows(const BitRows& image, int length) {
  const std::vector<int> shifts = passes(length);
  for (int y = 0; y < image.height; ++y) {
    uint32_t* row = image.row(y);
    for (int step : shifts)
      for (int i = 0; i < image.wpl; ++i) row[i] &= word_from_right(row, image.wpl, i, step);
  }
}

// Each pixel turns black if any of the `length` pixels from it leftwards is black.
void dilate_rows(const BitRows& image, int length) {
  const std::vector<int> shifts = passes(length);
  for (int y = 0; y < image.height; ++y) {
    uint32_t* row = image.row(y);
    for (int step : shifts)
      for (int i = image.wpl - 1; i >= 0; --i) row[i] |= word_from_left(row, i, step);
  }
}

// Each pixel stays black only if the `length` pixels from it downwards are all black.
void erode_columns(const BitRows& image, int length) {
  for (int step : passes(length))
    for (int y = 0; y < image.height; ++y) {
      uint32_t* row = image.row(y);
      if (y + step >= image.height) {
        std::fill(row, row + image.wpl, 0u);
        continue;
      }
      const uint32_t* below = image.row(y + step);
      for (int i = 0; i < image.wpl; ++i) row[i] &= below[i];
    }
}

// Each pixel turns black if any of the `length` pixels from it upwards is black.
void dilate_columns(const BitRows& image, int length) {
  for (int step : passes(length))
    for (int y = image.height - 1; y >= step; --y) {
      uint32_t* row = image.row(y);
      const uint32_t* above = image.row(y - step);
      for (int i = 0; i < image.wpl; ++i) row[i] |= above[i];
    }
}

}  // namespace

Pix* open_by_brick(Pix* source, int width, int height) {
  if (!source || pixGetDepth(source) != 1 || width < 1 || height < 1) return nullptr;
  Pix* opened = pixCopy(nullptr, source);
  if (!opened) return nullptr;
  // Bits past the image's right edge are not pixels: white, so that no run reaches past it.
  pixSetPadBits(opened, 0);
  const BitRows image{pixGetData(opened), pixGetHeight(opened), pixGetWpl(opened)};
  if (width > 1) erode_rows(image, width);
  if (height > 1) erode_columns(image, height);
  if (width > 1) dilate_rows(image, width);
  if (height > 1) dilate_columns(image, height);
  pixSetPadBits(opened, 0);
  return opened;
}

}  // namespace casenote
