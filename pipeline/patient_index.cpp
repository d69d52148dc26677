#include "pipeline/patient_index.h"

namespace casenote {

Status save_filed_document(Store& store, FiledDocument& filed, const std::string& user) {
  filed.record.filed_by = user;
  if (filed.new_patient) {
    // A crash between the two leaves a patient without this document; the retried input then
    // finds the patient by NHS number and files to them by rule 1.
    auto created = store.create_patient(*filed.new_patient, user);
    if (!created) return created.error();
    filed.record.patient_id = created->id;
    filed.new_patient.reset();
  }
  return store.save_document(filed.record);
}

}  // namespace casenote
