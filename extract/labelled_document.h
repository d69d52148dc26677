// A document as the field finders read it: its lines of tokens with the labels found on each,
// and the values read after them. Internal to extract/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/recognised_text.h"
#include "extract/extraction_options.h"
#include "extract/fields.h"
#include "extract/labels.h"
#include "extract/page_lines.h"

namespace casenote {

struct LabelledDocument {
  std::vector<Line> lines;
  std::vector<std::vector<LabelMatch>> labels;  // of each line
};

// The pages' lines, less those holding the letterhead text `options` names, with their labels:
// the defaults, the options' extra labels and its hospital number labels.
LabelledDocument label_document(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options);

// A value read off the document: tokens [at.token, end) of line at.line.
struct Reading {
  std::string value;
  TokenPosition at;
  size_t end = 0;
  int rank = 0;         // of the label it was read after
  bool labelled = true;
  double weight = 1;    // scales the OCR confidence when the evidence is weak
};

// Where a value starting at `at` ends: at a form column gap, at the next label or at the end of
// its line. A label of some other value counts only with its colon: "WARD" may be a surname.
size_t value_end(const LabelledDocument& doc, TokenPosition at);

// The tokens [first, end) of `line` joined by spaces, optionally without the punctuation that
// sentences put around a value.
std::string text_of(const Line& line, size_t first, size_t end, bool without_punctuation);

// Where the value of the label on line `li` starts (labels.h value_position()), past a short
// word ending in a colon, or in a full stop before digits, that is no label of its own: the end
// of the label, garbled by OCR ("NHS Noa: 999 ...", "NHS na. 999-064-5744").
std::optional<TokenPosition> labelled_value_position(const LabelledDocument& doc, size_t li, const LabelMatch& label);

// Calls visit(label, position) for the value position of every label of `kind`.
template <class Visit>
void for_each_labelled_value(const LabelledDocument& doc, LabelKind kind, Visit visit) {
  for (size_t li = 0; li < doc.lines.size(); ++li)
    for (const LabelMatch& label : doc.labels[li])
      if (label.kind == kind)
        if (auto at = labelled_value_position(doc, li, label)) visit(label, *at);
}

// The field `reading` gives: its words' box, page and text, and a confidence that is the lowest
// OCR confidence of its words scaled by the reading's weight.
ExtractedField field_from(const LabelledDocument& doc, FieldKind kind, const Reading& reading);

// The field readings that all hold one value give: read where it was read most confidently,
// with that confidence raised by every other reading, since independent readings agreeing
// make a misreading less likely.
ExtractedField agreed_field(const LabelledDocument& doc, FieldKind kind, const std::vector<Reading>& readings);

// True when the readings do not all hold one value.
bool readings_disagree(const std::vector<Reading>& readings);

// "conflicting NHS numbers: 999 051 6324 (page 1), 999 000 0018 (page 2)": the review reason
// for readings that disagree, naming each value, shown by `display`, and the page it is first on.
std::string conflict_reason(const LabelledDocument& doc, const std::string& what, const std::vector<Reading>& readings,
                            std::string (*display)(const std::string&));

// The readings after the most exact label that gave any.
std::vector<Reading> best_ranked(std::vector<Reading> readings);

bool has_digit(std::string_view text);

// A label of the patient's own details: an identifier, name or date of birth.
bool is_patient_label(LabelKind kind);

// Lines sit about one and a half word heights apart.
int lines_to_pixels(int lines, const Line& line);

}  // namespace casenote
