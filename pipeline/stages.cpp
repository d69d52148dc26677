#include "pipeline/stages.h"

#include "extract/extractor.h"

namespace casenote {

PageOutcome recognise_page(const PageImage& image, int number, OrientationDetector& orientation,
                           OcrEngine& ocr, const PrepareSettings& settings) {
  PageOutcome out;
  out.number = number;
  PreparedPage prepared = prepare_page(image, orientation, settings);
  out.rotation_degrees = prepared.rotation_degrees;
  out.skew_degrees = prepared.skew_degrees;
  out.blank = prepared.blank;
  out.notes = std::move(prepared.notes);
  out.recognised.number = number;
  out.recognised.width = prepared.image.width();
  out.recognised.height = prepared.image.height();
  if (prepared.blank) return out;
  auto recognised = ocr.recognise(prepared.image, number);
  if (!recognised)
    out.failure = recognised.error().message;
  else
    out.recognised = std::move(*recognised);
  return out;
}

std::string document_id_for(const std::string& sha256) { return "D" + sha256.substr(0, 16); }

DocumentRecord file_document(const RecognisedDocument& document, const PatientLookup& patients_with_nhs_number) {
  std::vector<RecognisedPage> pages;
  for (const auto& page : document.pages)
    if (page.failure.empty()) pages.push_back(page.recognised);
  DocumentFields fields = extract_fields(pages);

  std::vector<PatientRecord> matches;
  if (const ExtractedField* nhs = fields.find(FieldKind::NhsNumber)) matches = patients_with_nhs_number(nhs->value);
  FilingDecision decision = decide_filing(fields, matches);

  DocumentRecord record;
  record.id = document_id_for(document.sha256);
  record.source = document.source;
  record.sha256 = document.sha256;
  record.document_type = document_type_name(fields.type);
  record.review_reasons = decision.reasons;
  for (const auto& page : document.pages) {
    // A page that could not be read leaves the rest unverified: a person must look.
    if (!page.failure.empty()) record.review_reasons.push_back(page.failure);
    PageRecord p;
    p.number = page.number;
    p.rotation_degrees = page.rotation_degrees;
    p.skew_degrees = page.skew_degrees;
    p.blank = page.blank;
    p.mean_confidence = page.recognised.mean_confidence();
    p.text = page.recognised.text();
    p.notes = page.notes;
    if (!record.text.empty()) record.text += "\f";
    record.text += p.text;
    record.pages.push_back(std::move(p));
  }
  bool filed = decision.filed && record.review_reasons.empty();
  record.status = filed ? "filed" : "needs_review";
  if (filed) record.patient_id = decision.patient_id;
  for (const auto& [kind, field] : fields.fields)
    record.fields.push_back({field_key(kind), field.value, field.confidence, field.page, field.box});
  return record;
}

}  // namespace casenote
