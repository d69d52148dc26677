// PNG, JPEG and TIFF inputs, decoded with Leptonica; the format is told by the file's first
// bytes so a misnamed file is still read right, and a text file named .png is refused.
#include <leptonica/allheaders.h>
#include <tiffio.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <mutex>

#include "pipeline/page_source.h"

namespace casenote {
namespace {

enum class FileFormat { Png, Jpeg, Tiff, Pdf, Unknown };

FileFormat sniff_format(const std::string& head) {
  auto starts = [&](std::string_view magic) { return head.compare(0, magic.size(), magic) == 0; };
  if (starts("\x89PNG\r\n\x1a\n")) return FileFormat::Png;
  if (starts("\xff\xd8\xff")) return FileFormat::Jpeg;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) return FileFormat::Tiff;
  // PDF readers accept a header anywhere in the first KiB; some scanners prefix junk.
  if (head.find("%PDF-") != std::string::npos) return FileFormat::Pdf;
  return FileFormat::Unknown;
}

// Leptonica and libtiff print their own diagnostics on stderr; casenote reports one clear
// line per input instead, so theirs are silenced once per process.
void silence_decoder_messages() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(L_SEVERITY_NONE);
    TIFFSetWarningHandler(nullptr);
    TIFFSetErrorHandler(nullptr);
  });
}

// Colour maps and unusual depths are resolved here so that later stages see 1, 8 or 32 bpp.
Pix* normalise_depth(Pix* pix) {
  Pix* out = nullptr;
  if (pixGetColormap(pix))
    out = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
  else if (pixGetDepth(pix) == 16)
    out = pixConvert16To8(pix, L_MS_BYTE);
  else if (pixGetDepth(pix) == 2 || pixGetDepth(pix) == 4)
    out = pixConvertTo8(pix, 0);
  if (!out) return pix;
  pixCopyResolution(out, pix);
  pixDestroy(&pix);
  return out;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

uint32_t big_endian32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// Walks the chunks and checks each CRC up to IEND. libpng would find the same faults, but it
// prints them on stderr and cannot say which; a truncated scan is the common case.
std::string png_structure_fault(const std::string& bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t at = 8;
  while (at + 12 <= bytes.size()) {
    uint32_t length = big_endian32(data + at);
    if (length > bytes.size() - at - 12) return "PNG data is truncated";
    uint32_t stored_crc = big_endian32(data + at + 8 + length);
    if (crc32(crc32(0, nullptr, 0), data + at + 4, length + 4) != stored_crc) return "PNG data is corrupt (bad chunk checksum)";
    if (std::string_view(bytes.data() + at + 4, 4) == "IEND") return "";
    at += 12 + length;
  }
  return "PNG data is truncated";
}

// A JPEG ends with the EOI marker; scanners may pad a little after it.
bool jpeg_has_end_marker(const std::string& bytes) {
  size_t from = bytes.size() > 4096 ? bytes.size() - 4096 : 0;
  return bytes.find("\xff\xd9", from) != std::string::npos;
}

class SingleImageSource : public PageSource {
 public:
  SingleImageSource(std::string path, FileFormat format, const InputLimits& limits)
      : path_(std::move(path)), format_(format), limits_(limits) {}
  int page_count() const override { return 1; }

  Result<PageImage> page(int index) override {
    if (index != 0) return Error{"page index out of range"};
    std::string bytes = read_whole_file(path_);
    const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
    Pix* pix = nullptr;
    if (format_ == FileFormat::Jpeg) {
      if (!jpeg_has_end_marker(bytes)) return Error{"JPEG data is truncated"};
      l_int32 width = 0, height = 0;
      if (readHeaderMemJpeg(data, bytes.size(), &width, &height, nullptr, nullptr, nullptr) != 0)
        return Error{"JPEG header is corrupt"};
      if (Status fits = check_image_size("JPEG image", width, height, limits_); !fits) return fits.error();
      // libjpeg fills a damaged image with grey and only warns; a page with a missing band
      // must not be filed as if whole, so any warning fails the page.
      int warnings = 0;
      pix = pixReadMemJpeg(data, bytes.size(), 0, 1, &warnings, 0);
      if (!pix || warnings > 0) {
        pixDestroy(&pix);
        return Error{"JPEG data is corrupt"};
      }
    } else {
      if (auto fault = png_structure_fault(bytes); !fault.empty()) return Error{fault};
      l_int32 width = 0, height = 0;
      if (readHeaderMemPng(data, bytes.size(), &width, &height, nullptr, nullptr, nullptr) != 0)
        return Error{"PNG header is corrupt"};
      if (Status fits = check_image_size("PNG image", width, height, limits_); !fits) return fits.error();
      pix = pixReadMemPng(data, bytes.size());
      if (!pix) return Error{"PNG data is corrupt"};
    }
    return PageImage(normalise_depth(pix));
  }

  Result<std::optional<StoredJpeg>> stored_jpeg(int index) override {
    if (index != 0) return Error{"page index out of range"};
    if (format_ != FileFormat::Jpeg) return std::optional<StoredJpeg>{};
    std::string bytes = read_whole_file(path_);
    l_int32 width = 0, height = 0;
    if (readHeaderMemJpeg(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size(), &width, &height, nullptr, nullptr,
                          nullptr) != 0 || width <= 0 || height <= 0)
      return Error{"JPEG header is corrupt"};
    // page() shows the JPEG as it is, filling the page.
    return std::optional<StoredJpeg>{StoredJpeg{std::move(bytes), Affine::scale(1.0 / width, 1.0 / height)}};
  }

 private:
  std::string path_;
  FileFormat format_;
  InputLimits limits_;
};

class TiffSource : public PageSource {
 public:
  TiffSource(std::string path, int pages) : path_(std::move(path)), pages_(pages) {}
  int page_count() const override { return pages_; }

  Result<PageImage> page(int index) override {
    if (index < 0 || index >= pages_) return Error{"page index out of range"};
    Pix* pix = pixReadTiff(path_.c_str(), index);
    if (!pix) return Error{"TIFF page " + std::to_string(index + 1) + " is corrupt, truncated or uses an unsupported encoding"};
    return PageImage(normalise_depth(pix));
  }

 private:
  std::string path_;
  int pages_;
};

// Counts the pages and checks each one's size from its directory, so that no page is
// decoded from a file that could not be finished.
Result<int> count_tiff_pages(const std::string& path, const InputLimits& limits) {
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (!tif) return Error{"TIFF header or directory is corrupt or truncated"};
  int pages = 0;
  Status fits = ok_status();
  do {
    if (++pages > limits.max_pages) {
      fits = Error{"TIFF has more than the limit of " + std::to_string(limits.max_pages) + " pages"};
      break;
    }
    uint32_t width = 0, height = 0;
    if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) != 1 || TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) != 1) {
      fits = Error{"TIFF page " + std::to_string(pages) + " has no image width or height"};
      break;
    }
    fits = check_image_size("TIFF page " + std::to_string(pages), width, height, limits);
  } while (fits.ok() && TIFFReadDirectory(tif) == 1);
  TIFFClose(tif);
  if (!fits) return fits.error();
  return pages;
}

}  // namespace

Result<std::unique_ptr<PageSource>> open_page_source(const std::string& path, const InputLimits& limits) {
  silence_decoder_messages();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot be opened"};
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.empty()) return Error{"file is empty"};

  switch (sniff_format(head)) {
    case FileFormat::Png:
      return std::unique_ptr<PageSource>(new SingleImageSource(path, FileFormat::Png, limits));
    case FileFormat::Jpeg:
      return std::unique_ptr<PageSource>(new SingleImageSource(path, FileFormat::Jpeg, limits));
    case FileFormat::Tiff: {
      auto pages = count_tiff_pages(path, limits);
      if (!pages) return pages.error();
      return std::unique_ptr<PageSource>(new TiffSource(path, *pages));
    }
    case FileFormat::Pdf:
      return open_pdf_page_source(path, limits);
    case FileFormat::Unknown:
      break;
  }
  return Error{"not a PNG, JPEG, TIFF or PDF file"};
}

}  // namespace casenote
