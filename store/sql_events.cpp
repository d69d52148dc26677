// The store's events and clinical codes: written with their document, listed, and
// counted into the statistics a health records department reports.
#include <fmt/format.h>

#include <algorithm>

#include "store/sql_store.h"

namespace casenote::sql {
namespace {

// The first day of the period holding `date_column`, a week starting on Monday. Chosen from these
// constants only, never from the caller's text, so it can be written into the SQL.
std::optional<std::string> period_start(Dialect dialect, const std::string& period, const char* date_column) {
  if (period == "day") return std::string(date_column);
  if (period == "week" && dialect == Dialect::postgresql)
    return fmt::format("to_char(date_trunc('week', {}::date), 'YYYY-MM-DD')", date_column);
  if (period == "week") return fmt::format("date({}, '-6 days', 'weekday 1')", date_column);
  if (period == "month") return fmt::format("strftime('%Y-%m-01', {})", date_column);
  return std::nullopt;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// The events counted: on filed documents, dated within ?1..?2 (either end open when '').
constexpr const char* kCountedEvents =
    "events e JOIN documents d ON d.id = e.document_id "
    "WHERE d.status = 'filed' AND (?1 = '' OR e.date >= ?1) AND (?2 = '' OR e.date <= ?2)";

}  // namespace

Status SqlStore::insert_event_rows(const DocumentRecord& document) {
  std::string doing = fmt::format("saving the events of document {}", document.id);
  auto insert_event = Statement::prepare(db_,
      "INSERT INTO events (document_id, position, kind, date, ward, specialty, method, from_place, to_place, "
      "destination, priority, procedure, clinic, confidence, page, x, y, w, h, text) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      doing);
  if (!insert_event) return insert_event.error();
  for (size_t i = 0; i < document.events.size(); ++i) {
    const EventRecord& e = document.events[i];
    insert_event->reset();
    insert_event->bind_all(document.id, static_cast<int>(i), e.kind, e.date, e.ward, e.specialty, e.method, e.from,
                           e.to, e.destination, e.priority, e.procedure, e.clinic, e.confidence, e.page, e.box.x,
                           e.box.y, e.box.w, e.box.h, e.text);
    if (auto inserted = insert_event->run(); !inserted) return inserted;
  }

  auto insert_code = Statement::prepare(db_,
      "INSERT INTO clinical_codes (document_id, position, system, code, phrase, description, confidence, page, "
      "x, y, w, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      fmt::format("saving the clinical codes of document {}", document.id));
  if (!insert_code) return insert_code.error();
  for (size_t i = 0; i < document.clinical_codes.size(); ++i) {
    const ClinicalCodeRecord& c = document.clinical_codes[i];
    insert_code->reset();
    insert_code->bind_all(document.id, static_cast<int>(i), c.system, c.code, c.phrase, c.description,
                          c.confidence, c.page, c.box.x, c.box.y, c.box.w, c.box.h);
    if (auto inserted = insert_code->run(); !inserted) return inserted;
  }
  return ok_status();
}

Result<std::vector<EventListing>> SqlStore::events(const EventQuery& query) {
  auto select = Statement::prepare(db_,
      "SELECT e.kind, e.date, e.ward, e.specialty, e.method, e.from_place, e.to_place, e.destination, e.priority, "
      "e.procedure, e.clinic, e.confidence, e.page, e.x, e.y, e.w, e.h, e.text, e.document_id, d.patient_id, "
      "d.status FROM events e JOIN documents d ON d.id = e.document_id "
      "WHERE (?1 = '' OR d.patient_id = ?1) AND (?2 = '' OR e.kind = ?2) AND (?3 = '' OR e.date >= ?3) "
      "AND (?4 = '' OR e.date <= ?4) ORDER BY e.date, e.document_id, e.position",
      "listing events");
  if (!select) return select.error();
  select->bind_all(query.patient_id, query.kind, query.from_date, query.to_date);
  std::vector<EventListing> out;
  auto read = each_row(*select, [&](const Statement& row) {
    EventRecord e{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6),
                  row.text(7), row.text(8), row.text(9), row.text(10), row.real(11), static_cast<int>(row.integer(12)),
                  Box{static_cast<int>(row.integer(13)), static_cast<int>(row.integer(14)),
                      static_cast<int>(row.integer(15)), static_cast<int>(row.integer(16))},
                  row.text(17)};
    out.push_back({std::move(e), row.text(18), row.optional_text(19), row.text(20)});
  });
  if (!read) return read.error();
  return out;
}

Result<EventStatistics> SqlStore::statistics(const StatisticsQuery& query) {
  auto period = period_start(db_.dialect(), query.period, "date");
  if (!period)
    return Error{fmt::format("statistics: period '{}' is none of day, week or month", query.period)};
  const std::string doing = "counting statistics";
  EventStatistics stats;

  // Each kind once per patient and date, however many documents record it.
  auto by_kind = Statement::prepare(db_,
      fmt::format("SELECT kind, count(*) FROM (SELECT DISTINCT d.patient_id, e.kind, e.date FROM {}) AS counted GROUP BY kind",
                  kCountedEvents).c_str(),
      doing);
  if (!by_kind) return by_kind.error();
  by_kind->bind_all(query.from_date, query.to_date);
  auto counted = each_row(*by_kind, [&](const Statement& row) {
    std::string kind = row.text(0);
    int count = static_cast<int>(row.integer(1));
    if (kind == "admission") stats.admissions = count;
    if (kind == "discharge") stats.discharges = count;
    if (kind == "transfer") stats.transfers = count;
    if (kind == "death") stats.deaths = count;
    if (kind == "referral") stats.referrals = count;
    if (kind == "waiting_list") stats.waiting_list_additions = count;
    if (kind == "clinic_attendance") stats.clinic_attendances = count;
  });
  if (!counted) return counted.error();

  auto series = Statement::prepare(db_,
      fmt::format("SELECT {}, sum(CASE WHEN kind = 'admission' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'discharge' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'transfer' THEN 1 ELSE 0 END), "
                  "sum(CASE WHEN kind = 'death' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'referral' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'waiting_list' THEN 1 ELSE 0 END) "
                  "FROM (SELECT DISTINCT d.patient_id, e.kind, e.date FROM {}) AS counted GROUP BY 1 ORDER BY 1",
                  *period, kCountedEvents).c_str(),
      doing);
  if (!series) return series.error();
  series->bind_all(query.from_date, query.to_date);
  auto listed = each_row(*series, [&](const Statement& row) {
    PeriodCounts counts;
    counts.period = row.text(0);
    int* columns[] = {&counts.admissions, &counts.discharges, &counts.transfers,
                      &counts.deaths,     &counts.referrals,  &counts.waiting_list_additions};
    for (int i = 0; i < 6; ++i) *columns[i] = static_cast<int>(row.integer(i + 1));
    if (counts.admissions + counts.discharges + counts.transfers + counts.deaths + counts.referrals +
            counts.waiting_list_additions > 0)
      stats.series.push_back(counts);
  });
  if (!listed) return listed.error();

  // A stay runs from the latest admission its document gives on or before the discharge.
  auto stays = Statement::prepare(db_,
      fmt::format("SELECT DISTINCT d.patient_id, e.date, julianday(e.date) - julianday(("
                  "SELECT max(a.date) FROM events a WHERE a.document_id = e.document_id AND a.kind = 'admission' "
                  "AND a.date <= e.date)) FROM {} AND e.kind = 'discharge'",
                  kCountedEvents).c_str(),
      doing);
  if (!stays) return stays.error();
  stays->bind_all(query.from_date, query.to_date);
  std::vector<double> lengths;
  auto measured = each_row(*stays, [&](const Statement& row) {
    if (row.optional_text(2)) lengths.push_back(row.real(2));
  });
  if (!measured) return measured.error();
  stats.stays = static_cast<int>(lengths.size());
  if (!lengths.empty()) {
    double total = 0;
    for (double length : lengths) total += length;
    stats.mean_length_of_stay_days = total / static_cast<double>(lengths.size());
    stats.median_length_of_stay_days = median(lengths);
  }

  auto priorities = Statement::prepare(db_,
      fmt::format("SELECT CASE priority WHEN '' THEN 'unstated' ELSE priority END, count(*) FROM ("
                  "SELECT d.patient_id, e.date, max(e.priority) AS priority FROM {} AND e.kind = 'referral' "
                  "GROUP BY d.patient_id, e.date) AS referrals GROUP BY 1 ORDER BY 2 DESC, 1",
                  kCountedEvents).c_str(),
      doing);
  if (!priorities) return priorities.error();
  priorities->bind_all(query.from_date, query.to_date);
  auto prioritised = each_row(*priorities, [&](const Statement& row) {
    stats.referrals_by_priority.push_back({row.text(0), static_cast<int>(row.integer(1))});
  });
  if (!prioritised) return prioritised.error();

  auto waiting = Statement::prepare(db_,
      "SELECT count(*) FROM (SELECT DISTINCT d.patient_id, e.date FROM events e "
      "JOIN documents d ON d.id = e.document_id WHERE d.status = 'filed' AND e.kind = 'waiting_list' "
      "AND (?1 = '' OR e.date <= ?1) AND NOT EXISTS (SELECT 1 FROM events a JOIN documents ad ON ad.id = a.document_id "
      "WHERE ad.status = 'filed' AND ad.patient_id = d.patient_id AND a.kind = 'admission' AND a.date >= e.date "
      "AND (?1 = '' OR a.date <= ?1))) AS waiting",
      doing);
  if (!waiting) return waiting.error();
  auto row = waiting->bind(1, query.to_date).step();
  if (!row) return row.error();
  stats.waiting_list_size = static_cast<int>(waiting->integer(0));

  auto by_type = Statement::prepare(db_,
      "SELECT document_type, count(*) FROM documents WHERE status = 'filed' "
      "AND (?1 = '' OR substr(created_at, 1, 10) >= ?1) AND (?2 = '' OR substr(created_at, 1, 10) <= ?2) "
      "GROUP BY document_type ORDER BY 2 DESC, 1",
      doing);
  if (!by_type) return by_type.error();
  by_type->bind_all(query.from_date, query.to_date);
  auto typed = each_row(*by_type, [&](const Statement& r) {
    stats.filed_by_type.push_back({r.text(0), static_cast<int>(r.integer(1))});
  });
  if (!typed) return typed.error();

  // The backlog is as it stands now, whatever the dates asked about.
  auto backlog = Statement::prepare(db_,
      "SELECT julianday('now') - julianday(created_at) FROM documents WHERE status = 'needs_review'", doing);
  if (!backlog) return backlog.error();
  std::vector<double> ages;
  auto aged = each_row(*backlog, [&](const Statement& r) { ages.push_back(r.real(0)); });
  if (!aged) return aged.error();
  stats.review_backlog = static_cast<int>(ages.size());
  if (!ages.empty()) {
    stats.oldest_review_days = *std::max_element(ages.begin(), ages.end());
    stats.median_review_days = median(ages);
  }

  auto failures = Statement::prepare(db_,
      "SELECT count(*) FROM inputs WHERE state = 'failed' "
      "AND (?1 = '' OR substr(updated_at, 1, 10) >= ?1) AND (?2 = '' OR substr(updated_at, 1, 10) <= ?2)",
      doing);
  if (!failures) return failures.error();
  row = failures->bind_all(query.from_date, query.to_date).step();
  if (!row) return row.error();
  stats.failures = static_cast<int>(failures->integer(0));

  auto in_review = Statement::prepare(db_,
      "SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id WHERE d.status = 'needs_review' "
      "AND (?1 = '' OR e.date >= ?1) AND (?2 = '' OR e.date <= ?2)",
      doing);
  if (!in_review) return in_review.error();
  row = in_review->bind_all(query.from_date, query.to_date).step();
  if (!row) return row.error();
  stats.events_in_review = static_cast<int>(in_review->integer(0));
  return stats;
}

}  // namespace casenote::sql
