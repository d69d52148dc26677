// casenote review: the queue of documents a person must look at, and the decisions on them.
#include <fmt/format.h>

#include <iostream>

#include "app/commands.h"
#include "pipeline/review.h"

namespace casenote {
namespace {

struct ReviewOptions {
  std::string db = "casenote.db";
  std::string user;
  std::string document_id;
  std::string reason;      // list: filter; reject: why
  std::string document_type;
  int limit = 100;
  std::string field, value, patient_id;
  bool file_on_name_and_date_of_birth = false;
  ArchiveOptions archive;  // where a decision that renames a document's PDF moves it
};

std::string patient_label(Store& store, const std::optional<std::string>& id) {
  if (!id) return "";
  auto patient = store.patient(*id);
  if (!patient || !*patient) return *id;
  const PatientRecord& p = **patient;
  return fmt::format("{} {}, {} (born {}, NHS {})", p.id, p.family_name, p.given_names, p.date_of_birth,
                     p.nhs_number.empty() ? "-" : p.nhs_number);
}

int run_list(const ReviewOptions& o) {
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  DocumentQuery query;
  query.document_type = o.document_type;
  query.status = "needs_review";
  query.reason = o.reason;
  query.limit = o.limit;
  auto queue = store->search(query);
  if (!queue) return report_failure(queue.error().message);
  for (const auto& d : *queue) {
    std::string reasons;
    for (const auto& r : d.review_reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    fmt::print("{}  {}  {:<17}  ingested {}  suggested: {}\n    {}\n", d.document_id, d.source, d.document_type,
               d.created_at.substr(0, 16), d.suggested_patient_id.value_or("none"), reasons);
  }
  fmt::print("{} documents need review{}\n", queue->size(),
             static_cast<int>(queue->size()) == o.limit ? fmt::format(" (showing the first {})", o.limit) : "");
  return 0;
}

int run_show(const ReviewOptions& o) {
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  auto document = store->document(o.document_id);
  if (!document) return report_failure(document.error().message);
  if (!*document) return report_failure("no document " + o.document_id);
  const DocumentRecord& d = **document;
  fmt::print("{}  {}\n  type {}, status {}{}\n", d.id, d.source, d.document_type, d.status,
             d.filing_rule.empty() ? "" : ", rule " + d.filing_rule);
  if (d.patient_id) fmt::print("  patient: {}\n", patient_label(*store, d.patient_id));
  for (const auto& r : d.review_reasons) fmt::print("  review: {}\n", r);
  fmt::print("fields:\n");
  for (const auto& f : d.fields)
    fmt::print("  {:<16} {:<28} confidence {:.2f}  page {} at [{}, {}, {}, {}]\n", f.name, f.value, f.confidence,
               f.page, f.box.x, f.box.y, f.box.w, f.box.h);
  if (!d.candidates.empty()) fmt::print("candidates:\n");
  for (const auto& c : d.candidates)
    fmt::print("  {:.2f}  {}\n        {}\n", c.score, patient_label(*store, c.patient_id), c.evidence);
  fmt::print("pages:\n");
  for (const auto& p : d.pages)
    fmt::print("  {}: rotated {}°, skew {:.2f}°, confidence {:.0f}{}\n", p.number, p.rotation_degrees, p.skew_degrees,
               p.mean_confidence, p.blank ? ", blank" : "");
  return 0;
}

// Runs one decision and prints where the document now stands.
int decide(const ReviewOptions& o, const std::function<Result<DocumentRecord>(Store&, const ArchiveSettings&)>& decision) {
  auto archive = archive_settings(o.archive, o.db);
  if (!archive) return report_failure(archive.error().message);
  auto store = open_store_or_report(o.db);
  if (!store) return 1;
  auto document = decision(*store, *archive);
  if (!document) return report_failure(document.error().message);
  const DocumentRecord& d = *document;
  if (d.status == "filed")
    fmt::print("{} filed to {}\n", d.id, patient_label(*store, d.patient_id));
  else
    fmt::print("{} {}{}\n", d.id, d.status == "rejected" ? "rejected" : "still needs review",
               d.review_reasons.empty() ? "" : ": " + d.review_reasons.front());
  return 0;
}

}  // namespace

void add_review_command(CLI::App& app, int& exit_status) {
  auto* review = app.add_subcommand("review", "The documents that need a person to look at them");
  review->require_subcommand(1);
  auto o = std::make_shared<ReviewOptions>();

  auto* list = review->add_subcommand("list", "List the review queue, oldest reasons first");
  add_db_option(*list, o->db);
  list->add_option("--reason", o->reason, "only documents with a review reason containing this text");
  list->add_option("--type", o->document_type, "only this document type");
  list->add_option("--limit", o->limit, "at most this many")->capture_default_str()->check(CLI::PositiveNumber);
  list->callback([o, &exit_status] { exit_status = run_list(*o); });

  auto* show = review->add_subcommand("show", "Show a document's fields, evidence and candidate patients");
  add_db_option(*show, o->db);
  show->add_option("document", o->document_id, "document id")->required();
  show->callback([o, &exit_status] { exit_status = run_show(*o); });

  auto* accept = review->add_subcommand("accept", "File the document to its suggested patient");
  add_db_option(*accept, o->db);
  add_user_option(*accept, o->user);
  add_archive_options(*accept, o->archive);
  accept->add_option("document", o->document_id, "document id")->required();
  accept->callback([o, &exit_status] {
    exit_status = decide(*o, [&](Store& s, const ArchiveSettings& a) { return accept_suggestion(s, o->document_id, o->user, a); });
  });

  auto* correct = review->add_subcommand("correct", "Correct a field, then link the document again");
  add_db_option(*correct, o->db);
  add_user_option(*correct, o->user);
  add_archive_options(*correct, o->archive);
  correct->add_flag("--file-on-name-and-dob", o->file_on_name_and_date_of_birth,
                    "let name and date of birth file the document on their own");
  correct->add_option("document", o->document_id, "document id")->required();
  correct->add_option("field", o->field, "nhs_number, hospital_number, patient_name, date_of_birth, postcode or document_date")
      ->required();
  correct->add_option("value", o->value, "the value as it should read")->required();
  correct->callback([o, &exit_status] {
    exit_status = decide(*o, [&](Store& s, const ArchiveSettings& a) {
      return correct_field(s, o->document_id, o->field, o->value, o->user,
                           LinkingPolicy{o->file_on_name_and_date_of_birth, false}, a);
    });
  });

  auto* link = review->add_subcommand("link", "File the document to a patient");
  add_db_option(*link, o->db);
  add_user_option(*link, o->user);
  add_archive_options(*link, o->archive);
  link->add_option("document", o->document_id, "document id")->required();
  link->add_option("patient", o->patient_id, "patient id")->required();
  link->callback([o, &exit_status] {
    exit_status = decide(*o, [&](Store& s, const ArchiveSettings& a) {
      return link_document(s, o->document_id, o->patient_id, o->user, a);
    });
  });

  auto* new_patient = review->add_subcommand("new-patient", "Create a patient from the document's fields and file to them");
  add_db_option(*new_patient, o->db);
  add_user_option(*new_patient, o->user);
  add_archive_options(*new_patient, o->archive);
  new_patient->add_option("document", o->document_id, "document id")->required();
  new_patient->callback([o, &exit_status] {
    exit_status = decide(*o, [&](Store& s, const ArchiveSettings& a) { return file_to_new_patient(s, o->document_id, o->user, a); });
  });

  auto* reject = review->add_subcommand("reject", "Take the document out of the queue without filing it");
  add_db_option(*reject, o->db);
  add_user_option(*reject, o->user);
  add_archive_options(*reject, o->archive);
  reject->add_option("document", o->document_id, "document id")->required();
  reject->add_option("--reason", o->reason, "why it is rejected")->required();
  reject->callback([o, &exit_status] {
    exit_status = decide(*o, [&](Store& s, const ArchiveSettings& a) {
      return reject_document(s, o->document_id, o->reason, o->user, a);
    });
  });
}

}  // namespace casenote
