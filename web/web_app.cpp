#include "web/web_app.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pipeline/page_view.h"
#include "pipeline/review.h"
#include "web/assets.h"
#include "web/json_views.h"
#include "web/login_throttle.h"
#include "web/passwords.h"
#include "web/session_table.h"

namespace casenote {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct WebApp::State {
  State(Store& store, WebSettings settings)
      : store(store),
        settings(std::move(settings)),
        sessions(this->settings.session_idle_limit, this->settings.session_absolute_limit),
        throttle(this->settings.max_failed_sign_ins, this->settings.failed_sign_in_window) {}

  Store& store;
  std::mutex store_mutex;  // a Store is used by one thread at a time
  WebSettings settings;
  SessionTable sessions;
  LoginThrottle throttle;
  std::string unknown_user_hash;  // checked against when the name is unknown, so both take as long

  void log(const std::string& line) const {
    if (settings.log) settings.log(line);
  }
};

namespace {

using State = WebApp::State;

constexpr const char* kSessionCookie = "casenote_session";
constexpr int kDefaultPageWidth = 1100, kMinPageWidth = 200, kMaxPageWidth = 2400;
constexpr int kJpegQuality = 80;
constexpr int kQueueLimit = 500, kSearchLimit = 100, kPatientDocumentsLimit = 1000, kPatientMatches = 20;
constexpr int kDashboardDays = 14, kRecentFailures = 10;
// Asked of activity() when only its counts are wanted: no day is on or after it.
constexpr const char* kNoDailySeries = "9999-12-31";

// One request matched to a route.
struct Call {
  const WebRequest& request;
  Session session;                  // empty user on public routes
  std::vector<std::string> params;  // the path's "*" segments, in order
  json body;                        // a POST's JSON body
};

using Handler = WebResponse (*)(State&, const Call&);

enum class Access { Public, SignedIn };

struct Route {
  const char* method;
  const char* pattern;  // "/"-separated segments; "*" matches any one segment
  Access access;
  Handler handler;
};

// A string member of a JSON body, or "" when it is absent or not a string.
std::string text_member(const json& body, const char* name) {
  auto found = body.find(name);
  return found != body.end() && found->is_string() ? found->get<std::string>() : "";
}

WebResponse json_response(int status, const json& body) { return {status, "application/json", json_text(body), {}}; }

WebResponse error_response(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(path);
  for (std::string part; std::getline(in, part, '/');)
    if (!part.empty()) out.push_back(part);
  return out;
}

bool matches(const Route& route, const WebRequest& request, std::vector<std::string>& params) {
  if (request.method != route.method) return false;
  const auto pattern = segments_of(route.pattern), path = segments_of(request.path);
  if (pattern.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "*")
      params.push_back(path[i]);
    else if (pattern[i] != path[i])
      return false;
  }
  return true;
}

std::string cookie_value(const std::string& header, const std::string& name) {
  std::istringstream in(header);
  for (std::string part; std::getline(in, part, ';');) {
    const size_t start = part.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    const size_t equals = part.find('=', start);
    if (equals != std::string::npos && part.compare(start, equals - start, name) == 0) return part.substr(equals + 1);
  }
  return "";
}

std::string session_cookie(const State& state, const std::string& token, bool ending) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}{}", kSessionCookie, token,
                     state.settings.secure_cookie ? "; Secure" : "", ending ? "; Max-Age=0" : "");
}

// A browser names the page a request came from; one from another site is refused outright.
bool from_this_site(const WebRequest& request) {
  const std::string origin = request.header("origin");
  if (origin.empty()) return true;
  const std::string host = request.header("host");
  return origin == "http://" + host || origin == "https://" + host;
}

template <class F>
auto with_store(State& state, F&& f) {
  std::lock_guard lock(state.store_mutex);
  return f(state.store);
}

// The patients these ids name, looked up once each; unknown ids are left out.
Result<PatientsById> patients_named(Store& store, const std::set<std::string>& ids) {
  PatientsById out;
  for (const auto& id : ids) {
    auto patient = store.patient(id);
    if (!patient) return patient.error();
    if (*patient) out.emplace(id, std::move(**patient));
  }
  return out;
}

// The document as its view shows it; the caller holds the store.
Result<json> document_view(Store& store, const DocumentRecord& document) {
  std::set<std::string> ids;
  if (document.patient_id) ids.insert(*document.patient_id);
  for (const auto& c : document.candidates) ids.insert(c.patient_id);
  auto patients = patients_named(store, ids);
  if (!patients) return patients.error();
  auto audit = store.audit_for_document(document.id);
  if (!audit) return audit.error();
  return document_json(document, *patients, *audit);
}

Result<json> hits_view(Store& store, const std::vector<SearchHit>& hits) {
  std::set<std::string> ids;
  for (const auto& h : hits) {
    if (h.patient_id) ids.insert(*h.patient_id);
    if (h.suggested_patient_id) ids.insert(*h.suggested_patient_id);
  }
  auto patients = patients_named(store, ids);
  if (!patients) return patients.error();
  json out = json::array();
  for (const auto& h : hits) out.push_back(hit_json(h, *patients));
  return out;
}

std::string iso_day(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// A clerk types an NHS number in groups ("999 051 6324") and dates the British way; the patient
// index holds ten digits and ISO dates.
std::string patient_search_terms(const std::string& text) {
  std::string digits;
  bool only_digits = true;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digits += c;
    else if (c != ' ' && c != '-')
      only_digits = false;
  }
  if (only_digits && digits.size() == 10) return digits;
  std::istringstream in(text);
  std::string terms;
  for (std::string word; in >> word;) {
    const bool date_like = word.find_first_of("/.") != std::string::npos ||
                           (word.find('-') != std::string::npos && std::isdigit(static_cast<unsigned char>(word[0])));
    if (date_like)
      if (auto iso = normalise_field_value("date_of_birth", word)) word = *iso;
    terms += (terms.empty() ? "" : " ") + word;
  }
  return terms;
}

// A date filter as the store compares it (ISO), from what was typed.
Result<std::string> date_filter(const std::string& typed) {
  if (typed.empty()) return typed;
  return normalise_field_value("document_date", typed);
}

// ---- handlers -------------------------------------------------------------------------------

WebResponse serve_asset(const std::string& path) {
  const Asset* asset = find_asset(path);
  if (!asset) return error_response(404, "not found");
  return {200, std::string(asset->content_type), std::string(asset->bytes), {{"Cache-Control", "no-cache"}}};
}

WebResponse index_page(State&, const Call&) { return serve_asset("/static/index.html"); }

WebResponse static_file(State&, const Call& call) { return serve_asset("/static/" + call.params[0]); }

WebResponse sign_in(State& state, const Call& call) {
  const std::string name = text_member(call.body, "name"), password = text_member(call.body, "password");
  if (name.empty() || password.empty()) return error_response(400, "give a user name and a password");
  const auto now = Clock::now();
  auto user = with_store(state, [&](Store& store) { return store.user(name); });
  if (!user) return error_response(500, user.error().message);
  const bool known = user->has_value();
  // A name that is no user's may be a password typed in the wrong box, or anything a client
  // sends (up to the request limit, line breaks included), so only users' names are logged.
  const std::string who = known ? name : "a name that is no user's";
  if (!state.throttle.allows(name, now)) {
    state.log(fmt::format("sign-in refused for {}: too many failed attempts", who));
    return error_response(429, "too many failed sign-ins for this name: wait a quarter of an hour and try again");
  }
  // Argon2 runs outside the store's lock, and for unknown names too, so timing tells nothing.
  const bool matched = password_matches(known ? (*user)->password_hash : state.unknown_user_hash, password) && known;
  if (!matched) {
    state.throttle.record_failure(name, now);
    state.log(fmt::format("sign-in failed for {}", who));
    return error_response(401, "wrong user name or password");
  }
  state.throttle.record_success(name);
  auto session = state.sessions.start(name, now);
  if (!session) return error_response(500, session.error().message);
  state.log(fmt::format("{} signed in", name));
  WebResponse response = json_response(200, {{"user", name}, {"csrf_token", session->csrf_token}});
  response.headers.push_back({"Set-Cookie", session_cookie(state, session->token, false)});
  return response;
}

WebResponse sign_out(State& state, const Call& call) {
  state.sessions.end(cookie_value(call.request.header("cookie"), kSessionCookie));
  state.log(fmt::format("{} signed out", call.session.user));
  WebResponse response = json_response(200, {{"signed_out", true}});
  response.headers.push_back({"Set-Cookie", session_cookie(state, "", true)});
  return response;
}

WebResponse status(State& state, const Call& call) {
  auto activity = with_store(state, [](Store& store) { return store.activity(kNoDailySeries, 0); });
  if (!activity) return error_response(500, activity.error().message);
  return json_response(200, {{"user", call.session.user},
                             {"csrf_token", call.session.csrf_token},
                             {"queue_size", activity->needs_review}});
}

WebResponse review_queue(State& state, const Call& call) {
  DocumentQuery query;
  query.status = "needs_review";
  query.document_type = call.request.parameter("type");
  query.reason = call.request.parameter("reason");
  query.oldest_first = call.request.parameter("sort") != "newest";
  query.limit = kQueueLimit;
  return with_store(state, [&](Store& store) {
    auto hits = store.search(query);
    if (!hits) return error_response(400, hits.error().message);
    auto activity = store.activity(kNoDailySeries, 0);
    if (!activity) return error_response(500, activity.error().message);
    auto documents = hits_view(store, *hits);
    if (!documents) return error_response(500, documents.error().message);
    return json_response(200, {{"total", activity->needs_review}, {"documents", *documents}});
  });
}

WebResponse show_document(State& state, const Call& call) {
  return with_store(state, [&](Store& store) {
    auto document = store.document(call.params[0]);
    if (!document) return error_response(500, document.error().message);
    if (!*document) return error_response(404, "no document " + call.params[0]);
    auto view = document_view(store, **document);
    if (!view) return error_response(500, view.error().message);
    return json_response(200, *view);
  });
}

WebResponse page_image(State& state, const Call& call) {
  int number = 0, width = kDefaultPageWidth;
  try {
    number = std::stoi(call.params[1]);
    if (!call.request.parameter("width").empty()) width = std::stoi(call.request.parameter("width"));
  } catch (const std::exception&) {
    return error_response(400, "the page number and width must be numbers");
  }
  width = std::clamp(width, kMinPageWidth, kMaxPageWidth);
  auto document = with_store(state, [&](Store& store) { return store.document(call.params[0]); });
  if (!document) return error_response(500, document.error().message);
  if (!*document) return error_response(404, "no document " + call.params[0]);
  // Decoding and turning the page is the slow part; the store is free meanwhile.
  auto view = view_document_page(**document, number, width);
  if (!view) return error_response(404, view.error().message);
  auto jpeg = jpeg_of(view->image, kJpegQuality);
  if (!jpeg) return error_response(500, jpeg.error().message);
  return {200,
          "image/jpeg",
          std::move(*jpeg),
          {{"X-Page-Width", std::to_string(view->page_width)}, {"X-Page-Height", std::to_string(view->page_height)}}};
}

WebResponse archive_pdf(State& state, const Call& call) {
  auto document = with_store(state, [&](Store& store) { return store.document(call.params[0]); });
  if (!document) return error_response(500, document.error().message);
  if (!*document) return error_response(404, "no document " + call.params[0]);
  if ((*document)->archive_path.empty()) return error_response(404, "document " + call.params[0] + " has no searchable PDF");
  std::ifstream in((*document)->archive_path, std::ios::binary);
  if (!in) return error_response(404, (*document)->archive_path + ": the searchable PDF cannot be read");
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return {200,
          "application/pdf",
          std::move(bytes),
          {{"Content-Disposition", fmt::format("inline; filename=\"{}.pdf\"", (*document)->id)}}};
}

// Runs one review decision and answers with the document as it now stands.
WebResponse decide(State& state, const Call& call,
                   const std::function<Result<DocumentRecord>(Store&, const std::string& user)>& decision) {
  return with_store(state, [&](Store& store) {
    auto decided = decision(store, call.session.user);
    if (!decided) return error_response(400, decided.error().message);
    auto view = document_view(store, *decided);
    if (!view) return error_response(500, view.error().message);
    return json_response(200, *view);
  });
}

WebResponse accept(State& state, const Call& call) {
  return decide(state, call, [&](Store& store, const std::string& user) {
    return accept_suggestion(store, call.params[0], user, state.settings.archive);
  });
}

WebResponse correct(State& state, const Call& call) {
  const std::string field = text_member(call.body, "field"), value = text_member(call.body, "value");
  return decide(state, call, [&](Store& store, const std::string& user) {
    return correct_field(store, call.params[0], field, value, user, state.settings.linking,
                         state.settings.archive);
  });
}

WebResponse link(State& state, const Call& call) {
  const std::string patient_id = text_member(call.body, "patient_id");
  return decide(state, call, [&](Store& store, const std::string& user) {
    return link_document(store, call.params[0], patient_id, user, state.settings.archive);
  });
}

WebResponse new_patient(State& state, const Call& call) {
  return decide(state, call, [&](Store& store, const std::string& user) {
    return file_to_new_patient(store, call.params[0], user, state.settings.archive);
  });
}

WebResponse reject(State& state, const Call& call) {
  const std::string reason = text_member(call.body, "reason");
  return decide(state, call, [&](Store& store, const std::string& user) {
    return reject_document(store, call.params[0], reason, user, state.settings.archive);
  });
}

WebResponse find_patients(State& state, const Call& call) {
  const std::string terms = patient_search_terms(call.request.parameter("q"));
  if (terms.empty()) return json_response(200, {{"patients", json::array()}});
  auto found = with_store(state, [&](Store& store) { return store.find_patients(terms, kPatientMatches); });
  if (!found) return error_response(400, found.error().message);
  json patients = json::array();
  for (const auto& p : *found) patients.push_back(patient_json(p));
  return json_response(200, {{"patients", patients}});
}

WebResponse show_patient(State& state, const Call& call) {
  return with_store(state, [&](Store& store) {
    auto patient = store.patient(call.params[0]);
    if (!patient) return error_response(500, patient.error().message);
    if (!*patient) return error_response(404, "no patient " + call.params[0]);
    DocumentQuery query;
    query.patient_id = call.params[0];
    query.limit = kPatientDocumentsLimit;
    auto hits = store.search(query);
    if (!hits) return error_response(500, hits.error().message);
    auto documents = hits_view(store, *hits);
    if (!documents) return error_response(500, documents.error().message);
    auto audit = store.audit_for_patient(call.params[0]);
    if (!audit) return error_response(500, audit.error().message);
    json trail = json::array();
    for (const auto& e : *audit) trail.push_back(audit_json(e));
    return json_response(200, {{"patient", patient_json(**patient)}, {"documents", *documents}, {"audit", trail}});
  });
}

WebResponse search(State& state, const Call& call) {
  const WebRequest& r = call.request;
  DocumentQuery query;
  query.text = r.parameter("q");
  query.patient_id = r.parameter("patient_id");
  query.document_type = r.parameter("type");
  query.status = r.parameter("status");
  auto from = date_filter(r.parameter("from")), to = date_filter(r.parameter("to"));
  if (!from) return error_response(400, "from: " + from.error().message);
  if (!to) return error_response(400, "to: " + to.error().message);
  query.from_date = *from;
  query.to_date = *to;
  query.limit = kSearchLimit;
  return with_store(state, [&](Store& store) {
    auto hits = store.search(query);
    if (!hits) return error_response(400, hits.error().message);
    auto documents = hits_view(store, *hits);
    if (!documents) return error_response(500, documents.error().message);
    // A result offers its searchable PDF only when it has one.
    for (auto& d : *documents) {
      auto document = store.document(d["id"].get<std::string>());
      if (!document) return error_response(500, document.error().message);
      d["has_archive"] = *document && !(*document)->archive_path.empty();
    }
    return json_response(200, {{"documents", *documents}});
  });
}

WebResponse dashboard(State& state, const Call&) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::string since = iso_day(today - std::chrono::days(kDashboardDays - 1));
  auto activity = with_store(state, [&](Store& store) { return store.activity(since, kRecentFailures); });
  if (!activity) return error_response(500, activity.error().message);
  json out = activity_json(*activity);
  out["today"] = iso_day(today);
  out["days"] = kDashboardDays;
  return json_response(200, out);
}

constexpr Route kRoutes[] = {
    {"GET", "/", Access::Public, index_page},
    {"GET", "/static/*", Access::Public, static_file},
    {"POST", "/api/login", Access::Public, sign_in},
    {"POST", "/api/logout", Access::SignedIn, sign_out},
    {"GET", "/api/status", Access::SignedIn, status},
    {"GET", "/api/queue", Access::SignedIn, review_queue},
    {"GET", "/api/documents/*", Access::SignedIn, show_document},
    {"GET", "/api/documents/*/pages/*/image", Access::SignedIn, page_image},
    {"GET", "/api/documents/*/archive.pdf", Access::SignedIn, archive_pdf},
    {"POST", "/api/documents/*/accept", Access::SignedIn, accept},
    {"POST", "/api/documents/*/correct", Access::SignedIn, correct},
    {"POST", "/api/documents/*/link", Access::SignedIn, link},
    {"POST", "/api/documents/*/new-patient", Access::SignedIn, new_patient},
    {"POST", "/api/documents/*/reject", Access::SignedIn, reject},
    {"GET", "/api/patients", Access::SignedIn, find_patients},
    {"GET", "/api/patients/*", Access::SignedIn, show_patient},
    {"GET", "/api/search", Access::SignedIn, search},
    {"GET", "/api/dashboard", Access::SignedIn, dashboard},
};

// Checks who is asking and whether they may, then runs the route.
WebResponse dispatch(State& state, const WebRequest& request) {
  const Route* route = nullptr;
  std::vector<std::string> params;
  for (const Route& r : kRoutes)
    if (matches(r, request, params)) {
      route = &r;
      break;
    }
  if (!route) return error_response(404, "not found");

  Call call{request, {}, params, nullptr};
  if (route->access == Access::SignedIn) {
    auto session = state.sessions.find(cookie_value(request.header("cookie"), kSessionCookie), Clock::now());
    if (!session) return error_response(401, "sign in first");
    call.session = std::move(*session);
  }
  if (request.method == "POST") {
    if (!from_this_site(request)) return error_response(403, "a request from another site is refused");
    if (route->access == Access::SignedIn && !tokens_equal(request.header("x-csrf-token"), call.session.csrf_token))
      return error_response(403, "the request lacks this session's CSRF token");
    if (request.header("content-type").rfind("application/json", 0) != 0)
      return error_response(415, "send JSON (Content-Type: application/json)");
    call.body = json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
    if (!call.body.is_object()) return error_response(400, "the body is not a JSON object");
  }
  WebResponse response = route->handler(state, call);
  // A change is logged with who made it; the path names the document, the body is left out.
  if (request.method == "POST" && route->access == Access::SignedIn)
    state.log(fmt::format("{} {} {} -> {}", call.session.user, request.method, request.path, response.status));
  return response;
}

}  // namespace

WebApp::WebApp(Store& store, WebSettings settings)
    : state_(std::make_unique<State>(store, std::move(settings))) {
  auto placeholder = hash_password("no user has this password");
  if (placeholder) state_->unknown_user_hash = std::move(*placeholder);
}

WebApp::~WebApp() = default;

WebResponse WebApp::handle(const WebRequest& request) {
  WebResponse response = dispatch(*state_, request);
  auto& headers = response.headers;
  headers.push_back({"X-Content-Type-Options", "nosniff"});
  headers.push_back({"Referrer-Policy", "no-referrer"});
  headers.push_back({"X-Frame-Options", "DENY"});
  if (response.content_type != "application/pdf")
    headers.push_back({"Content-Security-Policy",
                       "default-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                       "frame-ancestors 'none'; form-action 'self'"});
  if (request.path.rfind("/api/", 0) == 0) headers.push_back({"Cache-Control", "no-store"});
  return response;
}

}  // namespace casenote
