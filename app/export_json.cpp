#include "app/export_json.h"

namespace casenote {

nlohmann::json document_json(const DocumentRecord& document) {
  using nlohmann::json;
  json pages = json::array();
  for (const auto& page : document.pages) {
    json p = {{"number", page.number},
              {"rotation_degrees", page.rotation_degrees},
              {"skew_degrees", page.skew_degrees},
              {"mean_confidence", page.mean_confidence},
              {"blank", page.blank},
              {"text", page.text}};
    if (!page.notes.empty()) p["notes"] = page.notes;
    // What preparation decided and how sure it was; absent for pages stored before it was kept.
    if (!page.rotation_method.empty()) {
      p["rotation_confidence"] = page.rotation_confidence;
      p["rotation_method"] = page.rotation_method;
      p["skew_confidence"] = page.skew_confidence;
    }
    if (page.dpi > 0) {
      p["dpi"] = page.dpi;
      p["dpi_source"] = page.dpi_source;
    }
    if (!page.timings.empty()) {
      json timings = json::object();
      for (const auto& timing : page.timings) timings[timing.step] = timing.milliseconds;
      p["timings_ms"] = std::move(timings);
    }
    pages.push_back(std::move(p));
  }
  json fields = json::object();
  for (const auto& field : document.fields) {
    fields[field.name] = {{"value", field.value},
                          {"confidence", field.confidence},
                          {"page", field.page},
                          {"bbox", {field.box.x, field.box.y, field.box.w, field.box.h}}};
  }
  json out = {{"schema", "casenote.document/1"},
               {"document_id", document.id},
               {"source", document.source},
               {"sha256", document.sha256},
               {"pages", std::move(pages)},
               {"text", document.text},
               {"document_type", document.document_type},
               {"fields", std::move(fields)},
               {"patient_id", document.patient_id ? json(*document.patient_id) : json(nullptr)},
               {"status", document.status},
               {"review_reasons", document.review_reasons}};
  // The searchable PDF in the archive; absent when none was written.
  if (!document.archive_path.empty()) out["archive_pdf"] = document.archive_path;
  return out;
}

}  // namespace casenote
