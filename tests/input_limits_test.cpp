// Hostile inputs are built here byte by byte: headers that claim enormous images over tiny
// bodies, more pages than allowed, deeply nested PDF objects and endless CSV lines. Each must
// fail with a one-line reason before anything big is allocated.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <leptonica/allheaders.h>

#include <sstream>
#include <string>
#include <vector>

#include "pipeline/input_limits.h"
#include "pipeline/page_source.h"
#include "pipeline/patient_csv.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

uint32_t crc32_of(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_big_endian(std::string& bytes, size_t at, uint32_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + i] = static_cast<char>(value >> (8 * (size - 1 - i)));
}

std::string little_endian(uint32_t value, int size) {
  std::string out;
  for (int i = 0; i < size; ++i) out += static_cast<char>(value >> (8 * i));
  return out;
}

// A small grey page encoded by Leptonica in `format`.
std::string encoded_page(int width, int height, int format) {
  Pix* pix = pixCreate(width, height, 8);
  pixSetAllArbitrary(pix, 200);
  l_uint8* data = nullptr;
  size_t size = 0;
  REQUIRE(pixWriteMem(&data, &size, pix, format) == 0);
  pixDestroy(&pix);
  std::string out(reinterpret_cast<char*>(data), size);
  lept_free(data);
  return out;
}

// A valid PNG whose IHDR (with a correct checksum) claims `width` x `height` over the body of
// a 16 x 16 image: a decompression bomb's header without its payload.
std::string png_claiming(uint32_t width, uint32_t height) {
  std::string png = encoded_page(16, 16, IFF_PNG);
  REQUIRE(png.compare(12, 4, "IHDR") == 0);
  put_big_endian(png, 16, width, 4);
  put_big_endian(png, 20, height, 4);
  put_big_endian(png, 29, crc32_of(png.substr(12, 17)), 4);
  return png;
}

// A baseline JPEG of 16 x 16 pixels whose frame header claims `width` x `height`.
std::string jpeg_claiming(uint16_t width, uint16_t height) {
  std::string jpeg = encoded_page(16, 16, IFF_JFIF_JPEG);
  size_t sof = jpeg.find("\xff\xc0");
  REQUIRE(sof != std::string::npos);
  put_big_endian(jpeg, sof + 5, height, 2);
  put_big_endian(jpeg, sof + 7, width, 2);
  return jpeg;
}

// An uncompressed 1-bit little-endian TIFF whose one directory claims `width` x `height`
// while its single strip holds 16 bytes.
std::string tiff_claiming(uint32_t width, uint32_t height) {
  const uint32_t directory_at = 8, entries = 9, data_at = directory_at + 2 + entries * 12 + 4;
  auto entry = [](uint16_t tag, uint16_t type, uint32_t value) {
    const int value_size = type == 3 ? 2 : 4;
    return little_endian(tag, 2) + little_endian(type, 2) + little_endian(1, 4) + little_endian(value, value_size) +
           std::string(4 - value_size, '\0');
  };
  const uint16_t kShort = 3, kLong = 4;
  std::string tiff = std::string("II*\0", 4) + little_endian(directory_at, 4) + little_endian(entries, 2);
  tiff += entry(256, kLong, width) + entry(257, kLong, height) + entry(258, kShort, 1) + entry(259, kShort, 1) +
          entry(262, kShort, 0) + entry(273, kLong, data_at) + entry(277, kShort, 1) + entry(278, kLong, height) +
          entry(279, kLong, 16);
  tiff += little_endian(0, 4) + std::string(16, '\0');
  return tiff;
}

// A PDF of numbered objects (object 1 first) with a correct cross-reference table.
std::string pdf_of(const std::vector<std::string>& bodies) {
  std::string out = "%PDF-1.5\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < bodies.size(); ++i) {
    offsets.push_back(out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, bodies[i]);
  }
  const size_t xref = out.size();
  out += fmt::format("xref\n0 {}\n0000000000 65535 f \n", bodies.size() + 1);
  for (size_t offset : offsets) out += fmt::format("{:010} 00000 n \n", offset);
  out += fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n", bodies.size() + 1, xref);
  return out;
}

// A scanner PDF with `pages` pages, each showing one 8-bit grey image of the stated size
// (its data only 16 bytes) and carrying `page_entries` in its dictionary.
std::string scanner_pdf(int pages, int image_width, int image_height, const std::string& page_entries = "") {
  std::vector<std::string> bodies{"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    const size_t image = bodies.size() + 1;
    bodies.push_back(fmt::format("<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray "
                                 "/BitsPerComponent 8 /Length 16 >>\nstream\n{}\nendstream",
                                 image_width, image_height, std::string(16, '\x80')));
    const std::string paint = "q 100 0 0 100 0 0 cm /Im0 Do Q";
    bodies.push_back(fmt::format("<< /Length {} >>\nstream\n{}\nendstream", paint.size(), paint));
    bodies.push_back(fmt::format("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /Im0 {} "
                                 "0 R >> >> /Contents {} 0 R {} >>",
                                 image, image + 1, page_entries));
    kids += fmt::format("{} 0 R ", image + 2);
  }
  bodies[1] = fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", kids, pages);
  return pdf_of(bodies);
}

std::string open_error(const std::string& path, const InputLimits& limits = {}) {
  auto source = open_page_source(path, limits);
  return source ? std::string("opened") : source.error().message;
}

std::string first_page_error(const std::string& path, const InputLimits& limits = {}) {
  auto source = open_page_source(path, limits);
  if (!source) return "open failed: " + source.error().message;
  auto page = (*source)->page(0);
  return page ? std::string("decoded") : page.error().message;
}

}  // namespace

TEST_CASE("image sizes are checked against the limits, pixel count first", "[limits]") {
  InputLimits limits;
  CHECK(check_image_size("image", 20000, 20000, limits).ok());
  CHECK(check_image_size("image", 20001, 20000, limits).error().message ==
        "image is 20001 x 20000 pixels, over the limit of 400 megapixels");
  CHECK(check_image_size("image", 50001, 10, limits).error().message ==
        "image is 50001 x 10 pixels, over the limit of 50000 pixels a side");
  // Sides whose product overflows 64 bits are still refused, not wrapped round.
  CHECK_FALSE(check_image_size("image", 5'000'000'000, 5'000'000'000, limits).ok());
}

TEST_CASE("a PNG header claiming 60000 x 60000 pixels is refused before decoding", "[limits]") {
  TempDir dir;
  CHECK(first_page_error(dir.write("bomb.png", png_claiming(60000, 60000))) ==
        "PNG image is 60000 x 60000 pixels, over the limit of 400 megapixels");
  CHECK(first_page_error(dir.write("tall.png", png_claiming(100, 60000))) ==
        "PNG image is 100 x 60000 pixels, over the limit of 50000 pixels a side");
}

TEST_CASE("a JPEG frame header claiming 65000 x 65000 pixels is refused before decoding", "[limits]") {
  TempDir dir;
  CHECK(first_page_error(dir.write("bomb.jpg", jpeg_claiming(65000, 65000))) ==
        "JPEG image is 65000 x 65000 pixels, over the limit of 400 megapixels");
}

TEST_CASE("a TIFF directory claiming 100000 x 100000 pixels is refused when the file is opened", "[limits]") {
  TempDir dir;
  const std::string bomb = dir.write("bomb.tif", tiff_claiming(100000, 100000));
  CHECK(open_error(bomb) == "TIFF page 1 is 100000 x 100000 pixels, over the limit of 400 megapixels");
  // The same layout at a sane size decodes, so the refusal above is the limit's doing.
  CHECK(first_page_error(dir.write("small.tif", tiff_claiming(64, 2))) == "decoded");
}

TEST_CASE("image limits are configurable for every raster format", "[limits]") {
  TempDir dir;
  InputLimits small;
  small.max_image_side = 100;
  small.max_image_pixels = 5000;
  const std::string png = dir.write("page.png", encoded_page(120, 30, IFF_PNG));
  const std::string jpeg = dir.write("page.jpg", encoded_page(60, 90, IFF_JFIF_JPEG));
  const std::string tiff = dir.write("page.tif", encoded_page(80, 80, IFF_TIFF_ZIP));
  CHECK(first_page_error(png, small) == "PNG image is 120 x 30 pixels, over the limit of 100 pixels a side");
  CHECK(first_page_error(jpeg, small) == "JPEG image is 60 x 90 pixels, over the limit of 0.005 megapixels");
  CHECK(open_error(tiff, small) == "TIFF page 1 is 80 x 80 pixels, over the limit of 0.005 megapixels");
  for (const auto& path : {png, jpeg, tiff}) CHECK(first_page_error(path) == "decoded");
}

TEST_CASE("a TIFF with more pages than the limit is refused", "[limits]") {
  TempDir dir;
  const std::string path = dir.file("pages.tif");
  Pix* page = pixCreate(20, 20, 1);
  for (int i = 0; i < 4; ++i) REQUIRE(pixWriteTiff(path.c_str(), page, IFF_TIFF_G4, i == 0 ? "w" : "a") == 0);
  pixDestroy(&page);
  InputLimits three;
  three.max_pages = 3;
  CHECK(open_error(path, three) == "TIFF has more than the limit of 3 pages");
  CHECK(open_error(path) == "opened");
}

TEST_CASE("PDF page count and image dictionaries are checked against the limits", "[limits]") {
  TempDir dir;
  InputLimits two_pages;
  two_pages.max_pages = 2;
  const std::string three = dir.write("three.pdf", scanner_pdf(3, 4, 4));
  CHECK(open_error(three, two_pages) == "PDF has 3 pages, over the limit of 2");
  CHECK(open_error(three) == "opened");

  const std::string bomb = dir.write("bomb.pdf", scanner_pdf(1, 100000, 100000));
  CHECK(first_page_error(bomb) == "image is 100000 x 100000 pixels, over the limit of 400 megapixels");

  InputLimits narrow;
  narrow.max_image_side = 3;
  CHECK(first_page_error(dir.write("four.pdf", scanner_pdf(1, 4, 4)), narrow) ==
        "image is 4 x 4 pixels, over the limit of 3 pixels a side");
}

TEST_CASE("PDF objects nested deeper than the limit are not parsed", "[limits]") {
  TempDir dir;
  // PoDoFo drops an object nested too deeply, so a page dictionary that is one cannot be read.
  const std::string nested = "/PieceInfo " + std::string(100, '[') + std::string(100, ']');
  const std::string path = dir.write("nested.pdf", scanner_pdf(1, 4, 4, nested));
  CHECK(first_page_error(path) == "decoded");
  InputLimits shallow;
  shallow.max_pdf_nesting = 50;
  CHECK(first_page_error(path, shallow) == "PDF cross-reference table or trailer is damaged");
  // The limit is PoDoFo's and per process; opening with the defaults restores it.
  CHECK(first_page_error(path) == "decoded");
}

TEST_CASE("a PDF declaring more objects than the limit is refused", "[limits]") {
  TempDir dir;
  const std::string path = dir.write("objects.pdf", scanner_pdf(2, 4, 4));
  InputLimits few;
  few.max_pdf_objects = 5;
  CHECK(open_error(path, few) == "PDF declares more than 5 objects, or its cross-reference table is damaged");
  CHECK(open_error(path) == "opened");
}

TEST_CASE("CSV records over the length limit are rejected by line and the rest is read", "[limits][csv]") {
  const std::string header = "nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode\n";
  const std::string good = "9434765870,K7,JONES,Ann,1970-01-01,F,M1 1AE\n";
  InputLimits short_records;
  short_records.max_csv_record_bytes = 100;
  std::istringstream in(header + "9434765919,K1,SMITH," + std::string(100, 'J') + ",1950-03-04,M,LS1 4AP\n" + good);
  PatientCsv csv = parse_patient_csv(in, short_records);
  REQUIRE(csv.errors.size() == 1);
  CHECK(csv.errors[0] == "line 2: record longer than 100 bytes");
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.rows[0].family_name == "JONES");

  // A line of nothing but separators is bounded as a whole, not field by field.
  std::istringstream commas(header + std::string(1'000'000, ',') + "\n" + good);
  PatientCsv flood = parse_patient_csv(commas);
  REQUIRE(flood.errors.size() == 1);
  CHECK(flood.errors[0] == "line 2: record longer than 65536 bytes");
  CHECK(flood.rows.size() == 1);
}
