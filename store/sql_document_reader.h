// Reads whole documents with their reasons, pages (with their notes, timings and words), fields,
// events and clinical codes (internal to store/).
#pragma once

#include <optional>
#include <string>

#include "store/records.h"
#include "store/sql_db.h"

namespace casenote::sql {

// Reads documents with their children, in insertion order; one statement per table, each
// prepared once and re-run per document.
class DocumentReader {
 public:
  // Every document.
  static Result<DocumentReader> all(Connection& db);
  // Just the document with this id (none when there is no such document).
  static Result<DocumentReader> one(Connection& db, const std::string& id);

  // The next document, or nullopt after the last.
  Result<std::optional<DocumentRecord>> next();

 private:
  static Result<DocumentReader> prepare(Connection& db, const char* documents_sql);
  DocumentReader(Statement documents, Statement reasons, Statement pages, Statement notes, Statement fields,
                 Statement candidates, Statement events, Statement codes, Statement timings, Statement words)
      : documents_(std::move(documents)),
        reasons_(std::move(reasons)),
        pages_(std::move(pages)),
        notes_(std::move(notes)),
        fields_(std::move(fields)),
        candidates_(std::move(candidates)),
        events_(std::move(events)),
        codes_(std::move(codes)),
        timings_(std::move(timings)),
        words_(std::move(words)) {}

  Status read_reasons(DocumentRecord& document);
  Status read_pages(DocumentRecord& document);
  Status read_fields(DocumentRecord& document);
  Status read_candidates(DocumentRecord& document);
  Status read_events(DocumentRecord& document);

  Statement documents_;
  Statement reasons_;
  Statement pages_;
  Statement notes_;
  Statement fields_;
  Statement candidates_;
  Statement events_;
  Statement codes_;
  Statement timings_;
  Statement words_;
};

}  // namespace casenote::sql
