#include "store/sql_document_reader.h"

namespace casenote::sql {
namespace {

constexpr const char* kDocumentColumns =
    "SELECT id, source, sha256, document_type, status, patient_id, text, filing_rule, archive_path FROM documents";

}  // namespace

Result<DocumentReader> DocumentReader::all(Connection& db) {
  return prepare(db, (std::string(kDocumentColumns) + " ORDER BY rowid").c_str());
}

Result<DocumentReader> DocumentReader::one(Connection& db, const std::string& id) {
  auto reader = prepare(db, (std::string(kDocumentColumns) + " WHERE id = ?").c_str());
  if (reader) reader->documents_.bind(1, id);
  return reader;
}

Result<DocumentReader> DocumentReader::prepare(Connection& db, const char* documents_sql) {
  const std::string doing = "reading documents";
  auto documents = Statement::prepare(db, documents_sql, doing);
  auto reasons = Statement::prepare(db,
      "SELECT reason FROM review_reasons WHERE document_id = ? ORDER BY position", doing);
  auto pages = Statement::prepare(db,
      "SELECT number, rotation_degrees, skew_degrees, mean_confidence, blank, text, rotation_confidence, "
      "rotation_method, skew_confidence, dpi, dpi_source, width, height FROM pages WHERE document_id = ? "
      "ORDER BY number",
      doing);
  auto notes = Statement::prepare(db,
      "SELECT note FROM page_notes WHERE document_id = ? AND page = ? ORDER BY position", doing);
  auto timings = Statement::prepare(db,
      "SELECT step, milliseconds FROM page_timings WHERE document_id = ? AND page = ? ORDER BY position", doing);
  auto words = Statement::prepare(db,
      "SELECT text, x, y, w, h, confidence, block, paragraph, line FROM page_words "
      "WHERE document_id = ? AND page = ? ORDER BY position",
      doing);
  auto fields = Statement::prepare(db,
      "SELECT name, value, confidence, page, x, y, w, h FROM fields WHERE document_id = ? ORDER BY position",
      doing);
  auto candidates = Statement::prepare(db,
      "SELECT patient_id, score, evidence FROM candidates WHERE document_id = ? ORDER BY position", doing);
  auto events = Statement::prepare(db,
      "SELECT kind, date, ward, specialty, method, from_place, to_place, destination, priority, procedure, clinic, "
      "confidence, page, x, y, w, h, text FROM events WHERE document_id = ? ORDER BY position",
      doing);
  auto codes = Statement::prepare(db,
      "SELECT system, code, phrase, description, confidence, page, x, y, w, h FROM clinical_codes "
      "WHERE document_id = ? ORDER BY position",
      doing);
  for (auto* prepared :
       {&documents, &reasons, &pages, &notes, &fields, &candidates, &events, &codes, &timings, &words})
    if (!*prepared) return prepared->error();
  return DocumentReader(std::move(documents).value(), std::move(reasons).value(), std::move(pages).value(),
                        std::move(notes).value(), std::move(fields).value(), std::move(candidates).value(),
                        std::move(events).value(), std::move(codes).value(), std::move(timings).value(),
                        std::move(words).value());
}

Result<std::optional<DocumentRecord>> DocumentReader::next() {
  auto row = documents_.step();
  if (!row) return row.error();
  if (!*row) return std::optional<DocumentRecord>();
  DocumentRecord document;
  document.id = documents_.text(0);
  document.source = documents_.text(1);
  document.sha256 = documents_.text(2);
  document.document_type = documents_.text(3);
  document.status = documents_.text(4);
  document.patient_id = documents_.optional_text(5);
  document.text = documents_.text(6);
  document.filing_rule = documents_.text(7);
  document.archive_path = documents_.text(8);
  if (auto read = read_reasons(document); !read) return read.error();
  if (auto read = read_pages(document); !read) return read.error();
  if (auto read = read_fields(document); !read) return read.error();
  if (auto read = read_candidates(document); !read) return read.error();
  if (auto read = read_events(document); !read) return read.error();
  return std::optional<DocumentRecord>(std::move(document));
}

Status DocumentReader::read_reasons(DocumentRecord& document) {
  reasons_.reset();
  reasons_.bind(1, document.id);
  return each_row(reasons_, [&](const Statement& row) { document.review_reasons.push_back(row.text(0)); });
}

Status DocumentReader::read_pages(DocumentRecord& document) {
  pages_.reset();
  pages_.bind(1, document.id);
  auto read = each_row(pages_, [&](const Statement& row) {
    PageRecord page;
    page.number = static_cast<int>(row.integer(0));
    page.rotation_degrees = static_cast<int>(row.integer(1));
    page.skew_degrees = row.real(2);
    page.mean_confidence = row.real(3);
    page.blank = row.integer(4) != 0;
    page.text = row.text(5);
    page.rotation_confidence = row.real(6);
    page.rotation_method = row.text(7);
    page.skew_confidence = row.real(8);
    page.dpi = static_cast<int>(row.integer(9));
    page.dpi_source = row.text(10);
    page.width = static_cast<int>(row.integer(11));
    page.height = static_cast<int>(row.integer(12));
    document.pages.push_back(std::move(page));
  });
  if (!read) return read;
  for (PageRecord& page : document.pages) {
    notes_.reset();
    notes_.bind_all(document.id, page.number);
    auto read_notes = each_row(notes_, [&](const Statement& row) { page.notes.push_back(row.text(0)); });
    if (!read_notes) return read_notes;
    timings_.reset();
    timings_.bind_all(document.id, page.number);
    auto read_timings = each_row(
        timings_, [&](const Statement& row) { page.timings.push_back({row.text(0), row.real(1)}); });
    if (!read_timings) return read_timings;
    words_.reset();
    words_.bind_all(document.id, page.number);
    auto read_words = each_row(words_, [&](const Statement& row) {
      auto at = [&](int column) { return static_cast<int>(row.integer(column)); };
      page.words.push_back({row.text(0), {at(1), at(2), at(3), at(4)}, at(5), at(6), at(7), at(8)});
    });
    if (!read_words) return read_words;
  }
  return ok_status();
}

Status DocumentReader::read_fields(DocumentRecord& document) {
  fields_.reset();
  fields_.bind(1, document.id);
  return each_row(fields_, [&](const Statement& row) {
    Box box{static_cast<int>(row.integer(4)), static_cast<int>(row.integer(5)), static_cast<int>(row.integer(6)),
            static_cast<int>(row.integer(7))};
    document.fields.push_back({row.text(0), row.text(1), row.real(2), static_cast<int>(row.integer(3)), box});
  });
}

Status DocumentReader::read_candidates(DocumentRecord& document) {
  candidates_.reset();
  candidates_.bind(1, document.id);
  return each_row(candidates_, [&](const Statement& row) {
    document.candidates.push_back({row.text(0), row.real(1), row.text(2)});
  });
}

Status DocumentReader::read_events(DocumentRecord& document) {
  auto box_at = [](const Statement& row, int first) {
    return Box{static_cast<int>(row.integer(first)), static_cast<int>(row.integer(first + 1)),
               static_cast<int>(row.integer(first + 2)), static_cast<int>(row.integer(first + 3))};
  };
  events_.reset();
  events_.bind(1, document.id);
  auto read = each_row(events_, [&](const Statement& row) {
    document.events.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5),
                               row.text(6), row.text(7), row.text(8), row.text(9), row.text(10), row.real(11),
                               static_cast<int>(row.integer(12)), box_at(row, 13), row.text(17)});
  });
  if (!read) return read;
  codes_.reset();
  codes_.bind(1, document.id);
  return each_row(codes_, [&](const Statement& row) {
    document.clinical_codes.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.real(4),
                                       static_cast<int>(row.integer(5)), box_at(row, 6)});
  });
}

}  // namespace casenote::sql
