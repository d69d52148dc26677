// PDF files written object by object, for tests that need exact control of what a reader meets.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

namespace casenote::testing {

// Numbered objects with a correct cross-reference table.
class PdfFile {
 public:
  // Adds an object; returns its number.
  int add(const std::string& body) {
    bodies_.push_back(body);
    return static_cast<int>(bodies_.size());
  }
  int add_stream(const std::string& entries, const std::string& data) {
    return add(fmt::format("<< {} /Length {} >>\nstream\n", entries, data.size()) + data + "\nendstream");
  }
  void replace(int number, const std::string& body) { bodies_[static_cast<size_t>(number - 1)] = body; }

  std::string bytes(int root, const std::string& trailer_extra = "") const {
    std::string out = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < bodies_.size(); ++i) {
      offsets.push_back(out.size());
      out += fmt::format("{} 0 obj\n", i + 1) + bodies_[i] + "\nendobj\n";
    }
    const size_t xref = out.size();
    out += fmt::format("xref\n0 {}\n0000000000 65535 f \n", bodies_.size() + 1);
    for (size_t offset : offsets) out += fmt::format("{:010} 00000 n \n", offset);
    out += fmt::format("trailer\n<< /Size {} /Root {} 0 R {} >>\nstartxref\n{}\n%%EOF\n", bodies_.size() + 1, root,
                       trailer_extra, xref);
    return out;
  }

 private:
  std::vector<std::string> bodies_;
};

}  // namespace casenote::testing
