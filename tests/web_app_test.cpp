// The review workstation's application, request by request, without a socket: who may see and
// change what, and that each decision is the review module's, audited under the clerk's name.
#include <catch2/catch.hpp>
#include <leptonica/allheaders.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "pipeline/input_files.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/passwords.h"
#include "web/web_app.h"

using namespace casenote;
using casenote::testing::TempDir;
using nlohmann::json;

namespace {

constexpr const char* kPassword = "a long enough password";
const std::string kReferralPdf = "%PDF-1.7\n% the archive copy of D2\n%%EOF\n";

struct SignedIn {
  std::string cookie;  // as the browser sends it back
  std::string csrf;
};

// A store with a small patient index, three documents in review, one user, and the app over it.
class Workstation {
 public:
  Workstation() {
    auto opened = open_sqlite_store(dir_.file("c.db"));
    REQUIRE(opened.ok());
    store_ = std::move(opened).value();
    REQUIRE(store_->import_patients({{"", "9993251003", "K1", "NOWAK", "Katarzyna Anna", "1985-04-12", "F", "LS1 1AA"},
                                     {"", "9997640837", "K2", "JONES", "Gareth Rhys", "1971-06-12", "M", "BD22 7QS"}})
                .ok());
    nowak_ = store_->patients_by_nhs_number("9993251003")->front().id;
    jones_ = store_->patients_by_nhs_number("9997640837")->front().id;

    Pix* page = pixCreate(600, 800, 8);
    pixSetAllArbitrary(page, 255);
    const std::string scan = dir_.file("nowak.png");
    REQUIRE(pixWrite(scan.c_str(), page, IFF_PNG) == 0);
    pixDestroy(&page);

    DocumentRecord nowak = in_review("D1", scan, "Dermatology clinic letter about eczema");
    nowak.fields = {{"nhs_number", "9993251004", 0.6, 1, {100, 200, 180, 30}},
                    {"patient_name", "NOWAK, Katarzyna Anna", 0.9, 1, {100, 150, 300, 30}},
                    {"date_of_birth", "1985-04-12", 0.9, 1, {100, 250, 150, 30}}};
    nowak.review_reasons = {"no patient in the index has these identifiers"};
    REQUIRE(store_->save_document(nowak).ok());
    DocumentRecord referral = in_review("D2", scan + "-2", "Referral letter about knee pain");
    referral.candidates = {{jones_, 0.8, "NHS number agrees; date of birth differs"}};
    referral.review_reasons = {"the date of birth differs from the patient index"};
    std::filesystem::create_directories(dir_.path() / "archive" / "unfiled");
    referral.archive_path = dir_.write("archive/unfiled/D2.pdf", kReferralPdf);
    REQUIRE(store_->save_document(referral).ok());
    REQUIRE(store_->save_document(in_review("D3", scan + "-3", "Duplicate scan")).ok());

    auto hash = hash_password(kPassword);
    REQUIRE(hash.ok());
    REQUIRE(store_->add_user({"clerk.ann", *hash, ""}, "admin").ok());
    WebSettings settings;
    settings.max_failed_sign_ins = 3;
    settings.archive = {dir_.file("archive"), "{patient_id}/{document_id}.pdf"};
    settings.log = [this](const std::string& line) { log_.push_back(line); };
    app_ = std::make_unique<WebApp>(*store_, settings);
  }

  WebResponse get(const std::string& path, const SignedIn& who = {}, std::map<std::string, std::string> query = {}) {
    WebRequest request{"GET", path, std::move(query), {{"host", "127.0.0.1:8080"}}, ""};
    if (!who.cookie.empty()) request.headers["cookie"] = who.cookie;
    return app_->handle(request);
  }

  WebResponse post(const std::string& path, const json& body, const SignedIn& who = {},
                   std::map<std::string, std::string> extra_headers = {}) {
    WebRequest request{"POST", path, {}, {{"host", "127.0.0.1:8080"}, {"content-type", "application/json"}}, body.dump()};
    if (!who.cookie.empty()) request.headers["cookie"] = "theme=dark; " + who.cookie;
    if (!who.csrf.empty()) request.headers["x-csrf-token"] = who.csrf;
    for (auto& [name, value] : extra_headers) request.headers[name] = value;
    return app_->handle(request);
  }

  SignedIn sign_in() {
    WebResponse response = post("/api/login", {{"name", "clerk.ann"}, {"password", kPassword}});
    REQUIRE(response.status == 200);
    std::string cookie = header(response, "Set-Cookie");
    return {cookie.substr(0, cookie.find(';')), json::parse(response.body).at("csrf_token")};
  }

  static std::string header(const WebResponse& response, const std::string& name) {
    for (const auto& [n, value] : response.headers)
      if (n == name) return value;
    return "";
  }

  Store& store() { return *store_; }
  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::string& nowak() const { return nowak_; }
  const std::string& jones() const { return jones_; }
  const std::vector<std::string>& log() const { return log_; }

 private:
  DocumentRecord in_review(const std::string& id, const std::string& source, const std::string& text) {
    DocumentRecord d;
    d.id = id;
    d.source = source;
    // Only D1 is the scan on disk; the store keeps one document per input fingerprint.
    d.sha256 = id == "D1" ? *sha256_of_file(dir_.file("nowak.png")) : std::string(64, id.back());
    d.document_type = "clinic_letter";
    d.status = "needs_review";
    d.filed_by = "scanner1";
    d.text = text;
    d.pages = {{1, 0, 0, 90, false, text, {}}};
    return d;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WebApp> app_;
  std::string nowak_, jones_;
  std::vector<std::string> log_;
};

json body_of(const WebResponse& response) { return json::parse(response.body); }

std::string status_of(Store& store, const std::string& id) { return (*store.document(id))->status; }

}  // namespace

TEST_CASE("without a session no page or answer carries patient data", "[web]") {
  Workstation w;
  WebResponse shell = w.get("/");
  CHECK(shell.status == 200);
  CHECK(shell.content_type == "text/html; charset=utf-8");
  CHECK(shell.body.find("NOWAK") == std::string::npos);
  CHECK(w.get("/static/app.js").content_type == "text/javascript; charset=utf-8");

  for (const char* path : {"/api/status", "/api/queue", "/api/documents/D1", "/api/documents/D1/pages/1/image",
                           "/api/documents/D1/archive.pdf", "/api/patients", "/api/patients/P000001", "/api/search",
                           "/api/dashboard"}) {
    CAPTURE(path);
    WebResponse refused = w.get(path, {}, {{"q", "nowak"}});
    CHECK(refused.status == 401);
    CHECK(refused.body.find("NOWAK") == std::string::npos);
    CHECK(w.get(path, {"casenote_session=0123456789abcdef", ""}).status == 401);
  }
  CHECK(w.post("/api/documents/D1/link", {{"patient_id", w.nowak()}}).status == 401);
  CHECK(status_of(w.store(), "D1") == "needs_review");
  CHECK(w.get("/static/missing.js").status == 404);
  CHECK(w.get("/api/nothing-here").status == 404);
}

TEST_CASE("signing in sets a session cookie scripts cannot read, and a wrong password is refused", "[web]") {
  Workstation w;
  WebResponse wrong = w.post("/api/login", {{"name", "clerk.ann"}, {"password", "not the password"}});
  CHECK(wrong.status == 401);
  CHECK(Workstation::header(wrong, "Set-Cookie").empty());
  CHECK(w.post("/api/login", {{"name", "clerk.nobody"}, {"password", kPassword}}).status == 401);
  CHECK(w.post("/api/login", {{"name", "clerk.ann"}}).status == 400);

  WebResponse right = w.post("/api/login", {{"name", "clerk.ann"}, {"password", kPassword}});
  REQUIRE(right.status == 200);
  const std::string cookie = Workstation::header(right, "Set-Cookie");
  CHECK(cookie.rfind("casenote_session=", 0) == 0);
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("; Path=/") != std::string::npos);
  CHECK(body_of(right).at("user") == "clerk.ann");
  CHECK(w.log() == std::vector<std::string>{"sign-in failed for clerk.ann", "sign-in failed for a name that is no user's",
                                            "clerk.ann signed in"});
  CHECK(Workstation::header(w.get("/api/status"), "Cache-Control") == "no-store");
}

TEST_CASE("after too many failed sign-ins even the right password is refused for a while", "[web]") {
  Workstation w;
  for (int i = 0; i < 3; ++i) CHECK(w.post("/api/login", {{"name", "clerk.ann"}, {"password", "guess " + std::to_string(i)}}).status == 401);
  WebResponse throttled = w.post("/api/login", {{"name", "clerk.ann"}, {"password", kPassword}});
  CHECK(throttled.status == 429);
  CHECK(Workstation::header(throttled, "Set-Cookie").empty());
  CHECK(w.log().back() == "sign-in refused for clerk.ann: too many failed attempts");
}

TEST_CASE("a sign-in name that is no user's is not logged: it may be a password or forged lines", "[web][log-phi]") {
  Workstation w;
  const std::string typed_password = kPassword;
  const std::string forged = "x\nclerk.ann signed in";
  for (int i = 0; i < 4; ++i) CHECK(w.post("/api/login", {{"name", typed_password}, {"password", "guess"}}).status == (i < 3 ? 401 : 429));
  CHECK(w.post("/api/login", {{"name", forged}, {"password", kPassword}}).status == 401);
  const std::vector<std::string> log = w.log();
  REQUIRE(log.size() == 5);
  for (const std::string& line : log) {
    CHECK(line.find(typed_password) == std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
  }
  CHECK(log[3] == "sign-in refused for a name that is no user's: too many failed attempts");
}

TEST_CASE("a change without the session's CSRF token, or from another site, is refused and changes nothing", "[web]") {
  Workstation w;
  SignedIn ann = w.sign_in();
  const json link = {{"patient_id", w.nowak()}};

  WebResponse no_token = w.post("/api/documents/D1/link", link, {ann.cookie, ""});
  CHECK(no_token.status == 403);
  CHECK(body_of(no_token).at("error") == "the request lacks this session's CSRF token");
  CHECK(w.post("/api/documents/D1/link", link, {ann.cookie, ann.csrf + "0"}).status == 403);
  CHECK(w.post("/api/documents/D1/link", link, ann, {{"origin", "http://evil.example"}}).status == 403);
  CHECK(w.post("/api/documents/D1/link", link, ann, {{"content-type", "text/plain"}}).status == 415);
  CHECK(w.post("/api/logout", json::object(), {ann.cookie, ""}).status == 403);

  CHECK(status_of(w.store(), "D1") == "needs_review");
  const auto trail = w.store().audit_for_document("D1");
  REQUIRE(trail);
  for (const auto& entry : *trail) CHECK(entry.user != "clerk.ann");
  CHECK(w.get("/api/status", ann).status == 200);  // the session itself is unharmed

  CHECK(w.post("/api/documents/D1/link", link, ann, {{"origin", "http://127.0.0.1:8080"}}).status == 200);
  CHECK(status_of(w.store(), "D1") == "filed");
}

TEST_CASE("correcting an NHS number: a wrong check digit is refused, a right one links the document again", "[web]") {
  Workstation w;
  SignedIn ann = w.sign_in();
  CHECK(body_of(w.get("/api/queue", ann)).at("total") == 3);

  WebResponse refused = w.post("/api/documents/D1/correct", {{"field", "nhs_number"}, {"value", "999 325 1004"}}, ann);
  CHECK(refused.status == 400);
  CHECK(body_of(refused).at("error") ==
        "'999 325 1004' is not a valid NHS number (ten digits with a modulus-11 check digit)");
  CHECK((*w.store().document("D1"))->fields[0].value == "9993251004");

  WebResponse corrected = w.post("/api/documents/D1/correct", {{"field", "nhs_number"}, {"value", "999 325 1003"}}, ann);
  REQUIRE(corrected.status == 200);
  json document = body_of(corrected);
  CHECK(document.at("status") == "filed");
  CHECK(document.at("patient").at("id") == w.nowak());
  CHECK(document.at("filing_rule") == "nhs_number");
  CHECK(document.at("fields")[0].at("value") == "9993251003");
  CHECK(document.at("fields")[0].at("bbox") == json::array({100, 200, 180, 30}));

  json queue = body_of(w.get("/api/queue", ann));
  CHECK(queue.at("total") == 2);
  for (const auto& d : queue.at("documents")) CHECK(d.at("id") != "D1");
  bool audited = false;
  for (const auto& e : document.at("audit"))
    if (e.at("action") == "correct" && e.at("field") == "nhs_number") {
      audited = true;
      CHECK(e.at("user") == "clerk.ann");
      CHECK(e.at("old_value") == "9993251004");
    }
  CHECK(audited);
  CHECK(w.log().back() == "clerk.ann POST /api/documents/D1/correct -> 200");
}

TEST_CASE("link, accept, reject and new patient are the review module's decisions under the clerk's name", "[web]") {
  Workstation w;
  SignedIn ann = w.sign_in();

  CHECK(w.post("/api/documents/D2/link", {{"patient_id", "P999999"}}, ann).status == 400);
  WebResponse accepted = w.post("/api/documents/D2/accept", json::object(), ann);
  REQUIRE(accepted.status == 200);
  CHECK(body_of(accepted).at("patient").at("id") == w.jones());

  WebResponse no_reason = w.post("/api/documents/D3/reject", {{"reason", "  "}}, ann);
  CHECK(no_reason.status == 400);
  CHECK(body_of(no_reason).at("error") == "a rejection needs a reason");
  WebResponse rejected = w.post("/api/documents/D3/reject", {{"reason", "duplicate scan"}}, ann);
  REQUIRE(rejected.status == 200);
  CHECK(body_of(rejected).at("status") == "rejected");

  // The NHS number the scan holds is someone already in the index: no second patient is made.
  WebResponse duplicate = w.post("/api/documents/D1/new-patient", json::object(), ann);
  CHECK(duplicate.status == 400);
  CHECK(status_of(w.store(), "D1") == "needs_review");
  CHECK(w.post("/api/documents/D404/accept", json::object(), ann).status == 400);

  for (const char* id : {"D2", "D3"}) {
    const auto trail = w.store().audit_for_document(id);
    REQUIRE(trail);
    for (const auto& e : *trail)
      if (e.action != "ingest") CHECK(e.user == "clerk.ann");
  }
}

TEST_CASE("a decision in the browser moves the searchable PDF as the command line does", "[web][archive]") {
  Workstation w;
  SignedIn ann = w.sign_in();
  CHECK(w.get("/api/documents/D2/archive.pdf", ann).body == kReferralPdf);

  REQUIRE(w.post("/api/documents/D2/link", {{"patient_id", w.jones()}}, ann).status == 200);
  const std::string moved = w.file("archive/" + w.jones() + "/D2.pdf");
  CHECK((*w.store().document("D2"))->archive_path == moved);
  CHECK_FALSE(std::filesystem::exists(w.file("archive/unfiled/D2.pdf")));
  WebResponse pdf = w.get("/api/documents/D2/archive.pdf", ann);
  CHECK(pdf.status == 200);
  CHECK(pdf.content_type == "application/pdf");
  CHECK(pdf.body == kReferralPdf);
}

TEST_CASE("search, patients, the dashboard and the page image answer a signed-in clerk", "[web]") {
  Workstation w;
  SignedIn ann = w.sign_in();

  json hits = body_of(w.get("/api/search", ann, {{"q", "eczema"}}));
  REQUIRE(hits.at("documents").size() == 1);
  CHECK(hits.at("documents")[0].at("id") == "D1");
  CHECK(hits.at("documents")[0].at("snippet").get<std::string>().find("[eczema]") != std::string::npos);
  CHECK(hits.at("documents")[0].at("has_archive") == false);
  CHECK(w.get("/api/search", ann, {{"q", "\"unclosed"}}).status == 400);
  CHECK(w.get("/api/search", ann, {{"from", "31/02/2020"}}).status == 400);
  CHECK(body_of(w.get("/api/search", ann, {{"status", "needs_review"}, {"from", "01/01/2020"}})).at("documents").empty());

  CHECK(body_of(w.get("/api/patients", ann, {{"q", "999 325 1003"}})).at("patients")[0].at("id") == w.nowak());
  CHECK(body_of(w.get("/api/patients", ann, {{"q", "12/04/1985"}})).at("patients")[0].at("id") == w.nowak());
  CHECK(body_of(w.get("/api/patients", ann, {{"q", "jon"}})).at("patients")[0].at("id") == w.jones());

  REQUIRE(w.post("/api/documents/D1/link", {{"patient_id", w.nowak()}}, ann).status == 200);
  json patient = body_of(w.get("/api/patients/" + w.nowak(), ann));
  CHECK(patient.at("patient").at("family_name") == "NOWAK");
  REQUIRE(patient.at("documents").size() == 1);
  CHECK(patient.at("documents")[0].at("id") == "D1");
  CHECK(w.get("/api/patients/P999999", ann).status == 404);

  json dashboard = body_of(w.get("/api/dashboard", ann));
  CHECK(dashboard.at("needs_review") == 2);
  CHECK(dashboard.at("filed_in_review_by_day")[0].at("count") == 1);
  CHECK(dashboard.at("days") == 14);

  WebResponse image = w.get("/api/documents/D1/pages/1/image", ann, {{"width", "300"}});
  REQUIRE(image.status == 200);
  CHECK(image.content_type == "image/jpeg");
  CHECK(Workstation::header(image, "X-Page-Width") == "600");
  CHECK(Workstation::header(image, "X-Page-Height") == "800");
  CHECK(w.get("/api/documents/D1/pages/2/image", ann).status == 404);
  CHECK(w.get("/api/documents/D1/pages/x/image", ann).status == 400);
  CHECK(w.get("/api/documents/D404", ann).status == 404);
}

TEST_CASE("signing out ends the session", "[web]") {
  Workstation w;
  SignedIn ann = w.sign_in();
  WebResponse out = w.post("/api/logout", json::object(), ann);
  CHECK(out.status == 200);
  CHECK(Workstation::header(out, "Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(w.get("/api/status", ann).status == 401);
}
