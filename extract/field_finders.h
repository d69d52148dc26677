// The finder of each field: each reads a labelled document and adds to the fields what it found,
// or why a person must look. Internal to extract/; extract_fields() runs them.
#pragma once

#include <optional>

#include "extract/dates.h"
#include "extract/extraction_options.h"
#include "extract/fields.h"
#include "extract/hospital_number.h"
#include "extract/labelled_document.h"

namespace casenote {

// The NHS number: labelled readings first, letters read as look-alike digits only after a
// label; an unlabelled number only when no label names one, inside `ranges`, and sent to review.
void find_nhs_number(const LabelledDocument& doc, const std::vector<NhsNumberRange>& ranges, DocumentFields& out);

// Scottish CHI and Northern Ireland H&C numbers, read only after their labels.
void find_chi_and_hc_numbers(const LabelledDocument& doc, DocumentFields& out);

// The hospital number after its labels, in one of the trust's shapes.
void find_hospital_number(const LabelledDocument& doc, const HospitalNumberPatterns& patterns, DocumentFields& out);

// The patient's name from its labels ("Patient:", "Re:", "Surname:" with "Forename(s):") and from
// lines that begin with a name followed by the patient's identifiers (a later page's running
// header), never a name in another party's section (next of kin, GP, consultant, cc). Readings
// that cannot be one person leave it out for review. Returns where the labelled name ends, where
// the patient's address begins.
std::optional<TokenPosition> find_patient_name(const LabelledDocument& doc, DocumentFields& out);

// The date of birth, the document date and the dates of each kind, none after `today`
// (an appointment may be up to two years after it).
void find_dates(const LabelledDocument& doc, Date today, DocumentFields& out);

// The patient's postcode: the first after `name_end` (else after the first patient label) in
// their address block, never the letterhead's or another party's.
void find_postcode(const LabelledDocument& doc, std::optional<TokenPosition> name_end, DocumentFields& out);

}  // namespace casenote
