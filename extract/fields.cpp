#include "extract/fields.h"

namespace casenote {

const char* field_key(FieldKind kind) {
  switch (kind) {
    case FieldKind::NhsNumber: return "nhs_number";
    case FieldKind::HospitalNumber: return "hospital_number";
    case FieldKind::PatientName: return "patient_name";
    case FieldKind::DateOfBirth: return "date_of_birth";
    case FieldKind::Postcode: return "postcode";
    case FieldKind::DocumentDate: return "document_date";
    case FieldKind::ClinicDate: return "clinic_date";
    case FieldKind::AdmissionDate: return "admission_date";
    case FieldKind::DischargeDate: return "discharge_date";
    case FieldKind::DeathDate: return "death_date";
    case FieldKind::ReportDate: return "report_date";
    case FieldKind::ReferralDate: return "referral_date";
    case FieldKind::ChiNumber: return "chi_number";
    case FieldKind::HcNumber: return "hc_number";
  }
  return "unknown";
}

const char* document_type_name(DocumentType type) {
  switch (type) {
    case DocumentType::ClinicLetter: return "clinic_letter";
    case DocumentType::DischargeSummary: return "discharge_summary";
    case DocumentType::LabReport: return "lab_report";
    case DocumentType::Referral: return "referral";
    case DocumentType::Other: return "other";
  }
  return "other";
}

}  // namespace casenote
