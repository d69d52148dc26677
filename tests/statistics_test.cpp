// Events and clinical codes through the SQLite store, the statistics over a small known set, the
// chart drawn from them, and the events and stats commands' handling of bad input.

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "app/statistics_report.h"
#include "store/store.h"
#include "support/test_stores.h"
#include "support/cli.h"
#include "support/temp_dir.h"

using namespace casenote;
using casenote::testing::TempDir;

namespace {

EventRecord event(const std::string& kind, const std::string& date) {
  EventRecord e;
  e.kind = kind;
  e.date = date;
  e.confidence = 0.9;
  e.box = {10, 20, 300, 30};
  e.text = kind + " " + date;
  return e;
}

EventRecord with_priority(EventRecord e, const std::string& priority) {
  e.priority = priority;
  return e;
}

DocumentRecord document(const std::string& id, const std::string& type, std::optional<std::string> patient,
                        std::vector<EventRecord> events) {
  DocumentRecord d;
  d.id = id;
  d.source = "/inbox/" + id + ".pdf";
  d.sha256 = "sha-" + id;
  d.document_type = type;
  d.status = patient ? "filed" : "needs_review";
  d.patient_id = patient;
  d.filing_rule = patient ? "nhs_number" : "";
  d.filed_by = "clerk";
  d.text = "text of " + id;
  d.pages = {PageRecord{1, 0, 0, 90, false, d.text, {}}};
  d.events = std::move(events);
  return d;
}

// Two patients' filed documents, one document in review and one failed input:
//   Jane: admitted 2024-01-10, transferred 01-12, discharged 01-15 (recorded twice), seen in
//         clinic and listed for surgery 02-20, never admitted since.
//   Omar: listed 01-20, admitted 02-01, discharged and died 02-04; referred 03-05 (urgent)
//         and 03-06 (priority unstated).
//   In review: an admission 2024-03-10 that may be anybody's.
struct KnownSet {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::string jane, omar;

  explicit KnownSet(const std::string& backend = "sqlite")
      : store(test::open_test_store(test::new_store_location(backend, dir.file("stats.db")))) {
    auto imported = store->import_patients({{"", "9990000018", "H100", "Smith", "Jane", "1970-03-14", "F", ""},
                                            {"", "9990000026", "H200", "Haddad", "Omar", "1958-11-02", "M", ""}});
    REQUIRE(imported.ok());
    jane = store->patients_by_nhs_number("9990000018")->front().id;
    omar = store->patients_by_nhs_number("9990000026")->front().id;
    EventRecord admission = event("admission", "2024-01-10");
    admission.method = "emergency";
    admission.ward = "Ward 12";
    save(document("D1", "discharge_summary", jane,
                  {admission, event("transfer", "2024-01-12"), event("discharge", "2024-01-15")}));
    save(document("D2", "clinic_letter", jane,
                  {event("discharge", "2024-01-15"), event("clinic_attendance", "2024-02-20"),
                   event("waiting_list", "2024-02-20")}));
    save(document("D3", "discharge_summary", omar,
                  {event("admission", "2024-02-01"), event("discharge", "2024-02-04"), event("death", "2024-02-04")}));
    save(document("D4", "referral", omar,
                  {event("waiting_list", "2024-01-20"), with_priority(event("referral", "2024-03-05"), "urgent"),
                   event("referral", "2024-03-06")}));
    save(document("D6", "other", std::nullopt, {event("admission", "2024-03-10")}));
    REQUIRE(store->record_failed_input("/inbox/bad.pdf", "", "not an image").ok());
  }

  void save(const DocumentRecord& d) {
    auto saved = store->save_document(d);
    INFO((saved ? std::string() : saved.error().message));
    REQUIRE(saved.ok());
  }

  EventStatistics statistics(const StatisticsQuery& query) {
    auto stats = store->statistics(query);
    INFO((stats ? std::string() : stats.error().message));
    REQUIRE(stats.ok());
    return *stats;
  }
};

}  // namespace

TEST_CASE("Events and clinical codes are stored with their document and read back", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("events.db")));
  DocumentRecord d = document("D9", "discharge_summary", std::nullopt, {event("admission", "2024-01-10")});
  d.events[0].method = "elective";
  d.events[0].from = "Ward 7";
  d.clinical_codes = {{"icd10", "J18.9", "Community acquired pneumonia", "Pneumonia, unspecified", 0.93, 1,
                       {40, 50, 60, 20}},
                      {"snomed_ct", "22298006", "Myocardial infarction", "", 0.9, 2, {1, 2, 3, 4}}};
  REQUIRE(store->save_document(d).ok());
  auto read = store->document("D9");
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->events == d.events);
  CHECK((*read)->clinical_codes == d.clinical_codes);
}

TEST_CASE("A document whose event cannot be stored is not stored at all", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  TempDir dir;
  auto store = test::open_test_store(test::new_store_location(backend, dir.file("events.db")));
  DocumentRecord d = document("D9", "referral", std::nullopt, {event("birth", "2024-01-10")});
  CHECK_FALSE(store->save_document(d).ok());
  CHECK_FALSE(store->document("D9")->has_value());
  CHECK(store->inputs()->empty());
}

TEST_CASE("Events are listed by patient, kind and dates", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  KnownSet set(backend);
  auto all = set.store->events({});
  REQUIRE(all.ok());
  CHECK(all->size() == 13);
  CHECK(all->front().event.date == "2024-01-10");
  CHECK(all->front().document_id == "D1");
  CHECK(all->front().patient_id == set.jane);
  CHECK(all->front().event.ward == "Ward 12");
  CHECK(all->back().document_status == "needs_review");
  CHECK_FALSE(all->back().patient_id);

  auto janes_discharges = set.store->events({set.jane, "discharge", "", ""});
  REQUIRE(janes_discharges.ok());
  CHECK(janes_discharges->size() == 2);  // the same discharge, as two documents record it
  auto february = set.store->events({"", "", "2024-02-01", "2024-02-29"});
  REQUIRE(february.ok());
  CHECK(february->size() == 5);
}

TEST_CASE("Statistics over a known set, all dates", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  KnownSet set(backend);
  EventStatistics s = set.statistics({});
  CHECK(s.admissions == 2);
  CHECK(s.discharges == 2);  // Jane's discharge counts once though two documents record it
  CHECK(s.transfers == 1);
  CHECK(s.deaths == 1);
  CHECK(s.referrals == 2);
  CHECK(s.waiting_list_additions == 2);
  CHECK(s.clinic_attendances == 1);
  CHECK(s.stays == 2);
  CHECK(s.mean_length_of_stay_days == Approx(4.0));    // 5 and 3 days
  CHECK(s.median_length_of_stay_days == Approx(4.0));
  CHECK(s.referrals_by_priority == std::vector<NamedCount>{{"unstated", 1}, {"urgent", 1}});
  CHECK(s.waiting_list_size == 1);  // Omar was admitted after he was listed; Jane was not
  CHECK(s.filed_by_type ==
        std::vector<NamedCount>{{"discharge_summary", 2}, {"clinic_letter", 1}, {"referral", 1}});
  CHECK(s.review_backlog == 1);
  CHECK(s.oldest_review_days >= 0);
  CHECK(s.oldest_review_days < 1);
  CHECK(s.failures == 1);
  CHECK(s.events_in_review == 1);
  REQUIRE(s.series.size() == 3);
  CHECK(s.series[0] == PeriodCounts{"2024-01-01", 1, 1, 1, 0, 0, 1});
  CHECK(s.series[1] == PeriodCounts{"2024-02-01", 1, 1, 0, 1, 0, 1});
  CHECK(s.series[2] == PeriodCounts{"2024-03-01", 0, 0, 0, 0, 2, 0});
}

TEST_CASE("Statistics over a date range, by week", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  KnownSet set(backend);
  EventStatistics s = set.statistics({"2024-02-01", "2024-02-29", "week"});
  CHECK(s.admissions == 1);
  CHECK(s.discharges == 1);
  CHECK(s.transfers == 0);
  CHECK(s.deaths == 1);
  CHECK(s.referrals == 0);
  CHECK(s.waiting_list_additions == 1);
  CHECK(s.waiting_list_size == 1);
  CHECK(s.stays == 1);
  CHECK(s.mean_length_of_stay_days == Approx(3.0));
  CHECK(s.filed_by_type.empty());  // the documents were stored today, not in February 2024
  CHECK(s.failures == 0);
  CHECK(s.events_in_review == 0);
  REQUIRE(s.series.size() == 2);
  CHECK(s.series[0] == PeriodCounts{"2024-01-29", 1, 1, 0, 1, 0, 0});  // Thursday 1st and Sunday 4th
  CHECK(s.series[1] == PeriodCounts{"2024-02-19", 0, 0, 0, 0, 0, 1});
}

TEST_CASE("Statistics refuse an unknown period", "[stats]") {
  const std::string backend = GENERATE(from_range(test::store_backends()));
  INFO("backend: " << backend);
  KnownSet set(backend);
  auto stats = set.store->statistics({"", "", "fortnight"});
  REQUIRE_FALSE(stats.ok());
  CHECK(stats.error().message == "statistics: period 'fortnight' is none of day, week or month");
}

namespace {

// Parses `svg` with libxml2, failing the test on any well-formedness error.
struct ParsedSvg {
  xmlDocPtr doc = nullptr;
  explicit ParsedSvg(const std::string& svg) {
    doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "chart.svg", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  }
  ~ParsedSvg() { xmlFreeDoc(doc); }
  int count(const char* name) const { return count_under(xmlDocGetRootElement(doc), name); }
  static int count_under(xmlNodePtr node, const char* name) {
    int n = 0;
    for (; node; node = node->next)
      if (node->type == XML_ELEMENT_NODE)
        n += (xmlStrEqual(node->name, BAD_CAST name) ? 1 : 0) + count_under(node->children, name);
    return n;
  }
};

}  // namespace

TEST_CASE("The chart of the series is well-formed SVG with a line per event kind", "[stats]") {
  KnownSet set;
  StatisticsQuery query{"2024-01-01", "2024-12-31", "month"};
  std::string svg = statistics_chart_svg(set.statistics(query), query);
  ParsedSvg parsed(svg);
  REQUIRE(parsed.doc);
  xmlNodePtr root = xmlDocGetRootElement(parsed.doc);
  CHECK(xmlStrEqual(root->name, BAD_CAST "svg"));
  REQUIRE(root->ns);
  CHECK(xmlStrEqual(root->ns->href, BAD_CAST "http://www.w3.org/2000/svg"));
  CHECK(parsed.count("polyline") == 6);
  CHECK(parsed.count("circle") == 6 * 3);  // a point per kind and month
  CHECK(svg.find(">2024-03<") != std::string::npos);

  StatisticsQuery empty_range{"2030-01-01", "2030-12-31", "month"};
  ParsedSvg empty(statistics_chart_svg(set.statistics(empty_range), empty_range));
  REQUIRE(empty.doc);
  CHECK(empty.count("polyline") == 0);
}

TEST_CASE("The stats command writes its chart owner-only and prints the figures", "[stats][cli]") {
  KnownSet set;
  std::string chart = set.dir.file("chart.svg");
  auto run = testing::run_cli("stats --db " + set.dir.file("stats.db") + " --chart " + chart + " --format csv");
  INFO(run.output);
  CHECK(run.status == 0);
  CHECK(run.output.find("all,admissions,2\n") != std::string::npos);
  CHECK(run.output.find("2024-03-01,referrals,2\n") != std::string::npos);
  struct stat info {};
  REQUIRE(::stat(chart.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  ParsedSvg parsed(testing::read_file(chart));
  CHECK(parsed.doc);

  auto events = testing::run_cli("events --db " + set.dir.file("stats.db") + " --kind death");
  CHECK(events.status == 0);
  CHECK(events.output.find("2024-02-04  death") != std::string::npos);
  CHECK(events.output.find("1 events\n") != std::string::npos);
}

TEST_CASE("Bad options to events and stats give a one-line error", "[stats][cli]") {
  TempDir dir;
  std::string db = " --db " + dir.file("cli.db");
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : {
           Case{"stats --from 2024-13-01" + db, "casenote: stats: --from '2024-13-01' is not a date (YYYY-MM-DD)\n"},
           Case{"stats --to yesterday" + db, "casenote: stats: --to 'yesterday' is not a date (YYYY-MM-DD)\n"},
           Case{"stats --from 2024-05-01 --to 2024-04-01" + db, "casenote: stats: --to 2024-04-01 is before --from 2024-05-01\n"},
           Case{"stats --by year" + db, "casenote: stats: --by 'year' is none of day, week, month\n"},
           Case{"stats --format xml" + db, "casenote: stats: --format 'xml' is none of table, csv, json\n"},
           Case{"stats --chart chart.png" + db, "casenote: stats: --chart 'chart.png' must name an .svg file\n"},
           Case{"events --from 31/01/2024" + db, "casenote: events: --from '31/01/2024' is not a date (YYYY-MM-DD)\n"},
           Case{"events --kind birth" + db,
                "casenote: events: --kind 'birth' is none of admission, transfer, discharge, death, referral, "
                "waiting_list, clinic_attendance\n"},
           Case{"events --patient P404" + db, "casenote: events: no patient has id 'P404'\n"},
       }) {
    auto run = testing::run_cli(c.args);
    INFO(c.args);
    CHECK(run.status == 2);
    CHECK(run.output == c.message);
  }
}
