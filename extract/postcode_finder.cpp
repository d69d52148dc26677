// The finder of the patient's postcode.
#include <algorithm>
#include <cstdlib>
#include <set>

#include "extract/field_finders.h"
#include "extract/postcode.h"

namespace casenote {
namespace {

// How far below the patient's name, in lines, the patient's address may reach.
constexpr int kAddressDepthInLines = 10;
// How far from the trust's name, in lines, the letterhead's address may reach.
constexpr int kLetterheadReachInLines = 4;
// Characters read as the letter or digit their position needs: OCR was unsure of the postcode.
constexpr double kMisreadPostcodeWeight = 0.9;

// Words that begin another party's details: the GP, a consultant, the trust, a letter's greeting.
bool names_other_party(const std::string& key) {
  static const std::set<std::string> kWords{"gp",       "dr",   "doctor", "surgery", "practice", "consultant",
                                            "dear",     "trust", "hospital", "hospitals", "infirmary", "centre",
                                            "center",   "nhs",  "cc",     "kin",     "nok",      "referrer"};
  return kWords.contains(key);
}

bool names_trust(const std::string& key) {
  static const std::set<std::string> kWords{"nhs", "trust", "hospital", "hospitals", "infirmary", "foundation"};
  return kWords.contains(key);
}

// For each token of a line, the kind of label it belongs to, if any.
std::vector<std::optional<LabelKind>> label_kinds_of_tokens(const LabelledDocument& doc, size_t li) {
  std::vector<std::optional<LabelKind>> kinds(doc.lines[li].tokens.size());
  for (const LabelMatch& label : doc.labels[li])
    std::fill(kinds.begin() + label.first, kinds.begin() + label.end, label.kind);
  return kinds;
}

// Lines in the first page's top third that name the trust.
std::vector<size_t> trust_name_lines(const LabelledDocument& doc) {
  std::vector<size_t> found;
  for (size_t li = 0; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != 0 || 3 * line.box.y >= line.page_height) continue;
    auto kinds = label_kinds_of_tokens(doc, li);
    for (size_t t = 0; t < line.tokens.size(); ++t) {
      if (!(kinds[t] && is_patient_label(*kinds[t])) && names_trust(line.tokens[t].key)) {
        found.push_back(li);
        break;
      }
    }
  }
  return found;
}

// The letterhead: lines in the same block as the trust's name and close to it. OCR may put a
// whole page in one block, so the block alone does not say where the letterhead ends.
bool in_letterhead(const LabelledDocument& doc, const std::vector<size_t>& trust_lines, const Line& line) {
  return std::any_of(trust_lines.begin(), trust_lines.end(), [&](size_t li) {
    const Line& trust = doc.lines[li];
    return line.page_index == trust.page_index && line.block == trust.block &&
           std::abs(line.box.y - trust.box.y) <= lines_to_pixels(kLetterheadReachInLines, trust);
  });
}

std::optional<Reading> read_postcode(const Line& line, size_t li, size_t t) {
  bool two_words = t + 1 < line.tokens.size() && !column_gap_before(line, t + 1);
  // Postcodes as written first, then with OCR's look-alike characters read as the letter or
  // digit each position needs.
  for (bool misread : {false, true}) {
    auto parse = [&](size_t end) {
      auto postcode = (misread ? parse_postcode_misread : parse_postcode)(text_of(line, t, end, true));
      // Dropping punctuation drops a bracket that may be a J's hook misread: try it as read too.
      if (!postcode && misread) postcode = parse_postcode_misread(text_of(line, t, end, false));
      return postcode;
    };
    std::optional<Reading> reading;
    if (two_words)
      if (auto postcode = parse(t + 2)) reading = Reading{*postcode, {li, t}, t + 2};
    if (!reading)
      if (auto postcode = parse(t + 1)) reading = Reading{*postcode, {li, t}, t + 1};
    if (!reading) continue;
    if (misread) reading->weight = kMisreadPostcodeWeight;
    return reading;
  }
  return std::nullopt;
}

// The first postcode after `anchor` in reading order, on lines at or below it and within an
// address's depth, before anything names another party; never the letterhead's.
std::optional<Reading> postcode_after(const LabelledDocument& doc, TokenPosition anchor) {
  const Line& anchor_line = doc.lines[anchor.line];
  int deepest = anchor_line.box.bottom() + lines_to_pixels(kAddressDepthInLines, anchor_line);
  std::vector<size_t> trust_lines = trust_name_lines(doc);
  for (size_t li = anchor.line; li < doc.lines.size(); ++li) {
    const Line& line = doc.lines[li];
    if (line.page_index != anchor_line.page_index) break;
    // Other columns interleave in reading order; lines above the patient's or far below are not theirs.
    if (li != anchor.line && (line.box.bottom() <= anchor_line.box.y || line.box.y > deepest)) continue;
    auto kinds = label_kinds_of_tokens(doc, li);
    for (size_t t = li == anchor.line ? anchor.token : 0; t < line.tokens.size(); ++t) {
      if (kinds[t] == LabelKind::OtherParty) return std::nullopt;
      if (kinds[t] && is_patient_label(*kinds[t])) continue;
      if (names_other_party(line.tokens[t].key)) return std::nullopt;
      auto reading = read_postcode(line, li, t);
      if (!reading) continue;
      if (!in_letterhead(doc, trust_lines, line)) return reading;
      t = reading->end - 1;
    }
  }
  return std::nullopt;
}

// True when the label heads a value: it has its colon, or digits follow it. "NHS" in the
// trust's name heads nothing.
bool heads_a_value(const LabelledDocument& doc, size_t li, const LabelMatch& label) {
  if (label.colon) return true;
  auto at = labelled_value_position(doc, li, label);
  return at && has_digit(doc.lines[at->line].tokens[at->token].text);
}

// Where the patient's details begin: after the name, else at the first patient-detail label.
std::optional<TokenPosition> patient_anchor(const LabelledDocument& doc, std::optional<TokenPosition> name_end) {
  if (name_end) return name_end;
  for (size_t li = 0; li < doc.lines.size(); ++li)
    for (const LabelMatch& label : doc.labels[li])
      if (is_patient_label(label.kind) && heads_a_value(doc, li, label)) return TokenPosition{li, label.first};
  return std::nullopt;
}

}  // namespace

void find_postcode(const LabelledDocument& doc, std::optional<TokenPosition> name_end, DocumentFields& out) {
  auto anchor = patient_anchor(doc, name_end);
  if (!anchor) return;
  if (auto reading = postcode_after(doc, *anchor))
    out.fields.insert_or_assign(FieldKind::Postcode, field_from(doc, FieldKind::Postcode, *reading));
}

}  // namespace casenote
