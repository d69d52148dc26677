#include "pipeline/pdf_page_render.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "pipeline/pix_matrix.h"

namespace casenote {

namespace {

// An image counts as square to the page when treating it so moves no pixel by more than this.
constexpr double kAlignmentTolerancePixels = 0.5;
// Further off the page than any page allowed by InputLimits is wide, yet far from int overflow.
constexpr double kFarOffPage = 1 << 30;

// Output pixels per display point along display X and Y, and whether image x runs along Y.
struct Scale {
  double x = 0;
  double y = 0;
  bool swaps_axes = false;
};

// The pixel-exact mapping when the image's axes lie along the display's, else nullopt.
std::optional<Scale> square_scale(const Affine& t, int width, int height) {
  const double a = std::fabs(t.a), b = std::fabs(t.b), c = std::fabs(t.c), d = std::fabs(t.d);
  if (a > 0 && d > 0) {
    Scale s{1 / a, 1 / d, false};
    if (b * width * s.y < kAlignmentTolerancePixels && c * height * s.x < kAlignmentTolerancePixels) return s;
  }
  if (b > 0 && c > 0) {
    Scale s{1 / c, 1 / b, true};
    if (a * width * s.x < kAlignmentTolerancePixels && d * height * s.y < kAlignmentTolerancePixels) return s;
  }
  return std::nullopt;
}

// Rotates by a multiple of 90 degrees and mirrors, as the placement says, without resampling.
cv::Mat turn_square(const cv::Mat& pixels, const Affine& t, bool swaps_axes) {
  cv::Mat turned = pixels;
  bool flip_x = t.a < 0, flip_y = t.d < 0;
  if (swaps_axes) {
    cv::transpose(pixels, turned);
    flip_x = t.c < 0;
    flip_y = t.b < 0;
  }
  if (!flip_x && !flip_y) return turned;
  cv::Mat flipped;
  cv::flip(turned, flipped, flip_x && flip_y ? -1 : flip_x ? 1 : 0);
  return flipped;
}

}  // namespace

Result<PageImage> render_displayed_page(const DecodedPdfImage& image, const DisplayedPlacement& placement,
                                        const InputLimits& limits) {
  const Affine& t = placement.image_to_display;
  const int width = image.pixels.cols, height = image.pixels.rows;
  const double x_extent = std::hypot(t.a, t.b), y_extent = std::hypot(t.c, t.d);  // points per image pixel
  if (!t.finite() || x_extent <= 0 || y_extent <= 0 || std::fabs(t.determinant()) < 1e-12 * x_extent * y_extent)
    return Error{"image placement matrix is degenerate"};

  std::optional<Scale> square = square_scale(t, width, height);
  Scale scale = square ? *square : Scale{1 / std::min(x_extent, y_extent), 1 / std::min(x_extent, y_extent), false};
  const double out_width = std::max(1.0, std::round(placement.display_width * scale.x));
  const double out_height = std::max(1.0, std::round(placement.display_height * scale.y));
  if (out_width * out_height > static_cast<double>(limits.max_image_pixels))
    return Error{fmt::format("page would be {:.0f} x {:.0f} pixels at the image's resolution, over the limit of {:g} megapixels",
                             out_width, out_height, static_cast<double>(limits.max_image_pixels) / 1e6)};
  const cv::Size out_size(static_cast<int>(out_width), static_cast<int>(out_height));

  cv::Mat page;
  bool bilevel = image.bilevel;
  if (square) {
    cv::Mat turned = turn_square(image.pixels, t, square->swaps_axes);
    // An image placed absurdly far off the page stays off it, without overflowing an int.
    auto pixel_offset = [](double offset) {
      return static_cast<int>(std::lround(std::clamp(offset, -kFarOffPage, kFarOffPage)));
    };
    const int left = pixel_offset(std::min(t.x_of(0, 0), t.x_of(width, height)) * scale.x);
    const int top = pixel_offset(std::min(t.y_of(0, 0), t.y_of(width, height)) * scale.y);
    const cv::Rect placed(left, top, turned.cols, turned.rows);
    const cv::Rect visible = placed & cv::Rect(cv::Point(0, 0), out_size);
    if (visible == placed && visible.size() == out_size) {
      page = turned;  // the scan fills the page, as scanners write it
    } else {
      page = cv::Mat(out_size, turned.type(), cv::Scalar::all(255));
      if (!visible.empty()) turned(visible - placed.tl()).copyTo(page(visible));
    }
  } else {
    // OpenCV puts pixel centres at integer coordinates; the placement puts them at +0.5.
    const double s = scale.x;
    const double m[] = {t.a * s, t.c * s, t.e * s + (t.a + t.c) * s / 2 - 0.5,
                        t.b * s, t.d * s, t.f * s + (t.b + t.d) * s / 2 - 0.5};
    cv::warpAffine(image.pixels, page, cv::Mat(2, 3, CV_64F, const_cast<double*>(m)), out_size, cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar::all(255));
    bilevel = false;
  }

  Pix* pix = pix_of(page, bilevel);
  if (!pix) return Error{"out of memory rendering the page"};
  pixSetResolution(pix, static_cast<l_int32>(std::lround(scale.x * 72)), static_cast<l_int32>(std::lround(scale.y * 72)));
  return PageImage(pix);
}

}  // namespace casenote
