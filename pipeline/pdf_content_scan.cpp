#include "pipeline/pdf_content_scan.h"

#include <podofo/podofo.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "pipeline/pdf_objects.h"
#include "pipeline/pdf_stream_filters.h"

namespace casenote {

namespace {

// Content streams of scanned pages are tiny; this only stops a compressed bomb.
constexpr size_t kMaxContentBytes = 256u << 20;
// Real documents nest forms a level or two; deeper nesting is a loop or an attack.
constexpr int kMaxFormDepth = 12;

std::optional<Affine> matrix_from_numbers(const std::vector<PoDoFo::PdfVariant>& operands) {
  if (operands.size() < 6) return std::nullopt;
  double v[6];
  for (size_t i = 0; i < 6; ++i) {
    const PoDoFo::PdfVariant& operand = operands[operands.size() - 6 + i];
    if (!operand.IsNumber() && !operand.IsReal()) return std::nullopt;
    v[i] = operand.GetReal();
  }
  Affine m{v[0], v[1], v[2], v[3], v[4], v[5]};
  if (!m.finite()) return std::nullopt;
  return m;
}

std::optional<Affine> matrix_from_array(const PoDoFo::PdfObject* array, const PoDoFo::PdfVecObjects& objects) {
  if (!array || !array->IsArray() || array->GetArray().size() != 6) return std::nullopt;
  double v[6];
  for (size_t i = 0; i < 6; ++i) {
    std::optional<double> value = number_value(resolve(&array->GetArray()[i], objects));
    if (!value) return std::nullopt;
    v[i] = *value;
  }
  Affine m{v[0], v[1], v[2], v[3], v[4], v[5]};
  if (!m.finite()) return std::nullopt;
  return m;
}

class ContentScanner {
 public:
  explicit ContentScanner(const PoDoFo::PdfVecObjects& objects) : objects_(objects) {}

  Status scan(const std::string& content, const PoDoFo::PdfObject* resources, const Affine& base, int depth) {
    PoDoFo::PdfContentsTokenizer tokens(content.data(), static_cast<long>(content.size()));
    std::vector<Affine> saved;
    Affine ctm = base;
    std::vector<PoDoFo::PdfVariant> operands;
    PoDoFo::EPdfContentsType type;
    const char* keyword = nullptr;
    PoDoFo::PdfVariant operand;
    while (tokens.ReadNext(type, keyword, operand)) {
      if (type == PoDoFo::ePdfContentsType_Variant) {
        operands.push_back(operand);
        continue;
      }
      if (type != PoDoFo::ePdfContentsType_Keyword) return Error{"content stream holds inline image data"};
      if (std::strcmp(keyword, "q") == 0) {
        saved.push_back(ctm);
      } else if (std::strcmp(keyword, "Q") == 0) {
        // A stray Q is common in sloppy writers and harmless; viewers ignore it too.
        if (!saved.empty()) {
          ctm = saved.back();
          saved.pop_back();
        }
      } else if (std::strcmp(keyword, "cm") == 0) {
        std::optional<Affine> m = matrix_from_numbers(operands);
        if (!m) return Error{"content stream has a malformed cm operator"};
        ctm = m->then(ctm);
      } else if (std::strcmp(keyword, "Do") == 0) {
        if (operands.empty() || !operands.back().IsName()) return Error{"content stream has a malformed Do operator"};
        Status drawn = paint(operands.back().GetName().GetName(), resources, ctm, depth);
        if (!drawn) return drawn;
      } else if (std::strcmp(keyword, "BI") == 0) {
        return Error{"page uses an inline image, which is not supported"};
      }
      operands.clear();
    }
    return ok_status();
  }

  std::vector<PlacedImage> take_images() { return std::move(images_); }

 private:
  Status paint(const std::string& name, const PoDoFo::PdfObject* resources, const Affine& ctm, int depth) {
    const PoDoFo::PdfObject* xobject = dict_entry(dict_entry(resources, "XObject", objects_), name.c_str(), objects_);
    if (!xobject || !xobject->IsDictionary())
      return Error{fmt::format("content paints /{}, which is not among the page's resources", name)};
    std::optional<std::string> subtype = name_value(dict_entry(xobject, "Subtype", objects_));
    if (subtype == "Image") {
      images_.push_back({xobject, ctm});
      return ok_status();
    }
    if (subtype != "Form") return ok_status();
    if (depth >= kMaxFormDepth) return Error{"Form XObjects are nested too deeply"};
    const PoDoFo::PdfObject* matrix_entry = dict_entry(xobject, "Matrix", objects_);
    std::optional<Affine> matrix = matrix_entry ? matrix_from_array(matrix_entry, objects_) : Affine{};
    if (!matrix) return Error{fmt::format("Form XObject /{} has a malformed /Matrix", name)};
    // Forms without /Resources use the resources of whatever paints them (a PDF 1.1 leftover).
    const PoDoFo::PdfObject* form_resources = dict_entry(xobject, "Resources", objects_);
    Result<std::string> content = decode_plain_stream(*xobject, objects_, kMaxContentBytes);
    if (!content) return Error{fmt::format("Form XObject /{}: {}", name, content.error().message)};
    return scan(*content, form_resources ? form_resources : resources, matrix->then(ctm), depth + 1);
  }

  const PoDoFo::PdfVecObjects& objects_;
  std::vector<PlacedImage> images_;
};

Result<std::string> page_content(const PoDoFo::PdfPage& page, const PoDoFo::PdfVecObjects& objects) {
  const PoDoFo::PdfObject* contents = dict_entry(page.GetObject(), "Contents", objects);
  std::vector<const PoDoFo::PdfObject*> streams;
  if (contents && contents->IsArray()) {
    for (const auto& entry : contents->GetArray()) streams.push_back(resolve(&entry, objects));
  } else if (contents) {
    streams.push_back(contents);
  }
  std::string joined;
  for (const PoDoFo::PdfObject* stream : streams) {
    if (!stream || !stream->HasStream()) continue;
    size_t room = kMaxContentBytes - std::min(kMaxContentBytes, joined.size());
    Result<std::string> part = decode_plain_stream(*stream, objects, room);
    if (!part) return Error{fmt::format("page content: {}", part.error().message)};
    // Streams of one page are one sequence of operators, but a token may not span two streams.
    joined += *part;
    joined += '\n';
  }
  return joined;
}

}  // namespace

Result<std::vector<PlacedImage>> find_placed_images(const PoDoFo::PdfPage& page, const PoDoFo::PdfVecObjects& objects) {
  Result<std::string> content = page_content(page, objects);
  if (!content) return content.error();
  ContentScanner scanner(objects);
  Status scanned = scanner.scan(*content, page.GetResources(), Affine{}, 0);
  if (!scanned) return scanned.error();
  return scanner.take_images();
}

}  // namespace casenote
