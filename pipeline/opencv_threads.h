// OpenCV's parallel loops held to one thread per page worker.
#pragma once

namespace casenote {

// Makes OpenCV run its loops (the grey page's levelling warp, PDF image conversions) on the
// calling thread. Debian's OpenCV spreads them over a TBB thread per core, but casenote already
// runs one page worker per core, so the extra threads only contend with the other workers (and
// their time escapes the per-thread CPU clock the benchmarks time preparation by). Call it
// first thing in main(), beside restart_with_one_openmp_thread.
void hold_opencv_to_one_thread();

}  // namespace casenote
