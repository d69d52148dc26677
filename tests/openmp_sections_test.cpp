// Tesseract's OpenMP "parallel sections" regions run on the calling thread, each section once
// and in order (ocr/tesseract_setup.cpp).
#include <dlfcn.h>

#include <vector>

#include <catch2/catch.hpp>

extern "C" void GOMP_parallel_sections(void (*body)(void*), void* data, unsigned num_threads, unsigned count,
                                       unsigned flags);
extern "C" unsigned GOMP_sections_next();
extern "C" void GOMP_sections_end_nowait();

namespace {

// What GCC makes of a sections region's body: take the next section until none is left.
struct Region {
  std::vector<unsigned>* ran;
  unsigned nested_count;  // a region started inside section 2, if not 0
};

void body(void* data) {
  const auto& region = *static_cast<Region*>(data);
  for (unsigned section = GOMP_sections_next(); section != 0; section = GOMP_sections_next()) {
    region.ran->push_back(section);
    if (section == 2 && region.nested_count) {
      Region inner{region.ran, 0};
      GOMP_parallel_sections(body, &inner, 4, region.nested_count, 0);
      region.ran->push_back(0);
    }
  }
  GOMP_sections_end_nowait();
}

}  // namespace

TEST_CASE("Tesseract's OpenMP sections bind to casenote's and run once each, in order, on the calling thread",
          "[ocr]") {
  // What a call from libtesseract binds to: the first definition in the process's global scope.
  CHECK(dlsym(RTLD_DEFAULT, "GOMP_parallel_sections") == reinterpret_cast<void*>(&GOMP_parallel_sections));
  CHECK(dlsym(RTLD_DEFAULT, "GOMP_sections_next") == reinterpret_cast<void*>(&GOMP_sections_next));

  std::vector<unsigned> ran;
  Region flat{&ran, 0};
  GOMP_parallel_sections(body, &flat, 4, 4, 0);
  CHECK(ran == std::vector<unsigned>{1, 2, 3, 4});

  // A region inside a section runs whole, and the outer region goes on where it was.
  ran.clear();
  Region outer{&ran, 3};
  GOMP_parallel_sections(body, &outer, 4, 4, 0);
  CHECK(ran == std::vector<unsigned>{1, 2, 1, 2, 3, 0, 3, 4});

  // After a region, a stray request for a section gets none.
  CHECK(GOMP_sections_next() == 0);
}
