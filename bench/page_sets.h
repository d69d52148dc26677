// The pages the preparation benchmarks run over, each with what is known about it: the bundled
// samples and their ground truth, the samples turned all four ways, sample pages rotated to
// known skews, generated blank and text pages, and the shared corpus of real scans when present.
#pragma once

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ocr/page_image.h"
#include "pipeline/page_source.h"
#include "tests/support/page_fixtures.h"

namespace casenote::bench {

struct BenchPage {
  std::string set;   // which group it is reported in
  std::string name;  // file, page and variant
  std::function<PageImage()> load;
  std::optional<int> rotation;  // clockwise degrees that make it upright
  std::optional<double> skew;   // degrees, positive when lines rise to the right
  std::optional<bool> blank;
};

inline PageImage load_page(const std::string& path, int index) {
  auto source = open_page_source(path);
  if (!source) return PageImage();
  auto page = (*source)->page(index);
  return page ? std::move(*page) : PageImage();
}

inline int normal_degrees(int degrees) { return ((degrees % 360) + 360) % 360; }

// Every page of the samples as loaded, and turned a quarter, a half and three quarters.
inline std::vector<BenchPage> sample_pages(const std::filesystem::path& samples) {
  std::vector<BenchPage> pages;
  std::ifstream in(samples / "ground_truth.json");
  const auto truth = nlohmann::json::parse(in);
  for (const auto& document : truth) {
    const std::string path = (samples / document["file"].get<std::string>()).string();
    for (const auto& page : document["pages"]) {
      const int index = page["number"].get<int>() - 1;
      const int rotation = page["rotation_degrees"];
      const double skew = page["skew_degrees"];
      const std::string name = document["file"].get<std::string>() + " p" + std::to_string(index + 1);
      for (int turns = 0; turns < 4; ++turns) {
        pages.push_back({turns == 0 ? "samples" : "samples turned",
                         turns == 0 ? name : name + " +" + std::to_string(90 * turns),
                         [path, index, turns] { return testing::turned_page(load_page(path, index), turns); },
                         normal_degrees(rotation - 90 * turns), skew, false});
      }
    }
  }
  return pages;
}

// A sample page rotated so that its text leans by every `step` degrees from -15 to +15.
inline std::vector<BenchPage> skewed_pages(const std::filesystem::path& samples, const std::string& file,
                                           double sample_skew, int step) {
  std::vector<BenchPage> pages;
  const std::string path = (samples / file).string();
  for (int target = -15; target <= 15; target += step) {
    // Rotating clockwise by a lowers a line rising at s degrees to s - a.
    const double clockwise = sample_skew - target;
    pages.push_back({"generated skew", file + " at " + std::to_string(target) + " deg",
                     [path, clockwise] { return testing::rotated_page(load_page(path, 0), clockwise); }, 0,
                     static_cast<double>(target), false});
  }
  return pages;
}

// The generated instruction sheet of pictograms and short captions, leaning by every 3 degrees
// from -15 to +15: a page whose skew measures only weakly.
inline std::vector<BenchPage> pictogram_pages() {
  std::vector<BenchPage> pages;
  for (int target = -15; target <= 15; target += 3)
    pages.push_back({"generated pictograms", "pictogram sheet at " + std::to_string(target) + " deg",
                     [target] { return testing::rotated_page(testing::pictogram_sheet(), -target); }, 0,
                     static_cast<double>(target), false});
  return pages;
}

// Blank and nearly blank pages, and the text pages they must not be confused with.
inline std::vector<BenchPage> blank_and_text_pages() {
  using namespace testing;
  std::vector<BenchPage> pages;
  auto add = [&](const std::string& name, std::function<PageImage()> load, bool blank) {
    pages.push_back({"generated blank", name, std::move(load), std::nullopt, std::nullopt, blank});
  };
  add("blank paper", [] { return paper(2480, 3508, 300); }, true);
  add("blank, punched holes", [] { auto p = paper(2480, 3508, 300); add_punched_holes(p); return p; }, true);
  add("blank, holes and border", [] {
    auto p = paper(2480, 3508, 300);
    add_punched_holes(p);
    add_left_border(p, 0.3);
    return p;
  }, true);
  add("blank, smudge", [] { auto p = paper(2480, 3508, 300); add_smudge(p); return p; }, true);
  add("5 faint lines", [] { auto p = paper(2480, 3508, 300); write_lines(p, 5, 190, 600); return p; }, false);
  add("1 faint line", [] { auto p = paper(2480, 3508, 300); write_lines(p, 1, 190, 600); return p; }, false);
  add("12 lines, holes and border", [] {
    auto p = paper(2480, 3508, 300);
    write_lines(p, 12, 20, 600);
    add_punched_holes(p);
    add_left_border(p, 0.3);
    return p;
  }, false);
  for (int lines : {5, 8, 12})
    for (int turns = 0; turns < 4; ++turns)
      pages.push_back({"generated lines", std::to_string(lines) + " lines +" + std::to_string(90 * turns),
                       [lines, turns] { return turned_page(text_page(lines), turns); },
                       normal_degrees(-90 * turns), 0.0, false});
  return pages;
}

// One CSV record, with quoted fields.
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// The corpus's pages (README.md there): its rotation column is Tesseract's orientation, how far
// the content is turned clockwise, so the turn that makes a page upright is the rest of a turn.
// Skew labels from other projects' test expectations or estimates go in their own set.
inline std::vector<BenchPage> corpus_pages(const std::filesystem::path& corpus) {
  std::vector<BenchPage> pages;
  std::ifstream in(corpus / "manifest.csv");
  std::string line;
  if (!std::getline(in, line)) return pages;
  const auto header = csv_fields(line);
  auto column = [&](const char* name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t file = column("file"), count = column("pages"), skew = column("skew_deg_ccw"),
               basis = column("skew_basis"), rotation = column("rotation_cw_deg");
  while (std::getline(in, line)) {
    const auto row = csv_fields(line);
    if (row.size() < header.size()) continue;
    const std::string path = (corpus / row[file]).string();
    const int page_count = std::max(1, std::atoi(row[count].c_str()));
    const bool exact = row[basis].find("CTM") != std::string::npos || row[basis].find("median angle") != std::string::npos ||
                       row[basis].find("clean upright") != std::string::npos || row[basis].rfind("none", 0) == 0;
    for (int index = 0; index < page_count; ++index) {
      BenchPage page{exact ? "corpus" : "corpus, reference skew", row[file] + " p" + std::to_string(index + 1),
                     [path, index] { return load_page(path, index); }, std::nullopt, std::nullopt, false};
      std::string turn = row[rotation];
      if (const size_t at = turn.find("p" + std::to_string(index + 1) + "="); at != std::string::npos)
        turn = turn.substr(at + turn.substr(at).find('=') + 1);
      if (!turn.empty() && std::isdigit(static_cast<unsigned char>(turn[0])))
        page.rotation = normal_degrees(360 - std::atoi(turn.c_str()));
      if (!row[skew].empty()) page.skew = std::atof(row[skew].c_str());
      pages.push_back(std::move(page));
    }
  }
  return pages;
}

}  // namespace casenote::bench
