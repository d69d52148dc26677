// Finding the input files of a batch and fingerprinting them.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace casenote {

struct InputList {
  std::vector<std::string> files;    // in the order given; a folder's files sorted by path
  std::vector<std::string> ignored;  // files in folders that are not images or PDFs
  std::vector<std::string> missing;  // paths given that do not exist
};

// True when the file is named like an image or PDF (.png .jpg .jpeg .tif .tiff .pdf, any case).
bool named_like_input(const std::string& path);

// Expands each path: a file is taken as it is, whatever its name; a folder is walked
// recursively for files named like images or PDFs (.png .jpg .jpeg .tif .tiff .pdf).
InputList collect_inputs(const std::vector<std::string>& paths);

// Hex SHA-256 of the file's bytes.
Result<std::string> sha256_of_file(const std::string& path);

}  // namespace casenote
