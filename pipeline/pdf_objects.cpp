#include "pipeline/pdf_objects.h"

#include <podofo/podofo.h>

namespace casenote {

namespace {
// Real files chain at most one or two references; anything longer is a loop.
constexpr int kMaxReferenceChain = 16;
}  // namespace

const PoDoFo::PdfObject* resolve(const PoDoFo::PdfObject* object, const PoDoFo::PdfVecObjects& objects) {
  for (int link = 0; object && object->IsReference(); ++link) {
    if (link == kMaxReferenceChain) return nullptr;
    object = objects.GetObject(object->GetReference());
  }
  return object;
}

const PoDoFo::PdfObject* dict_entry(const PoDoFo::PdfObject* dict, const char* key,
                                    const PoDoFo::PdfVecObjects& objects) {
  dict = resolve(dict, objects);
  if (!dict || !dict->IsDictionary()) return nullptr;
  return resolve(dict->GetDictionary().GetKey(PoDoFo::PdfName(key)), objects);
}

std::optional<double> number_value(const PoDoFo::PdfObject* object) {
  if (!object || !(object->IsNumber() || object->IsReal())) return std::nullopt;
  return object->GetReal();
}

std::optional<std::string> name_value(const PoDoFo::PdfObject* object) {
  if (!object || !object->IsName()) return std::nullopt;
  return object->GetName().GetName();
}

}  // namespace casenote
