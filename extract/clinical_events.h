// The events of a patient's care that documents record: admissions, transfers, discharges,
// deaths, referrals received, additions to a waiting list and clinic attendances, read from
// labelled lines ("Date of admission: 03/04/2024", "Priority: Urgent") and the phrases that
// start a line of running text ("Admitted on 03/04/2024", "Transferred from Ward 7 to ICU on ...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/box.h"
#include "core/recognised_text.h"
#include "extract/dates.h"

namespace casenote {

enum class EventKind { Admission, Transfer, Discharge, Death, ReferralReceived, AddedToWaitingList, ClinicAttendance };

// The stored name of an event kind: "admission", "transfer", "discharge", "death", "referral",
// "waiting_list", "clinic_attendance".
const char* event_kind_name(EventKind kind);

// The kind a stored name names, nothing for an unknown name.
std::optional<EventKind> event_kind_named(std::string_view name);

// Every event kind, in the order above.
const std::vector<EventKind>& all_event_kinds();

struct ClinicalEvent {
  EventKind kind = EventKind::Admission;
  std::string date;         // ISO YYYY-MM-DD
  // What the document states about the event; empty when it does not say.
  std::string ward;         // admission
  std::string specialty;    // admission, referral
  std::string method;       // admission: "elective" or "emergency"
  std::string from;         // transfer
  std::string to;           // transfer
  std::string destination;  // discharge: "Usual place of residence", "Nursing home", ...
  std::string priority;     // referral: "urgent", "routine" or "two_week_wait"
  std::string procedure;    // waiting list
  std::string clinic;       // clinic attendance
  // 0..1: the lowest OCR confidence of the words the date was read from, lowered when only a
  // phrase of running text, not a label, said what the date was.
  double confidence = 0;
  int page = 1;
  Box box;                  // the label (or phrase) and the date
  std::string source_text;  // the line as read, for a reviewer

  bool operator==(const ClinicalEvent&) const = default;
};

struct ClinicalEvents {
  std::vector<ClinicalEvent> events;  // in reading order, one per kind and date
  // Why a person must look: an event read with low confidence, or a discharge before its
  // admission (whose events are then left out, so no impossible stay is ever counted).
  std::vector<std::string> review_reasons;
};

// An event below this confidence sends its document to review.
inline constexpr double kMinEventConfidence = 0.6;

// Reads the events on the pages. A date after `today` is no event (an appointment letter's
// clinic has not happened yet). A label's value must start right after it; a phrase counts only
// where it starts a line or a form column, so "his wife died on 04/03/2010" is no death.
ClinicalEvents extract_clinical_events(const std::vector<RecognisedPage>& pages, Date today);

}  // namespace casenote
