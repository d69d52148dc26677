// The per-page and per-document stages as plain functions over their context, so each can be
// run and tested without threads, queues or files. Orchestration lives in ingest.cpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/recognised_text.h"
#include "extract/fields.h"
#include "ocr/ocr_engine.h"
#include "ocr/orientation.h"
#include "pipeline/filing.h"
#include "pipeline/prepare.h"
#include "store/records.h"

namespace casenote {

// One page after preparation and OCR. Images are not kept: only what the record needs.
struct PageOutcome {
  int number = 1;
  int rotation_degrees = 0;
  double skew_degrees = 0;
  bool blank = false;
  RecognisedPage recognised;
  std::string failure;             // why the page could not be read; empty when it was
  std::vector<std::string> notes;  // things a reviewer should know
};

// A document whose pages have all been through OCR (or failed), in page order.
struct RecognisedDocument {
  std::string source;
  std::string sha256;
  std::vector<PageOutcome> pages;
};

// Prepares and recognises one page. Blank pages skip OCR.
PageOutcome recognise_page(const PageImage& image, int number, OrientationDetector& orientation,
                           OcrEngine& ocr, const PrepareSettings& settings);

// The record id of a document, derived from its bytes so a retried input keeps its id.
std::string document_id_for(const std::string& sha256);

// Extracts fields, decides filing and assembles the record to store. `patients_with_nhs_number`
// looks up the patient index.
using PatientLookup = std::function<std::vector<PatientRecord>(const std::string& nhs_number)>;
DocumentRecord file_document(const RecognisedDocument& document, const PatientLookup& patients_with_nhs_number);

}  // namespace casenote
