#include "pipeline/stages.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "extract/clinical_codes.h"
#include "extract/clinical_events.h"
#include "extract/extractor.h"
#include "pipeline/patient_labels.h"

namespace casenote {

PageOutcome recognise_page(const PageImage& image, int number, OrientationDetector& orientation,
                           OcrEngine& ocr, const PrepareSettings& settings) {
  PageOutcome out;
  out.number = number;
  PreparedPage prepared = prepare_page(image, orientation, settings);
  out.rotation_degrees = prepared.rotation_degrees;
  out.skew_degrees = prepared.skew_degrees;
  out.blank = prepared.blank;
  out.rotation_confidence = prepared.rotation_confidence;
  out.rotation_method = orientation_method_name(prepared.rotation_method);
  out.skew_confidence = prepared.skew_confidence;
  out.dpi = prepared.resolution.dpi;
  out.dpi_source = dpi_source_name(prepared.resolution.source);
  out.timings = std::move(prepared.timings);
  out.notes = std::move(prepared.notes);
  // Sized at the loaded resolution as OCR's words will be, so a page left unread is too.
  out.recognised = at_loaded_resolution({number, prepared.image.width(), prepared.image.height(), {}}, prepared.scale);
  if (prepared.blank) return out;
  auto recognised = ocr.recognise(prepared.image, number, &out.timings);
  if (!recognised)
    out.failure = recognised.error().message;
  else
    out.recognised = at_loaded_resolution(std::move(*recognised), prepared.scale);
  return out;
}

PageOutcome process_page(const PageImage& image, int number, OrientationDetector& orientation, OcrEngine& ocr,
                         const PrepareSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  BarcodeReading barcodes = read_barcodes(image);
  const StepTiming barcode_timing = timed_since("barcodes", start);
  PageOutcome out;
  if (is_separator_sheet(barcodes.barcodes)) {
    out.number = number;
    out.separator_sheet = true;
  } else {
    out = recognise_page(image, number, orientation, ocr, settings);
  }
  out.timings.insert(out.timings.begin(), barcode_timing);
  if (!barcodes.problem.empty()) out.notes.push_back("barcodes: " + barcodes.problem);
  out.barcodes = std::move(barcodes.barcodes);
  out.loaded_width = image.width();
  out.loaded_height = image.height();
  out.loaded_dpi = image.dpi();
  return out;
}

std::string document_id_for(const std::string& sha256, int part) {
  std::string id = "D" + sha256.substr(0, 16);
  return part == 1 ? id : id + "-" + std::to_string(part);
}

namespace {

// The page's words as the store keeps them.
std::vector<WordRecord> word_records(const RecognisedPage& page) {
  std::vector<WordRecord> words;
  words.reserve(page.words.size());
  for (const RecognisedWord& w : page.words) {
    int confidence = std::clamp(static_cast<int>(std::lround(w.confidence)), 0, 100);
    words.push_back({w.text, w.box, confidence, w.block, w.paragraph, w.line});
  }
  return words;
}

// The patient labels on a document's cover sheet and pages.
std::vector<PatientLabel> patient_labels_of(const RecognisedDocument& document) {
  std::vector<PatientLabel> labels;
  auto read = [&](const PageOutcome& page) {
    for (const auto& barcode : page.barcodes)
      if (auto label = read_patient_label(barcode, page.number)) labels.push_back(std::move(*label));
  };
  if (document.cover_sheet) read(*document.cover_sheet);
  for (const auto& page : document.pages) read(page);
  return labels;
}

}  // namespace

Result<FiledDocument> file_document(const RecognisedDocument& document, PatientIndex& index,
                                    const LinkingPolicy& policy, const ExtractionOptions& extraction) {
  std::vector<RecognisedPage> pages;
  for (const auto& page : document.pages)
    if (page.failure.empty()) pages.push_back(page.recognised);
  DocumentFields fields = extract_fields(pages, extraction);
  apply_patient_labels(fields, patient_labels_of(document));

  auto matches = find_index_matches(fields, index);
  if (!matches) return matches.error();
  FilingDecision decision = decide_filing(fields, *matches, policy);

  DocumentRecord record;
  record.id = document_id_for(document.sha256, document.part);
  record.source = document.source;
  record.sha256 = document.sha256;
  record.document_type = document_type_name(fields.type);
  record.review_reasons = decision.reasons;
  record.filing_rule = decision.rule;
  record.candidates = decision.candidates;
  for (const auto& page : document.pages) {
    // A page that could not be read leaves the rest unverified: a person must look.
    if (!page.failure.empty()) record.review_reasons.push_back(page.failure);
    PageRecord p;
    p.number = page.number;
    p.rotation_degrees = page.rotation_degrees;
    p.skew_degrees = page.skew_degrees;
    p.blank = page.blank;
    p.rotation_confidence = page.rotation_confidence;
    p.rotation_method = page.rotation_method;
    p.skew_confidence = page.skew_confidence;
    p.dpi = page.dpi;
    p.dpi_source = page.dpi_source;
    p.timings = page.timings;
    p.mean_confidence = page.recognised.mean_confidence();
    p.text = page.recognised.text();
    p.width = page.recognised.width;
    p.height = page.recognised.height;
    p.words = word_records(page.recognised);
    p.notes = page.notes;
    if (!record.text.empty()) record.text += "\f";
    record.text += p.text;
    record.pages.push_back(std::move(p));
  }
  ClinicalEvents events = extract_clinical_events(pages, extraction.today.value_or(local_today()));
  record.review_reasons.insert(record.review_reasons.end(), events.review_reasons.begin(), events.review_reasons.end());
  for (const ClinicalEvent& e : events.events)
    record.events.push_back({event_kind_name(e.kind), e.date, e.ward, e.specialty, e.method, e.from, e.to,
                             e.destination, e.priority, e.procedure, e.clinic, e.confidence, e.page, e.box,
                             e.source_text});
  for (const ClinicalCode& c : find_clinical_codes(pages, extraction.code_lists))
    record.clinical_codes.push_back({code_system_name(c.system), c.code, c.phrase, c.description, c.confidence, c.page,
                                     c.box});
  bool filed = decision.filed && record.review_reasons.empty();
  record.status = filed ? "filed" : "needs_review";
  if (filed) record.patient_id = decision.patient_id;
  for (const auto& [kind, field] : fields.fields)
    record.fields.push_back({field_key(kind), field.value, field.confidence, field.page, field.box});
  return FiledDocument{std::move(record), filed ? decision.new_patient : std::nullopt};
}

}  // namespace casenote
