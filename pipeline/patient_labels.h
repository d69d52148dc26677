// What casenote reads into the barcodes on a page. Two kinds of symbol mean something:
//
//  - A separator sheet carries a symbol (Code 128, QR or Data Matrix) whose content is exactly
//    "CASENOTE-SEPARATOR". Scanning rooms put one between patients' documents in a stack: each
//    sheet ends the document before it and starts a new one. The sheet itself is not a page of
//    any document.
//  - A patient label carries "NHS:" and an NHS number ("NHS:9990001234", spaces or dashes
//    allowed in the number) or "MRN:" and a hospital number, in any of the three symbologies.
//    A label identifies the document it is on; a label on a separator sheet identifies the
//    document that sheet starts.
//
// Any other content (a lab sample's barcode, a form's id) is not used.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/fields.h"
#include "pipeline/barcodes.h"

namespace casenote {

inline constexpr const char* kSeparatorSheetContent = "CASENOTE-SEPARATOR";

// True when one of `barcodes`, read off one page, marks the page as a separator sheet.
bool is_separator_sheet(const std::vector<Barcode>& barcodes);

struct PatientLabel {
  ExtractedField field;  // NhsNumber or HospitalNumber, confidence 1, box where the symbol is
  std::string problem;   // why the label cannot be used (e.g. a bad check digit); empty when it can
};

// Reads a patient label off `barcode`, found on page `page`; nothing when it is not one.
std::optional<PatientLabel> read_patient_label(const Barcode& barcode, int page);

// Makes the labels' identifiers the document's, read with full confidence. A label that cannot
// be used, two labels that disagree, or a label that disagrees with the number read in the text
// adds a review reason: a person decides, nothing is guessed.
void apply_patient_labels(DocumentFields& fields, const std::vector<PatientLabel>& labels);

}  // namespace casenote
