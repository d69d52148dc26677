#include "pipeline/pdf_image_decoder.h"

#include <leptonica/allheaders.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "pipeline/jbig2_decoder.h"
#include "pipeline/pdf_objects.h"
#include "pipeline/pdf_stream_filters.h"
#include "pipeline/pix_matrix.h"

namespace casenote {

namespace {

// An /Indexed lookup table holds at most 256 entries of at most 4 bytes.
constexpr size_t kMaxPaletteBytes = 256 * 4;
// Colour spaces nest at most twice (/Indexed over /ICCBased with an /Alternate); more is a loop.
constexpr int kMaxColourSpaceDepth = 4;

enum class Family { grey, rgb, cmyk, indexed };

struct ColourSpace {
  Family family = Family::grey;
  int components = 1;  // samples per pixel in the image data
  // For /Indexed: the space the palette entries are in, and the entries themselves.
  Family base = Family::grey;
  int base_components = 1;
  int hival = 0;
  std::string palette;
};

ColourSpace device_space(Family family) {
  ColourSpace space;
  space.family = family;
  space.components = family == Family::rgb ? 3 : family == Family::cmyk ? 4 : 1;
  return space;
}

// `depth` counts the colour spaces this one is nested in.
Result<ColourSpace> parse_colour_space(const PoDoFo::PdfObject* object, const PoDoFo::PdfVecObjects& objects,
                                       int depth, bool inside_indexed);

std::optional<Family> device_family(const std::string& name) {
  if (name == "DeviceGray" || name == "G" || name == "CalGray") return Family::grey;
  if (name == "DeviceRGB" || name == "RGB" || name == "CalRGB") return Family::rgb;
  if (name == "DeviceCMYK" || name == "CMYK") return Family::cmyk;
  return std::nullopt;
}

Result<ColourSpace> parse_icc_based(const PoDoFo::PdfArray& array, const PoDoFo::PdfVecObjects& objects, int depth,
                                    bool inside_indexed) {
  const PoDoFo::PdfObject* profile = array.size() > 1 ? resolve(&array[1], objects) : nullptr;
  std::optional<double> channels = number_value(dict_entry(profile, "N", objects));
  if (channels == 1.0) return device_space(Family::grey);
  if (channels == 3.0) return device_space(Family::rgb);
  if (channels == 4.0) return device_space(Family::cmyk);
  if (const PoDoFo::PdfObject* alternate = dict_entry(profile, "Alternate", objects))
    return parse_colour_space(alternate, objects, depth + 1, inside_indexed);
  return Error{"ICCBased colour space has no usable /N"};
}

Result<std::string> palette_bytes(const PoDoFo::PdfObject* lookup, const PoDoFo::PdfVecObjects& objects) {
  if (lookup && (lookup->IsString() || lookup->IsHexString())) {
    const PoDoFo::PdfString& text = lookup->GetString();
    if (!text.IsValid()) return Error{"Indexed colour table is not a valid string"};
    return std::string(text.GetString(), static_cast<size_t>(text.GetLength()));
  }
  if (lookup && lookup->HasStream()) return decode_plain_stream(*lookup, objects, kMaxPaletteBytes);
  return Error{"Indexed colour space has no lookup table"};
}

Result<ColourSpace> parse_indexed(const PoDoFo::PdfArray& array, const PoDoFo::PdfVecObjects& objects, int depth,
                                  bool inside_indexed) {
  if (inside_indexed || array.size() < 4) return Error{"Indexed colour space is malformed"};
  Result<ColourSpace> base = parse_colour_space(resolve(&array[1], objects), objects, depth + 1, true);
  if (!base) return base.error();
  std::optional<double> hival = number_value(resolve(&array[2], objects));
  if (!hival || *hival < 0 || *hival > 255) return Error{"Indexed colour space /HiVal is out of range"};
  Result<std::string> palette = palette_bytes(resolve(&array[3], objects), objects);
  if (!palette) return palette.error();
  ColourSpace space;
  space.family = Family::indexed;
  space.base = base->family;
  space.base_components = base->components;
  space.hival = static_cast<int>(*hival);
  if (palette->size() < static_cast<size_t>((space.hival + 1) * space.base_components))
    return Error{"Indexed colour table is shorter than its /HiVal needs"};
  space.palette = std::move(palette.value());
  return space;
}

Result<ColourSpace> parse_colour_space(const PoDoFo::PdfObject* object, const PoDoFo::PdfVecObjects& objects,
                                       int depth, bool inside_indexed) {
  if (!object) return Error{"image has no /ColorSpace"};
  if (depth > kMaxColourSpaceDepth) return Error{"image /ColorSpace nests too deeply"};
  if (std::optional<std::string> name = name_value(object)) {
    if (std::optional<Family> family = device_family(*name)) return device_space(*family);
    return Error{fmt::format("image colour space /{} is not supported", *name)};
  }
  if (!object->IsArray() || object->GetArray().empty()) return Error{"image /ColorSpace is malformed"};
  const PoDoFo::PdfArray& array = object->GetArray();
  std::optional<std::string> family = name_value(resolve(&array[0], objects));
  if (!family) return Error{"image /ColorSpace is malformed"};
  if (*family == "CalGray" || *family == "CalRGB") return device_space(*device_family(*family));
  if (*family == "ICCBased") return parse_icc_based(array, objects, depth, inside_indexed);
  if (*family == "Indexed" || *family == "I") return parse_indexed(array, objects, depth, inside_indexed);
  return Error{fmt::format("image colour space /{} is not supported", *family)};
}

// The /Decode array: for each component the values that the smallest and the largest sample
// map to.
std::vector<double> decode_ranges(const PoDoFo::PdfObject* decode, const PoDoFo::PdfVecObjects& objects,
                                  const ColourSpace& space, int bits) {
  const double top = space.family == Family::indexed ? (1 << bits) - 1 : 1.0;
  std::vector<double> ranges;
  for (int c = 0; c < space.components; ++c) ranges.insert(ranges.end(), {0.0, top});
  if (!decode || !decode->IsArray() || decode->GetArray().size() < ranges.size()) return ranges;
  for (size_t i = 0; i < ranges.size(); ++i) {
    std::optional<double> value = number_value(resolve(&decode->GetArray()[i], objects));
    if (!value || !std::isfinite(*value)) return ranges;
    ranges[i] = *value;
  }
  return ranges;
}

uint8_t to_byte(double unit) { return static_cast<uint8_t>(std::lround(std::clamp(unit, 0.0, 1.0) * 255)); }

std::array<uint8_t, 3> cmyk_to_rgb(int c, int m, int y, int k) {
  auto channel = [k](int ink) { return static_cast<uint8_t>((255 - ink) * (255 - k) / 255); };
  return {channel(c), channel(m), channel(y)};
}

std::array<uint8_t, 3> palette_colour(const ColourSpace& space, int index) {
  const auto* entry = reinterpret_cast<const uint8_t*>(space.palette.data()) + index * space.base_components;
  switch (space.base) {
    case Family::rgb: return {entry[0], entry[1], entry[2]};
    case Family::cmyk: return cmyk_to_rgb(entry[0], entry[1], entry[2], entry[3]);
    default: return {entry[0], entry[0], entry[0]};
  }
}

// Component `index` of a packed row; 16-bit samples keep their high byte, which is all an
// 8-bit result can show.
int read_component(const uint8_t* row, size_t index, int bits) {
  switch (bits) {
    case 8: return row[index];
    case 16: return row[2 * index];
    default: {
      size_t bit = index * static_cast<size_t>(bits);
      return (row[bit / 8] >> (8 - bits - bit % 8)) & ((1 << bits) - 1);
    }
  }
}

// Decoded samples (rows padded to whole bytes) to display pixels through /Decode and the
// colour space.
Result<DecodedPdfImage> samples_to_pixels(const std::string& samples, int width, int height, int bits,
                                          const ColourSpace& space, const std::vector<double>& ranges) {
  const size_t row_bytes = (static_cast<size_t>(width) * space.components * bits + 7) / 8;
  const size_t needed = row_bytes * static_cast<size_t>(height);
  if (samples.size() < needed)
    return Error{fmt::format("image data is shorter than its size needs ({} of {} bytes)", samples.size(), needed)};
  if (space.family == Family::indexed && bits > 8) return Error{"Indexed image is deeper than 8 bits"};
  const int levels = bits >= 8 ? 256 : 1 << bits;
  const double top = levels - 1;
  const auto* data = reinterpret_cast<const uint8_t*>(samples.data());
  DecodedPdfImage image;

  if (space.components == 1) {
    std::vector<std::array<uint8_t, 3>> colours(levels);
    bool grey = true, bilevel = bits == 1;
    for (int v = 0; v < levels; ++v) {
      double value = ranges[0] + v * (ranges[1] - ranges[0]) / top;
      if (space.family == Family::indexed) {
        colours[v] = palette_colour(space, static_cast<int>(std::clamp<long>(std::lround(value), 0, space.hival)));
      } else {
        uint8_t level = to_byte(value);
        colours[v] = {level, level, level};
      }
      grey = grey && colours[v][0] == colours[v][1] && colours[v][1] == colours[v][2];
      bilevel = bilevel && (colours[v][0] == 0 || colours[v][0] == 255);
    }
    image.bilevel = grey && bilevel;
    image.pixels.create(height, width, grey ? CV_8UC1 : CV_8UC3);
    for (int y = 0; y < height; ++y) {
      const uint8_t* row = data + y * row_bytes;
      if (grey) {
        auto* out = image.pixels.ptr<uint8_t>(y);
        for (int x = 0; x < width; ++x) out[x] = colours[read_component(row, x, bits)][0];
      } else {
        auto* out = image.pixels.ptr<cv::Vec3b>(y);
        for (int x = 0; x < width; ++x) {
          const auto& colour = colours[read_component(row, x, bits)];
          out[x] = {colour[0], colour[1], colour[2]};
        }
      }
    }
    return image;
  }

  std::vector<std::vector<uint8_t>> levels_of(space.components, std::vector<uint8_t>(levels));
  for (int c = 0; c < space.components; ++c)
    for (int v = 0; v < levels; ++v) levels_of[c][v] = to_byte(ranges[2 * c] + v * (ranges[2 * c + 1] - ranges[2 * c]) / top);
  image.pixels.create(height, width, CV_8UC3);
  const size_t n = static_cast<size_t>(space.components);
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = data + y * row_bytes;
    auto* out = image.pixels.ptr<cv::Vec3b>(y);
    for (int x = 0; x < width; ++x) {
      auto level = [&](size_t c) { return levels_of[c][read_component(row, x * n + c, bits)]; };
      if (space.family == Family::cmyk) {
        auto rgb = cmyk_to_rgb(level(0), level(1), level(2), level(3));
        out[x] = {rgb[0], rgb[1], rgb[2]};
      } else {
        out[x] = {level(0), level(1), level(2)};
      }
    }
  }
  return image;
}

struct JpegFrame {
  int width = 0;
  int height = 0;
  int components = 0;
};

// The frame header (SOFn) of a JPEG stream, read before decoding so that the size can be
// checked without trusting the image dictionary.
std::optional<JpegFrame> read_jpeg_frame(const std::string& data) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(data[i]); };
  if (data.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  size_t pos = 2;
  while (pos + 4 <= data.size()) {
    if (byte(pos) != 0xFF) return std::nullopt;
    uint8_t marker = byte(pos + 1);
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
      pos += 2;
      continue;
    }
    size_t length = (byte(pos + 2) << 8) | byte(pos + 3);
    bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (pos + 10 > data.size()) return std::nullopt;
      return JpegFrame{(byte(pos + 7) << 8) | byte(pos + 8), (byte(pos + 5) << 8) | byte(pos + 6), byte(pos + 9)};
    }
    pos += 2 + length;
  }
  return std::nullopt;
}

Result<DecodedPdfImage> decode_jpeg(const std::string& data, const PoDoFo::PdfObject* decode,
                                    const PoDoFo::PdfVecObjects& objects, const InputLimits& limits) {
  std::optional<JpegFrame> frame = read_jpeg_frame(data);
  if (!frame || frame->width <= 0 || frame->height <= 0) return Error{"JPEG data has no valid frame header"};
  if (Status fits = check_image_size("JPEG image", frame->width, frame->height, limits); !fits) return fits.error();
  if (frame->components != 1 && frame->components != 3 && frame->components != 4)
    return Error{fmt::format("JPEG image has {} colour components", frame->components)};
  // Leptonica converts CMYK to RGB as Adobe software stores it, with inverted inks; PDF
  // writers mark such images with /Decode [1 0 1 0 1 0 1 0]. Without that mark the inks are
  // not inverted, and Leptonica offers no way to convert them.
  const std::vector<double> adobe_inverted = {1, 0, 1, 0, 1, 0, 1, 0};
  const bool cmyk = frame->components == 4;
  if (cmyk && decode_ranges(decode, objects, device_space(Family::cmyk), 8) != adobe_inverted)
    return Error{"CMYK JPEG images are supported only with Adobe's inverted inks (/Decode [1 0 1 0 1 0 1 0])"};

  // libjpeg fills a damaged or truncated image with grey and only warns; a page with a
  // missing band must not be filed as if whole, so any warning fails the image.
  l_int32 warnings = 0;
  Pix* pix = pixReadMemJpeg(reinterpret_cast<const l_uint8*>(data.data()), data.size(), 0, 1, &warnings, 0);
  if (!pix || warnings > 0 || (pixGetDepth(pix) != 8 && pixGetDepth(pix) != 32)) {
    pixDestroy(&pix);
    return Error{"JPEG data is corrupt or truncated"};
  }
  DecodedPdfImage image;
  image.pixels = matrix_of(pix);
  pixDestroy(&pix);
  if (cmyk) return image;

  const int channels = image.pixels.channels();
  ColourSpace space = device_space(channels == 1 ? Family::grey : Family::rgb);
  std::vector<double> ranges = decode_ranges(decode, objects, space, 8);
  bool remapped = false;
  for (int c = 0; c < channels; ++c) remapped = remapped || ranges[2 * c] != 0.0 || ranges[2 * c + 1] != 1.0;
  if (remapped) {
    cv::Mat table(1, 256, CV_8UC(channels));
    for (int v = 0; v < 256; ++v)
      for (int c = 0; c < channels; ++c)
        table.ptr<uint8_t>(0)[v * channels + c] = to_byte(ranges[2 * c] + v * (ranges[2 * c + 1] - ranges[2 * c]) / 255);
    cv::LUT(image.pixels, table, image.pixels);
  }
  return image;
}

void put_u16(std::string& out, unsigned value) {
  out.push_back(static_cast<char>(value & 0xFF));
  out.push_back(static_cast<char>(value >> 8));
}

void put_u32(std::string& out, uint32_t value) {
  put_u16(out, value & 0xFFFF);
  put_u16(out, value >> 16);
}

// A one-strip little-endian TIFF around raw fax data, so that libtiff (via Leptonica) can
// decode it. White is zero, matching the fax coding's own white and black runs.
std::string wrap_fax_in_tiff(const std::string& fax, int width, int height, int compression, uint32_t t4_options) {
  struct Tag {
    unsigned id, type;
    uint32_t value;
  };
  constexpr unsigned kShort = 3, kLong = 4;
  std::vector<Tag> tags = {
      {256, kLong, static_cast<uint32_t>(width)},  {257, kLong, static_cast<uint32_t>(height)},
      {258, kShort, 1},                            {259, kShort, static_cast<uint32_t>(compression)},
      {262, kShort, 0},                            {273, kLong, 0},
      {277, kShort, 1},                            {278, kLong, static_cast<uint32_t>(height)},
      {279, kLong, static_cast<uint32_t>(fax.size())}};
  if (compression == 3) tags.push_back({292, kLong, t4_options});
  const uint32_t data_offset = static_cast<uint32_t>(8 + 2 + tags.size() * 12 + 4);
  std::string tiff = "II*";
  tiff.push_back('\0');
  put_u32(tiff, 8);
  put_u16(tiff, static_cast<unsigned>(tags.size()));
  for (const Tag& tag : tags) {
    put_u16(tiff, tag.id);
    put_u16(tiff, tag.type);
    put_u32(tiff, 1);
    uint32_t value = tag.id == 273 ? data_offset : tag.value;
    if (tag.type == kShort) {
      put_u16(tiff, value);
      put_u16(tiff, 0);
    } else {
      put_u32(tiff, value);
    }
  }
  put_u32(tiff, 0);
  tiff += fax;
  return tiff;
}

// Decodes CCITT fax data to packed 1-bit samples, 1 where the coding says black when
// /BlackIs1 is true, else 0 there, as the PDF filter defines.
Result<std::string> decode_ccitt(const std::string& fax, const PoDoFo::PdfObject* parms,
                                 const PoDoFo::PdfVecObjects& objects, int width, int height) {
  auto number = [&](const char* key, double fallback) {
    return number_value(dict_entry(parms, key, objects)).value_or(fallback);
  };
  auto flag = [&](const char* key) {
    const PoDoFo::PdfObject* value = dict_entry(parms, key, objects);
    return value && value->IsBool() && value->GetBool();
  };
  const double k = number("K", 0);
  const double columns = number("Columns", 1728);
  const bool byte_aligned = flag("EncodedByteAlign");
  if (columns != width)
    return Error{fmt::format("CCITT /Columns {} differs from the image /Width {}", columns, width)};
  int compression = 3;
  uint32_t t4_options = byte_aligned ? 4 : 0;
  if (k < 0) {
    if (byte_aligned) return Error{"byte-aligned CCITT Group 4 data is not supported"};
    compression = 4;
  } else if (k > 0) {
    t4_options |= 1;
  } else if (byte_aligned && !flag("EndOfLine")) {
    compression = 2;
  }
  std::string tiff = wrap_fax_in_tiff(fax, width, height, compression, t4_options);
  Pix* pix = pixReadMemTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), 0);
  if (!pix) return Error{"CCITT fax data could not be decoded"};
  if (pixGetDepth(pix) != 1 || pixGetWidth(pix) != width || pixGetHeight(pix) != height) {
    pixDestroy(&pix);
    return Error{"CCITT fax data could not be decoded"};
  }
  const bool black_is_1 = flag("BlackIs1");
  const size_t row_bytes = (static_cast<size_t>(width) + 7) / 8;
  std::string samples(row_bytes * height, '\0');
  const l_uint32* words = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < height; ++y) {
    const l_uint32* line = words + static_cast<size_t>(y) * wpl;
    char* out = &samples[y * row_bytes];
    for (size_t i = 0; i < row_bytes; ++i) {
      auto black_bits = static_cast<uint8_t>(line[i / 4] >> (24 - 8 * (i % 4)));
      out[i] = static_cast<char>(black_is_1 ? black_bits : static_cast<uint8_t>(~black_bits));
    }
  }
  pixDestroy(&pix);
  return samples;
}

// Decodes JBIG2 data to packed 1-bit samples, 0 where JBIG2 says black, as the PDF filter
// defines; the segments of the /JBIG2Globals stream in `parms`, if any, are read first.
Result<std::string> decode_jbig2_stream(const std::string& data, const PoDoFo::PdfObject* parms,
                                        const PoDoFo::PdfVecObjects& objects, int width, int height,
                                        size_t max_globals_bytes) {
  std::string globals;
  if (const PoDoFo::PdfObject* stream = dict_entry(parms, "JBIG2Globals", objects)) {
    if (!stream->HasStream()) return Error{"/JBIG2Globals is not a stream"};
    Result<std::string> bytes = decode_plain_stream(*stream, objects, max_globals_bytes);
    if (!bytes) return Error{fmt::format("/JBIG2Globals: {}", bytes.error().message)};
    globals = std::move(bytes.value());
  }
  return decode_jbig2(data, globals, width, height);
}

}  // namespace

Result<DecodedPdfImage> decode_pdf_image(const PoDoFo::PdfObject& image, const PoDoFo::PdfVecObjects& objects,
                                         const InputLimits& limits) {
  std::optional<double> width = number_value(dict_entry(&image, "Width", objects));
  std::optional<double> height = number_value(dict_entry(&image, "Height", objects));
  if (!width || !height || *width < 1 || *height < 1 || *width > 1e9 || *height > 1e9)
    return Error{"image has no valid /Width and /Height"};
  const int w = static_cast<int>(*width), h = static_cast<int>(*height);
  if (Status fits = check_image_size("image", w, h, limits); !fits) return fits.error();

  const PoDoFo::PdfObject* mask_flag = dict_entry(&image, "ImageMask", objects);
  const bool is_mask = mask_flag && mask_flag->IsBool() && mask_flag->GetBool();
  const int bits = is_mask ? 1 : static_cast<int>(number_value(dict_entry(&image, "BitsPerComponent", objects)).value_or(0));
  const PoDoFo::PdfObject* decode = dict_entry(&image, "Decode", objects);
  const bool valid_bits = bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16;
  Result<ColourSpace> space =
      is_mask ? device_space(Family::grey) : parse_colour_space(dict_entry(&image, "ColorSpace", objects), objects, 0, false);

  // Raw samples (with a predictor byte per row) bound every encoded form of them loosely, so
  // a decompression bomb is cut off long before it costs real memory. A JPEG's dictionary
  // may omit its colour space; four bytes a pixel covers any JPEG.
  const size_t pixels = static_cast<size_t>(w) * static_cast<size_t>(h);
  const size_t sample_bytes = space && valid_bits
                                  ? static_cast<size_t>(h) * ((static_cast<size_t>(w) * space->components * bits + 7) / 8 + 1)
                                  : 4 * pixels + static_cast<size_t>(h);
  const size_t max_encoded_bytes = 4 * sample_bytes + (1 << 20);
  Result<FilteredStream> filtered = undo_general_filters(image, objects, max_encoded_bytes);
  if (!filtered) return filtered.error();
  if (filtered->codec == "DCTDecode") return decode_jpeg(filtered->bytes, decode, objects, limits);

  if (!valid_bits) return Error{fmt::format("image /BitsPerComponent {} is invalid", bits)};
  if (!space) return space.error();
  const std::vector<double> ranges = decode_ranges(decode, objects, *space, bits);

  if (filtered->codec == "CCITTFaxDecode") {
    if (bits != 1 || space->components != 1) return Error{"CCITT image is not 1-bit with one colour component"};
    Result<std::string> samples = decode_ccitt(filtered->bytes, filtered->codec_parms, objects, w, h);
    if (!samples) return samples.error();
    return samples_to_pixels(*samples, w, h, bits, *space, ranges);
  }
  if (filtered->codec == "JBIG2Decode") {
    if (bits != 1 || space->components != 1) return Error{"JBIG2 image is not 1-bit with one colour component"};
    if (filtered->reached_limit) return Error{fmt::format("JBIG2 data expands beyond {} bytes", max_encoded_bytes)};
    Result<std::string> samples =
        decode_jbig2_stream(filtered->bytes, filtered->codec_parms, objects, w, h, max_encoded_bytes);
    if (!samples) return samples.error();
    return samples_to_pixels(*samples, w, h, bits, *space, ranges);
  }
  return samples_to_pixels(filtered->bytes, w, h, bits, *space, ranges);
}

}  // namespace casenote
