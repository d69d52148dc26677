// The printed labels that introduce values on letters and forms ("NHS No:", "DOB", "Re:") and
// finding them on lines of tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/page_lines.h"

namespace casenote {

enum class LabelKind {
  NhsNumber,
  ChiNumber,       // Scotland's Community Health Index number
  HcNumber,        // Northern Ireland's Health and Care number
  HospitalNumber,
  PatientName,
  FamilyName,      // "Surname:" on a form that asks for the names apart
  GivenNames,      // "Forename(s):"
  DateOfBirth,
  DocumentDate,    // the date a letter was written
  ClinicDate,      // the clinic or appointment the document is about
  AdmissionDate,
  DischargeDate,
  DeathDate,
  ReportDate,      // when a result was reported
  ReferralDate,
  OtherParty,      // someone who is not the patient: "GP", "Consultant", "Next of kin", "cc"
  Other,           // another value never to be mistaken for a patient's: "Tel", "Ref", "Date typed"
};

struct LabelSpec {
  std::string text;      // as printed, e.g. "Date of Birth"; compared word by word, ignoring case and punctuation
  LabelKind kind;
  // A common word ("Date", "Name") that labels a value only where a field can start: at the start
  // of a line, after a form column gap, or after a value. "Clinic date" is not a "Date" label.
  bool common_word = false;
  // Among labels of one kind, a lower rank names the field more exactly ("Date of letter" before "Date",
  // "Patient name" before "Re", which also heads a letter's subject).
  int rank = 0;
};

// The kind a configuration names ("nhs_number", "date_of_birth", "clinic_date", ...: the export
// key of the field the label introduces), nothing for an unknown name.
std::optional<LabelKind> label_kind_named(std::string_view name);

// The labels OCR text is read with: patient identifiers, dates of each kind, and the labels of
// other people and other values ("GP", "Next of kin", "Tel", "Date typed") that must not be
// mistaken for the patient's.
std::vector<LabelSpec> default_labels();

// Labels of hospital numbers; local numbering schemes differ, so these are configurable.
std::vector<std::string> default_hospital_number_labels();

struct LabelMatch {
  LabelKind kind;
  int rank = 0;
  size_t first = 0;      // tokens [first, end) of the line, including a separate ":" token
  size_t end = 0;
  bool colon = false;    // written with a colon, as a form or letter heading writes it
  bool common_word = false;
};

class LabelTable {
 public:
  explicit LabelTable(const std::vector<LabelSpec>& labels);

  // The labels on `line` from left to right; at each position the longest label wins, so
  // "Date of Birth" is one date-of-birth label rather than a "Date" label. Tolerates OCR reading
  // O as 0, S as 5, B as 8 and l as 1 inside a label ("NHS N0", "D0B").
  std::vector<LabelMatch> find(const Line& line) const;

 private:
  struct Entry {
    LabelKind kind;
    bool common_word;
    int rank;
    std::vector<std::string> words;  // token keys
  };
  // `keys` are the line's token keys with look-alike digits read as letters.
  std::optional<LabelMatch> match_at(const Line& line, const std::vector<std::string>& keys, size_t start) const;

  std::vector<Entry> entries_;
};

// Where the value of a label on lines[line_index] starts: the token after it, or, when the label
// ends its line, the first token of the next line directly below the label.
struct TokenPosition {
  size_t line = 0;
  size_t token = 0;
};
std::optional<TokenPosition> value_position(const std::vector<Line>& lines, size_t line_index, const LabelMatch& label);

}  // namespace casenote
