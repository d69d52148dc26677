// The per-page and per-document stages as plain functions over their context, so each can be
// run and tested without threads, queues or files. Orchestration lives in ingest.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/recognised_text.h"
#include "extract/extraction_options.h"
#include "extract/fields.h"
#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "pipeline/barcodes.h"
#include "pipeline/filing.h"
#include "pipeline/prepare.h"
#include "store/records.h"

namespace casenote {

// One page after preparation and OCR. Images are not kept: only what the record needs. Made in a
// page worker process: a field added here must be added to pipeline/worker_messages.cpp too.
struct PageOutcome {
  int number = 1;
  int rotation_degrees = 0;
  double skew_degrees = 0;
  bool blank = false;
  double rotation_confidence = 0;
  std::string rotation_method;     // orientation_method_name()
  double skew_confidence = 0;
  int dpi = 0;                     // as scanned
  std::string dpi_source;          // dpi_source_name()
  // The page as its source gave it, before preparation: filing places a stored JPEG in the
  // archive PDF by these instead of decoding the page again. 0 when the page was not loaded.
  int loaded_width = 0;
  int loaded_height = 0;
  int loaded_dpi = 0;              // the loaded image's own (PageImage::dpi), 0 when it has none
  // "load" (decoding the page), "barcodes", preparation's steps, then OCR's (OcrEngine::recognise)
  std::vector<StepTiming> timings;
  RecognisedPage recognised;
  std::string failure;             // why the page could not be read; empty when it was
  std::vector<std::string> notes;  // things a reviewer should know
  std::vector<Barcode> barcodes;   // read off the page as scanned
  bool separator_sheet = false;    // a sheet between documents: not prepared, recognised or filed
};

// A document whose pages have all been through OCR (or failed), in page order.
struct RecognisedDocument {
  std::string source;
  std::string sha256;
  std::vector<PageOutcome> pages;
  int part = 1;  // which of the documents that separator sheets split the input into, from 1
  std::optional<PageOutcome> cover_sheet;  // the separator sheet this part follows, if any
};

// Prepares and recognises one page. Blank pages skip OCR.
PageOutcome recognise_page(const PageImage& image, int number, OrientationDetector& orientation,
                           OcrEngine& ocr, const PrepareSettings& settings);

// Reads the page's barcodes, then prepares and recognises it unless they make it a separator
// sheet. What a worker does with each page.
PageOutcome process_page(const PageImage& image, int number, OrientationDetector& orientation, OcrEngine& ocr,
                         const PrepareSettings& settings);

// The record id of a document, derived from its input's bytes and its part so a retried input
// keeps its ids: the first (often only) part is "D" and 16 hex digits, later parts add "-2", "-3"...
std::string document_id_for(const std::string& sha256, int part = 1);

// Extracts fields as `extraction` says (the trust's labels, hospital number shapes and
// letterhead), takes in the identifiers of patient labels (pipeline/patient_labels.h) on the
// document's pages and cover sheet, decides filing and assembles the record to store, with the
// events and clinical codes the pages record; an event that needs a person's eye sends the
// document to review as a doubtful field does.
// `index` answers the linking rules' questions (pipeline/filing.h).
struct FiledDocument {
  DocumentRecord record;
  // A patient to create and file the document to (archive migration); the record's patient_id
  // is set once the store has created it.
  std::optional<PatientRecord> new_patient;
};
Result<FiledDocument> file_document(const RecognisedDocument& document, PatientIndex& index,
                                    const LinkingPolicy& policy, const ExtractionOptions& extraction = {});

}  // namespace casenote
