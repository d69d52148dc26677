// Scanner PDFs are written here byte by byte, so every test controls exactly which filter,
// colour space, placement matrix and page rotation the reader meets.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "pipeline/page_source.h"
#include "support/jbig2_fixture.h"
#include "support/pdf_file.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::PdfFile;
using casenote::testing::TempDir;
namespace fixture = casenote::testing;

namespace {

// One page showing one image, /Im0, painted by `content`.
struct PageSpec {
  std::string image_entries;
  std::string image_data;
  std::string content;
  std::string page_entries;
};

// Objects 1 and 2 are the catalog and page tree, then three objects per page (image,
// content, page); `extra_objects` follow, so a one-page file's first extra object is 6.
std::string scanner_pdf(const std::vector<PageSpec>& pages, const std::string& pages_entries = "",
                        const std::string& trailer_extra = "", const std::vector<std::string>& extra_objects = {}) {
  PdfFile file;
  const int catalog = file.add("<< /Type /Catalog /Pages 2 0 R >>");
  const int tree = file.add("");
  std::string kids;
  for (const PageSpec& page : pages) {
    int image = file.add_stream("/Type /XObject /Subtype /Image " + page.image_entries, page.image_data);
    int content = file.add_stream("", page.content);
    int page_object = file.add(fmt::format("<< /Type /Page /Parent {} 0 R {} /Resources << /XObject << /Im0 {} 0 R >> >> "
                                           "/Contents {} 0 R >>",
                                           tree, page.page_entries, image, content));
    kids += fmt::format("{} 0 R ", page_object);
  }
  file.replace(tree, fmt::format("<< /Type /Pages /Kids [{}] /Count {} {} >>", kids, pages.size(), pages_entries));
  for (const std::string& body : extra_objects) file.add(body);
  return file.bytes(catalog, trailer_extra);
}

std::string media_box(double width, double height) { return fmt::format("/MediaBox [0 0 {} {}]", width, height); }

// Paints /Im0 over a width x height point area with its corner at (x, y).
std::string paint_at(double width, double height, double x = 0, double y = 0) {
  return fmt::format("q {} 0 0 {} {} {} cm /Im0 Do Q", width, height, x, y);
}

// Grey 8-bit test picture: textured so that any misplaced pixel shows, with a black block in
// the top-left corner so that orientation can be read back.
cv::Mat marked_grey(int width, int height) {
  cv::Mat picture(height, width, CV_8UC1);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) picture.at<uint8_t>(y, x) = static_cast<uint8_t>(160 + (x * 7 + y * 13) % 90);
  picture(cv::Rect(width / 20, height / 20, width / 5, height / 6)).setTo(0);
  return picture;
}

// Black and white version: white page, black block top-left, a thin black line for texture.
cv::Mat marked_bilevel(int width, int height) {
  cv::Mat picture(height, width, CV_8UC1, cv::Scalar(255));
  picture(cv::Rect(width / 20, height / 20, width / 5, height / 6)).setTo(0);
  cv::line(picture, {width / 3, height / 2}, {width - 3, height - 7}, cv::Scalar(0), 2);
  return picture;
}

std::string raw_bytes(const cv::Mat& picture) {
  std::string out;
  for (int y = 0; y < picture.rows; ++y)
    out.append(reinterpret_cast<const char*>(picture.ptr(y)), picture.cols * picture.elemSize());
  return out;
}

// Rows of 1-bit samples, MSB first, 1 where the picture is white (DeviceGray's reading).
std::string packed_bits(const cv::Mat& bilevel) {
  const int row_bytes = (bilevel.cols + 7) / 8;
  std::string out(static_cast<size_t>(row_bytes * bilevel.rows), '\0');
  for (int y = 0; y < bilevel.rows; ++y)
    for (int x = 0; x < bilevel.cols; ++x)
      if (bilevel.at<uint8_t>(y, x) > 127) out[y * row_bytes + x / 8] |= static_cast<char>(0x80 >> (x % 8));
  return out;
}

std::string zlib(const std::string& data) {
  size_t size = 0;
  l_uint8* compressed = zlibCompress(reinterpret_cast<const l_uint8*>(data.data()), data.size(), &size);
  REQUIRE(compressed);
  std::string out(reinterpret_cast<char*>(compressed), size);
  lept_free(compressed);
  return out;
}

// The IDAT payload of a PNG: zlib data with PNG predictors, which is what img2pdf embeds.
std::string png_idat(const cv::Mat& picture, bool bilevel) {
  std::vector<uint8_t> png;
  std::vector<int> options;
  if (bilevel) options = {cv::IMWRITE_PNG_BILEVEL, 1};
  REQUIRE(cv::imencode(".png", picture, png, options));
  std::string idat;
  for (size_t pos = 8; pos + 8 <= png.size();) {
    size_t length = (size_t{png[pos]} << 24) | (size_t{png[pos + 1]} << 16) | (size_t{png[pos + 2]} << 8) | png[pos + 3];
    std::string type(reinterpret_cast<const char*>(&png[pos + 4]), 4);
    if (type == "IDAT") idat.append(reinterpret_cast<const char*>(&png[pos + 8]), length);
    pos += 12 + length;
  }
  return idat;
}

Pix* pix_of(const cv::Mat& bilevel) {
  Pix* pix = pixCreate(bilevel.cols, bilevel.rows, 1);
  for (int y = 0; y < bilevel.rows; ++y)
    for (int x = 0; x < bilevel.cols; ++x)
      if (bilevel.at<uint8_t>(y, x) < 128) pixSetPixel(pix, x, y, 1);
  return pix;
}

std::string g4_data(const cv::Mat& bilevel) {
  Pix* pix = pix_of(bilevel);
  L_COMP_DATA* encoded = nullptr;
  REQUIRE(pixGenerateCIData(pix, L_G4_ENCODE, 0, 0, &encoded) == 0);
  std::string out(reinterpret_cast<char*>(encoded->datacomp), encoded->nbytescomp);
  l_CIDataDestroy(&encoded);
  pixDestroy(&pix);
  return out;
}

// Group 3 one-dimensional data with end-of-line codes, as libtiff writes it, taken out of
// the TIFF's strips.
std::string g3_data(const cv::Mat& bilevel) {
  Pix* pix = pix_of(bilevel);
  l_uint8* tiff = nullptr;
  size_t size = 0;
  REQUIRE(pixWriteMemTiff(&tiff, &size, pix, IFF_TIFF_G3) == 0);
  pixDestroy(&pix);
  auto u16 = [&](size_t at) { return static_cast<uint32_t>(tiff[at] | (tiff[at + 1] << 8)); };
  auto u32 = [&](size_t at) { return u16(at) | (u16(at + 2) << 16); };
  REQUIRE(tiff[0] == 'I');
  const size_t ifd = u32(4);
  uint32_t strips = 0, offsets_at = 0, counts_at = 0;
  for (uint32_t i = 0; i < u16(ifd); ++i) {
    size_t entry = ifd + 2 + 12 * i;
    if (u16(entry) == 273) strips = u32(entry + 4), offsets_at = u32(entry + 8);
    if (u16(entry) == 279) counts_at = u32(entry + 8);
  }
  std::string out;
  for (uint32_t s = 0; s < strips; ++s) {
    uint32_t offset = strips == 1 ? offsets_at : u32(offsets_at + 4 * s);
    uint32_t count = strips == 1 ? counts_at : u32(counts_at + 4 * s);
    out.append(reinterpret_cast<char*>(tiff + offset), count);
  }
  lept_free(tiff);
  return out;
}

std::string jpeg(const cv::Mat& picture) {
  std::vector<uint8_t> bytes;
  REQUIRE(cv::imencode(".jpg", picture, bytes, {cv::IMWRITE_JPEG_QUALITY, 95}));
  return std::string(bytes.begin(), bytes.end());
}

std::string grey_entries(int width, int height, const std::string& extra = "") {
  return fmt::format("/Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 {}", width, height, extra);
}

// A page showing `picture` as Flate-compressed grey samples over width_pt x height_pt.
PageSpec flate_grey_page(const cv::Mat& picture, double width_pt, double height_pt) {
  return {grey_entries(picture.cols, picture.rows, "/Filter /FlateDecode"), zlib(raw_bytes(picture)),
          paint_at(width_pt, height_pt), media_box(width_pt, height_pt)};
}

// The page's pixels as 8-bit brightness (0 black), whatever depth it was delivered in.
cv::Mat brightness(const PageImage& page) {
  Pix* pix = page.pix();
  cv::Mat out(page.height(), page.width(), CV_8UC1);
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x) {
      l_uint32 value = 0;
      pixGetPixel(pix, x, y, &value);
      int level = static_cast<int>(value);
      if (pixGetDepth(pix) == 1) level = value ? 0 : 255;
      if (pixGetDepth(pix) == 32) {
        l_int32 r, g, b;
        extractRGBValues(value, &r, &g, &b);
        level = (r + g + b) / 3;
      }
      out.at<uint8_t>(y, x) = static_cast<uint8_t>(level);
    }
  return out;
}

bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::countNonZero(a != b) == 0;
}

// Which corner of the page holds the dark block.
std::string dark_corner(const PageImage& page) {
  cv::Mat level = brightness(page);
  const int w = level.cols / 4, h = level.rows / 4;
  const std::vector<std::pair<std::string, cv::Rect>> corners = {
      {"top-left", {0, 0, w, h}},
      {"top-right", {level.cols - w, 0, w, h}},
      {"bottom-left", {0, level.rows - h, w, h}},
      {"bottom-right", {level.cols - w, level.rows - h, w, h}}};
  std::string darkest;
  double least = 256;
  for (const auto& [name, box] : corners) {
    double mean = cv::mean(level(box))[0];
    if (mean < least) least = mean, darkest = name;
  }
  return darkest;
}

Result<PageImage> only_page(const std::string& path) {
  auto source = open_pdf_page_source(path);
  if (!source) return source.error();
  if ((*source)->page_count() != 1) return Error{"expected a single page"};
  return (*source)->page(0);
}

std::string page_error(const TempDir& dir, const std::string& pdf) {
  auto page = only_page(dir.write("test.pdf", pdf));
  return page ? std::string("no error") : page.error().message;
}

}  // namespace

TEST_CASE("a Flate grey page comes back pixel for pixel at the placement's resolution", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(120, 80);
  auto page = only_page(dir.write("grey.pdf", scanner_pdf({flate_grey_page(picture, 86.4, 57.6)})));
  REQUIRE(page.ok());
  CHECK(pixGetDepth(page->pix()) == 8);
  CHECK(page->dpi() == 100);
  CHECK(same_pixels(brightness(*page), picture));
}

TEST_CASE("PNG-predicted Flate data, as img2pdf embeds it, decodes exactly", "[pdf]") {
  TempDir dir;
  SECTION("8-bit grey") {
    const cv::Mat picture = marked_grey(97, 61);
    PageSpec spec{grey_entries(97, 61, "/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 97 >>"),
                  png_idat(picture, false), paint_at(97, 61), media_box(97, 61)};
    auto page = only_page(dir.write("png.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), picture));
  }
  SECTION("8-bit RGB") {
    cv::Mat rgb(40, 50, CV_8UC3);
    for (int y = 0; y < 40; ++y)
      for (int x = 0; x < 50; ++x) rgb.at<cv::Vec3b>(y, x) = {uint8_t(x * 5), uint8_t(y * 6), uint8_t((x * y) % 256)};
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    PageSpec spec{"/Width 50 /Height 40 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
                  "/DecodeParms << /Predictor 15 /Colors 3 /Columns 50 >>",
                  png_idat(bgr, false), paint_at(50, 40), media_box(50, 40)};
    auto page = only_page(dir.write("rgb.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    REQUIRE(pixGetDepth(page->pix()) == 32);
    for (int y = 0; y < 40; ++y)
      for (int x = 0; x < 50; ++x) {
        l_int32 r, g, b;
        pixGetRGBPixel(page->pix(), x, y, &r, &g, &b);
        const cv::Vec3b& expected = rgb.at<cv::Vec3b>(y, x);
        REQUIRE((r == expected[0] && g == expected[1] && b == expected[2]));
      }
  }
  SECTION("1-bit, with a width that is not a whole number of bytes") {
    const cv::Mat picture = marked_bilevel(101, 67);
    PageSpec spec{"/Width 101 /Height 67 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode "
                  "/DecodeParms << /Predictor 15 /Colors 1 /BitsPerComponent 1 /Columns 101 >>",
                  png_idat(picture, true), paint_at(101, 67), media_box(101, 67)};
    auto page = only_page(dir.write("bits.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    CHECK(pixGetDepth(page->pix()) == 1);
    CHECK(same_pixels(brightness(*page), picture));
  }
}

TEST_CASE("TIFF-predicted Flate data decodes exactly", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(64, 48);
  std::string differences = raw_bytes(picture);
  for (int y = 0; y < 48; ++y)
    for (int x = 63; x > 0; --x)
      differences[y * 64 + x] = static_cast<char>(picture.at<uint8_t>(y, x) - picture.at<uint8_t>(y, x - 1));
  PageSpec spec{grey_entries(64, 48, "/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 64 >>"), zlib(differences),
                paint_at(64, 48), media_box(64, 48)};
  auto page = only_page(dir.write("tiff.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(same_pixels(brightness(*page), picture));
}

TEST_CASE("a JPEG page decodes upright with its resolution", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(200, 300);
  PageSpec spec{grey_entries(200, 300, "/Filter /DCTDecode"), jpeg(picture), paint_at(144, 216), media_box(144, 216)};
  auto page = only_page(dir.write("jpeg.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(page->width() == 200);
  CHECK(page->height() == 300);
  CHECK(page->dpi() == 100);
  CHECK(dark_corner(*page) == "top-left");
  cv::Mat difference;
  cv::absdiff(brightness(*page), picture, difference);
  CHECK(cv::mean(difference)[0] < 3);
}

TEST_CASE("a colour JPEG page keeps its colours", "[pdf]") {
  TempDir dir;
  // Three bands, red, green and blue from the top; OpenCV encodes its matrices as BGR.
  cv::Mat picture(90, 60, CV_8UC3);
  picture.rowRange(0, 30).setTo(cv::Scalar(0, 0, 255));
  picture.rowRange(30, 60).setTo(cv::Scalar(0, 255, 0));
  picture.rowRange(60, 90).setTo(cv::Scalar(255, 0, 0));
  PageSpec spec{"/Width 60 /Height 90 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpeg(picture),
                paint_at(60, 90), media_box(60, 90)};
  auto page = only_page(dir.write("colour.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  REQUIRE(pixGetDepth(page->pix()) == 32);
  const int expected[3][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  for (int band = 0; band < 3; ++band) {
    l_int32 r, g, b;
    pixGetRGBPixel(page->pix(), 30, 15 + 30 * band, &r, &g, &b);
    CHECK(std::abs(r - expected[band][0]) < 8);
    CHECK(std::abs(g - expected[band][1]) < 8);
    CHECK(std::abs(b - expected[band][2]) < 8);
  }
}

TEST_CASE("a CCITT Group 4 page decodes to the exact 1-bit image", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(203, 150);
  const std::string entries = "/Width 203 /Height 150 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode ";
  const std::string data = g4_data(picture);
  cv::Mat inverted;
  cv::bitwise_not(picture, inverted);

  SECTION("black runs are black by default") {
    PageSpec spec{entries + "/DecodeParms << /K -1 /Columns 203 /Rows 150 >>", data, paint_at(203, 150), media_box(203, 150)};
    auto page = only_page(dir.write("g4.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    CHECK(pixGetDepth(page->pix()) == 1);
    CHECK(same_pixels(brightness(*page), picture));
  }
  SECTION("/BlackIs1 true alone turns the coding's black runs white") {
    PageSpec spec{entries + "/DecodeParms << /K -1 /Columns 203 /BlackIs1 true >>", data, paint_at(203, 150),
                  media_box(203, 150)};
    auto page = only_page(dir.write("g4.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), inverted));
  }
  SECTION("/BlackIs1 true with /Decode [1 0] shows black again") {
    PageSpec spec{entries + "/Decode [1 0] /DecodeParms << /K -1 /Columns 203 /BlackIs1 true >>", data, paint_at(203, 150),
                  media_box(203, 150)};
    auto page = only_page(dir.write("g4.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), picture));
  }
}

TEST_CASE("a CCITT Group 3 one-dimensional page decodes exactly", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(160, 90);
  PageSpec spec{"/Width 160 /Height 90 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode "
                "/DecodeParms << /K 0 /Columns 160 /Rows 90 /EndOfLine true >>",
                g3_data(picture), paint_at(160, 90), media_box(160, 90)};
  auto page = only_page(dir.write("g3.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(same_pixels(brightness(*page), picture));
}

TEST_CASE("1-bit /Decode [1 0] inverts, and an /ImageMask paints its zero samples black", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(77, 50);
  cv::Mat inverted;
  cv::bitwise_not(picture, inverted);
  const std::string samples = zlib(packed_bits(picture));

  PageSpec decoded{"/Width 77 /Height 50 /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode",
                   samples, paint_at(77, 50), media_box(77, 50)};
  auto page = only_page(dir.write("decode.pdf", scanner_pdf({decoded})));
  REQUIRE(page.ok());
  CHECK(same_pixels(brightness(*page), inverted));

  PageSpec mask{"/Width 77 /Height 50 /ImageMask true /Filter /FlateDecode", samples, paint_at(77, 50), media_box(77, 50)};
  page = only_page(dir.write("mask.pdf", scanner_pdf({mask})));
  REQUIRE(page.ok());
  CHECK(same_pixels(brightness(*page), picture));
}

TEST_CASE("an /Indexed image shows its palette colours", "[pdf]") {
  TempDir dir;
  // Each row is one byte of 2-bit indices 0, 1, 2, 3: black, red, green, white.
  PageSpec spec{"/Width 4 /Height 3 /BitsPerComponent 2 /ColorSpace [/Indexed /DeviceRGB 3 <000000FF000000FF00FFFFFF>] "
                "/Filter /ASCIIHexDecode",
                "1B1B1B>", paint_at(4, 3), media_box(4, 3)};
  auto page = only_page(dir.write("indexed.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  REQUIRE(pixGetDepth(page->pix()) == 32);
  const int expected[4][3] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {255, 255, 255}};
  for (int x = 0; x < 4; ++x) {
    l_int32 r, g, b;
    pixGetRGBPixel(page->pix(), x, 1, &r, &g, &b);
    CHECK(r == expected[x][0]);
    CHECK(g == expected[x][1]);
    CHECK(b == expected[x][2]);
  }
}

TEST_CASE("ICC-based and calibrated colour spaces read as their device equivalents", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(30, 20);
  const std::string samples = zlib(raw_bytes(picture));
  const std::string profile = "<< /N 1 /Length 4 >>\nstream\nfake\nendstream";
  for (const std::string colour_space : {"[/ICCBased 6 0 R]", "[/CalGray << /WhitePoint [0.9505 1 1.089] >>]"}) {
    PageSpec spec{fmt::format("/Width 30 /Height 20 /BitsPerComponent 8 /ColorSpace {} /Filter /FlateDecode", colour_space),
                  samples, paint_at(30, 20), media_box(30, 20)};
    auto page = only_page(dir.write("icc.pdf", scanner_pdf({spec}, "", "", {profile})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), picture));
  }
  // A profile whose /Alternate leads back to itself must not recurse forever.
  PageSpec looped{"/Width 30 /Height 20 /BitsPerComponent 8 /ColorSpace 7 0 R /Filter /FlateDecode", samples,
                  paint_at(30, 20), media_box(30, 20)};
  const std::string pdf = scanner_pdf({looped}, "", "",
                                      {"<< /Alternate 7 0 R /Length 4 >>\nstream\nfake\nendstream", "[/ICCBased 6 0 R]"});
  CHECK(page_error(dir, pdf) == "image /ColorSpace nests too deeply");
}

TEST_CASE("/Rotate turns the page clockwise, also when inherited from the page tree", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(120, 160);
  auto [rotation, corner, rotate_code] = GENERATE(table<int, std::string, int>({
      {90, "top-right", cv::ROTATE_90_CLOCKWISE},
      {180, "bottom-right", cv::ROTATE_180},
      {270, "bottom-left", cv::ROTATE_90_COUNTERCLOCKWISE},
      {-90, "bottom-left", cv::ROTATE_90_COUNTERCLOCKWISE},
  }));
  const bool inherited = GENERATE(false, true);
  PageSpec spec = flate_grey_page(picture, 120, 160);
  const std::string rotate = fmt::format("/Rotate {}", rotation);
  if (!inherited) spec.page_entries += " " + rotate;
  auto page = only_page(dir.write("rotated.pdf", scanner_pdf({spec}, inherited ? rotate : "")));
  REQUIRE(page.ok());
  cv::Mat expected;
  cv::rotate(picture, expected, rotate_code);
  CHECK(dark_corner(*page) == corner);
  CHECK(same_pixels(brightness(*page), expected));
}

TEST_CASE("a placement matrix that turns or mirrors the image is applied without resampling", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(90, 120);  // drawn 90 x 120 points: 72 dpi
  cv::Mat expected;
  std::string content, page_box, corner;
  SECTION("turned 90 degrees clockwise on a landscape page") {
    content = "q 0 -90 120 0 0 90 cm /Im0 Do Q";
    page_box = media_box(120, 90);
    cv::rotate(picture, expected, cv::ROTATE_90_CLOCKWISE);
    corner = "top-right";
  }
  SECTION("upside down") {
    content = "q -90 0 0 -120 90 120 cm /Im0 Do Q";
    page_box = media_box(90, 120);
    cv::rotate(picture, expected, cv::ROTATE_180);
    corner = "bottom-right";
  }
  SECTION("turned 90 degrees anticlockwise, built from nested q/cm") {
    content = "q 1 0 0 1 120 0 cm q 0 1 -1 0 0 0 cm 90 0 0 120 0 0 cm /Im0 Do Q Q";
    page_box = media_box(120, 90);
    cv::rotate(picture, expected, cv::ROTATE_90_COUNTERCLOCKWISE);
    corner = "bottom-left";
  }
  SECTION("mirrored left to right") {
    content = "q -90 0 0 120 90 0 cm /Im0 Do Q";
    page_box = media_box(90, 120);
    cv::flip(picture, expected, 1);
    corner = "top-right";
  }
  PageSpec spec{grey_entries(90, 120, "/Filter /FlateDecode"), zlib(raw_bytes(picture)), content, page_box};
  auto page = only_page(dir.write("turned.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(page->dpi() == 72);
  CHECK(dark_corner(*page) == corner);
  CHECK(same_pixels(brightness(*page), expected));
}

TEST_CASE("an image placed with a small rotation is drawn rotated on a white page", "[pdf]") {
  TempDir dir;
  const int width = 400, height = 300;
  cv::Mat picture(height, width, CV_8UC1, cv::Scalar(255));
  picture(cv::Rect(0, 148, width, 4)).setTo(0);  // a horizontal bar across the middle
  const double angle = 3.0 * CV_PI / 180;        // anticlockwise, as PDF angles are
  const double c = std::cos(angle), s = std::sin(angle);
  // 1 point per pixel; shifted right so the rotated image's bounding box starts at 0.
  const double page_w = width * c + height * s, page_h = width * s + height * c;
  PageSpec spec{grey_entries(width, height, "/Filter /FlateDecode"), zlib(raw_bytes(picture)),
                fmt::format("q {} {} {} {} {} 0 cm /Im0 Do Q", width * c, width * s, -height * s, height * c, height * s),
                media_box(page_w, page_h)};
  auto page = only_page(dir.write("skew.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(page->width() == static_cast<int>(std::lround(page_w)));
  CHECK(page->height() == static_cast<int>(std::lround(page_h)));
  CHECK(page->width() > width);
  CHECK(page->height() > height);
  CHECK(page->dpi() == 72);

  // The bar's centre line, measured in two columns, rises to the right at the placement angle.
  const cv::Mat level = brightness(*page);
  auto bar_centre = [&](int x) {
    double weight = 0, sum = 0;
    for (int y = 0; y < level.rows; ++y) {
      double ink = 255 - level.at<uint8_t>(y, x);
      weight += ink;
      sum += ink * y;
    }
    return sum / weight;
  };
  const int left = page->width() / 4, right = 3 * page->width() / 4;
  const double measured = std::atan2(bar_centre(left) - bar_centre(right), right - left);
  CHECK(measured == Approx(angle).margin(0.2 * CV_PI / 180));
  // The page corners lie outside the rotated image and stay white.
  CHECK(level.at<uint8_t>(0, 0) == 255);
  CHECK(level.at<uint8_t>(level.rows - 1, level.cols - 1) == 255);
}

TEST_CASE("resolution follows the displayed size, separately along each axis", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(300, 200);
  SECTION("square pixels") {
    auto page = only_page(dir.write("dpi.pdf", scanner_pdf({flate_grey_page(picture, 144, 96)})));
    REQUIRE(page.ok());
    CHECK(pixGetXRes(page->pix()) == 150);
    CHECK(pixGetYRes(page->pix()) == 150);
  }
  SECTION("pixels twice as tall as wide") {
    auto page = only_page(dir.write("dpi.pdf", scanner_pdf({flate_grey_page(picture, 144, 192)})));
    REQUIRE(page.ok());
    CHECK(page->width() == 300);
    CHECK(page->height() == 200);
    CHECK(pixGetXRes(page->pix()) == 150);
    CHECK(pixGetYRes(page->pix()) == 75);
  }
}

TEST_CASE("the page is clipped to its CropBox and a small image sits on white", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(100, 100);
  PageSpec spec{grey_entries(100, 100, "/Filter /FlateDecode"), zlib(raw_bytes(picture)), paint_at(100, 100, 50, 50),
                "/MediaBox [0 0 200 200] /CropBox [25 25 175 175]"};
  auto page = only_page(dir.write("crop.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  REQUIRE(page->width() == 150);
  REQUIRE(page->height() == 150);
  cv::Mat expected(150, 150, CV_8UC1, cv::Scalar(255));
  picture.copyTo(expected(cv::Rect(25, 25, 100, 100)));
  CHECK(same_pixels(brightness(*page), expected));
}

TEST_CASE("an image placed off the page, however far, leaves the page white", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(40, 40);
  for (const std::string offset : {"60", "-1000000000000000", "1000000000000000.5"}) {
    PageSpec spec = flate_grey_page(picture, 40, 40);
    spec.content = fmt::format("q 40 0 0 40 {} 0 cm /Im0 Do Q", offset);
    auto page = only_page(dir.write("away.pdf", scanner_pdf({spec})));
    INFO(offset << ": " << (page ? "" : page.error().message));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), cv::Mat(40, 40, CV_8UC1, cv::Scalar(255))));
  }
}

TEST_CASE("an image drawn inside a Form XObject gets the form's matrix too", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(80, 60);
  PdfFile file;
  const int catalog = file.add("<< /Type /Catalog /Pages 2 0 R >>");
  const int tree = file.add("");
  const int image = file.add_stream(grey_entries(80, 60, "/Type /XObject /Subtype /Image /Filter /FlateDecode"),
                                    zlib(raw_bytes(picture)));
  // The form turns its content upside down within an 80 x 60 box.
  const int form = file.add_stream(fmt::format("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Matrix [-1 0 0 -1 80 60] "
                                               "/Resources << /XObject << /Scan {} 0 R >> >>",
                                               image),
                                   "q 80 0 0 60 0 0 cm /Scan Do Q");
  const int content = file.add_stream("", "q /Wrapper Do Q BT /F1 12 Tf (invisible OCR text) Tj ET");
  const int page_object = file.add(fmt::format("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 80 60] "
                                               "/Resources << /XObject << /Wrapper {} 0 R >> >> /Contents {} 0 R >>",
                                               form, content));
  file.replace(tree, fmt::format("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", page_object));
  auto page = only_page(dir.write("form.pdf", file.bytes(catalog)));
  REQUIRE(page.ok());
  cv::Mat expected;
  cv::rotate(picture, expected, cv::ROTATE_180);
  CHECK(same_pixels(brightness(*page), expected));
}

TEST_CASE("a multi-page PDF gives each page on demand, in any order", "[pdf]") {
  TempDir dir;
  std::vector<PageSpec> pages;
  for (int i = 0; i < 3; ++i) pages.push_back(flate_grey_page(marked_grey(50 + 10 * i, 40), 50 + 10 * i, 40));
  auto source = open_pdf_page_source(dir.write("pages.pdf", scanner_pdf(pages)));
  REQUIRE(source.ok());
  REQUIRE((*source)->page_count() == 3);
  for (int i : {2, 0, 1}) {
    auto page = (*source)->page(i);
    REQUIRE(page.ok());
    CHECK(page->width() == 50 + 10 * i);
    CHECK(same_pixels(brightness(*page), marked_grey(50 + 10 * i, 40)));
  }
  CHECK_FALSE((*source)->page(3).ok());
  CHECK_FALSE((*source)->page(-1).ok());
}

TEST_CASE("files that are not readable PDFs fail to open with a reason", "[pdf]") {
  TempDir dir;
  const std::string valid = scanner_pdf({flate_grey_page(marked_grey(40, 40), 40, 40)});
  auto open_error = [&](const std::string& path) {
    auto source = open_pdf_page_source(path);
    return source ? std::string("opened") : source.error().message;
  };
  CHECK(open_error(dir.write("empty.pdf", "")) == "file is empty");
  CHECK(open_error(dir.file("missing.pdf")).rfind("cannot read the file", 0) == 0);
  CHECK(open_error(dir.write("noise.pdf", std::string("\x01\x02garbage\xff\xfe", 12))) == "not a PDF file (no %PDF- header)");
  CHECK(open_error(dir.write("truncated.pdf", valid.substr(0, valid.size() / 2))) == "PDF is truncated (no %%EOF marker)");
  CHECK(open_error(dir.write("junk.pdf", "%PDF-1.4\nthis is not a PDF body at all\n%%EOF\n")) ==
        "PDF is damaged (PoDoFo error InvalidDeviceOperation)");
}

TEST_CASE("a PDF that needs a password is refused", "[pdf]") {
  TempDir dir;
  const std::string key = "<0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF>";
  const std::string encrypt = fmt::format(
      "/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O {} /U {} >> "
      "/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]",
      key, key);
  auto source = open_pdf_page_source(dir.write("locked.pdf", scanner_pdf({flate_grey_page(marked_grey(40, 40), 40, 40)}, "", encrypt)));
  REQUIRE_FALSE(source.ok());
  CHECK(source.error().message == "PDF is encrypted with a password");
}

TEST_CASE("a page tree claiming more pages than the limit is refused", "[pdf]") {
  TempDir dir;
  PdfFile file;
  const int catalog = file.add("<< /Type /Catalog /Pages 2 0 R >>");
  file.add("<< /Type /Pages /Kids [3 0 R] /Count 5001 >>");
  file.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>");
  auto source = open_pdf_page_source(dir.write("many.pdf", file.bytes(catalog)));
  REQUIRE_FALSE(source.ok());
  CHECK(source.error().message == "PDF has 5001 pages, over the limit of 5000");
}

TEST_CASE("pages a scanner would not produce fail with a reason, not a crash", "[pdf]") {
  TempDir dir;
  const cv::Mat picture = marked_grey(40, 40);
  PageSpec good = flate_grey_page(picture, 40, 40);
  auto with = [&](auto change) {
    PageSpec spec = good;
    change(spec);
    return page_error(dir, scanner_pdf({spec}));
  };
  CHECK(page_error(dir, scanner_pdf({good})) == "no error");
  CHECK(with([](PageSpec& s) { s.content = "BT /F1 12 Tf (text only) Tj ET"; }) == "page shows no image");
  CHECK(with([](PageSpec& s) { s.content = "q 20 0 0 20 0 0 cm /Im0 Do Q q 20 0 0 20 20 20 cm /Im0 Do Q"; }) ==
        "page shows 2 images; only pages holding one scanned image are supported");
  CHECK(with([](PageSpec& s) { s.image_entries = "/Width 40 /Height 40 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JBIG2Decode"; }) ==
        "JBIG2 image is not 1-bit with one colour component");
  CHECK(with([](PageSpec& s) { s.image_entries = "/Width 40 /Height 40 /Filter /JPXDecode"; }) ==
        "image uses JPXDecode, which is not supported");
  CHECK(with([](PageSpec& s) { s.image_entries = grey_entries(40, 40, "/Filter /BrotliDecode"); }) ==
        "stream uses unknown filter /BrotliDecode");
  CHECK(with([](PageSpec& s) { s.image_data = "this is not zlib data"; }) == "FlateDecode data is damaged");
  CHECK(with([](PageSpec& s) { s.image_data = zlib(std::string(1000, '\x80')); }) ==
        "image data is shorter than its size needs (1000 of 1600 bytes)");
  CHECK(with([](PageSpec& s) { s.image_entries = grey_entries(40000, 20000, "/Filter /FlateDecode"); }) ==
        "image is 40000 x 20000 pixels, over the limit of 400 megapixels");
  CHECK(with([](PageSpec& s) { s.image_entries = "/Width 40 /Height 40 /BitsPerComponent 8 /Filter /FlateDecode"; }) ==
        "image has no /ColorSpace");
  CHECK(with([](PageSpec& s) {
          s.image_entries = "/Width 40 /Height 40 /BitsPerComponent 8 /ColorSpace [/Separation /Spot /DeviceGray 0 0 R] /Filter /FlateDecode";
        }) == "image colour space /Separation is not supported");
  CHECK(with([](PageSpec& s) { s.image_entries = "/Width 40 /Height 40 /ColorSpace /DeviceGray /BitsPerComponent 3 /Filter /FlateDecode"; }) ==
        "image /BitsPerComponent 3 is invalid");
  CHECK(with([](PageSpec& s) { s.content = "q 40 0 0 cm /Im0 Do Q"; }) == "content stream has a malformed cm operator");
  CHECK(with([](PageSpec& s) { s.content = "q 40 0 0 40 0 0 cm /Missing Do Q"; }) ==
        "content paints /Missing, which is not among the page's resources");
  CHECK(with([](PageSpec& s) { s.content = "q 40 0 0 40 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"; }) ==
        "page uses an inline image, which is not supported");
  CHECK(with([](PageSpec& s) { s.content = "q 40 0 0 0 0 0 cm /Im0 Do Q"; }) == "image placement matrix is degenerate");
  CHECK(with([](PageSpec& s) { s.page_entries = "/MediaBox [0 0 40 40] /Rotate 45"; }) == "page /Rotate 45 is not a multiple of 90");
  CHECK(with([](PageSpec& s) { s.page_entries = ""; }) == "page has no valid /MediaBox");
  CHECK(with([](PageSpec& s) { s.content = "q 0.001 0 0 0.001 0 0 cm /Im0 Do Q"; }) ==
        "page would be 1600000 x 1600000 pixels at the image's resolution, over the limit of 400 megapixels");
}

TEST_CASE("JPEG headers are checked before decoding", "[pdf]") {
  TempDir dir;
  // A frame header alone is enough to refuse the image; the rest of the stream is never read.
  auto jpeg_frame = [](int width, int height, int components) {
    std::string frame = "\xFF\xD8\xFF\xC0";
    frame += std::string{'\0', static_cast<char>(8 + 3 * components), 8, static_cast<char>(height >> 8),
                         static_cast<char>(height & 0xFF), static_cast<char>(width >> 8),
                         static_cast<char>(width & 0xFF), static_cast<char>(components)};
    frame += std::string(static_cast<size_t>(3 * components), '\x01');
    return frame;
  };
  auto error_for = [&](const std::string& data) {
    PageSpec spec{grey_entries(40, 40, "/Filter /DCTDecode"), data, paint_at(40, 40), media_box(40, 40)};
    return page_error(dir, scanner_pdf({spec}));
  };
  CHECK(error_for(jpeg_frame(40, 40, 4)) ==
        "CMYK JPEG images are supported only with Adobe's inverted inks (/Decode [1 0 1 0 1 0 1 0])");
  CHECK(error_for(jpeg_frame(60000, 60000, 1)) == "JPEG image is 60000 x 60000 pixels, over the limit of 400 megapixels");
  CHECK(error_for("not a JPEG at all") == "JPEG data has no valid frame header");
  CHECK(error_for(jpeg_frame(40, 40, 1)) == "JPEG data is corrupt or truncated");
  const std::string whole = jpeg(marked_grey(40, 40));
  CHECK(error_for(whole) == "no error");
  CHECK(error_for(whole.substr(0, whole.size() / 2)) == "JPEG data is corrupt or truncated");
}

TEST_CASE("Flate data that expands far beyond the image is cut off, not held in memory", "[pdf]") {
  TempDir dir;
  // 64 MB of zeros squeezes into about 64 kB; the 40 x 40 image needs 1600 bytes of it.
  PageSpec spec{grey_entries(40, 40, "/Filter /FlateDecode"), zlib(std::string(64u << 20, '\0')), paint_at(40, 40),
                media_box(40, 40)};
  auto page = only_page(dir.write("bomb.pdf", scanner_pdf({spec})));
  REQUIRE(page.ok());
  CHECK(cv::countNonZero(brightness(*page)) == 0);
}

namespace {

// Black pixels on the ISO example's page.
constexpr int kIsoExampleBlackPixels = 234;

const std::string kJbig2Entries = "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode";

// A page showing `data` as a width x height JBIG2 image, one point a pixel.
PageSpec jbig2_page(const std::string& data, int width, int height, const std::string& extra = "") {
  return {fmt::format("/Width {} /Height {} {} {}", width, height, kJbig2Entries, extra), data, paint_at(width, height),
          media_box(width, height)};
}

std::string jbig2_of(const cv::Mat& bilevel, bool end_of_page = false) {
  Pix* pix = pix_of(bilevel);
  std::string data = fixture::jbig2_page_of(pix, end_of_page);
  pixDestroy(&pix);
  return data;
}

}  // namespace

TEST_CASE("a JBIG2 page decodes to the exact 1-bit image, JBIG2's 1 bits black", "[pdf][jbig2]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(203, 150);
  cv::Mat inverted;
  cv::bitwise_not(picture, inverted);

  SECTION("without an end-of-page segment, as PDF writers store it") {
    auto page = only_page(dir.write("jbig2.pdf", scanner_pdf({jbig2_page(jbig2_of(picture), 203, 150)})));
    REQUIRE(page.ok());
    CHECK(pixGetDepth(page->pix()) == 1);
    CHECK(same_pixels(brightness(*page), picture));
  }
  SECTION("with an end-of-page segment") {
    auto page = only_page(dir.write("jbig2.pdf", scanner_pdf({jbig2_page(jbig2_of(picture, true), 203, 150)})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), picture));
  }
  SECTION("/Decode [1 0] inverts") {
    auto page = only_page(dir.write("jbig2.pdf", scanner_pdf({jbig2_page(jbig2_of(picture), 203, 150, "/Decode [1 0]")})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), inverted));
  }
  SECTION("an /ImageMask paints JBIG2's black") {
    PageSpec mask{"/Width 203 /Height 150 /ImageMask true /Filter /JBIG2Decode", jbig2_of(picture), paint_at(203, 150),
                  media_box(203, 150)};
    auto page = only_page(dir.write("jbig2.pdf", scanner_pdf({mask})));
    REQUIRE(page.ok());
    CHECK(same_pixels(brightness(*page), picture));
  }
  SECTION("after Flate, and turned by its placement matrix") {
    PageSpec spec = jbig2_page(zlib(jbig2_of(picture)), 203, 150);
    spec.image_entries = "/Width 203 /Height 150 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter [/FlateDecode /JBIG2Decode]";
    spec.content = "q 0 -203 150 0 0 203 cm /Im0 Do Q";
    spec.page_entries = media_box(150, 203);
    auto page = only_page(dir.write("jbig2.pdf", scanner_pdf({spec})));
    REQUIRE(page.ok());
    cv::Mat turned;
    cv::rotate(picture, turned, cv::ROTATE_90_CLOCKWISE);
    CHECK(same_pixels(brightness(*page), turned));
  }
}

TEST_CASE("a JBIG2 page reads the symbols of its /JBIG2Globals stream", "[pdf][jbig2]") {
  TempDir dir;
  // Object 6 is the first object after a one-page file's own.
  const std::vector<std::string> globals = {
      fmt::format("<< /Length {} >>\nstream\n", fixture::iso_example_jbig2_globals().size()) +
      fixture::iso_example_jbig2_globals() + "\nendstream"};
  auto page = only_page(dir.write(
      "globals.pdf", scanner_pdf({jbig2_page(fixture::iso_example_jbig2_page(), 52, 66, "/DecodeParms << /JBIG2Globals 6 0 R >>")},
                                 "", "", globals)));
  REQUIRE(page.ok());
  const cv::Mat level = brightness(*page);
  CHECK(level.cols == 52);
  CHECK(level.rows == 66);
  CHECK(cv::countNonZero(level == 0) == kIsoExampleBlackPixels);

  // Without the globals, the text region refers to a symbol dictionary that is not there.
  CHECK(page_error(dir, scanner_pdf({jbig2_page(fixture::iso_example_jbig2_page(), 52, 66)})) ==
        "JBIG2 data is damaged (text region refers to no symbol dictionaries)");
}

TEST_CASE("damaged or hostile JBIG2 data fails the page with a one-line reason", "[pdf][jbig2]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(120, 90);
  const std::string whole = jbig2_of(picture);
  auto error_for = [&](const std::string& data, int width = 120, int height = 90) {
    return page_error(dir, scanner_pdf({jbig2_page(data, width, height)}));
  };
  REQUIRE(error_for(whole) == "no error");
  const size_t region_bytes = whole.size() - 30 - 11;  // the data after the region's segment header
  CHECK(error_for(whole.substr(0, whole.size() - 10)) ==
        fmt::format("JBIG2 data is truncated: segment 1 declares {} bytes, {} remain", region_bytes, region_bytes - 10));
  CHECK(error_for(whole.substr(0, 20)) == "JBIG2 data is truncated: segment 0 declares 19 bytes, 9 remain");
  CHECK(error_for(whole.substr(0, 4)) == "JBIG2 data is truncated in a segment header");
  CHECK(error_for(whole, 121, 90) == "JBIG2 page is 120 x 90 pixels but the image /Width and /Height say 121 x 90");
  CHECK(error_for(whole, 120, 89) == "JBIG2 page is 120 x 90 pixels but the image /Width and /Height say 120 x 89");
  CHECK(error_for("") == "JBIG2 data holds no page information segment");
  CHECK_THAT(error_for("%PDF-1.4 this is not JBIG2 data, only words about it"), Catch::StartsWith("JBIG2 data is truncated"));
  std::string noise(2000, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  CHECK_THAT(error_for(noise), Catch::StartsWith("JBIG2 data "));

  // A page information segment claiming 2^31 pixels square, behind an image dictionary that
  // fits the limits, is refused before jbig2dec allocates the page.
  CHECK(error_for(fixture::jbig2_page_information(1u << 31, 1u << 31)) ==
        "JBIG2 page is 2147483648 x 2147483648 pixels but the image /Width and /Height say 120 x 90");
  // A generic region claiming 2^26 pixels across (jbig2dec cuts its height to the page's) would
  // need 755 MB; jbig2dec's allocations are capped at a few copies of the page plus 64 MB.
  Pix* pix = pix_of(picture);
  const std::string huge_region =
      fixture::jbig2_page_information(120, 90) + fixture::jbig2_mmr_region(1, 1u << 26, 90, fixture::g4_of(pix));
  pixDestroy(&pix);
  CHECK(error_for(huge_region) == "JBIG2 data needs more than 64 MB of memory to decode a 120 x 90 image");
  // A text region whose symbols are missing: jbig2dec warns and would leave the page blank.
  CHECK(page_error(dir, scanner_pdf({jbig2_page(fixture::iso_example_jbig2_page(), 52, 66)})) ==
        "JBIG2 data is damaged (text region refers to no symbol dictionaries)");
  // Images over the limits are refused from the dictionary, before the data is looked at.
  CHECK(error_for(whole, 40000, 20000) == "image is 40000 x 20000 pixels, over the limit of 400 megapixels");
}

TEST_CASE("a damaged JBIG2 page fails alone: the other pages of the file still load", "[pdf][jbig2]") {
  TempDir dir;
  const cv::Mat picture = marked_bilevel(120, 90);
  const std::string whole = jbig2_of(picture);
  auto source = open_pdf_page_source(dir.write(
      "mixed.pdf", scanner_pdf({jbig2_page(whole.substr(0, whole.size() / 2), 120, 90), jbig2_page(whole, 120, 90)})));
  REQUIRE(source);
  auto first = (*source)->page(0);
  REQUIRE_FALSE(first.ok());
  CHECK_THAT(first.error().message, Catch::StartsWith("JBIG2 data is truncated"));
  auto second = (*source)->page(1);
  REQUIRE(second.ok());
  CHECK(same_pixels(brightness(*second), picture));
}
