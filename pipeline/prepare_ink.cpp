#include "pipeline/prepare_ink.h"

#include <leptonica/allheaders.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace casenote {
namespace {

// The level flattened paper comes out at; Leptonica's background maps want it below 240.
constexpr int kPaperLevel = 200;
// Paper is looked for within this distance of each pixel: wider than any text stroke (a
// 72-point heading's is about 0.1 inch), narrower than the shading across a page.
constexpr double kPaperSearchInches = 0.2;

// Raises every map value below `floor` to it.
void raise_to_floor(Pix* map, int floor) {
  const int w = pixGetWidth(map), h = pixGetHeight(map), wpl = pixGetWpl(map);
  l_uint32* data = pixGetData(map);
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + y * wpl;
    for (int x = 0; x < w; ++x)
      if (static_cast<int>(GET_DATA_BYTE(line, x)) < floor) SET_DATA_BYTE(line, x, floor);
  }
}

// The grey level below which a pixel of the flattened page is ink: kInkContrast below the paper,
// or lower on grainy paper, far enough below the paper's own spread (four standard deviations,
// read off the width of the histogram's paper peak) that grain does not pass for ink.
int ink_threshold(const PageImage& flat) {
  const int contrast_threshold = static_cast<int>(std::lround(kPaperLevel * (1.0 - kInkContrast)));
  Numa* histogram = pixGetGrayHistogram(flat.pix(), 4);
  if (!histogram) return contrast_threshold;
  auto count = [&](int level) {
    l_float32 value = 0;
    numaGetFValue(histogram, level, &value);
    return value;
  };
  int paper = kPaperLevel;
  for (int level = contrast_threshold; level < 256; ++level)
    if (count(level) > count(paper)) paper = level;
  // A normal distribution falls to e^-2 of its peak two standard deviations out.
  const float tail = count(paper) * 0.135f;
  int two_sigma_below = paper;
  while (two_sigma_below > 0 && count(two_sigma_below) > tail) --two_sigma_below;
  numaDestroy(&histogram);
  const int grain_threshold = paper - 2 * (paper - two_sigma_below);
  return std::max(kPaperLevel / 2, std::min(contrast_threshold, grain_threshold));
}

}  // namespace

PageImage grey_of(const PageImage& page) {
  if (pixGetDepth(page.pix()) == 8 && !pixGetColormap(page.pix())) return PageImage(pixClone(page.pix()));
  Pix* grey = pixConvertTo8(page.pix(), 0);
  pixCopyResolution(grey, page.pix());
  return PageImage(grey);
}

Pix* apply_inverse_map(Pix* grey, Pix* inverse, int tile) {
  if (!grey || pixGetDepth(grey) != 8 || pixGetColormap(grey) || !inverse || pixGetDepth(inverse) != 16 || tile < 1)
    return nullptr;
  Pix* applied = pixCreateTemplate(grey);
  if (!applied) return nullptr;
  const int w = pixGetWidth(grey), h = pixGetHeight(grey), wpl = pixGetWpl(grey);
  const int map_w = pixGetWidth(inverse), map_h = pixGetHeight(inverse);
  const int covered_w = std::min(w, map_w * tile), covered_h = std::min(h, map_h * tile);
  // Leptonica keeps a row's bytes in 32-bit words in host order: on a little-endian host pixel
  // x is byte x ^ 3 of the row. The multipliers are laid out the same way, so a row is one
  // pass over its bytes; bytes no tile covers (and the row's padding) get 0.
  const int swap = std::endian::native == std::endian::little ? 3 : 0;
  std::vector<uint16_t> multipliers(static_cast<size_t>(wpl) * 4, 0);
  for (int y = 0; y < covered_h; ++y) {
    if (y % tile == 0) {
      const l_uint32* map_row = pixGetData(inverse) + static_cast<size_t>(y / tile) * pixGetWpl(inverse);
      for (int x = 0; x < covered_w; ++x)
        multipliers[x ^ swap] = static_cast<uint16_t>(GET_DATA_TWO_BYTES(map_row, x / tile));
    }
    const auto* in = reinterpret_cast<const uint8_t*>(pixGetData(grey) + static_cast<size_t>(y) * wpl);
    auto* out = reinterpret_cast<uint8_t*>(pixGetData(applied) + static_cast<size_t>(y) * pixGetWpl(applied));
    size_t b = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time: a byte placed in the top half of a 16-bit lane is the byte times
    // 256, so the high half of its product with the multiplier is byte × multiplier / 256, which
    // is then held at 255 (a − (a ⊖ 255), saturating) before packing back to bytes.
    const __m128i zero = _mm_setzero_si128(), ceiling = _mm_set1_epi16(255);
    for (; b + 16 <= multipliers.size(); b += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + b));
      const auto* factors = reinterpret_cast<const __m128i*>(multipliers.data() + b);
      __m128i low = _mm_mulhi_epu16(_mm_unpacklo_epi8(zero, bytes), _mm_loadu_si128(factors));
      __m128i high = _mm_mulhi_epu16(_mm_unpackhi_epi8(zero, bytes), _mm_loadu_si128(factors + 1));
      low = _mm_sub_epi16(low, _mm_subs_epu16(low, ceiling));
      high = _mm_sub_epi16(high, _mm_subs_epu16(high, ceiling));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + b), _mm_packus_epi16(low, high));
    }
#endif
    for (; b < multipliers.size(); ++b)
      out[b] = static_cast<uint8_t>(std::min<uint32_t>(255, uint32_t{in[b]} * multipliers[b] / 256));
  }
  return applied;
}

Pix* threshold_ink(Pix* grey, int threshold) {
  if (!grey || pixGetDepth(grey) != 8 || pixGetColormap(grey)) return nullptr;
  Pix* ink = pixCreate(pixGetWidth(grey), pixGetHeight(grey), 1);
  if (!ink) return nullptr;
  pixCopyResolution(ink, grey);
  pixCopyInputFormat(ink, grey);
  const int w = pixGetWidth(grey), h = pixGetHeight(grey);
  const int below = std::clamp(threshold, 0, 256);
  for (int y = 0; y < h; ++y) {
    const l_uint32* row = pixGetData(grey) + static_cast<size_t>(y) * pixGetWpl(grey);
    l_uint32* bits = pixGetData(ink) + static_cast<size_t>(y) * pixGetWpl(ink);
    int x = 0;
#if defined(__SSE2__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // 32 pixels are 32 bytes of the row, four to a word with the leftmost pixel in the word's top
    // byte. A byte is dark when the threshold minus it, saturated at 0, is not 0; the byte masks
    // give each group of four pixels as a nibble already in pixel order, and the nibbles in
    // reverse order: swapping the bytes and then the nibbles in each byte puts them in place.
    if (below > 0 && below < 256) {
      const __m128i limit = _mm_set1_epi8(static_cast<char>(below));
      const __m128i zero = _mm_setzero_si128();
      for (; x + 32 <= w; x += 32) {
        const auto* block = reinterpret_cast<const __m128i*>(row + x / 4);
        const int light_low = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(limit, _mm_loadu_si128(block)), zero));
        const int light_high = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(limit, _mm_loadu_si128(block + 1)), zero));
        const uint32_t dark = ~(static_cast<uint32_t>(light_low) | static_cast<uint32_t>(light_high) << 16);
        const uint32_t swapped = __builtin_bswap32(dark);
        bits[x / 32] = ((swapped & 0x0f0f0f0fu) << 4) | ((swapped >> 4) & 0x0f0f0f0fu);
      }
    }
#endif
    for (; x < w; ++x)
      if (static_cast<int>(GET_DATA_BYTE(row, x)) < below) SET_DATA_BIT(bits, x);
  }
  return ink;
}

PageImage flatten_background(const PageImage& grey, int dpi) {
  // The paper map: the mean of each tile, then the brightest tile nearby, so a tile covered by
  // a character takes the paper beside it. Means, not single pixels: grain and JPEG noise in
  // textured paper would push the lightest pixel of a tile well above the paper's level.
  const int tile = std::max(4, dpi / 40);
  const int reach = std::max(1, static_cast<int>(std::lround(kPaperSearchInches * dpi / tile)));
  const float shrink = 1.0f / static_cast<float>(tile);
  Pix* means = pixScaleAreaMap(grey.pix(), shrink, shrink);
  // The map covers whole tiles; one more row and column, copied from the last, cover the rest.
  Pix* covered = pixAddContinuedBorder(means, 0, 1, 0, 1);
  Pix* paper = pixDilateGray(covered, 2 * reach + 1, 2 * reach + 1);
  pixDestroy(&means);
  pixDestroy(&covered);
  if (!paper) return grey.clone();

  // A dark area wider than the search (a scanner border, a black bar) would otherwise pass for
  // paper and turn white, and white text on it would vanish. Real paper under uneven light is
  // never below half the page's brightest paper, so the map is held at that.
  l_uint32 brightest = 0;
  pixGetRankValue(paper, 1, 0.9f, &brightest);
  raise_to_floor(paper, std::max(1, static_cast<int>(brightest) / 2));

  Pix* inverse = pixGetInvBackgroundMap(paper, kPaperLevel, 1, 1);
  pixDestroy(&paper);
  Pix* flat = inverse ? apply_inverse_map(grey.pix(), inverse, tile) : nullptr;
  pixDestroy(&inverse);
  if (!flat) return grey.clone();
  pixCopyResolution(flat, grey.pix());
  return PageImage(flat);
}

PageImage binarise(const PageImage& page, int dpi, PageImage* specks, PageImage* paper_white) {
  Pix* binary = nullptr;
  if (pixGetDepth(page.pix()) == 1) {
    binary = pixClone(page.pix());
  } else {
    PageImage flat = flatten_background(grey_of(page), dpi);
    binary = threshold_ink(flat.pix(), ink_threshold(flat));
    if (paper_white) {
      pixGammaTRC(flat.pix(), flat.pix(), 1.0f, 0, kPaperLevel);
      *paper_white = std::move(flat);
    }
  }
  // Dropping specks halved the character error rate on the samples, whose dust is blurred dots.
  const int speck = std::max(1, static_cast<int>(kSpeckInches * dpi));
  Pix* clean = pixSelectBySize(binary, speck, speck, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GT, nullptr);
  if (specks) {
    *specks = PageImage(pixSubtract(nullptr, binary, clean));
    pixCopyResolution(specks->pix(), page.pix());
  }
  pixDestroy(&binary);
  pixCopyResolution(clean, page.pix());
  return PageImage(clean);
}

}  // namespace casenote
