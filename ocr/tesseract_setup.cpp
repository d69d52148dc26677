#include "ocr/tesseract_setup.h"

#include <dlfcn.h>

#include <leptonica/allheaders.h>

#include "ocr/brick_opening.h"

namespace casenote {

Result<std::unique_ptr<tesseract::TessBaseAPI>> init_tesseract(
    const std::string& tessdata_dir, const std::string& language, tesseract::OcrEngineMode mode,
    const std::vector<std::pair<std::string, std::string>>& init_variables) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // debug_file can only be set at Init (it is an init-only parameter); without it Tesseract
  // prints "Estimating resolution" and similar lines for every page.
  std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
  for (const auto& [name, value] : init_variables) {
    names.push_back(name);
    values.push_back(value);
  }
  const char* datapath = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();
  if (api->Init(datapath, language.c_str(), mode, nullptr, 0, &names, &values, false) != 0) {
    return Error{"cannot load Tesseract language '" + language + "'" +
                 (tessdata_dir.empty() ? std::string(" from the default tessdata folder")
                                       : " from " + tessdata_dir)};
  }
  return api;
}

}  // namespace casenote

// Tesseract 5.3 keeps each word or line it recognises as a PNG in memory: it encodes the clipped
// image (ImageData::SetPixInternal) and decodes it again before reading it. Leptonica takes the
// zlib level from the image, which Tesseract has just made, so it is always the default level:
// deflating those images took 7% of an ingest's CPU (perf over the throughput benchmark's pages).
// The only place the level can be chosen is the call itself, so casenote defines pixWriteMem:
// an executable's own definitions come before a shared library's, and Tesseract's calls (and
// Leptonica's) bind to this one. It writes the same PNG stored rather than compressed, from a
// copy so that the caller's image is left as it was; everything else goes to Leptonica's.
// Tesseract decodes the same pixels, so it reads the same words (identical exports of 40 pages).
extern "C" l_ok pixWriteMem(l_uint8** data, size_t* size, PIX* pix, l_int32 format) {
  using WriteMem = l_ok (*)(l_uint8**, size_t*, PIX*, l_int32);
  static const auto leptonica_write = reinterpret_cast<WriteMem>(dlsym(RTLD_NEXT, "pixWriteMem"));
  if (!leptonica_write) return 1;
  if (format != IFF_PNG || !pix) return leptonica_write(data, size, pix, format);
  PIX* stored = pixCopy(nullptr, pix);
  if (!stored) return 1;
  pixSetZlibCompression(stored, 0);
  const l_ok written = leptonica_write(data, size, stored, format);
  pixDestroy(&stored);
  return written;
}

// Tesseract's line finder opens the whole page with bricks a quarter of an inch long, across
// and down (75 pixels at 300 dpi), and with a square one. Leptonica shifts the page once for
// each pixel of a brick: 0.8 to 1.3 s of CPU a worker over the throughput benchmark's 40 pages.
// casenote's pixOpenBrick gives the same bits by doubling (ocr/brick_opening.h) for a new
// image, which is how Tesseract calls it; anything else goes to Leptonica's.
extern "C" PIX* pixOpenBrick(PIX* pixd, PIX* pixs, l_int32 hsize, l_int32 vsize) {
  if (!pixd)
    if (Pix* opened = casenote::open_by_brick(pixs, hsize, vsize)) return opened;
  using OpenBrick = PIX* (*)(PIX*, PIX*, l_int32, l_int32);
  static const auto leptonica_open = reinterpret_cast<OpenBrick>(dlsym(RTLD_NEXT, "pixOpenBrick"));
  return leptonica_open ? leptonica_open(pixd, pixs, hsize, vsize) : nullptr;
}

// Tesseract's LSTM reads each step of each line through an OpenMP "parallel sections" region (its
// four gates), about 60,000 regions a page. With one OpenMP thread an engine, as casenote runs
// it, libgomp still starts a team for each region and ends it with a futex wake-up: 1.4 million
// system calls a worker on the throughput benchmark's 40 pages. casenote defines the three entry
// points GCC emits for such a region, binding Tesseract's calls to them as for pixWriteMem
// above: the sections run one after another on the calling thread, in order, as libgomp runs
// them with a team of one. Only libtesseract calls these among the libraries casenote loads.
namespace {

struct OpenmpSections {
  unsigned next = 1;
  unsigned count = 0;
};

thread_local OpenmpSections current_sections;

}  // namespace

extern "C" void GOMP_parallel_sections(void (*body)(void*), void* data, unsigned /*num_threads*/, unsigned count,
                                       unsigned /*flags*/) {
  const OpenmpSections outer = current_sections;
  current_sections = {1, count};
  body(data);
  current_sections = outer;
}

extern "C" unsigned GOMP_sections_next() {
  return current_sections.next <= current_sections.count ? current_sections.next++ : 0;
}

extern "C" void GOMP_sections_end_nowait() {}
