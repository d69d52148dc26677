#include "extract/extractor.h"

#include "extract/document_type.h"
#include "extract/field_finders.h"
#include "extract/labelled_document.h"

namespace casenote {

DocumentFields extract_fields(const std::vector<RecognisedPage>& pages, const ExtractionOptions& options) {
  LabelledDocument doc = label_document(pages, options);
  DocumentFields out;
  find_nhs_number(doc, options.nhs_number_ranges, out);
  find_chi_and_hc_numbers(doc, out);
  find_hospital_number(doc, options.hospital_number_patterns, out);
  auto name_end = find_patient_name(doc, out);
  find_dates(doc, options.today.value_or(local_today()), out);
  find_postcode(doc, name_end, out);
  DocumentClass document_class = classify_document(doc.lines);
  out.type = document_class.type;
  out.type_score = document_class.score;
  return out;
}

}  // namespace casenote
