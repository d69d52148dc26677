// Telling a page set in columns from one read as a single column of lines.
#pragma once

#include "core/recognised_text.h"

namespace casenote {

// Whether `page`, read as one column of lines, is really set in columns side by side: then
// some of its lines run across a gutter, joining unrelated text from each column, and its
// columns come out interleaved. Seen as lines holding two or more runs of prose (3 words or
// more) apart from each other by wide gaps (over 1.5 text heights, more than word spacing),
// in at least 3 lines whose gaps share one gutter, which few lines between them cross. Table
// rows break at wide gaps too, but their cells are a word or two, so a table stays a
// single-column reading; faint print breaks lines into runs too, but other lines cross its gaps.
bool reads_across_columns(const RecognisedPage& page);

}  // namespace casenote
