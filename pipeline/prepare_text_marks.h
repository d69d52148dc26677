// The marks on a page that look like characters: how many there are and how tall, which is
// what tells a blank page from a page of text, and the page's resolution when the file does
// not state it.
#pragma once

#include "ocr/page_image.h"

namespace casenote {

struct TextMarks {
  int count = 0;              // character-sized marks
  double median_height = 0;   // their median height, in the image's pixels; 0 when none
};

// Counts the character-sized marks of a binary page (1 bpp, ink set) at `dpi`: blobs between
// about 1 mm and 1 cm tall, and not wider than a long word. Specks of dust, smudges, holes and
// rules are not counted.
TextMarks survey_text_marks(const PageImage& binary, int dpi);

// True when a page with these marks carries no text worth reading: an empty back of a duplex
// scan, perhaps with a punched hole, a speck or a smudge. A line of faint writing is not blank.
bool is_blank(const TextMarks& marks);

// The resolution, of the image the marks were surveyed in, at which its text would be of
// ordinary body size (10 to 12 point); 0 when there is too little text to tell.
int dpi_from_text_height(const TextMarks& marks);

enum class DpiSource { File, TextHeight, Assumed };

// Where a page's resolution came from, as the export names it: file, text_height or assumed.
const char* dpi_source_name(DpiSource source);

struct Resolution {
  int dpi = 0;
  DpiSource source = DpiSource::Assumed;
};

// The file's resolution tag when a scan could have it (100 to 1200 dpi), else 0: a 72 dpi tag
// is what software writes when it does not know.
int plausible_file_dpi(int file_dpi);

// The resolution `page` would have if it were an A4 or Letter page across its shorter side.
int dpi_from_page_size(const PageImage& page);

// The resolution to work at: the file's, unless the file states none or its text would then
// be implausibly small or large (a 72 or 2400 dpi tag on a 300 dpi scan); else the one
// estimated from text height (0 when unknown); else `fallback_dpi`.
Resolution resolve_dpi(int file_dpi, int text_dpi, int fallback_dpi);

}  // namespace casenote
