// Small helpers for reading PoDoFo objects whose entries may be indirect references.
#pragma once

#include <optional>
#include <string>

namespace PoDoFo {
class PdfObject;
class PdfVecObjects;
}  // namespace PoDoFo

namespace casenote {

// `object` with indirect references followed; null when a reference dangles or a chain of
// references is implausibly long (a cycle).
const PoDoFo::PdfObject* resolve(const PoDoFo::PdfObject* object, const PoDoFo::PdfVecObjects& objects);

// The resolved value of `key` in dictionary `dict`; null when `dict` is not a dictionary or
// has no such key.
const PoDoFo::PdfObject* dict_entry(const PoDoFo::PdfObject* dict, const char* key,
                                    const PoDoFo::PdfVecObjects& objects);

// The value of an integer or real number object; nullopt for anything else.
std::optional<double> number_value(const PoDoFo::PdfObject* object);

// The text of a name object; nullopt for anything else.
std::optional<std::string> name_value(const PoDoFo::PdfObject* object);

}  // namespace casenote
