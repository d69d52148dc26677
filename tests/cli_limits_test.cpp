// The input limits as the command line sets them: a lowered limit fails an otherwise good input
// with a one-line reason naming it, and the rest of the batch goes on.
#include <catch2/catch.hpp>
#include <leptonica/allheaders.h>

#include <filesystem>
#include <string>

#include "support/cli.h"
#include "support/jbig2_fixture.h"
#include "support/temp_dir.h"

using casenote::testing::run_cli;
using casenote::testing::TempDir;

namespace {

const std::string kSamples = CASENOTE_SOURCE_DIR "/samples/";

// The line of `output` that holds `needle`, or empty.
std::string line_with(const std::string& output, const std::string& needle) {
  size_t at = output.find(needle);
  if (at == std::string::npos) return "";
  size_t start = output.rfind('\n', at);
  start = start == std::string::npos ? 0 : start + 1;
  return output.substr(start, output.find('\n', at) - start);
}

}  // namespace

TEST_CASE("ingest --max-pages fails a longer input with the limit and files the rest", "[limits][cli]") {
  TempDir dir;
  const std::string two_pages = dir.file("discharge.tif");
  const std::string one_page = dir.file("referral.pdf");
  std::filesystem::copy_file(kSamples + "discharge_summary_okafor.tif", two_pages);
  std::filesystem::copy_file(kSamples + "referral_jones.pdf", one_page);

  auto run = run_cli("ingest --workers 1 --max-pages 1 --db " + dir.file("c.db") + " " + two_pages + " " + one_page);
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK(line_with(run.output, "failed       " + two_pages + ": ").find("TIFF has more than the limit of 1 pages") !=
        std::string::npos);
  CHECK(run.output.find("1 failed") != std::string::npos);
  CHECK(line_with(run.output, one_page).find("failed") == std::string::npos);
}

TEST_CASE("ingest and patients import show their limits' defaults", "[limits][cli]") {
  auto ingest = run_cli("ingest --help");
  CHECK(ingest.output.find("--max-pages") != std::string::npos);
  CHECK(ingest.output.find("5000") != std::string::npos);
  CHECK(ingest.output.find("--max-image-pixels") != std::string::npos);
  CHECK(ingest.output.find("400000000") != std::string::npos);
  auto import = run_cli("patients import --help");
  CHECK(import.output.find("--max-record-bytes") != std::string::npos);
  CHECK(import.output.find("65536") != std::string::npos);
  auto serve = run_cli("serve --help");
  CHECK(serve.output.find("--max-request-bytes") != std::string::npos);
}

TEST_CASE("patients import --max-record-bytes rejects a longer row by its line and imports the rest",
          "[limits][cli]") {
  TempDir dir;
  const std::string csv = dir.write("patients.csv",
                                    "nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode\n"
                                    "9990516324,K2004841,SMITH,John Paul,1950-03-04,M,LS6 2QT\n"
                                    "9996111962,K5817139," + std::string(100, 'O') + ",Adaeze,1962-11-12,F,LS13 3DF\n");

  auto run = run_cli("patients import --max-record-bytes 100 --db " + dir.file("c.db") + " " + csv);
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK(run.output.find(csv + ": line 3: record longer than 100 bytes") != std::string::npos);
  CHECK(run.output.find("1 created") != std::string::npos);
}

TEST_CASE("ingest fails truncated and memory-hungry JBIG2 PDFs each in one line and files the rest",
          "[limits][cli][jbig2]") {
  namespace fixture = casenote::testing;
  TempDir dir;
  Pix* page = pixRead((kSamples + "discharge_summary_okafor.tif").c_str());
  REQUIRE(page);
  const int width = pixGetWidth(page), height = pixGetHeight(page);
  const std::string jbig2 = fixture::jbig2_page_of(page);
  // A region 2^20 pixels across would make jbig2dec allocate 128 kB a row, 460 MB in all.
  const std::string hungry = fixture::jbig2_page_information(width, height) +
                             fixture::jbig2_mmr_region(1, 1u << 20, height, fixture::g4_of(page));
  pixDestroy(&page);
  const std::string good = dir.write("good.pdf", fixture::jbig2_pdf(jbig2, width, height));
  const std::string truncated = dir.write("truncated.pdf", fixture::jbig2_pdf(jbig2.substr(0, jbig2.size() / 2), width, height));
  const std::string bomb = dir.write("bomb.pdf", fixture::jbig2_pdf(hungry, width, height));

  auto run = run_cli("ingest --workers 1 --db " + dir.file("c.db") + " " + truncated + " " + bomb + " " + good);
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK(line_with(run.output, truncated).find("failed") != std::string::npos);
  CHECK(line_with(run.output, truncated).find(": page 1: JBIG2 data is truncated: segment 1 declares") != std::string::npos);
  CHECK(line_with(run.output, bomb).find(": page 1: JBIG2 data needs more than 68 MB of memory to decode a " +
                                         std::to_string(width) + " x " + std::to_string(height) + " image") !=
        std::string::npos);
  CHECK(run.output.find("2 failed") != std::string::npos);
  CHECK(line_with(run.output, good).find("failed") == std::string::npos);
  CHECK(run.output.find("jbig2dec") == std::string::npos);
}
