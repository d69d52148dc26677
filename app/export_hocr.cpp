// hOCR 1.2 (http://kba.github.io/hocr-spec/1.2/), laid out as Tesseract writes it, so that tools
// reading Tesseract's hOCR read this too.
#include <fmt/format.h>

#include <iterator>

#include "app/export_layout.h"
#include "app/page_layout.h"
#include "app/xml_text.h"

namespace casenote {
namespace {

std::string bbox(const Box& box) { return fmt::format("bbox {} {} {} {}", box.x, box.y, box.right(), box.bottom()); }

void write_page(std::string& out, const PageRecord& page) {
  auto to = std::back_inserter(out);
  // ppageno counts from 0; scan_res tells readers the pixels' size when the scan's is known.
  std::string title = fmt::format("bbox 0 0 {} {}; ppageno {}", page.width, page.height, page.number - 1);
  if (page.dpi > 0) title += fmt::format("; scan_res {} {}", page.dpi, page.dpi);
  fmt::format_to(to, "  <div class='ocr_page' id='page_{}' title='{}'>\n", page.number, title);
  int blocks = 0, paragraphs = 0, lines = 0, words = 0;
  for (const LayoutBlock& block : page_layout(page)) {
    fmt::format_to(to, "   <div class='ocr_carea' id='block_{}_{}' title='{}'>\n", page.number, ++blocks,
                   bbox(block.box));
    for (const LayoutParagraph& paragraph : block.paragraphs) {
      fmt::format_to(to, "    <p class='ocr_par' id='par_{}_{}' title='{}'>\n", page.number, ++paragraphs,
                     bbox(paragraph.box));
      for (const LayoutLine& line : paragraph.lines) {
        fmt::format_to(to, "     <span class='ocr_line' id='line_{}_{}' title='{}'>", page.number, ++lines,
                       bbox(line.box));
        for (size_t i = 0; i < line.words.size(); ++i) {
          const WordRecord& word = line.words[i];
          // The space between words is text, so that copying the page's text keeps them apart.
          fmt::format_to(to, "{}<span class='ocrx_word' id='word_{}_{}' title='{}; x_wconf {}'>{}</span>",
                         i == 0 ? "" : " ", page.number, ++words, bbox(word.box), word.confidence,
                         xml_escaped(word.text));
        }
        out += "</span>\n";
      }
      out += "    </p>\n";
    }
    out += "   </div>\n";
  }
  out += "  </div>\n";
}

}  // namespace

std::string document_hocr(const DocumentRecord& document) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
      "    \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
      " <head>\n";
  fmt::format_to(std::back_inserter(out), "  <title>{}</title>\n", xml_escaped(document.id));
  out +=
      "  <meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n"
      "  <meta name=\"ocr-system\" content=\"casenote\"/>\n"
      "  <meta name=\"ocr-capabilities\" content=\"ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf\"/>\n"
      " </head>\n"
      " <body>\n";
  for (const PageRecord& page : document.pages) write_page(out, page);
  out += " </body>\n</html>\n";
  return out;
}

}  // namespace casenote
