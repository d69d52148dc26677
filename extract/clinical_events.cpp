#include "extract/clinical_events.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "extract/labelled_document.h"
#include "extract/page_lines.h"

namespace casenote {
namespace {

// What the words after a cue give.
enum class Role { Date, Ward, Specialty, Method, From, To, Destination, Priority, Procedure, Clinic };

struct Cue {
  std::vector<std::string> words;  // token keys
  Role role;
  std::vector<EventKind> kinds;    // the events the value belongs to, most likely first
  // A phrase of running text ("Admitted on", "Transferred from"): it need not end in a colon.
  bool phrase = false;
};

using K = EventKind;

std::vector<std::string> keys_of(std::string_view text) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (start < text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    keys.push_back(token_key(text.substr(start, space - start)));
    start = space + 1;
  }
  return keys;
}

const std::vector<Cue>& cues() {
  static const std::vector<Cue> table = [] {
    struct Row {
      const char* words;
      Role role;
      std::vector<EventKind> kinds;
      bool phrase;
    };
    const std::vector<Row> rows{
        {"date of admission", Role::Date, {K::Admission}, false},
        {"admission date", Role::Date, {K::Admission}, false},
        {"date admitted", Role::Date, {K::Admission}, false},
        {"admitted", Role::Date, {K::Admission}, true},
        {"admitted on", Role::Date, {K::Admission}, true},
        {"date of transfer", Role::Date, {K::Transfer}, false},
        {"transfer date", Role::Date, {K::Transfer}, false},
        {"transferred on", Role::Date, {K::Transfer}, true},
        {"transferred from", Role::From, {K::Transfer}, true},
        {"transferred to", Role::To, {K::Transfer}, true},
        {"date of discharge", Role::Date, {K::Discharge}, false},
        {"discharge date", Role::Date, {K::Discharge}, false},
        {"date discharged", Role::Date, {K::Discharge}, false},
        {"discharged", Role::Date, {K::Discharge}, true},
        {"discharged on", Role::Date, {K::Discharge}, true},
        {"date of death", Role::Date, {K::Death}, false},
        {"dod", Role::Date, {K::Death}, false},
        {"died on", Role::Date, {K::Death}, true},
        {"referral received", Role::Date, {K::ReferralReceived}, false},
        {"date referral received", Role::Date, {K::ReferralReceived}, false},
        {"referral date", Role::Date, {K::ReferralReceived}, false},
        {"date of referral", Role::Date, {K::ReferralReceived}, false},
        {"date referred", Role::Date, {K::ReferralReceived}, false},
        {"added to waiting list", Role::Date, {K::AddedToWaitingList}, true},
        {"added to the waiting list", Role::Date, {K::AddedToWaitingList}, true},
        {"added to waiting list on", Role::Date, {K::AddedToWaitingList}, true},
        {"added to the waiting list on", Role::Date, {K::AddedToWaitingList}, true},
        {"date listed", Role::Date, {K::AddedToWaitingList}, false},
        {"waiting list date", Role::Date, {K::AddedToWaitingList}, false},
        {"clinic date", Role::Date, {K::ClinicAttendance}, false},
        {"date of clinic", Role::Date, {K::ClinicAttendance}, false},
        {"date seen", Role::Date, {K::ClinicAttendance}, false},
        {"date of attendance", Role::Date, {K::ClinicAttendance}, false},
        {"attendance date", Role::Date, {K::ClinicAttendance}, false},
        {"seen in clinic on", Role::Date, {K::ClinicAttendance}, true},
        {"attended clinic on", Role::Date, {K::ClinicAttendance}, true},
        {"clinic", Role::Clinic, {K::ClinicAttendance}, false},
        {"ward", Role::Ward, {K::Admission}, false},
        {"admitting ward", Role::Ward, {K::Admission}, false},
        {"specialty", Role::Specialty, {K::ReferralReceived, K::Admission}, false},
        {"speciality", Role::Specialty, {K::ReferralReceived, K::Admission}, false},
        {"referred to", Role::Specialty, {K::ReferralReceived}, false},
        {"admission method", Role::Method, {K::Admission}, false},
        {"method of admission", Role::Method, {K::Admission}, false},
        {"admission type", Role::Method, {K::Admission}, false},
        {"type of admission", Role::Method, {K::Admission}, false},
        {"discharge destination", Role::Destination, {K::Discharge}, false},
        {"discharged to", Role::Destination, {K::Discharge}, true},
        {"destination", Role::Destination, {K::Discharge}, false},
        {"priority", Role::Priority, {K::ReferralReceived}, false},
        {"referral priority", Role::Priority, {K::ReferralReceived}, false},
        {"urgency", Role::Priority, {K::ReferralReceived}, false},
        {"procedure", Role::Procedure, {K::AddedToWaitingList}, false},
        {"planned procedure", Role::Procedure, {K::AddedToWaitingList}, false},
        {"intended procedure", Role::Procedure, {K::AddedToWaitingList}, false},
        {"listed for", Role::Procedure, {K::AddedToWaitingList}, true},
    };
    std::vector<Cue> out;
    for (const Row& row : rows) out.push_back({keys_of(row.words), row.role, row.kinds, row.phrase});
    return out;
  }();
  return table;
}

// Running text is weaker evidence of what a date is than a label.
constexpr double kPhraseWeight = 0.9;
// A two-digit year leaves the century to inference.
constexpr double kTwoDigitYearWeight = 0.9;

struct CueMatch {
  const Cue* cue = nullptr;
  size_t first = 0;
  size_t end = 0;          // one past the cue's words, and past a separate ":" token
  bool colon = false;
};

// The longest cue starting at token `at`, if any. A cue that is no phrase needs its colon; a
// phrase must start its line or a form column.
std::optional<CueMatch> cue_at(const Line& line, size_t at) {
  std::optional<CueMatch> best;
  for (const Cue& cue : cues()) {
    size_t n = cue.words.size();
    if (at + n > line.tokens.size()) continue;
    bool same = true;
    for (size_t k = 0; k < n && same; ++k) same = line.tokens[at + k].key == cue.words[k];
    if (!same || (best && best->end - best->first >= n)) continue;
    size_t end = at + n;
    bool colon = line.tokens[end - 1].text.back() == ':';
    if (!colon && end < line.tokens.size() && line.tokens[end].text == ":") {
      colon = true;
      ++end;
    }
    bool starts_column = at == 0 || column_gap_before(line, at);
    if (colon || (cue.phrase && starts_column)) best = CueMatch{&cue, at, end, colon};
  }
  return best;
}

std::vector<CueMatch> cues_on(const Line& line) {
  std::vector<CueMatch> found;
  for (size_t i = 0; i < line.tokens.size();) {
    if (auto match = cue_at(line, i)) {
      found.push_back(*match);
      i = match->end;
    } else {
      ++i;
    }
  }
  return found;
}

struct DateRead {
  Date date;
  size_t end = 0;
  bool two_digit_year = false;
};

// A date not after `today` written at token `at` of `line`, in one or three words ("04/03/2024",
// "4 March 2024").
std::optional<DateRead> date_at(const Line& line, size_t at, Date today) {
  for (size_t count : {3, 1}) {
    size_t end = at + count;
    if (end > line.tokens.size()) continue;
    std::string text = text_of(line, at, end, true);
    auto date = parse_date_not_after(text, today);
    if (date && *date <= today) return DateRead{*date, end, has_two_digit_year(text)};
  }
  return std::nullopt;
}

double lowest_confidence(const Line& line, size_t first, size_t end) {
  double lowest = 100;
  for (size_t i = first; i < end; ++i) lowest = std::min(lowest, static_cast<double>(line.tokens[i].confidence));
  return lowest / 100.0;
}

Box box_of(const Line& line, size_t first, size_t end) {
  Box box;
  for (size_t i = first; i < end; ++i) box = box.united(line.tokens[i].box);
  return box;
}

// A date found for an event, before events of one kind and date are merged.
struct DatedEvent {
  ClinicalEvent event;
  size_t line = 0;
};

// A detail found for an event, attached to the nearest event of its kind afterwards.
struct Detail {
  const Cue* cue;
  std::string value;
  size_t line = 0;
};

std::string& detail_field(ClinicalEvent& event, Role role) {
  switch (role) {
    case Role::Ward: return event.ward;
    case Role::Specialty: return event.specialty;
    case Role::Method: return event.method;
    case Role::From: return event.from;
    case Role::To: return event.to;
    case Role::Destination: return event.destination;
    case Role::Priority: return event.priority;
    case Role::Procedure: return event.procedure;
    case Role::Date:
    case Role::Clinic: break;
  }
  return event.clinic;
}

bool key_has(const std::string& key, std::initializer_list<const char*> parts) {
  return std::any_of(parts.begin(), parts.end(), [&](const char* part) { return key.find(part) != std::string::npos; });
}

std::string admission_method(const std::string& text) {
  std::string key = token_key(text);
  if (key_has(key, {"nonelective", "emergency", "acute"})) return "emergency";
  if (key_has(key, {"elective", "planned"})) return "elective";
  return "";
}

std::string referral_priority(const std::string& text) {
  std::string key = token_key(text);
  if (key_has(key, {"twoweek", "2ww", "2week", "fasttrack", "suspectedcancer"})) return "two_week_wait";
  if (key_has(key, {"urgent"})) return "urgent";
  if (key_has(key, {"routine"})) return "routine";
  return "";
}

// The value of a detail from token `at`: up to the next cue, a form column gap or the line's end.
std::string detail_value(const Line& line, size_t at, const std::vector<CueMatch>& line_cues) {
  size_t end = at;
  while (end < line.tokens.size() && (end == at || !column_gap_before(line, end))) {
    bool cue_starts = std::any_of(line_cues.begin(), line_cues.end(), [&](const CueMatch& c) { return c.first == end; });
    if (cue_starts) break;
    ++end;
  }
  return end > at ? text_of(line, at, end, true) : "";
}

class EventReader {
 public:
  EventReader(const std::vector<Line>& lines, Date today) : lines_(lines), today_(today) {}

  void read_line(size_t li) {
    const Line& line = lines_[li];
    std::vector<CueMatch> line_cues = cues_on(line);
    for (const CueMatch& match : line_cues) {
      const Cue& cue = *match.cue;
      EventKind kind = cue.kinds.front();
      if (kind == EventKind::Transfer && cue.phrase && !match.colon) {
        read_transfer_phrase(li, match);
      } else if (cue.role == Role::Date || cue.role == Role::Clinic) {
        if (!read_date_value(li, match) && cue.role == Role::Clinic) add_detail(li, match, line_cues);
      } else {
        add_detail(li, match, line_cues);
      }
    }
  }

  ClinicalEvents finish();

 private:
  // The date after a cue: right after it (past "on" in running text), or at the start of the
  // next line when a label ends its line.
  bool read_date_value(size_t li, const CueMatch& match) {
    const Line& line = lines_[li];
    size_t at = match.end;
    if (!match.colon && at < line.tokens.size() && line.tokens[at].key == "on") ++at;
    if (at < line.tokens.size()) {
      auto date = date_at(line, at, today_);
      if (!date) return false;
      add_event(li, match, line, at, *date);
      return true;
    }
    if (!match.colon || li + 1 >= lines_.size() || lines_[li + 1].page_index != line.page_index) return false;
    const Line& below = lines_[li + 1];
    auto date = date_at(below, 0, today_);
    if (!date) return false;
    add_event(li, match, below, 0, *date);
    return true;
  }

  void add_event(size_t li, const CueMatch& match, const Line& date_line, size_t date_first, const DateRead& date) {
    const Line& line = lines_[li];
    ClinicalEvent event;
    event.kind = match.cue->kinds.front();
    event.date = date.date.iso();
    double weight = (match.colon ? 1.0 : kPhraseWeight) * (date.two_digit_year ? kTwoDigitYearWeight : 1.0);
    event.confidence = std::min(lowest_confidence(line, match.first, match.end),
                                lowest_confidence(date_line, date_first, date.end)) * weight;
    event.page = line.page_number;
    event.box = box_of(line, match.first, match.end).united(box_of(date_line, date_first, date.end));
    event.source_text = text_of(line, 0, line.tokens.size(), false);
    dated_.push_back({std::move(event), li});
  }

  void add_detail(size_t li, const CueMatch& match, const std::vector<CueMatch>& line_cues) {
    const Line& line = lines_[li];
    if (match.end >= line.tokens.size()) return;
    std::string value = detail_value(line, match.end, line_cues);
    if (match.cue->role == Role::Method) value = admission_method(value);
    if (match.cue->role == Role::Priority) value = referral_priority(value);
    if (!value.empty()) details_.push_back({match.cue, value, li});
  }

  // "Transferred from Ward 7 to ICU on 03/04/2024": places and date in one line of running text,
  // in any order.
  void read_transfer_phrase(size_t li, const CueMatch& match) {
    const Line& line = lines_[li];
    std::string from, to;
    std::string* place = match.cue->role == Role::To ? &to : (match.cue->role == Role::From ? &from : nullptr);
    std::optional<std::pair<size_t, DateRead>> found;
    for (size_t i = match.end; i < line.tokens.size(); ++i) {
      const std::string& key = line.tokens[i].key;
      if (auto date = date_at(line, i, today_)) {
        if (!found) found.emplace(i, *date);
        i = date->end - 1;
        place = nullptr;
      } else if (key == "from") {
        place = &from;
      } else if (key == "to") {
        place = &to;
      } else if (key == "on") {
        place = nullptr;
      } else if (place) {
        if (!place->empty()) *place += ' ';
        *place += line.tokens[i].text;
      }
    }
    if (!found) return;
    add_event(li, match, line, found->first, found->second);
    ClinicalEvent& event = dated_.back().event;
    event.from = std::string(strip_punctuation(from));
    event.to = std::string(strip_punctuation(to));
  }

  // The document-wide phrases that say how a patient was admitted or how urgent a referral is,
  // used where no label says: one answer only when the document gives no other.
  std::string phrase_answer(const std::vector<std::pair<const char*, const char*>>& phrases) const {
    std::string answer;
    for (const Line& line : lines_) {
      std::string key;
      for (const Token& token : line.tokens) key += token.key + " ";
      for (const auto& [phrase, meaning] : phrases) {
        if (key.find(phrase) == std::string::npos) continue;
        if (!answer.empty() && answer != meaning) return "";
        answer = meaning;
      }
    }
    return answer;
  }

  std::vector<ClinicalEvent> merged_events() const;

  const std::vector<Line>& lines_;
  Date today_;
  std::vector<DatedEvent> dated_;
  std::vector<Detail> details_;
};

// One event per kind and date, keeping the most confident reading; then each detail on the
// nearest event of its kind.
std::vector<ClinicalEvent> EventReader::merged_events() const {
  std::vector<DatedEvent> merged;
  for (const DatedEvent& found : dated_) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const DatedEvent& m) {
      return m.event.kind == found.event.kind && m.event.date == found.event.date;
    });
    if (same == merged.end()) {
      merged.push_back(found);
    } else if (found.event.confidence > same->event.confidence) {
      ClinicalEvent event = found.event;
      event.from = event.from.empty() ? same->event.from : event.from;
      event.to = event.to.empty() ? same->event.to : event.to;
      *same = {std::move(event), found.line};
    }
  }
  for (const Detail& detail : details_) {
    for (EventKind kind : detail.cue->kinds) {
      DatedEvent* nearest = nullptr;
      long best = 0;
      for (DatedEvent& candidate : merged) {
        if (candidate.event.kind != kind) continue;
        long distance = std::labs(static_cast<long>(candidate.line) - static_cast<long>(detail.line));
        if (!nearest || distance < best) {
          nearest = &candidate;
          best = distance;
        }
      }
      if (!nearest) continue;
      std::string& field = detail_field(nearest->event, detail.cue->role);
      if (field.empty()) field = detail.value;
      break;
    }
  }
  std::vector<ClinicalEvent> events;
  for (DatedEvent& m : merged) events.push_back(std::move(m.event));
  return events;
}

ClinicalEvents EventReader::finish() {
  ClinicalEvents out;
  out.events = merged_events();
  std::string method = phrase_answer({{"emergency admission", "emergency"},
                                      {"admitted as an emergency", "emergency"},
                                      {"elective admission", "elective"},
                                      {"admitted electively", "elective"}});
  std::string priority = phrase_answer({{"two week wait", "two_week_wait"},
                                        {"2ww", "two_week_wait"},
                                        {"urgent referral", "urgent"},
                                        {"routine referral", "routine"}});
  for (ClinicalEvent& event : out.events) {
    if (event.kind == EventKind::Admission && event.method.empty()) event.method = method;
    if (event.kind == EventKind::ReferralReceived && event.priority.empty()) event.priority = priority;
  }

  // A discharge before every admission the document states is no episode that can have happened:
  // one of the dates is misread or mistyped, and a person must say which.
  std::optional<std::string> first_admission;
  for (const ClinicalEvent& event : out.events)
    if (event.kind == EventKind::Admission && (!first_admission || event.date < *first_admission))
      first_admission = event.date;
  bool impossible_stay = false;
  for (const ClinicalEvent& event : out.events) {
    if (event.kind != EventKind::Discharge || !first_admission || event.date >= *first_admission) continue;
    out.review_reasons.push_back("discharge date " + event.date + " is before admission date " + *first_admission);
    impossible_stay = true;
  }
  if (impossible_stay)
    std::erase_if(out.events, [](const ClinicalEvent& e) {
      return e.kind == EventKind::Admission || e.kind == EventKind::Discharge;
    });

  for (const ClinicalEvent& event : out.events)
    if (event.confidence < kMinEventConfidence)
      out.review_reasons.push_back(std::string(event_kind_name(event.kind)) + " date read with low confidence (page " +
                                   std::to_string(event.page) + ")");
  return out;
}

}  // namespace

const char* event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::Admission: return "admission";
    case EventKind::Transfer: return "transfer";
    case EventKind::Discharge: return "discharge";
    case EventKind::Death: return "death";
    case EventKind::ReferralReceived: return "referral";
    case EventKind::AddedToWaitingList: return "waiting_list";
    case EventKind::ClinicAttendance: return "clinic_attendance";
  }
  return "";
}

const std::vector<EventKind>& all_event_kinds() {
  static const std::vector<EventKind> kinds{EventKind::Admission,        EventKind::Transfer,
                                            EventKind::Discharge,        EventKind::Death,
                                            EventKind::ReferralReceived, EventKind::AddedToWaitingList,
                                            EventKind::ClinicAttendance};
  return kinds;
}

std::optional<EventKind> event_kind_named(std::string_view name) {
  for (EventKind kind : all_event_kinds())
    if (name == event_kind_name(kind)) return kind;
  return std::nullopt;
}

ClinicalEvents extract_clinical_events(const std::vector<RecognisedPage>& pages, Date today) {
  std::vector<Line> lines = split_into_lines(pages);
  EventReader reader(lines, today);
  for (size_t li = 0; li < lines.size(); ++li) reader.read_line(li);
  return reader.finish();
}

}  // namespace casenote
