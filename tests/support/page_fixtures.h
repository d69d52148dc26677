// Generated scanned pages with known geometry, for page preparation tests and its benchmark:
// text set in Leptonica's bitmap font, sample pages turned and rotated by known angles, blank
// paper, scanner borders, punched holes and smudges.
#pragma once

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ocr/page_image.h"

namespace casenote::testing {

// Lines of a synthetic clinic letter; no real person is named.
inline const std::vector<std::string>& letter_lines() {
  static const std::vector<std::string> lines = {
      "Northgate General Hospital NHS Trust, Department of Cardiology",
      "Dear Dr Hughes, I saw your patient in the clinic on 24 February.",
      "He was referred with intermittent palpitations and dizziness.",
      "On examination his pulse was irregular and his blood pressure",
      "was 148 over 86. Heart sounds were normal and his chest clear.",
      "A Holter monitor showed paroxysms of atrial fibrillation lasting",
      "up to forty minutes, with a ventricular rate of up to 132 per",
      "minute. His echocardiogram showed a structurally normal heart.",
      "Given his stroke risk I have started apixaban twice daily and",
      "would be grateful if you could check his renal function and full",
      "blood count in four weeks. We will review him in three months.",
      "Should his symptoms worsen, he can contact the arrhythmia nurses.",
  };
  return lines;
}

// An 8 bpp page of white paper, `width` by `height` pixels at `dpi`, with faint paper grain.
inline PageImage paper(int width, int height, int dpi, unsigned seed = 1) {
  Pix* pix = pixCreate(width, height, 8);
  pixSetAllArbitrary(pix, 245);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> grain(-6, 6);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2) pixSetPixel(pix, x, y, static_cast<l_uint32>(245 + grain(random)));
  pixSetResolution(pix, dpi, dpi);
  return PageImage(pix);
}

// Writes `lines` lines of the letter (repeating it as needed) onto `page` in grey `ink`
// (0 black .. 255 white), from `top` down, in Leptonica's `point_size` bitmap font.
inline void write_lines(PageImage& page, int lines, l_uint32 ink, int top, int point_size = 10) {
  L_BMF* font = bmfCreate(nullptr, point_size);
  l_int32 height = 0;
  bmfGetBaseline(font, 'H', &height);
  const int spacing = 2 * height + 8;
  for (int i = 0; i < lines; ++i) {
    const std::string& line = letter_lines()[static_cast<size_t>(i) % letter_lines().size()];
    l_int32 width = 0, overflow = 0;
    pixSetTextline(page.pix(), font, line.c_str(), ink, page.width() / 12, top + i * spacing, &width, &overflow);
  }
  bmfDestroy(&font);
}

// A letter-like page (A5 at 300 dpi) with `lines` lines of black text.
inline PageImage text_page(int lines, int dpi = 300) {
  PageImage page = paper(1748, 2480, dpi);
  write_lines(page, lines, 20, 300);
  return page;
}

// The page turned `quarter_turns` clockwise.
inline PageImage turned_page(const PageImage& page, int quarter_turns) {
  Pix* turned = pixRotateOrth(page.pix(), ((quarter_turns % 4) + 4) % 4);
  pixCopyResolution(turned, page.pix());
  return PageImage(turned);
}

// The page rotated clockwise by `degrees` about its centre, area-mapped as a scanner's optics
// would blur it, on a canvas grown to keep its corners; the canvas edge is paper.
inline PageImage rotated_page(const PageImage& page, double degrees) {
  Pix* grey = pixConvertTo8(page.pix(), 0);
  Pix* rotated = pixRotate(grey, static_cast<float>(degrees * 3.14159265358979323846 / 180.0), L_ROTATE_AREA_MAP,
                           L_BRING_IN_WHITE, page.width(), page.height());
  pixDestroy(&grey);
  pixCopyResolution(rotated, page.pix());
  return PageImage(rotated);
}

// An instruction sheet (A5 at 300 dpi): twelve dark pictograms scattered over a rough grid,
// each with a two-line caption of 12 point text. Its few short lines line up far less sharply
// than a letter's, so its skew measures only weakly.
inline PageImage pictogram_sheet() {
  PageImage page = paper(1748, 2480, 300);
  L_BMF* font = bmfCreate(nullptr, 12);
  static const char* captions[] = {"Pirate cap", "Round cap", "Hair band", "Fillet", "Headband", "Eared cap",
                                   "Desert cap", "Cuff", "Respirator", "Scarf", "Turn over", "Finish"};
  std::mt19937 random(7);
  auto jitter = [&random](int most) { return static_cast<int>(random() % (2 * most + 1)) - most; };
  const int radius = 60;
  for (int row = 0, caption = 0; row < 4; ++row)
    for (int column = 0; column < 3; ++column) {
      const int cx = 1748 * (2 * column + 1) / 6 + jitter(80), cy = 300 + row * 500 + jitter(100);
      for (int y = cy - radius; y <= cy + radius; ++y)
        for (int x = cx - radius; x <= cx + radius; ++x)
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) pixSetPixel(page.pix(), x, y, 40);
      for (int line = 0; line < 2; ++line) {
        l_int32 width = 0, overflow = 0;
        pixSetTextline(page.pix(), font, captions[caption++ % 12], 20, cx - radius, cy + radius + 60 + 36 * line,
                       &width, &overflow);
      }
    }
  bmfDestroy(&font);
  return page;
}

// A dark scanner border `inches` wide along the left edge, as a scanner lid leaves it.
inline void add_left_border(PageImage& page, double inches) {
  const int width = static_cast<int>(inches * page.dpi());
  pixRasterop(page.pix(), 0, 0, width, page.height(), PIX_CLR, nullptr, 0, 0);  // every bit clear: black
}

// Two punched-hole shadows (6 mm, dark) 12 mm in from the left edge, a third of the way
// from the top and bottom.
inline void add_punched_holes(PageImage& page) {
  const double dpi = page.dpi();
  const int radius = static_cast<int>(0.12 * dpi), centre_x = static_cast<int>(0.47 * dpi);
  for (int centre_y : {page.height() / 3, 2 * page.height() / 3})
    for (int y = centre_y - radius; y <= centre_y + radius; ++y)
      for (int x = centre_x - radius; x <= centre_x + radius; ++x)
        if ((x - centre_x) * (x - centre_x) + (y - centre_y) * (y - centre_y) <= radius * radius)
          pixSetPixel(page.pix(), x, y, 30);
}

// A grey smudge about an inch across near the middle of the page, like a thumb print.
inline void add_smudge(PageImage& page) {
  const int cx = page.width() / 2, cy = page.height() / 2, r = page.dpi() / 2;
  for (int y = cy - r; y <= cy + r; ++y)
    for (int x = cx - r; x <= cx + r; ++x) {
      const double d = std::hypot(x - cx, (y - cy) * 1.5) / r;
      if (d < 1) pixSetPixel(page.pix(), x, y, static_cast<l_uint32>(150 + 90 * d));
    }
}

}  // namespace casenote::testing
