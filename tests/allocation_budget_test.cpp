// Allocation budgets: what they stop, and the library loop they are for.
#include <catch2/catch.hpp>

#include <leptonica/allheaders.h>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "pipeline/allocation_budget.h"
#include "tests/support/barcode_page.h"

using casenote::AllocationBudget;
using casenote::testing::PixPtr;

TEST_CASE("a budget stops allocations beyond it on its own thread, until it ends", "[allocation_budget]") {
  {
    AllocationBudget budget(1000);
    auto first = std::make_unique<char[]>(600);
    CHECK_THROWS_AS(std::make_unique<char[]>(600), std::bad_alloc);
    // Freeing gives nothing back: the budget bounds all that is allocated under it.
    first.reset();
    CHECK_THROWS_AS(std::make_unique<char[]>(600), std::bad_alloc);
    CHECK(std::make_unique<char[]>(300) != nullptr);
    bool other_thread_allocated = false;
    std::thread other([&] { other_thread_allocated = std::make_unique<char[]>(1 << 20) != nullptr; });
    other.join();
    CHECK(other_thread_allocated);
    CHECK(new (std::nothrow) char[2000] == nullptr);
  }
  CHECK(std::make_unique<char[]>(1 << 20) != nullptr);
}

TEST_CASE("a budget inside another ends with its own scope and the outer one goes on", "[allocation_budget]") {
  AllocationBudget outer(1000);
  {
    AllocationBudget inner(100);
    CHECK_THROWS_AS(std::make_unique<char[]>(200), std::bad_alloc);
  }
  CHECK(std::make_unique<char[]>(500) != nullptr);
  CHECK_THROWS_AS(std::make_unique<char[]>(600), std::bad_alloc);
}

TEST_CASE("ZXing 1.4's endless Data Matrix trace on speckled paper ends within a budget", "[allocation_budget]") {
  // A 150 x 118 speckle of blank paper from a generated scan, which ZXing 1.4's Data Matrix
  // detector traces without end, growing a vector until memory runs out (16.9 GB, 166 s, on
  // this machine). If this fails after a ZXing upgrade, the loop is fixed upstream.
  PixPtr paper(pixRead(CASENOTE_SOURCE_DIR "/tests/fixtures/noisy_paper_zxing_loops.png"));
  REQUIRE(paper);
  REQUIRE(pixGetDepth(paper.get()) == 8);
  REQUIRE(pixEndianByteSwap(paper.get()) == 0);
  ZXing::ImageView view(reinterpret_cast<const uint8_t*>(pixGetData(paper.get())), pixGetWidth(paper.get()),
                        pixGetHeight(paper.get()), ZXing::ImageFormat::Lum, pixGetWpl(paper.get()) * 4);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  hints.setTryDownscale(false);
  AllocationBudget budget(std::size_t{64} << 20);
  CHECK_THROWS_AS(ZXing::ReadBarcodes(view, hints), std::bad_alloc);
}
