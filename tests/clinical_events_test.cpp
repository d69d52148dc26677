#include <catch2/catch.hpp>

#include "extract/clinical_events.h"
#include "extract_page_fixture.h"

using namespace casenote;
using casenote::fixture::PageBuilder;

namespace {

constexpr Date kToday{2024, 6, 1};

ClinicalEvents events_in(std::string_view text) {
  return extract_clinical_events({PageBuilder().text(100, 100, text).page()}, kToday);
}

const ClinicalEvent* only(const ClinicalEvents& found, EventKind kind) {
  const ClinicalEvent* event = nullptr;
  for (const auto& e : found.events) {
    if (e.kind != kind) continue;
    if (event) return nullptr;
    event = &e;
  }
  return event;
}

}  // namespace

TEST_CASE("Admission and discharge from a discharge summary's labels", "[events]") {
  auto found = events_in(
      "DISCHARGE SUMMARY\n"
      "Date of admission: 03/04/2024   Ward: Ward 12 Acute Medical Unit\n"
      "Admission method: Emergency\n"
      "Specialty: Respiratory Medicine\n"
      "Date of discharge: 09/04/2024\n"
      "Discharge destination: Usual place of residence");
  CHECK(found.review_reasons.empty());
  REQUIRE(found.events.size() == 2);
  const ClinicalEvent* admission = only(found, EventKind::Admission);
  REQUIRE(admission);
  CHECK(admission->date == "2024-04-03");
  CHECK(admission->ward == "Ward 12 Acute Medical Unit");
  CHECK(admission->method == "emergency");
  CHECK(admission->specialty == "Respiratory Medicine");
  CHECK(admission->confidence == Approx(0.9));
  CHECK(admission->page == 1);
  CHECK(admission->source_text.rfind("Date of admission:", 0) == 0);
  const ClinicalEvent* discharge = only(found, EventKind::Discharge);
  REQUIRE(discharge);
  CHECK(discharge->date == "2024-04-09");
  CHECK(discharge->destination == "Usual place of residence");
}

TEST_CASE("The admission method from a phrase when no label gives it", "[events]") {
  auto elective = events_in("Admitted on 12/02/2024 for an elective admission for hernia repair.");
  REQUIRE(only(elective, EventKind::Admission));
  CHECK(only(elective, EventKind::Admission)->method == "elective");
  // Running text is weaker evidence than a label.
  CHECK(only(elective, EventKind::Admission)->confidence == Approx(0.9 * 0.9));
  auto both = events_in("Date of admission: 12/02/2024\nNot an emergency admission; an elective admission.");
  CHECK(only(both, EventKind::Admission)->method.empty());
}

TEST_CASE("Transfers from a phrase and from labels", "[events]") {
  auto phrase = events_in("Transferred from Ward 7 to the Intensive Care Unit on 05/04/2024 for monitoring.");
  const ClinicalEvent* transfer = only(phrase, EventKind::Transfer);
  REQUIRE(transfer);
  CHECK(transfer->date == "2024-04-05");
  CHECK(transfer->from == "Ward 7");
  CHECK(transfer->to == "the Intensive Care Unit");

  auto labelled = events_in("Date of transfer: 06/04/2024\nTransferred from: Ward 7\nTransferred to: Coronary Care Unit");
  transfer = only(labelled, EventKind::Transfer);
  REQUIRE(transfer);
  CHECK(transfer->date == "2024-04-06");
  CHECK(transfer->from == "Ward 7");
  CHECK(transfer->to == "Coronary Care Unit");
}

TEST_CASE("Deaths only from a label or a phrase starting its line", "[events]") {
  auto labelled = events_in("Date of death: 10/04/2024");
  REQUIRE(only(labelled, EventKind::Death));
  CHECK(only(labelled, EventKind::Death)->date == "2024-04-10");
  auto phrase = events_in("Died on 11/04/2024 at 03:10.");
  REQUIRE(only(phrase, EventKind::Death));
  CHECK(only(phrase, EventKind::Death)->date == "2024-04-11");
  // Somebody else's death, mid-sentence, is no event of the patient's.
  CHECK(events_in("Lives alone since his wife died on 04/03/2010.").events.empty());
}

TEST_CASE("Referrals with specialty and priority", "[events]") {
  auto labelled = events_in("Referral received: 14/05/2024\nReferred to: Colorectal Surgery\nPriority: Two week wait");
  const ClinicalEvent* referral = only(labelled, EventKind::ReferralReceived);
  REQUIRE(referral);
  CHECK(referral->date == "2024-05-14");
  CHECK(referral->specialty == "Colorectal Surgery");
  CHECK(referral->priority == "two_week_wait");

  auto urgent = events_in("Date of referral: 02/05/2024   Specialty: Cardiology\nThank you for this urgent referral.");
  REQUIRE(only(urgent, EventKind::ReferralReceived));
  CHECK(only(urgent, EventKind::ReferralReceived)->priority == "urgent");
  CHECK(only(urgent, EventKind::ReferralReceived)->specialty == "Cardiology");
  auto routine = events_in("Date of referral: 02/05/2024\nPriority: Routine");
  CHECK(only(routine, EventKind::ReferralReceived)->priority == "routine");
}

TEST_CASE("Additions to the waiting list with their procedure", "[events]") {
  auto labelled = events_in("Added to waiting list: 20/05/2024\nProcedure: Laparoscopic cholecystectomy");
  const ClinicalEvent* listed = only(labelled, EventKind::AddedToWaitingList);
  REQUIRE(listed);
  CHECK(listed->date == "2024-05-20");
  CHECK(listed->procedure == "Laparoscopic cholecystectomy");
  auto phrase = events_in("Added to the waiting list on 21/05/2024\nListed for right total hip replacement");
  REQUIRE(only(phrase, EventKind::AddedToWaitingList));
  CHECK(only(phrase, EventKind::AddedToWaitingList)->date == "2024-05-21");
  CHECK(only(phrase, EventKind::AddedToWaitingList)->procedure == "right total hip replacement");
}

TEST_CASE("Clinic attendances with the clinic, never in the future", "[events]") {
  auto seen = events_in("Clinic: Respiratory Clinic\nDate seen: 22/05/2024");
  const ClinicalEvent* attendance = only(seen, EventKind::ClinicAttendance);
  REQUIRE(attendance);
  CHECK(attendance->date == "2024-05-22");
  CHECK(attendance->clinic == "Respiratory Clinic");
  // An appointment letter's clinic has not happened yet.
  CHECK(events_in("Clinic date: 22/07/2024").events.empty());
}

TEST_CASE("One event per kind and date however often a document repeats it", "[events]") {
  auto found = events_in("Date of admission: 03/04/2024\nAdmitted on 03/04/2024 with breathlessness.");
  REQUIRE(found.events.size() == 1);
  CHECK(found.events[0].confidence == Approx(0.9));  // the label's reading
}

TEST_CASE("A discharge before its admission goes to review and neither is kept", "[events]") {
  auto found = events_in("Date of admission: 09/04/2024\nDate of discharge: 03/04/2024\nDate of death: 03/04/2024");
  REQUIRE(found.review_reasons.size() == 1);
  CHECK(found.review_reasons[0] == "discharge date 2024-04-03 is before admission date 2024-04-09");
  REQUIRE(found.events.size() == 1);
  CHECK(found.events[0].kind == EventKind::Death);
}

TEST_CASE("An event read with low confidence sends the document to review", "[events]") {
  auto page = PageBuilder().text(100, 100, "Date of discharge: 09/04/2024").confidence("09/04/2024", 40).page();
  auto found = extract_clinical_events({page}, kToday);
  REQUIRE(found.events.size() == 1);
  CHECK(found.events[0].confidence == Approx(0.4));
  REQUIRE(found.review_reasons.size() == 1);
  CHECK(found.review_reasons[0] == "discharge date read with low confidence (page 1)");
}

TEST_CASE("Event kind names round-trip", "[events]") {
  for (EventKind kind : all_event_kinds()) CHECK(event_kind_named(event_kind_name(kind)) == kind);
  CHECK_FALSE(event_kind_named("birth"));
}
