// The finders of the patient's date of birth and of the document's dates by kind.
#include <array>

#include "extract/field_finders.h"

namespace casenote {
namespace {

// A date standing alone near the top of a letter is usually, not always, the letter's date.
constexpr double kUnlabelledDateWeight = 0.8;
// A birth date with a two-digit year: the century was inferred, so a misreading has more room.
constexpr double kInferredCenturyWeight = 0.95;
// ... and the other century would have made a possible age too; the younger was taken.
constexpr double kAmbiguousCenturyWeight = 0.8;
constexpr int kOldestAge = 120;
// Appointment letters are written before the clinic.
constexpr int kAppointmentYearsAhead = 2;
// The document date: a letter's own date first, then a report's or discharge's, then a plain "Date".
constexpr int kReportOrDischargeRank = 1;

struct DateKind {
  LabelKind label;
  FieldKind field;
  int years_ahead;  // how far after today the date may be
};

constexpr std::array<DateKind, 6> kDateKinds{{
    {LabelKind::ClinicDate, FieldKind::ClinicDate, kAppointmentYearsAhead},
    {LabelKind::AdmissionDate, FieldKind::AdmissionDate, 0},
    {LabelKind::DischargeDate, FieldKind::DischargeDate, 0},
    {LabelKind::DeathDate, FieldKind::DeathDate, 0},
    {LabelKind::ReportDate, FieldKind::ReportDate, 0},
    {LabelKind::ReferralDate, FieldKind::ReferralDate, 0},
}};

std::string as_iso(const std::string& value) { return value; }

// A date written from `at` that falls within [earliest, latest]; a two-digit year takes the
// latest century that keeps it so. With `weigh_century`, an inferred century lowers the weight.
std::optional<Reading> read_date(const LabelledDocument& doc, TokenPosition at, Date earliest, Date latest,
                                 bool weigh_century) {
  const Line& line = doc.lines[at.line];
  size_t limit = value_end(doc, at);
  // "4th March 1950" spans three tokens, "04/03/1950" one, "29 Jan53" (a space lost) two.
  for (size_t count : {3, 2, 1}) {
    size_t end = at.token + count;
    if (end > limit) continue;
    std::string text = text_of(line, at.token, end, false);
    auto date = parse_date_not_after(text, latest);
    if (!date || *date < earliest || *date > latest) continue;
    Reading reading{date->iso(), at, end};
    if (weigh_century && has_two_digit_year(text))
      reading.weight = years_before(*date, 100) >= earliest ? kAmbiguousCenturyWeight : kInferredCenturyWeight;
    return reading;
  }
  return std::nullopt;
}

bool ends_with_label(const LabelledDocument& doc, size_t li) {
  const auto& labels = doc.labels[li];
  return !labels.empty() && labels.back().end == doc.lines[li].tokens.size();
}

// A date alone on a line in the top third of the first page, as a letter is dated; not a value
// set below its label ("Date of birth:" ending the line above).
std::vector<Reading> standalone_letter_dates(const LabelledDocument& doc, Date today) {
  std::vector<Reading> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != 0 || 3 * line.box.y >= line.page_height) continue;
    if (li > 0 && doc.lines[li - 1].page_index == 0 && ends_with_label(doc, li - 1)) continue;
    auto date = parse_date_not_after(text_of(line, 0, line.tokens.size(), false), today);
    if (!date || *date > today) continue;
    Reading reading{date->iso(), {li, 0}, line.tokens.size()};
    reading.labelled = false;
    reading.weight = kUnlabelledDateWeight;
    found.push_back(reading);
  }
  return found;
}

std::vector<Reading> labelled_dates(const LabelledDocument& doc, LabelKind kind, Date earliest, Date latest) {
  std::vector<Reading> readings;
  // Documents are recent, so their own dates' centuries are no guess; a patient's birth may be either.
  bool weigh_century = kind == LabelKind::DateOfBirth;
  for_each_labelled_value(doc, kind, [&](const LabelMatch& label, TokenPosition at) {
    if (auto reading = read_date(doc, at, earliest, latest, weigh_century)) {
      reading->rank = label.rank;
      readings.push_back(*reading);
    }
  });
  return readings;
}

std::optional<Reading> find_document_date(const LabelledDocument& doc, Date today, DocumentFields& out) {
  std::vector<Reading> labelled = labelled_dates(doc, LabelKind::DocumentDate, Date{}, today);
  for (LabelKind kind : {LabelKind::ReportDate, LabelKind::DischargeDate}) {
    for (Reading reading : labelled_dates(doc, kind, Date{}, today)) {
      reading.rank = kReportOrDischargeRank;
      labelled.push_back(reading);
    }
  }
  std::vector<Reading> readings = labelled.empty() ? standalone_letter_dates(doc, today) : best_ranked(labelled);
  if (readings.empty()) return std::nullopt;
  if (readings_disagree(readings)) {
    out.review_reasons.push_back(conflict_reason(doc, "document dates", readings, as_iso));
    return std::nullopt;
  }
  return readings.front();
}

std::vector<Reading> dates_of_birth(const LabelledDocument& doc, Date reference, DocumentFields& out) {
  std::vector<Reading> readings =
      labelled_dates(doc, LabelKind::DateOfBirth, years_before(reference, kOldestAge), reference);
  if (readings.empty()) return readings;
  if (readings_disagree(readings)) {
    out.review_reasons.push_back(conflict_reason(doc, "dates of birth", readings, as_iso));
    return {};
  }
  return readings;
}

void find_kinds_of_date(const LabelledDocument& doc, Date today, DocumentFields& out) {
  for (const DateKind& kind : kDateKinds) {
    std::vector<Reading> readings = labelled_dates(doc, kind.label, Date{}, years_after(today, kind.years_ahead));
    // Two clinic dates, say, are no safety matter: neither is guessed, and nobody need look.
    if (readings.empty() || readings_disagree(readings)) continue;
    out.fields.insert_or_assign(kind.field, agreed_field(doc, kind.field, readings));
  }
}

}  // namespace

void find_dates(const LabelledDocument& doc, Date today, DocumentFields& out) {
  auto document_date = find_document_date(doc, today, out);
  Date reference = document_date ? *parse_iso_date(document_date->value) : today;
  std::vector<Reading> births = dates_of_birth(doc, reference, out);
  if (!births.empty()) out.fields.insert_or_assign(FieldKind::DateOfBirth, agreed_field(doc, FieldKind::DateOfBirth, births));
  // A lone date that is also the date of birth is the birth date set out on its own line.
  bool is_birth_date = !births.empty() && document_date && !document_date->labelled &&
                       document_date->value == births.front().value;
  if (document_date && !is_birth_date)
    out.fields.insert_or_assign(FieldKind::DocumentDate, field_from(doc, FieldKind::DocumentDate, *document_date));
  find_kinds_of_date(doc, today, out);
}

}  // namespace casenote
