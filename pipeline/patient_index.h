// The store as the patient index that linking asks, and saving what linking decided.
#pragma once

#include <string>

#include "pipeline/filing.h"
#include "pipeline/stages.h"
#include "store/store.h"

namespace casenote {

class StorePatientIndex : public PatientIndex {
 public:
  explicit StorePatientIndex(Store& store) : store_(store) {}
  Result<std::vector<PatientRecord>> with_nhs_number(const std::string& nhs_number) override {
    return store_.patients_by_nhs_number(nhs_number);
  }
  Result<std::vector<PatientRecord>> with_hospital_number(const std::string& hospital_number) override {
    return store_.patients_by_hospital_number(hospital_number);
  }
  Result<std::vector<PatientRecord>> born_on(const std::string& date_of_birth) override {
    return store_.patients_born_on(date_of_birth);
  }

 private:
  Store& store_;
};

// Creates the patient the filing asks for, if any, links the record to them, and saves the
// record with `user` as the one who filed it.
Status save_filed_document(Store& store, FiledDocument& filed, const std::string& user);

}  // namespace casenote
