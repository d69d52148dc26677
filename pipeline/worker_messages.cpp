#include "pipeline/worker_messages.h"

#include <nlohmann/json.hpp>

namespace casenote {

using nlohmann::json;

namespace {

// Field by field, so that a field added to one of these types and forgotten here fails to cross
// the process boundary visibly, in the round-trip test, rather than silently. Named functions
// rather than to_json overloads, which another unit could define differently for the same type.
json box_json(const Box& b) { return json::array({b.x, b.y, b.w, b.h}); }
Box box_from(const json& j) { return {j.at(0), j.at(1), j.at(2), j.at(3)}; }

json page_json(const RecognisedPage& p) {
  json words = json::array();
  for (const auto& w : p.words)
    words.push_back({{"text", w.text}, {"box", box_json(w.box)}, {"confidence", w.confidence},
                     {"block", w.block}, {"paragraph", w.paragraph}, {"line", w.line}});
  return {{"number", p.number}, {"width", p.width}, {"height", p.height}, {"words", std::move(words)}};
}

RecognisedPage page_from(const json& j) {
  RecognisedPage p;
  j.at("number").get_to(p.number);
  j.at("width").get_to(p.width);
  j.at("height").get_to(p.height);
  for (const json& w : j.at("words")) {
    RecognisedWord word;
    w.at("text").get_to(word.text);
    word.box = box_from(w.at("box"));
    w.at("confidence").get_to(word.confidence);
    w.at("block").get_to(word.block);
    w.at("paragraph").get_to(word.paragraph);
    w.at("line").get_to(word.line);
    p.words.push_back(std::move(word));
  }
  return p;
}

json outcome_json(const PageOutcome& o) {
  json barcodes = json::array();
  for (const auto& b : o.barcodes) barcodes.push_back({{"format", b.format}, {"text", b.text}, {"box", box_json(b.box)}});
  json timings = json::array();
  for (const auto& t : o.timings) timings.push_back({{"step", t.step}, {"milliseconds", t.milliseconds}});
  return {{"number", o.number},
          {"rotation_degrees", o.rotation_degrees},
          {"skew_degrees", o.skew_degrees},
          {"blank", o.blank},
          {"rotation_confidence", o.rotation_confidence},
          {"rotation_method", o.rotation_method},
          {"skew_confidence", o.skew_confidence},
          {"dpi", o.dpi},
          {"dpi_source", o.dpi_source},
          {"loaded", {{"width", o.loaded_width}, {"height", o.loaded_height}, {"dpi", o.loaded_dpi}}},
          {"timings", std::move(timings)},
          {"recognised", page_json(o.recognised)},
          {"failure", o.failure},
          {"notes", o.notes},
          {"barcodes", std::move(barcodes)},
          {"separator_sheet", o.separator_sheet}};
}

PageOutcome outcome_from(const json& j) {
  PageOutcome o;
  j.at("number").get_to(o.number);
  j.at("rotation_degrees").get_to(o.rotation_degrees);
  j.at("skew_degrees").get_to(o.skew_degrees);
  j.at("blank").get_to(o.blank);
  j.at("rotation_confidence").get_to(o.rotation_confidence);
  j.at("rotation_method").get_to(o.rotation_method);
  j.at("skew_confidence").get_to(o.skew_confidence);
  j.at("dpi").get_to(o.dpi);
  j.at("dpi_source").get_to(o.dpi_source);
  const json& loaded = j.at("loaded");
  loaded.at("width").get_to(o.loaded_width);
  loaded.at("height").get_to(o.loaded_height);
  loaded.at("dpi").get_to(o.loaded_dpi);
  for (const json& t : j.at("timings")) o.timings.push_back({t.at("step"), t.at("milliseconds")});
  o.recognised = page_from(j.at("recognised"));
  j.at("failure").get_to(o.failure);
  j.at("notes").get_to(o.notes);
  for (const json& b : j.at("barcodes"))
    o.barcodes.push_back({b.at("format"), b.at("text"), box_from(b.at("box"))});
  j.at("separator_sheet").get_to(o.separator_sheet);
  return o;
}

// OCR can produce bytes that are not UTF-8; they travel as U+FFFD rather than failing the page.
std::string line_of(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<json> parse(const std::string& line) {
  json message = json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object() || message.size() != 1)
    return Error{"page worker: unreadable message: " + line.substr(0, 80)};
  return message;
}

// Runs `read` over a parsed message, turning a missing or mistyped member into an Error.
template <class T, class Read>
Result<T> decode(const std::string& line, Read read) {
  auto message = parse(line);
  if (!message) return message.error();
  try {
    if (message->contains("error")) return Error{message->at("error").get<std::string>()};
    return read(*message);
  } catch (const json::exception& e) {
    return Error{std::string("page worker: malformed message: ") + e.what()};
  }
}

}  // namespace

std::string encode_request(const WorkerRequest& request) {
  if (const auto* start = std::get_if<WorkerStart>(&request)) {
    const OcrSettings& ocr = start->ocr_settings;
    const PrepareSettings& prepare = start->prepare;
    return line_of({{"start",
                     {{"ocr", start->ocr},
                      {"language", ocr.language},
                      {"tessdata_dir", ocr.tessdata_dir},
                      {"time_limit_ms", ocr.time_limit_ms},
                      {"layout", static_cast<int>(ocr.layout)},
                      {"read_inverted_lines", ocr.read_inverted_lines},
                      {"use_dictionary", ocr.use_dictionary},
                      {"max_skew_degrees", prepare.max_skew_degrees},
                      {"skew_method", static_cast<int>(prepare.skew_method)},
                      {"min_text_shape_confidence", prepare.min_text_shape_confidence},
                      {"min_osd_confidence", prepare.min_osd_confidence},
                      {"min_reading_margin", prepare.min_reading_margin},
                      {"max_ocr_dpi", prepare.max_ocr_dpi},
                      {"ocr_dpi", prepare.ocr_dpi}}}});
  }
  if (const auto* count = std::get_if<CountRequest>(&request)) return line_of({{"count", {{"path", count->path}}}});
  const auto& page = std::get<PageRequest>(request);
  return line_of({{"page", {{"path", page.path}, {"sha256", page.sha256}, {"index", page.index}}}});
}

Result<WorkerRequest> decode_request(const std::string& line) {
  return decode<WorkerRequest>(line, [](const json& message) -> Result<WorkerRequest> {
    if (message.contains("start")) {
      const json& s = message.at("start");
      WorkerStart start;
      OcrSettings& ocr = start.ocr_settings;
      PrepareSettings& prepare = start.prepare;
      s.at("ocr").get_to(start.ocr);
      s.at("language").get_to(ocr.language);
      s.at("tessdata_dir").get_to(ocr.tessdata_dir);
      s.at("time_limit_ms").get_to(ocr.time_limit_ms);
      ocr.layout = static_cast<PageLayout>(s.at("layout").get<int>());
      s.at("read_inverted_lines").get_to(ocr.read_inverted_lines);
      s.at("use_dictionary").get_to(ocr.use_dictionary);
      s.at("max_skew_degrees").get_to(prepare.max_skew_degrees);
      prepare.skew_method = static_cast<SkewMethod>(s.at("skew_method").get<int>());
      s.at("min_text_shape_confidence").get_to(prepare.min_text_shape_confidence);
      s.at("min_osd_confidence").get_to(prepare.min_osd_confidence);
      s.at("min_reading_margin").get_to(prepare.min_reading_margin);
      s.at("max_ocr_dpi").get_to(prepare.max_ocr_dpi);
      s.at("ocr_dpi").get_to(prepare.ocr_dpi);
      return WorkerRequest(start);
    }
    if (message.contains("count")) return WorkerRequest(CountRequest{message.at("count").at("path")});
    if (message.contains("page")) {
      const json& p = message.at("page");
      return WorkerRequest(PageRequest{p.at("path"), p.at("sha256"), p.at("index")});
    }
    return Error{"page worker: unknown request: " + message.begin().key()};
  });
}

std::string encode_ready(const Status& started) {
  return started ? line_of({{"ready", true}}) : line_of({{"error", started.error().message}});
}

std::string encode_page_count(const Result<int>& pages) {
  return pages ? line_of({{"pages", pages.value()}}) : line_of({{"error", pages.error().message}});
}

std::string encode_outcome(const PageOutcome& outcome) { return line_of({{"outcome", outcome_json(outcome)}}); }

Status decode_ready(const std::string& line) {
  return decode<Done>(line, [](const json& message) -> Status {
    message.at("ready");
    return ok_status();
  });
}

Result<int> decode_page_count(const std::string& line) {
  return decode<int>(line, [](const json& message) -> Result<int> { return message.at("pages").get<int>(); });
}

Result<PageOutcome> decode_outcome(const std::string& line) {
  return decode<PageOutcome>(line, [](const json& message) -> Result<PageOutcome> {
    return outcome_from(message.at("outcome"));
  });
}

}  // namespace casenote
