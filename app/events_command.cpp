#include <fmt/format.h>

#include "app/commands.h"
#include "extract/clinical_events.h"

namespace casenote {
namespace {

struct EventsOptions {
  std::string db = "casenote.db";
  EventQuery query;
};

// "ward: Ward 7; method: emergency": what the document states about the event.
std::string details_of(const EventRecord& e) {
  std::string out;
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", name, value);
  };
  add("ward", e.ward);
  add("specialty", e.specialty);
  add("method", e.method);
  add("from", e.from);
  add("to", e.to);
  add("destination", e.destination);
  add("priority", e.priority);
  add("procedure", e.procedure);
  add("clinic", e.clinic);
  return out;
}

int run_events(const EventsOptions& options) {
  auto store = open_store_or_report(options.db);
  if (!store) return 1;
  if (!options.query.patient_id.empty()) {
    auto patient = store->patient(options.query.patient_id);
    if (!patient) return report_failure(patient.error().message);
    if (!*patient) return report_failure("events: no patient has id '" + options.query.patient_id + "'");
  }
  auto events = store->events(options.query);
  if (!events) return report_failure(events.error().message);
  fmt::print("{:<10}  {:<17}  {:<12}  {:<20}  {:>4}  {}\n", "date", "kind", "patient", "document", "conf", "details");
  for (const EventListing& listing : *events) {
    const EventRecord& e = listing.event;
    std::string patient = listing.patient_id ? *listing.patient_id : "(" + listing.document_status + ")";
    fmt::print("{:<10}  {:<17}  {:<12}  {:<20}  {:>4.2f}  {}\n", e.date, e.kind, patient, listing.document_id,
               e.confidence, details_of(e));
  }
  fmt::print("{} events\n", events->size());
  return 0;
}

std::string kind_names() {
  std::string out;
  for (EventKind kind : all_event_kinds()) out += fmt::format("{}{}", out.empty() ? "" : ", ", event_kind_name(kind));
  return out;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<EventsOptions>();
  auto* command = app.add_subcommand("events", "List admissions, transfers, discharges, deaths, referrals, "
                                               "waiting-list additions and clinic attendances read off documents");
  add_db_option(*command, options->db);
  command->add_option("--patient", options->query.patient_id, "patient id");
  command->add_option("--kind", options->query.kind, "one of: " + kind_names());
  command->add_option("--from", options->query.from_date, "event date on or after (YYYY-MM-DD)");
  command->add_option("--to", options->query.to_date, "event date on or before (YYYY-MM-DD)");
  command->callback([options, &exit_status] {
    const EventQuery& q = options->query;
    if (!q.kind.empty() && !event_kind_named(q.kind)) {
      exit_status = report_failure(fmt::format("events: --kind '{}' is none of {}", q.kind, kind_names()));
      return;
    }
    for (const auto& [option, value] : {std::pair{"--from", q.from_date}, std::pair{"--to", q.to_date}}) {
      if (auto problem = date_option_problem("events", option, value)) {
        exit_status = report_failure(*problem);
        return;
      }
    }
    exit_status = run_events(*options);
  });
}

}  // namespace casenote
