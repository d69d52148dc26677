#include "pipeline/prepare_skew.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "pipeline/pix_matrix.h"

namespace casenote {
namespace {

constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
constexpr double kMinRotationRadians = 0.001;
// Leptonica's own threshold for a usable projection-profile measurement.
constexpr double kMinProfileConfidence = 3.0;
// Below that, a profile this sharp may still have the right angle (a sheet of pictograms with
// short captions peaks at 2.9), but so may a wrong one: preparation checks it by reading.
constexpr double kCheckableProfileConfidence = 2.0;
constexpr double kSweepMarginDegrees = 2.0;
// Line fitting: blobs at least this long and this much longer than tall are text lines.
constexpr double kMinLineInches = 0.5, kMinLineElongation = 5.0;
constexpr int kMinFittedLines = 5;
constexpr double kAgreementDegrees = 0.2;

SkewEstimate by_projection_profile(const PageImage& binary, double max_degrees) {
  // Sweep at half the resolution in 1-degree steps, then bisect at full resolution to 0.01
  // degrees: at 150 dpi this is the measurement Leptonica itself recommends for deskewing.
  // Leptonica refuses a best angle at the very end of the sweep, so the sweep reaches a little
  // past the largest skew wanted.
  float angle = 0, confidence = 0, score = 0;
  int failed = pixFindSkewSweepAndSearchScore(binary.pix(), &angle, &confidence, &score, 2, 1, 0.0f,
                                              static_cast<float>(max_degrees + kSweepMarginDegrees), 1.0f, 0.01f);
  SkewEstimate estimate;
  if (failed) return estimate;
  estimate.confidence = confidence;
  estimate.alignment = score;
  const bool in_range = std::abs(angle) <= max_degrees + kSweepMarginDegrees;
  estimate.found = confidence >= kMinProfileConfidence && in_range;
  estimate.worth_checking = !estimate.found && confidence >= kCheckableProfileConfidence && in_range;
  if (estimate.found) estimate.degrees = angle;
  if (estimate.worth_checking) estimate.best_degrees = angle;
  return estimate;
}

// The page as an OpenCV matrix, ink 255 and paper 0.
cv::Mat ink_matrix(const PageImage& binary) {
  Pix* bytes = pixConvert1To8(nullptr, binary.pix(), 0, 255);
  pixEndianByteSwap(bytes);
  cv::Mat copy = byte_matrix(bytes).clone();
  pixDestroy(&bytes);
  return copy;
}

SkewEstimate by_line_fit(const PageImage& binary, int dpi, double max_degrees) {
  cv::Mat ink = ink_matrix(binary);
  // Join the characters of a line, not the lines: gaps between words are under 0.1 inch,
  // gaps between lines are wider than the rise of a 0.1 inch run at 15 degrees.
  const int join = std::max(3, static_cast<int>(std::lround(0.1 * dpi)));
  cv::Mat lines;
  cv::morphologyEx(ink, lines, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join, 1)));
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(lines, labels, stats, centroids, 8, CV_32S);

  struct Fit {
    double degrees, weight;
  };
  std::vector<Fit> fits;
  const double min_length = kMinLineInches * dpi;
  for (int label = 1; label < count; ++label) {
    const int x = stats.at<int>(label, cv::CC_STAT_LEFT), y = stats.at<int>(label, cv::CC_STAT_TOP);
    const int w = stats.at<int>(label, cv::CC_STAT_WIDTH), h = stats.at<int>(label, cv::CC_STAT_HEIGHT);
    if (w < min_length || w < kMinLineElongation * h) continue;
    std::vector<cv::Point> points;
    cv::findNonZero(labels(cv::Rect(x, y, w, h)) == label, points);
    if (points.size() < 2) continue;
    cv::Vec4f line;
    cv::fitLine(points, line, cv::DIST_L2, 0, 0.01, 0.01);
    // Image rows grow downwards, so a line rising to the right has a negative slope here.
    double degrees = -std::atan2(line[1], line[0]) / kRadiansPerDegree;
    if (degrees > 90) degrees -= 180;
    if (degrees < -90) degrees += 180;
    if (std::abs(degrees) <= max_degrees + kSweepMarginDegrees) fits.push_back({degrees, static_cast<double>(w)});
  }
  SkewEstimate estimate;
  if (static_cast<int>(fits.size()) < kMinFittedLines) return estimate;

  std::sort(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) { return a.degrees < b.degrees; });
  double total = 0;
  for (const Fit& fit : fits) total += fit.weight;
  double running = 0, median = fits.back().degrees;
  for (const Fit& fit : fits) {
    running += fit.weight;
    if (running >= total / 2) {
      median = fit.degrees;
      break;
    }
  }
  double agreeing = 0;
  for (const Fit& fit : fits)
    if (std::abs(fit.degrees - median) <= kAgreementDegrees) agreeing += fit.weight;
  estimate.degrees = median;
  estimate.confidence = agreeing / total;
  estimate.found = true;
  return estimate;
}

// `grey` (8 bpp) turned `degrees` clockwise about its centre by bilinear interpolation, paper
// brought in at the corners. The same interpolation as Leptonica's area-map rotation (their
// results differ by a tenth of a grey level on average) in half the time on an A4 page.
Pix* rotate_grey(Pix* grey, double degrees) {
  Pix* rotated = pixCreateTemplate(grey);
  if (!rotated) return nullptr;
  pixEndianByteSwap(grey);
  const cv::Mat source = byte_matrix(grey);
  cv::Mat target = byte_matrix(rotated);
  // OpenCV turns anticlockwise for a positive angle.
  const cv::Point2f centre((source.cols - 1) / 2.0f, (source.rows - 1) / 2.0f);
  cv::warpAffine(source, target, cv::getRotationMatrix2D(centre, -degrees, 1.0), target.size(), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(255));
  pixEndianByteSwap(grey);
  pixEndianByteSwap(rotated);
  return rotated;
}

// The canvas Leptonica's pixEmbedForRotation grows a `width` x `height` page onto for a turn of
// `radians`, in its arithmetic, so that a page turned and levelled in one step lands where it
// would have landed in two.
cv::Size rotation_canvas(int width, int height, float radians) {
  const double cosa = std::cos(static_cast<double>(radians)), sina = std::sin(static_cast<double>(radians));
  const double fw = width, fh = height;
  const int w1 = static_cast<int>(std::abs(fw * cosa - fh * sina) + 0.5);
  const int w2 = static_cast<int>(std::abs(-fw * cosa - fh * sina) + 0.5);
  const int h1 = static_cast<int>(std::abs(fw * sina + fh * cosa) + 0.5);
  const int h2 = static_cast<int>(std::abs(-fw * sina + fh * cosa) + 0.5);
  return {std::max({width, w1, w2}), std::max({height, h1, h2})};
}

}  // namespace

SkewEstimate measure_skew(const PageImage& binary, int dpi, double max_degrees, SkewMethod method) {
  if (binary.empty()) return {};
  return method == SkewMethod::LineFit ? by_line_fit(binary, dpi, max_degrees)
                                       : by_projection_profile(binary, max_degrees);
}

PageImage level(const PageImage& page, double degrees) {
  // Leptonica leaves a page alone when turning it by less than a thousandth of a radian
  // (0.057 degrees), and so does this: resampling a page to move its far corner by a pixel or
  // two only blurs its strokes (two Stanford letters read worse when it did).
  const float radians = static_cast<float>(degrees * kRadiansPerDegree);
  if (std::abs(radians) < kMinRotationRadians) return PageImage(pixClone(page.pix()));
  // Rotation by three shears moves whole rows and columns of a bilevel image, so strokes keep
  // their shape and no grey edges need thresholding again; it is also ten times quicker than
  // rotating by sampling, which Leptonica's pixRotate would pick beyond 3 degrees. A grey page
  // is rotated by interpolation instead, which keeps its strokes' edges smooth for Tesseract's
  // own thresholding. Embedding first grows the canvas so that no corner is cut off.
  Pix* embedded = pixEmbedForRotation(page.pix(), radians, L_BRING_IN_WHITE, page.width(), page.height());
  Pix* rotated = nullptr;
  if (embedded && pixGetDepth(embedded) == 1)
    rotated = pixRotateShearCenter(embedded, radians, L_BRING_IN_WHITE);
  else if (embedded && pixGetDepth(embedded) == 8 && !pixGetColormap(embedded))
    rotated = rotate_grey(embedded, degrees);
  else if (embedded)
    rotated = pixRotate(embedded, radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  pixDestroy(&embedded);
  if (!rotated) return PageImage(pixClone(page.pix()));
  pixCopyResolution(rotated, page.pix());
  return PageImage(rotated);
}

PageImage turned_and_levelled(const PageImage& page, int quarter_turns, double degrees) {
  const int turns = (quarter_turns % 4 + 4) % 4;
  const float radians = static_cast<float>(degrees * kRadiansPerDegree);
  Pix* grey = page.pix();
  auto in_two_steps = [&] {
    return level(turns ? PageImage(pixRotateOrth(grey, turns)) : PageImage(pixClone(grey)), degrees);
  };
  if (turns == 0 || std::abs(radians) < kMinRotationRadians || pixGetDepth(grey) != 8 || pixGetColormap(grey))
    return in_two_steps();
  // Where each pixel of the result comes from, in three steps composed into one: the canvas
  // turned back about its centre (the inverse of rotate_grey's turn), the canvas's margins
  // taken off, and the quarter turn undone.
  const int width = page.width(), height = page.height();
  const int turned_width = turns % 2 ? height : width, turned_height = turns % 2 ? width : height;
  const cv::Size canvas = rotation_canvas(turned_width, turned_height, radians);
  const cv::Point2f centre((canvas.width - 1) / 2.0f, (canvas.height - 1) / 2.0f);
  cv::Matx23d from_canvas;
  cv::invertAffineTransform(cv::getRotationMatrix2D(centre, -degrees, 1.0), from_canvas);
  from_canvas(0, 2) -= (canvas.width - turned_width) / 2;
  from_canvas(1, 2) -= (canvas.height - turned_height) / 2;
  // Turned (tx, ty) back to the page: a clockwise quarter turn took page (x, y) to
  // (height - 1 - y, x); a half turn to (width - 1 - x, height - 1 - y); three quarters to
  // (y, width - 1 - x).
  const cv::Matx23d undo_turn = turns == 1   ? cv::Matx23d(0, 1, 0, -1, 0, height - 1)
                                : turns == 2 ? cv::Matx23d(-1, 0, width - 1, 0, -1, height - 1)
                                             : cv::Matx23d(0, -1, width - 1, 1, 0, 0);
  const cv::Matx33d canvas_to_turned(from_canvas(0, 0), from_canvas(0, 1), from_canvas(0, 2), from_canvas(1, 0),
                                     from_canvas(1, 1), from_canvas(1, 2), 0, 0, 1);
  const cv::Matx23d to_page = undo_turn * canvas_to_turned;

  Pix* result = pixCreate(canvas.width, canvas.height, 8);
  if (!result) return in_two_steps();
  pixEndianByteSwap(grey);
  cv::Mat target = byte_matrix(result);
  cv::warpAffine(byte_matrix(grey), target, cv::Mat(to_page), canvas, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                 cv::BORDER_CONSTANT, cv::Scalar(255));
  pixEndianByteSwap(grey);
  pixEndianByteSwap(result);
  pixCopyResolution(result, grey);
  return PageImage(result);
}

}  // namespace casenote
