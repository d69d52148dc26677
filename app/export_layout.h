// hOCR and ALTO: a document's pages with their recognised words and boxes, in the forms archive
// systems ingest. Boxes are in the upright, deskewed page's pixels, as OCR gave them. A page
// without words (blank, unread, or stored before words were kept) is written empty.
#pragma once

#include <string>

#include "store/records.h"

namespace casenote {

// The document as one hOCR 1.2 file (XHTML): an ocr_page per page holding ocr_carea, ocr_par,
// ocr_line and ocrx_word elements, each titled "bbox x0 y0 x1 y1" and each word with
// "x_wconf N". Well-formed XML whatever the words hold.
std::string document_hocr(const DocumentRecord& document);

// The document as one ALTO v4 file, measured in pixels: a Page per page, its PrintSpace holding a
// TextBlock per paragraph, TextLines, and Strings with HPOS, VPOS, WIDTH, HEIGHT, WC (0..1) and
// CONTENT, SP between them. Well-formed XML whatever the words hold.
std::string document_alto(const DocumentRecord& document);

}  // namespace casenote
