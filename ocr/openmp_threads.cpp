#include "ocr/openmp_threads.h"

#include <unistd.h>

#include <cstdlib>

namespace casenote {

void restart_with_one_openmp_thread(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT")) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
}

}  // namespace casenote
