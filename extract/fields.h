// The identifiers and dates extraction reads off a document, each with where it was read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/box.h"

namespace casenote {

enum class FieldKind {
  NhsNumber,
  HospitalNumber,
  PatientName,
  DateOfBirth,
  Postcode,
  DocumentDate,   // the date the letter was written, or the report or discharge date
  ClinicDate,     // the clinic or appointment the document is about
  AdmissionDate,
  DischargeDate,
  DeathDate,
  ReportDate,     // when a result was reported
  ReferralDate,
  ChiNumber,      // Scotland's Community Health Index number
  HcNumber,       // Northern Ireland's Health and Care number
};

// The export key of a field kind: "nhs_number", "date_of_birth", ...
const char* field_key(FieldKind kind);

struct ExtractedField {
  FieldKind kind;
  std::string value;        // normalised: NHS number as 10 digits, dates ISO, name "FAMILY, Given Names"
  // 0..1: the OCR confidence of the words, lowered when the evidence is weak (no label, letters
  // read as digits, a century inferred) and raised when other pages agree.
  double confidence = 0;
  int page = 1;             // 1-based
  Box box;                  // union of the words the value was read from
  std::string source_text;  // the words as read, for a reviewer
};

enum class DocumentType { ClinicLetter, DischargeSummary, LabReport, Referral, Other };

// The export name of a document type: "clinic_letter", ...
const char* document_type_name(DocumentType type);

struct DocumentFields {
  std::map<FieldKind, ExtractedField> fields;  // a kind is absent when not found
  DocumentType type = DocumentType::Other;
  double type_score = 0;  // 0..1: how clearly the words and layout point at `type`
  // Reasons a person must look, e.g. two different NHS numbers on one document.
  std::vector<std::string> review_reasons;

  const ExtractedField* find(FieldKind kind) const {
    auto it = fields.find(kind);
    return it == fields.end() ? nullptr : &it->second;
  }
};

}  // namespace casenote
