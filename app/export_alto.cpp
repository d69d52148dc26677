// ALTO v4 (https://www.loc.gov/standards/alto/). A TextBlock is OCR's paragraph, the unit ALTO
// readers treat as a block of running text; OCR's blocks add no level, as ALTO would need a
// ComposedBlock for them, which many readers skip.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "app/export_layout.h"
#include "app/page_layout.h"
#include "app/xml_text.h"

namespace casenote {
namespace {

std::string position(const Box& box) {
  return fmt::format("HPOS=\"{}\" VPOS=\"{}\" WIDTH=\"{}\" HEIGHT=\"{}\"", box.x, box.y, box.w, box.h);
}

void write_line(std::string& out, const LayoutLine& line, const std::string& id) {
  auto to = std::back_inserter(out);
  fmt::format_to(to, "          <TextLine ID=\"{}\" {}>\n", id, position(line.box));
  for (size_t i = 0; i < line.words.size(); ++i) {
    const WordRecord& word = line.words[i];
    if (i > 0) {
      const Box& before = line.words[i - 1].box;
      fmt::format_to(to, "            <SP HPOS=\"{}\" VPOS=\"{}\" WIDTH=\"{}\"/>\n", before.right(), before.y,
                     std::max(0, word.box.x - before.right()));
    }
    fmt::format_to(to, "            <String ID=\"{}_w{}\" {} WC=\"{:.2f}\" CONTENT=\"{}\"/>\n", id, i + 1,
                   position(word.box), word.confidence / 100.0, xml_escaped(word.text));
  }
  out += "          </TextLine>\n";
}

void write_page(std::string& out, const PageRecord& page) {
  auto to = std::back_inserter(out);
  const Box whole{0, 0, page.width, page.height};
  fmt::format_to(to, "    <Page ID=\"p{}\" PHYSICAL_IMG_NR=\"{}\" WIDTH=\"{}\" HEIGHT=\"{}\">\n", page.number,
                 page.number, page.width, page.height);
  fmt::format_to(to, "      <PrintSpace {}>\n", position(whole));
  int blocks = 0, lines = 0;
  for (const LayoutBlock& block : page_layout(page)) {
    for (const LayoutParagraph& paragraph : block.paragraphs) {
      fmt::format_to(to, "        <TextBlock ID=\"p{}_b{}\" {}>\n", page.number, ++blocks, position(paragraph.box));
      for (const LayoutLine& line : paragraph.lines) write_line(out, line, fmt::format("p{}_l{}", page.number, ++lines));
      out += "        </TextBlock>\n";
    }
  }
  out += "      </PrintSpace>\n    </Page>\n";
}

}  // namespace

std::string document_alto(const DocumentRecord& document) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\"\n"
      "      xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
      "      xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v4# "
      "http://www.loc.gov/alto/v4/alto-4-2.xsd\">\n"
      "  <Description>\n"
      "    <MeasurementUnit>pixel</MeasurementUnit>\n"
      "    <Processing ID=\"casenote_ocr\">\n"
      "      <processingStepDescription>upright, deskewed and read with Tesseract</processingStepDescription>\n"
      "      <processingSoftware><softwareName>casenote</softwareName></processingSoftware>\n"
      "    </Processing>\n"
      "  </Description>\n"
      "  <Layout>\n";
  for (const PageRecord& page : document.pages) write_page(out, page);
  out += "  </Layout>\n</alto>\n";
  return out;
}

}  // namespace casenote
