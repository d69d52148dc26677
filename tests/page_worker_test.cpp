// Page workers: pages are processed in a separate process; one that crashes or hangs costs the
// page, not the batch. Misbehaving workers are small shell scripts speaking the same protocol.
#include <leptonica/allheaders.h>

#include <catch2/catch.hpp>

#include "pipeline/page_worker.h"
#include "pipeline/worker_messages.h"
#include "support/cli.h"
#include "support/temp_dir.h"

using namespace casenote;

namespace {

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

PageWorkerSettings real_worker(bool ocr = true) {
  PageWorkerSettings settings;
  settings.command = {casenote::testing::kCasenote, "page-worker"};
  settings.start.ocr = ocr;
  return settings;
}

// A worker played by the shell: it answers the start request as `ready` says, then runs `then`
// for the first request.
PageWorkerSettings scripted_worker(const std::string& ready, const std::string& then, int time_limit_ms = 0) {
  PageWorkerSettings settings;
  settings.command = {"/bin/sh", "-c", "read -r start <&3; echo '" + ready + "' >&3; read -r request <&3; " + then};
  settings.start.ocr_settings.time_limit_ms = time_limit_ms;
  return settings;
}

PageRequest request_for(const std::string& path, int index = 0) { return {path, "sha", index}; }

}  // namespace

TEST_CASE("worker messages carry every field of a page outcome", "[worker]") {
  PageOutcome outcome;
  outcome.number = 3;
  outcome.rotation_degrees = 90;
  outcome.skew_degrees = -1.25;
  outcome.blank = true;
  outcome.recognised.number = 3;
  outcome.recognised.width = 2480;
  outcome.recognised.height = 3508;
  outcome.recognised.words = {{"Dear", {10, 20, 30, 40}, 91.5f, 1, 2, 3}, {"caf\xc3\xa9\n", {1, 2, 3, 4}, 50, 1, 2, 4}};
  outcome.failure = "page 3: something";
  outcome.notes = {"orientation unsure"};
  outcome.barcodes = {{"QRCode", "NHS:9990516324", {5, 6, 7, 8}}};
  outcome.separator_sheet = true;
  outcome.loaded_width = 1654;
  outcome.loaded_height = 2339;
  outcome.loaded_dpi = 200;

  auto decoded = decode_outcome(encode_outcome(outcome));
  REQUIRE(decoded.ok());
  const PageOutcome& got = decoded.value();
  CHECK(got.number == 3);
  CHECK(got.loaded_width == 1654);
  CHECK(got.loaded_height == 2339);
  CHECK(got.loaded_dpi == 200);
  CHECK(got.rotation_degrees == 90);
  CHECK(got.skew_degrees == -1.25);
  CHECK(got.blank);
  CHECK(got.recognised.width == 2480);
  CHECK(got.recognised.height == 3508);
  REQUIRE(got.recognised.words.size() == 2);
  CHECK(got.recognised.words[0].text == "Dear");
  CHECK(got.recognised.words[0].box == casenote::Box{10, 20, 30, 40});
  CHECK(got.recognised.words[0].confidence == 91.5f);
  CHECK(got.recognised.words[1].text == "caf\xc3\xa9\n");
  CHECK(got.recognised.words[1].line == 4);
  CHECK(got.failure == "page 3: something");
  CHECK(got.notes == outcome.notes);
  CHECK(got.barcodes == outcome.barcodes);
  CHECK(got.separator_sheet);
  CHECK(encode_outcome(outcome).find('\n') == encode_outcome(outcome).size() - 1);  // one line
}

TEST_CASE("worker messages survive bytes that are not UTF-8 and refuse garbage", "[worker]") {
  PageOutcome outcome;
  outcome.recognised.words = {{"bad\xff", {}, 1, 0, 0, 0}};
  auto decoded = decode_outcome(encode_outcome(outcome));
  REQUIRE(decoded.ok());
  CHECK(decoded.value().recognised.words[0].text == "bad\xef\xbf\xbd");

  CHECK_FALSE(decode_outcome("not json\n").ok());
  CHECK_FALSE(decode_outcome("{\"pages\":3}\n").ok());
  CHECK(decode_page_count("{\"error\":\"cannot be opened\"}\n").error().message == "cannot be opened");

  WorkerStart start;
  start.ocr = false;
  start.ocr_settings.time_limit_ms = 1234;
  start.prepare.max_skew_degrees = 7;
  auto request = decode_request(encode_request(start));
  REQUIRE(request.ok());
  const auto& decoded_start = std::get<WorkerStart>(request.value());
  CHECK_FALSE(decoded_start.ocr);
  CHECK(decoded_start.ocr_settings.time_limit_ms == 1234);
  CHECK(decoded_start.prepare.max_skew_degrees == 7);
  auto page = decode_request(encode_request(PageRequest{"/a b.tif", "ff", 4}));
  REQUIRE(page.ok());
  CHECK(std::get<PageRequest>(page.value()).path == "/a b.tif");
  CHECK(std::get<PageRequest>(page.value()).index == 4);
}

TEST_CASE("a page worker counts pages and recognises a page in its own process", "[worker][slow]") {
  auto worker = PageWorker::start(real_worker());
  REQUIRE(worker.ok());
  auto pages = (*worker)->count_pages(kSamples + "discharge_summary_okafor.tif");
  REQUIRE(pages.ok());
  CHECK(pages.value() == 2);

  PageOutcome outcome = (*worker)->process(request_for(kSamples + "clinic_letter_smith.png"));
  INFO(outcome.failure);
  CHECK(outcome.failure.empty());
  CHECK(outcome.number == 1);
  CHECK(outcome.recognised.text().find("apixaban") != std::string::npos);
  // Decoding the page is timed first, before the steps that work on it.
  REQUIRE_FALSE(outcome.timings.empty());
  CHECK(outcome.timings[0].step == "load");
  CHECK(outcome.timings[0].milliseconds > 0);
  // The page as loaded, which filing's archive copy is placed by.
  Pix* scan = pixRead((kSamples + "clinic_letter_smith.png").c_str());
  REQUIRE(scan);
  CHECK(outcome.loaded_width == pixGetWidth(scan));
  CHECK(outcome.loaded_height == pixGetHeight(scan));
  CHECK(outcome.loaded_dpi == pixGetXRes(scan));
  pixDestroy(&scan);

  PageOutcome past_the_end = (*worker)->process(request_for(kSamples + "clinic_letter_smith.png", 5));
  CHECK(past_the_end.number == 6);
  CHECK_FALSE(past_the_end.failure.empty());
}

TEST_CASE("a page worker reports unreadable inputs and keeps going", "[worker]") {
  casenote::testing::TempDir dir;
  auto worker = PageWorker::start(real_worker(false));
  REQUIRE(worker.ok());
  auto missing = (*worker)->count_pages(dir.file("absent.png"));
  REQUIRE_FALSE(missing.ok());
  CHECK_FALSE(missing.error().message.empty());
  auto text = (*worker)->count_pages(dir.write("letter.png", "not an image\n"));
  CHECK_FALSE(text.ok());
  auto tiff = (*worker)->count_pages(kSamples + "lab_report_brown.tif");
  REQUIRE(tiff.ok());
  CHECK(tiff.value() == 1);
}

TEST_CASE("a page whose worker crashes fails with the reason, and the next page gets a new worker", "[worker]") {
  auto worker = PageWorker::start(scripted_worker("{\"ready\":true}", "kill -SEGV $$"));
  REQUIRE(worker.ok());
  PageOutcome first = (*worker)->process(request_for("/scans/a.tif", 2));
  CHECK(first.number == 3);
  CHECK(first.failure == "page 3: the page worker crashed (Segmentation fault)");
  PageOutcome second = (*worker)->process(request_for("/scans/a.tif", 3));
  CHECK(second.failure == "page 4: the page worker crashed (Segmentation fault)");
  auto count = (*worker)->count_pages("/scans/a.tif");
  REQUIRE_FALSE(count.ok());
  CHECK(count.error().message == "reading its pages: the page worker crashed (Segmentation fault)");
}

TEST_CASE("a page whose worker hangs is stopped at the time limit", "[worker]") {
  auto worker = PageWorker::start(scripted_worker("{\"ready\":true}", "exec sleep 600", 200));
  REQUIRE(worker.ok());
  PageOutcome hung = (*worker)->process(request_for("/scans/a.tif"));
  CHECK(hung.failure == "page 1: the page worker took longer than 0.4 s and was stopped");
}

TEST_CASE("a worker that cannot start says why", "[worker]") {
  auto refused = PageWorker::start(scripted_worker("{\"error\":\"no eng.traineddata in /nowhere\"}", "true"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "no eng.traineddata in /nowhere");

  PageWorkerSettings missing;
  missing.command = {"/nonexistent/casenote", "page-worker"};
  auto absent = PageWorker::start(missing);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().message.find("/nonexistent/casenote") != std::string::npos);

  PageWorkerSettings gone;
  gone.command = {"/bin/sh", "-c", "exit 127"};
  auto exited = PageWorker::start(gone);
  REQUIRE_FALSE(exited.ok());
  CHECK(exited.error().message == "page worker: cannot start /bin/sh: the page worker exited with status 127");

  auto real = real_worker();
  real.start.ocr_settings.tessdata_dir = "/nonexistent-tessdata";
  auto no_models = PageWorker::start(real);
  REQUIRE_FALSE(no_models.ok());
  CHECK_FALSE(no_models.error().message.empty());
}
