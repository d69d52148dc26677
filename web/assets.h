// The review workstation's front end (web/static/): compiled into the program, so the server
// needs no files beside it and nothing is fetched from elsewhere.
#pragma once

#include <cstddef>
#include <string_view>

namespace casenote {

struct Asset {
  std::string_view path;          // where it is served, e.g. /static/app.js
  std::string_view content_type;
  std::string_view bytes;
};

// The asset served at `path`, or null when there is none.
const Asset* find_asset(std::string_view path);

// Every asset, generated from web/static/ by web/embed_assets.cmake.
extern const Asset kAssets[];
extern const size_t kAssetCount;

}  // namespace casenote
