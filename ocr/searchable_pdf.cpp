#include "ocr/searchable_pdf.h"

#include <lcms2.h>
#include <leptonica/allheaders.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string_view>

namespace casenote {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfString;
using PoDoFo::PdfVariant;

// A document written as it is made. The catalog, which PoDoFo keeps to its subclasses, takes
// the PDF/A metadata and output intent.
class ArchiveDocument : public PoDoFo::PdfStreamedDocument {
 public:
  explicit ArchiveDocument(PoDoFo::PdfOutputDevice* device)
      : PoDoFo::PdfStreamedDocument(device, PoDoFo::ePdfVersion_1_7) {}
  using PoDoFo::PdfDocument::GetCatalog;
};

// Every glyph of the text font advances half an em, so a word of n characters at size s is
// n * s / 2 wide before horizontal scaling stretches it over its box.
constexpr double kGlyphAdvance = 0.5;
// A simple font maps one byte to one glyph.
constexpr size_t kCodesPerFont = 256;

// A number as a PDF content stream writes it: fixed point, no exponent, no trailing zeros.
std::string num(double value) {
  if (!std::isfinite(value) || std::fabs(value) < 5e-5) return "0";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  std::string out(buffer);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string matrix(const Affine& m) {
  return num(m.a) + " " + num(m.b) + " " + num(m.c) + " " + num(m.d) + " " + num(m.e) + " " + num(m.f);
}

std::string hex_byte(unsigned value) {
  static const char* digits = "0123456789ABCDEF";
  return {digits[(value >> 4) & 15], digits[value & 15]};
}

// Decodes UTF-8, turning malformed sequences into U+FFFD rather than losing the word.
std::u32string utf8_to_code_points(std::string_view text) {
  std::u32string out;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    char32_t cp = lead;
    if ((lead & 0xE0) == 0xC0) extra = 1, cp = lead & 0x1F;
    else if ((lead & 0xF0) == 0xE0) extra = 2, cp = lead & 0x0F;
    else if ((lead & 0xF8) == 0xF0) extra = 3, cp = lead & 0x07;
    bool valid = lead < 0x80 || (extra > 0 && i + extra < text.size());
    for (size_t k = 1; valid && k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!valid || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

// The code point as UTF-16BE hex, as a ToUnicode CMap writes it.
std::string utf16_hex(char32_t cp) {
  auto unit = [](unsigned u) { return hex_byte(u >> 8) + hex_byte(u & 0xFF); };
  if (cp < 0x10000) return unit(cp);
  cp -= 0x10000;
  return unit(0xD800 + (cp >> 10)) + unit(0xDC00 + (cp & 0x3FF));
}

// The invisible text's characters: each distinct code point gets a byte code in one of a few
// Type 3 fonts, in order of first use. Type 3 fonts live wholly inside the file, which is what
// PDF/A asks of every font, and their ToUnicode maps give the text back exactly.
class GlyphTable {
 public:
  struct Code {
    size_t font = 0;
    unsigned byte = 0;
  };

  Code code_for(char32_t cp) {
    auto [it, added] = codes_.try_emplace(cp, Code{order_.size() / kCodesPerFont, static_cast<unsigned>(order_.size() % kCodesPerFont)});
    if (added) order_.push_back(cp);
    return it->second;
  }

  size_t font_count() const { return (order_.size() + kCodesPerFont - 1) / kCodesPerFont; }
  // The code points of font `font`, by byte code.
  std::u32string font_code_points(size_t font) const {
    const size_t from = font * kCodesPerFont;
    return order_.substr(from, std::min(kCodesPerFont, order_.size() - from));
  }

 private:
  std::map<char32_t, Code> codes_;
  std::u32string order_;
};

// A word's characters as runs of one font each, with their byte codes in hex.
struct Run {
  size_t font = 0;
  std::string hex;
};

std::vector<Run> encode(std::u32string_view text, GlyphTable& glyphs) {
  std::vector<Run> runs;
  for (char32_t cp : text) {
    GlyphTable::Code code = glyphs.code_for(cp);
    if (runs.empty() || runs.back().font != code.font) runs.push_back({code.font, ""});
    runs.back().hex += hex_byte(code.byte);
  }
  return runs;
}

// An integer object. Built explicitly: a constant 0 would otherwise pass as a null PdfObject*.
PdfObject integer(long long value) { return PdfObject(static_cast<PoDoFo::pdf_int64>(value)); }

std::string font_name(size_t font) { return "F" + std::to_string(font); }

// Text runs along the page's nearest quarter turn to the words' frame rather than at the scan's
// skew: text extraction and viewers break words apart whose letters climb a few degrees, and
// take words whose baselines differ by much of a line height for separate lines.
struct TextFrame {
  double c = 1, s = 0;  // the text direction in PDF space, a quarter turn
  double scale = 1;     // points per pixel of the words' frame
  Affine words_to_pdf;

  explicit TextFrame(const Affine& to_pdf) : words_to_pdf(to_pdf) {
    scale = std::hypot(to_pdf.a, to_pdf.b);
    const int quarter = static_cast<int>(std::lround(std::atan2(to_pdf.b, to_pdf.a) / (3.14159265358979323846 / 2))) & 3;
    const double cos_q[] = {1, 0, -1, 0}, sin_q[] = {0, 1, 0, -1};
    c = cos_q[quarter];
    s = sin_q[quarter];
  }
  // A point of the words' frame as (along the text, across it) in points.
  std::pair<double, double> along_across(double x, double y) const {
    const double px = words_to_pdf.x_of(x, y), py = words_to_pdf.y_of(x, y);
    return {c * px + s * py, -s * px + c * py};
  }
  // The text matrix putting a run's baseline start at (along, across).
  Affine text_matrix(double along, double across) const { return {c, s, -s, c, c * along - s * across, s * along + c * across}; }
};

// One word (or the space after it) of a line: where it runs along the line, and its baseline.
struct Placed {
  std::u32string text;
  double start = 0, end = 0, baseline = 0;
};

void show_text(std::string& out, const Placed& run, double size, const TextFrame& frame, GlyphTable& glyphs) {
  if (run.text.empty() || run.end <= run.start || size <= 0) return;
  const double stretch = 100.0 * (run.end - run.start) / (static_cast<double>(run.text.size()) * kGlyphAdvance * size);
  out += num(stretch) + " Tz " + matrix(frame.text_matrix(run.start, run.baseline)) + " Tm";
  for (const Run& part : encode(run.text, glyphs)) out += " /" + font_name(part.font) + " " + num(size) + " Tf <" + part.hex + "> Tj";
  out += "\n";
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The page's invisible text: each word over its box, as tall as its line, with a space over the
// gap to the next word of the line so that extraction keeps words apart. Along a skewed line the
// baseline steps: words whose true baselines lie within a quarter of the line height share one,
// so extraction reads the line as one, and no word is moved by more than an eighth of a line.
std::string text_layer(const std::vector<RecognisedWord>& words, const Affine& words_to_pdf, GlyphTable& glyphs) {
  const TextFrame frame(words_to_pdf);
  std::string out = "BT 3 Tr\n";
  for (size_t first = 0; first < words.size();) {
    size_t end = first;
    std::vector<double> tops, bottoms;
    while (end < words.size() && words[end].block == words[first].block &&
           words[end].paragraph == words[first].paragraph && words[end].line == words[first].line) {
      tops.push_back(words[end].box.y);
      bottoms.push_back(words[end++].box.bottom());
    }
    // A speck Tesseract took into one word's box must not make the whole line taller and run
    // it into its neighbours, so the line spans its words' median top and bottom.
    const double top = median(tops), bottom = median(bottoms);
    const double size = (bottom - top) * frame.scale;
    std::vector<Placed> line;
    for (size_t i = first; i < end; ++i) {
      const Box& box = words[i].box;
      const auto [along, across] = frame.along_across(box.x + box.w / 2.0, (top + bottom) / 2);
      const double half = box.w * frame.scale / 2;
      line.push_back({utf8_to_code_points(words[i].text), along - half, along + half, across - size / 2});
    }
    for (size_t from = 0; from < line.size();) {
      size_t to = from;
      double low = line[from].baseline, high = low;
      while (to < line.size() && std::fabs(line[to].baseline - line[from].baseline) <= size / 4) {
        low = std::min(low, line[to].baseline);
        high = std::max(high, line[to++].baseline);
      }
      for (size_t i = from; i < to; ++i) line[i].baseline = (low + high) / 2;
      from = to;
    }
    for (size_t i = 0; i < line.size(); ++i) {
      show_text(out, line[i], size, frame, glyphs);
      if (i + 1 < line.size())
        show_text(out, {U" ", line[i].end, std::max(line[i + 1].start, line[i].end + frame.scale), line[i].baseline}, size, frame, glyphs);
    }
    first = end;
  }
  out += "ET\n";
  return out;
}

std::string to_unicode_cmap(const std::u32string& code_points) {
  std::string out =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
  // A bfchar block holds at most 100 entries.
  for (size_t from = 0; from < code_points.size(); from += 100) {
    const size_t count = std::min<size_t>(100, code_points.size() - from);
    out += std::to_string(count) + " beginbfchar\n";
    for (size_t i = from; i < from + count; ++i) out += "<" + hex_byte(static_cast<unsigned>(i)) + "> <" + utf16_hex(code_points[i]) + ">\n";
    out += "endbfchar\n";
  }
  out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return out;
}

void set_stream(PdfObject* object, const std::string& bytes) {
  object->GetStream()->Set(bytes.data(), static_cast<PoDoFo::pdf_long>(bytes.size()));
}

// Stores already-encoded bytes; the caller names their filter.
void set_raw_stream(PdfObject* object, const std::string& bytes) {
  PoDoFo::PdfMemoryInputStream in(bytes.data(), static_cast<PoDoFo::pdf_long>(bytes.size()));
  object->GetStream()->SetRawData(&in, static_cast<PoDoFo::pdf_long>(bytes.size()));
}

PdfObject* add_font(PoDoFo::PdfVecObjects& objects, const std::u32string& code_points) {
  // A streamed document frees an object once the next stream begins: references are taken first.
  PdfObject* glyph = objects.CreateObject();
  const PoDoFo::PdfReference glyph_reference = glyph->Reference();
  set_stream(glyph, "500 0 0 0 500 1000 d1\n");
  PdfObject* to_unicode = objects.CreateObject();
  const PoDoFo::PdfReference to_unicode_reference = to_unicode->Reference();
  set_stream(to_unicode, to_unicode_cmap(code_points));

  PdfArray differences, widths;
  differences.push_back(integer(0));
  for (size_t i = 0; i < code_points.size(); ++i) {
    differences.push_back(PdfName("g"));
    widths.push_back(integer(std::lround(1000 * kGlyphAdvance)));
  }
  PdfDictionary encoding, char_procs;
  encoding.AddKey("Type", PdfName("Encoding"));
  encoding.AddKey("Differences", differences);
  char_procs.AddKey("g", glyph_reference);
  PdfArray bbox, font_matrix;
  for (double v : {0.0, 0.0, 1000 * kGlyphAdvance, 1000.0}) bbox.push_back(v);
  for (double v : {0.001, 0.0, 0.0, 0.001, 0.0, 0.0}) font_matrix.push_back(v);

  PdfObject* font = objects.CreateObject("Font");
  PdfDictionary& dict = font->GetDictionary();
  dict.AddKey("Subtype", PdfName("Type3"));
  dict.AddKey("FontBBox", bbox);
  dict.AddKey("FontMatrix", font_matrix);
  dict.AddKey("CharProcs", char_procs);
  dict.AddKey("Encoding", encoding);
  dict.AddKey("FirstChar", integer(0));
  dict.AddKey("LastChar", integer(static_cast<long long>(code_points.size()) - 1));
  dict.AddKey("Widths", widths);
  dict.AddKey("Resources", PdfDictionary());
  dict.AddKey("ToUnicode", to_unicode_reference);
  return font;
}

PdfObject* add_image(PoDoFo::PdfVecObjects& objects, const EncodedImage& image) {
  PdfObject* object = objects.CreateObject("XObject");
  PdfDictionary& dict = object->GetDictionary();
  dict.AddKey("Subtype", PdfName("Image"));
  dict.AddKey("Width", integer(image.width));
  dict.AddKey("Height", integer(image.height));
  dict.AddKey("ColorSpace", PdfName(image.components == 3 ? "DeviceRGB" : "DeviceGray"));
  dict.AddKey("BitsPerComponent", integer(image.bits_per_component));
  switch (image.encoding) {
    case EncodedImage::Encoding::Jpeg: dict.AddKey("Filter", PdfName("DCTDecode")); break;
    case EncodedImage::Encoding::Flate: dict.AddKey("Filter", PdfName("FlateDecode")); break;
    case EncodedImage::Encoding::CcittG4: {
      dict.AddKey("Filter", PdfName("CCITTFaxDecode"));
      PdfDictionary parms;
      parms.AddKey("K", integer(-1));
      parms.AddKey("Columns", integer(image.width));
      parms.AddKey("Rows", integer(image.height));
      dict.AddKey("DecodeParms", parms);
      break;
    }
  }
  // Last: a streamed document writes an object's dictionary when its stream begins.
  set_raw_stream(object, image.bytes);
  return object;
}

// sRGB as an ICC profile, made by LittleCMS rather than read from a file that may be missing.
// Version 2 profiles are the ones every PDF/A level accepts.
Result<std::string> srgb_profile() {
  cmsHPROFILE profile = cmsCreate_sRGBProfile();
  if (!profile) return Error{"cannot create the sRGB colour profile"};
  cmsSetProfileVersion(profile, 2.1);
  cmsUInt32Number size = 0;
  std::string bytes;
  if (cmsSaveProfileToMem(profile, nullptr, &size) && size > 0) {
    bytes.resize(size);
    if (!cmsSaveProfileToMem(profile, bytes.data(), &size)) bytes.clear();
  }
  cmsCloseProfile(profile);
  if (bytes.empty()) return Error{"cannot write the sRGB colour profile"};
  return bytes;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// PDF/A-2 part B: identification, and the same title, tool, producer and dates as the
// document information dictionary.
std::string xmp_packet(const PdfDescription& description, const std::string& xmp_date) {
  std::string dates;
  if (!xmp_date.empty()) dates = "<xmp:CreateDate>" + xmp_date + "</xmp:CreateDate><xmp:ModifyDate>" + xmp_date + "</xmp:ModifyDate>";
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
         "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:format>application/pdf</dc:format>"
         "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
         xml_escaped(description.title) +
         "</rdf:li></rdf:Alt></dc:title></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:CreatorTool>casenote</xmp:CreatorTool>" +
         dates +
         "</rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"><pdf:Producer>casenote</pdf:Producer></rdf:Description>\n"
         "</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

// "YYYY-MM-DDTHH:MM:SSZ" as the PDF date "D:YYYYMMDDHHmmSS+00'00'" and the XMP date; both
// empty when the time is not in that form.
std::pair<std::string, std::string> pdf_and_xmp_dates(const std::string& iso) {
  if (iso.size() != 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' || iso[19] != 'Z')
    return {};
  std::string digits;
  for (char c : iso)
    if (c >= '0' && c <= '9') digits += c;
  if (digits.size() != 14) return {};
  return {"D:" + digits + "+00'00'", iso.substr(0, 19) + "+00:00"};
}

void describe_document(ArchiveDocument& document, const PdfDescription& description, const std::string& profile) {
  auto [pdf_date, xmp_date] = pdf_and_xmp_dates(description.creation_time);
  PdfDictionary& info = document.GetInfo()->GetObject()->GetDictionary();
  info.RemoveKey("CreationDate");
  info.RemoveKey("ModDate");
  info.AddKey("Title", PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(description.title.c_str())));
  info.AddKey("Creator", PdfString("casenote"));
  info.AddKey("Producer", PdfString("casenote"));
  if (!pdf_date.empty()) {
    info.AddKey("CreationDate", PdfString(pdf_date));
    info.AddKey("ModDate", PdfString(pdf_date));
  }

  PoDoFo::PdfVecObjects& objects = *document.GetObjects();
  // A streamed document frees an object once the next stream begins: references are taken first.
  PdfObject* metadata = objects.CreateObject("Metadata");
  const PoDoFo::PdfReference metadata_reference = metadata->Reference();
  metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
  const std::string xmp = xmp_packet(description, xmp_date);
  // PDF/A readers must find the packet by scanning the file, so it is not compressed.
  metadata->GetStream()->Set(xmp.data(), static_cast<PoDoFo::pdf_long>(xmp.size()), PoDoFo::TVecFilters());

  PdfObject* icc = objects.CreateObject();
  const PoDoFo::PdfReference icc_reference = icc->Reference();
  icc->GetDictionary().AddKey("N", integer(3));
  set_stream(icc, profile);
  PdfDictionary intent;
  intent.AddKey("Type", PdfName("OutputIntent"));
  intent.AddKey("S", PdfName("GTS_PDFA1"));
  intent.AddKey("OutputConditionIdentifier", PdfString("sRGB IEC61966-2.1"));
  intent.AddKey("RegistryName", PdfString("http://www.color.org"));
  intent.AddKey("Info", PdfString("sRGB IEC61966-2.1"));
  intent.AddKey("DestOutputProfile", icc_reference);
  PdfArray intents;
  intents.push_back(intent);

  PdfDictionary& catalog = document.GetCatalog()->GetDictionary();
  catalog.AddKey("Metadata", metadata_reference);
  catalog.AddKey("OutputIntents", intents);
}

Status check_page(const SearchablePage& page) {
  if (!(page.width_points > 0 && page.height_points > 0) || page.image.width <= 0 || page.image.height <= 0)
    return Error{"a page has no size or no image"};
  if (page.display_rotation % 90 != 0 || page.display_rotation < 0 || page.display_rotation >= 360)
    return Error{"a page's display rotation is not 0, 90, 180 or 270"};
  return ok_status();
}

// Writes each page to `device` as soon as it is made, so that only one page's image is held.
Status write_pdf(PoDoFo::PdfOutputDevice& device, int page_count, const SearchablePageSource& page_at,
                 const PdfDescription& description) {
  auto profile = srgb_profile();
  if (!profile) return profile.error();

  ArchiveDocument document(&device);
  PoDoFo::PdfVecObjects& objects = *document.GetObjects();
  GlyphTable glyphs;
  // Every page shares one font resource dictionary, filled in once the whole text is known.
  PdfObject* fonts = objects.CreateObject(PdfDictionary());
  int written = 0;
  std::string first_failure;
  for (int index = 0; index < page_count; ++index) {
    auto page = page_at(index);
    if (!page) {
      if (first_failure.empty()) first_failure = page.error().message;
      continue;
    }
    if (auto usable = check_page(*page); !usable) return usable;
    PoDoFo::PdfPage* pdf_page = document.CreatePage(PoDoFo::PdfRect(0, 0, page->width_points, page->height_points));
    if (page->display_rotation != 0) pdf_page->SetRotation(page->display_rotation);
    const Affine page_to_pdf{1, 0, 0, -1, 0, page->height_points};
    // An image XObject fills the unit square, its first row at the top.
    const Affine unit_to_image{static_cast<double>(page->image.width), 0, 0, -static_cast<double>(page->image.height), 0,
                               static_cast<double>(page->image.height)};
    std::string content = "q " + matrix(unit_to_image.then(page->image_to_page).then(page_to_pdf)) + " cm /Im0 Do Q\n";
    if (!page->words.empty()) content += text_layer(page->words, page->words_to_page.then(page_to_pdf), glyphs);
    set_stream(pdf_page->GetContentsForAppending(), content);

    PdfDictionary xobjects;
    xobjects.AddKey("Im0", add_image(objects, page->image)->Reference());
    PdfDictionary& resources = pdf_page->GetResources()->GetDictionary();
    resources.AddKey("XObject", xobjects);
    resources.AddKey("Font", fonts->Reference());
    ++written;
  }
  if (written == 0) return Error{first_failure.empty() ? "the document has no pages" : first_failure};
  for (size_t f = 0; f < glyphs.font_count(); ++f)
    fonts->GetDictionary().AddKey(PdfName(font_name(f)), add_font(objects, glyphs.font_code_points(f))->Reference());

  describe_document(document, description, *profile);
  document.Close();
  return ok_status();
}

// Runs `write`, turning PoDoFo's exceptions into errors.
Status writing_pdf(const std::function<Status()>& write) {
  try {
    return write();
  } catch (const PoDoFo::PdfError& error) {
    const char* name = PoDoFo::PdfError::ErrorName(error.GetError());
    return Error{std::string("cannot write the PDF (PoDoFo error ") + (name ? name : "unknown") + ")"};
  } catch (const std::bad_alloc&) {
    return Error{"out of memory writing the PDF"};
  }
}

}  // namespace

Result<EncodedImage> jpeg_image(std::string jpeg) {
  l_int32 width = 0, height = 0, components = 0, ycck = 0, cmyk = 0;
  if (readHeaderMemJpeg(reinterpret_cast<const l_uint8*>(jpeg.data()), jpeg.size(), &width, &height, &components, &ycck,
                        &cmyk) != 0)
    return Error{"not a readable JPEG"};
  if (cmyk || ycck || (components != 1 && components != 3))
    return Error{"JPEG with " + std::to_string(components) + " colour components cannot be embedded unchanged"};
  EncodedImage image;
  image.encoding = EncodedImage::Encoding::Jpeg;
  image.bytes = std::move(jpeg);
  image.width = width;
  image.height = height;
  image.components = components;
  image.bits_per_component = 8;
  return image;
}

Result<EncodedImage> lossless_image(const PageImage& page) {
  if (page.empty()) return Error{"page has no image"};
  Pix* pix = pixClone(page.pix());
  auto replace = [&pix](Pix* next) {
    if (!next) return;
    pixDestroy(&pix);
    pix = next;
  };
  if (pixGetColormap(pix)) replace(pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC));
  if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4) replace(pixAlphaBlendUniform(pix, 0xffffff00));
  const int depth = pixGetDepth(pix);
  if (depth != 1 && depth != 8 && depth != 32) replace(pixConvertTo8(pix, 0));

  L_COMP_DATA* data = nullptr;
  const bool bilevel = pixGetDepth(pix) == 1;
  const l_int32 failed = pixGenerateCIData(pix, bilevel ? L_G4_ENCODE : L_FLATE_ENCODE, 0, 0, &data);
  pixDestroy(&pix);
  if (failed || !data) {
    l_CIDataDestroy(&data);
    return Error{"cannot encode the page image"};
  }
  EncodedImage image;
  image.encoding = bilevel ? EncodedImage::Encoding::CcittG4 : EncodedImage::Encoding::Flate;
  image.bytes.assign(reinterpret_cast<const char*>(data->datacomp), data->nbytescomp);
  image.width = data->w;
  image.height = data->h;
  image.components = data->spp;
  image.bits_per_component = data->bps;
  const bool usable = data->ncolors == 0 && !data->predictor && (data->spp == 1 || data->spp == 3);
  l_CIDataDestroy(&data);
  if (!usable) return Error{"page image has a layout the PDF writer does not handle"};
  return image;
}

Result<std::string> build_searchable_pdf(const std::vector<SearchablePage>& pages, const PdfDescription& description) {
  if (pages.empty()) return Error{"a PDF needs at least one page"};
  PoDoFo::PdfRefCountedBuffer buffer;
  PoDoFo::PdfOutputDevice device(&buffer);
  auto page_at = [&](int index) -> Result<SearchablePage> { return pages[static_cast<size_t>(index)]; };
  auto written =
      writing_pdf([&] { return write_pdf(device, static_cast<int>(pages.size()), page_at, description); });
  if (!written) return written.error();
  return std::string(buffer.GetBuffer(), device.GetLength());
}

Status write_searchable_pdf(const std::string& path, int page_count, const SearchablePageSource& page_at,
                            const PdfDescription& description) {
  if (page_count <= 0) return Error{"a PDF needs at least one page"};
  return writing_pdf([&] {
    PoDoFo::PdfOutputDevice device(path.c_str());
    return write_pdf(device, page_count, page_at, description);
  });
}

}  // namespace casenote
