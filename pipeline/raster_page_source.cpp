// PNG, JPEG and TIFF inputs, decoded with Leptonica; the format is told by the file's first
// bytes so a misnamed file is still read right, and a text file named .png is refused.
#include <leptonica/allheaders.h>
#include <tiffio.h>

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

class SingleImageSource : public PageSource {
 public:
  SingleImageSource(std::string path, FileFormat format) : path_(std::move(path)), format_(format) {}
  int page_count() const override { return 1; }

  Result<PageImage> page(int index) override {
    if (index != 0) return Error{"page index out of range"};
    Pix* pix = nullptr;
    if (format_ == FileFormat::Jpeg) {
      // libjpeg fills a truncated image with grey and only warns; a page with a missing band
      // must not be filed as if whole, so any warning fails the page.
      int warnings = 0;
      pix = pixReadJpeg(path_.c_str(), 0, 1, &warnings, 0);
      if (pix && warnings > 0) {
        pixDestroy(&pix);
        return Error{"JPEG data is corrupt or truncated"};
      }
      if (!pix) return Error{"JPEG data cannot be decoded"};
    } else {
      pix = pixRead(path_.c_str());
      if (!pix) return Error{"PNG data is corrupt or truncated"};
    }
    return PageImage(normalise_depth(pix));
  }

 private:
  std::string path_;
  FileFormat format_;
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

Result<int> count_tiff_pages(const std::string& path) {
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (!tif) return Error{"TIFF header or directory is corrupt or truncated"};
  int pages = 0;
  do {
    ++pages;
  } while (TIFFReadDirectory(tif) == 1);
  TIFFClose(tif);
  return pages;
}

}  // namespace

Result<std::unique_ptr<PageSource>> open_page_source(const std::string& path) {
  silence_decoder_messages();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot be opened"};
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.empty()) return Error{"file is empty"};

  switch (sniff_format(head)) {
    case FileFormat::Png:
      return std::unique_ptr<PageSource>(new SingleImageSource(path, FileFormat::Png));
    case FileFormat::Jpeg:
      return std::unique_ptr<PageSource>(new SingleImageSource(path, FileFormat::Jpeg));
    case FileFormat::Tiff: {
      auto pages = count_tiff_pages(path);
      if (!pages) return pages.error();
      return std::unique_ptr<PageSource>(new TiffSource(path, *pages));
    }
    case FileFormat::Pdf:
      return open_pdf_page_source(path);
    case FileFormat::Unknown:
      break;
  }
  return Error{"not a PNG, JPEG, TIFF or PDF file"};
}

}  // namespace casenote
