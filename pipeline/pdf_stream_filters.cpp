#include "pipeline/pdf_stream_filters.h"

#include <podofo/podofo.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "pipeline/pdf_objects.h"

namespace casenote {

namespace {

// Feeding filters in slices lets decoding stop soon after the output limit is reached.
constexpr size_t kFeedSlice = 64 * 1024;

// Collects a filter's output up to a limit, dropping the rest and remembering that it did.
class BoundedSink final : public PoDoFo::PdfOutputStream {
 public:
  BoundedSink(std::string* out, size_t limit) : out_(out), limit_(limit) {}

  PoDoFo::pdf_long Write(const char* data, PoDoFo::pdf_long length) override {
    size_t wanted = static_cast<size_t>(length);
    size_t room = limit_ - std::min(limit_, out_->size());
    size_t taken = std::min(room, wanted);
    out_->append(data, taken);
    if (taken < wanted) full_ = true;
    return length;
  }
  void Close() override {}

  bool full() const { return full_; }

 private:
  std::string* out_;
  size_t limit_;
  bool full_ = false;
};

enum class FilterRole { general, image_codec, unsupported_codec };

struct FilterSpec {
  const char* name;
  const char* abbreviation;  // the short form inline images use, which some writers put in streams too
  FilterRole role;
  PoDoFo::EPdfFilter podofo_type;
};

constexpr FilterSpec kFilters[] = {
    {"FlateDecode", "Fl", FilterRole::general, PoDoFo::ePdfFilter_FlateDecode},
    {"LZWDecode", "LZW", FilterRole::general, PoDoFo::ePdfFilter_LZWDecode},
    {"ASCIIHexDecode", "AHx", FilterRole::general, PoDoFo::ePdfFilter_ASCIIHexDecode},
    {"ASCII85Decode", "A85", FilterRole::general, PoDoFo::ePdfFilter_ASCII85Decode},
    {"RunLengthDecode", "RL", FilterRole::general, PoDoFo::ePdfFilter_RunLengthDecode},
    {"DCTDecode", "DCT", FilterRole::image_codec, PoDoFo::ePdfFilter_DCTDecode},
    {"CCITTFaxDecode", "CCF", FilterRole::image_codec, PoDoFo::ePdfFilter_CCITTFaxDecode},
    {"JBIG2Decode", "", FilterRole::image_codec, PoDoFo::ePdfFilter_JBIG2Decode},
    {"JPXDecode", "", FilterRole::unsupported_codec, PoDoFo::ePdfFilter_JPXDecode},
    {"Crypt", "", FilterRole::unsupported_codec, PoDoFo::ePdfFilter_Crypt},
};

const FilterSpec* find_filter(const std::string& name) {
  for (const auto& spec : kFilters)
    if (name == spec.name || (*spec.abbreviation && name == spec.abbreviation)) return &spec;
  return nullptr;
}

struct FilterStep {
  const FilterSpec* spec;
  const PoDoFo::PdfObject* parms;  // resolved /DecodeParms entry; null when absent
};

Result<std::vector<FilterStep>> filter_chain(const PoDoFo::PdfObject& stream, const PoDoFo::PdfVecObjects& objects) {
  const PoDoFo::PdfObject* filters = dict_entry(&stream, "Filter", objects);
  const PoDoFo::PdfObject* parms = dict_entry(&stream, "DecodeParms", objects);
  std::vector<const PoDoFo::PdfObject*> names;
  std::vector<const PoDoFo::PdfObject*> parm_list;
  if (!filters || filters->IsNull()) return std::vector<FilterStep>{};
  if (filters->IsName()) {
    names.push_back(filters);
    parm_list.push_back(parms);
  } else if (filters->IsArray()) {
    for (const auto& entry : filters->GetArray()) names.push_back(resolve(&entry, objects));
    if (parms && parms->IsArray())
      for (const auto& entry : parms->GetArray()) parm_list.push_back(resolve(&entry, objects));
  } else {
    return Error{"stream /Filter is neither a name nor an array"};
  }
  std::vector<FilterStep> steps;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<std::string> name = name_value(names[i]);
    if (!name) return Error{"stream /Filter array holds something other than a name"};
    const FilterSpec* spec = find_filter(*name);
    if (!spec) return Error{fmt::format("stream uses unknown filter /{}", *name)};
    const PoDoFo::PdfObject* step_parms = i < parm_list.size() ? parm_list[i] : nullptr;
    if (step_parms && !step_parms->IsDictionary()) step_parms = nullptr;
    steps.push_back({spec, step_parms});
  }
  return steps;
}

// Runs one PoDoFo filter over `input`, keeping at most `max_bytes` of output.
Result<std::string> run_podofo_filter(const FilterSpec& spec, const std::string& input, size_t max_bytes,
                                      bool* reached_limit) {
  std::unique_ptr<PoDoFo::PdfFilter> filter(PoDoFo::PdfFilterFactory::Create(spec.podofo_type));
  if (!filter || !filter->CanDecode()) return Error{fmt::format("no decoder is available for {}", spec.name)};
  std::string output;
  BoundedSink sink(&output, max_bytes);
  try {
    // Predictors are undone separately: PoDoFo 0.9.8's predictor code mishandles sub-byte rows.
    filter->BeginDecode(&sink, nullptr);
    for (size_t offset = 0; offset < input.size() && !sink.full(); offset += kFeedSlice) {
      size_t length = std::min(kFeedSlice, input.size() - offset);
      filter->DecodeBlock(input.data() + offset, static_cast<PoDoFo::pdf_long>(length));
    }
    filter->EndDecode();
  } catch (const PoDoFo::PdfError&) {
    return Error{fmt::format("{} data is damaged", spec.name)};
  }
  if (sink.full()) *reached_limit = true;
  return output;
}

struct PredictorLayout {
  int predictor = 1;
  int colors = 1;
  int bits = 8;
  size_t row_bytes = 0;
  size_t pixel_bytes = 1;  // PNG's "bpp": bytes per complete pixel, at least one
};

Result<PredictorLayout> predictor_layout(const PoDoFo::PdfObject* parms, const PoDoFo::PdfVecObjects& objects) {
  PredictorLayout layout;
  if (!parms) return layout;
  auto integer = [&](const char* key, int fallback) {
    std::optional<double> value = number_value(dict_entry(parms, key, objects));
    return value ? static_cast<long long>(*value) : fallback;
  };
  long long predictor = integer("Predictor", 1);
  long long colors = integer("Colors", 1);
  long long bits = integer("BitsPerComponent", 8);
  long long columns = integer("Columns", 1);
  if (predictor == 1) return layout;
  if (predictor != 2 && (predictor < 10 || predictor > 15))
    return Error{fmt::format("stream uses unknown predictor {}", predictor)};
  if (colors < 1 || colors > 32) return Error{fmt::format("predictor /Colors {} is out of range", colors)};
  if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16)
    return Error{fmt::format("predictor /BitsPerComponent {} is invalid", bits)};
  if (columns < 1 || columns > (1 << 24)) return Error{fmt::format("predictor /Columns {} is out of range", columns)};
  layout.predictor = static_cast<int>(predictor);
  layout.colors = static_cast<int>(colors);
  layout.bits = static_cast<int>(bits);
  layout.row_bytes = static_cast<size_t>((columns * colors * bits + 7) / 8);
  layout.pixel_bytes = static_cast<size_t>(std::max<long long>(1, (colors * bits + 7) / 8));
  return layout;
}

uint8_t paeth(int left, int up, int up_left) {
  int estimate = left + up - up_left;
  int to_left = std::abs(estimate - left), to_up = std::abs(estimate - up), to_up_left = std::abs(estimate - up_left);
  if (to_left <= to_up && to_left <= to_up_left) return static_cast<uint8_t>(left);
  if (to_up <= to_up_left) return static_cast<uint8_t>(up);
  return static_cast<uint8_t>(up_left);
}

// PNG predictors: every row starts with a byte naming how it was filtered. A last row cut
// short is decoded as far as it goes.
Result<std::string> undo_png_predictor(const std::string& data, const PredictorLayout& layout) {
  const size_t stride = layout.row_bytes + 1;
  std::string out;
  out.reserve(data.size() / stride * layout.row_bytes + layout.row_bytes);
  std::vector<uint8_t> previous(layout.row_bytes, 0), current(layout.row_bytes, 0);
  for (size_t pos = 0; pos < data.size(); pos += stride) {
    int type = static_cast<uint8_t>(data[pos]);
    size_t length = std::min(layout.row_bytes, data.size() - pos - 1);
    for (size_t i = 0; i < length; ++i) {
      int raw = static_cast<uint8_t>(data[pos + 1 + i]);
      int left = i >= layout.pixel_bytes ? current[i - layout.pixel_bytes] : 0;
      int up = previous[i];
      int up_left = i >= layout.pixel_bytes ? previous[i - layout.pixel_bytes] : 0;
      switch (type) {
        case 0: current[i] = static_cast<uint8_t>(raw); break;
        case 1: current[i] = static_cast<uint8_t>(raw + left); break;
        case 2: current[i] = static_cast<uint8_t>(raw + up); break;
        case 3: current[i] = static_cast<uint8_t>(raw + (left + up) / 2); break;
        case 4: current[i] = static_cast<uint8_t>(raw + paeth(left, up, up_left)); break;
        default: return Error{fmt::format("PNG predictor row has unknown filter type {}", type)};
      }
    }
    out.append(reinterpret_cast<const char*>(current.data()), length);
    previous.swap(current);
  }
  return out;
}

unsigned read_sample(const uint8_t* row, size_t index, int bits) {
  size_t bit = index * static_cast<size_t>(bits);
  return (row[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
}

void write_sample(uint8_t* row, size_t index, int bits, unsigned value) {
  size_t bit = index * static_cast<size_t>(bits);
  int shift = static_cast<int>(8 - bits - bit % 8);
  unsigned mask = ((1u << bits) - 1) << shift;
  row[bit / 8] = static_cast<uint8_t>((row[bit / 8] & ~mask) | ((value << shift) & mask));
}

// TIFF predictor 2: each sample is stored as the difference from the same component of the
// pixel to its left. Whole rows only; a partial last row is left as stored.
std::string undo_tiff_predictor(std::string data, const PredictorLayout& layout) {
  const size_t samples = layout.row_bytes * 8 / static_cast<size_t>(layout.bits);
  const size_t colors = static_cast<size_t>(layout.colors);
  for (size_t pos = 0; pos + layout.row_bytes <= data.size(); pos += layout.row_bytes) {
    auto* row = reinterpret_cast<uint8_t*>(&data[pos]);
    if (layout.bits == 8) {
      for (size_t i = colors; i < layout.row_bytes; ++i) row[i] = static_cast<uint8_t>(row[i] + row[i - colors]);
    } else if (layout.bits == 16) {
      for (size_t i = colors; i < layout.row_bytes / 2; ++i) {
        unsigned sum = ((row[2 * i] << 8) | row[2 * i + 1]) + ((row[2 * (i - colors)] << 8) | row[2 * (i - colors) + 1]);
        row[2 * i] = static_cast<uint8_t>(sum >> 8);
        row[2 * i + 1] = static_cast<uint8_t>(sum);
      }
    } else {
      for (size_t i = colors; i < samples; ++i)
        write_sample(row, i, layout.bits, read_sample(row, i, layout.bits) + read_sample(row, i - colors, layout.bits));
    }
  }
  return data;
}

Result<std::string> undo_predictor(std::string data, const PoDoFo::PdfObject* parms,
                                   const PoDoFo::PdfVecObjects& objects) {
  Result<PredictorLayout> layout = predictor_layout(parms, objects);
  if (!layout) return layout.error();
  if (layout->predictor == 1) return data;
  if (layout->predictor == 2) return undo_tiff_predictor(std::move(data), *layout);
  return undo_png_predictor(data, *layout);
}

}  // namespace

Result<FilteredStream> undo_general_filters(const PoDoFo::PdfObject& stream, const PoDoFo::PdfVecObjects& objects,
                                            size_t max_bytes) {
  if (!stream.HasStream()) return Error{"object has no stream data"};
  Result<std::vector<FilterStep>> steps = filter_chain(stream, objects);
  if (!steps) return steps.error();
  FilteredStream result;
  BoundedSink raw(&result.bytes, std::numeric_limits<size_t>::max());
  stream.GetStream()->GetCopy(&raw);
  for (size_t i = 0; i < steps->size(); ++i) {
    const FilterStep& step = (*steps)[i];
    if (step.spec->role == FilterRole::unsupported_codec)
      return Error{fmt::format("image uses {}, which is not supported", step.spec->name)};
    if (step.spec->role == FilterRole::image_codec) {
      if (i + 1 != steps->size())
        return Error{fmt::format("stream applies another filter after {}", step.spec->name)};
      result.codec = step.spec->name;
      result.codec_parms = step.parms;
      return result;
    }
    Result<std::string> decoded = run_podofo_filter(*step.spec, result.bytes, max_bytes, &result.reached_limit);
    if (!decoded) return decoded.error();
    Result<std::string> unpredicted = undo_predictor(std::move(decoded.value()), step.parms, objects);
    if (!unpredicted) return unpredicted.error();
    result.bytes = std::move(unpredicted.value());
  }
  return result;
}

Result<std::string> decode_plain_stream(const PoDoFo::PdfObject& stream, const PoDoFo::PdfVecObjects& objects,
                                        size_t max_bytes) {
  Result<FilteredStream> filtered = undo_general_filters(stream, objects, max_bytes);
  if (!filtered) return filtered.error();
  if (!filtered->codec.empty()) return Error{fmt::format("stream is encoded with {}", filtered->codec)};
  if (filtered->reached_limit) return Error{fmt::format("stream expands beyond {} bytes", max_bytes)};
  return std::move(filtered->bytes);
}

}  // namespace casenote
