// Shared set-up of Tesseract instances (internal to ocr/). Its .cpp also defines, for the whole
// process, Leptonica's pixWriteMem (Tesseract's in-memory PNGs not deflated) and pixOpenBrick
// (its line finder's openings by doubling), and libgomp's sections (run on the calling thread).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tesseract/baseapi.h>

#include "core/result.h"

namespace casenote {

// Initialises an API for `language` with engine `mode`, with Tesseract's own debug output
// silenced and `init_variables` (name, value) set, which only initialisation can set.
// Errors name the language and where it was looked for.
Result<std::unique_ptr<tesseract::TessBaseAPI>> init_tesseract(
    const std::string& tessdata_dir, const std::string& language, tesseract::OcrEngineMode mode,
    const std::vector<std::pair<std::string, std::string>>& init_variables = {});

}  // namespace casenote
