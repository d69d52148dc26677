// A scanner's drop folder. Scans appear in it; each is taken once it is complete (its size and
// modification time unchanged for a settling time, since scanners write files over seconds), and
// after ingest is moved to done/ or failed/ inside the folder, never over another file.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace casenote {

class WatchedFolder {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens `folder`, creating its done/ and failed/ folders (owner-only) when absent.
  static Result<WatchedFolder> open(const std::string& folder);

  // Files directly in the folder, named like images or PDFs and not hidden, that have not
  // changed since `settle` before `now`, oldest first. Each is returned once: it is taken.
  std::vector<std::string> take_complete_files(Clock::time_point now, Clock::duration settle);

  enum class Destination { Done, Failed };

  // Moves a taken file into done/ or failed/. When the name is taken there (scanners reuse
  // names), "-2", "-3"... is added before the extension. Returns the new path.
  Result<std::string> move(const std::string& path, Destination destination);

 private:
  explicit WatchedFolder(std::string folder) : folder_(std::move(folder)) {}

  struct Seen {
    std::uintmax_t size = 0;
    std::chrono::nanoseconds modified{0};
    Clock::time_point unchanged_since;
  };

  std::string folder_;
  std::map<std::string, Seen> waiting_;  // by path
  std::set<std::string> taken_;
};

}  // namespace casenote
