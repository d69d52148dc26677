// Tesseract's OpenMP threads, held to one per engine.
#pragma once

namespace casenote {

// Restarts the process once, with the same arguments, with OMP_THREAD_LIMIT=1 unless the
// variable is already set. Tesseract's OpenMP threads oversubscribe the cores when every worker
// runs its own engine (one page measured 8.5 s instead of 1.5 s on two cores), and the OpenMP
// runtime reads the limit when it starts, before main(): call this first thing in main().
// Without /proc the process goes on uncapped: slower, still correct.
void restart_with_one_openmp_thread(char** argv);

}  // namespace casenote
