// Running the casenote command line from a test.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace casenote::testing {

inline const std::string kCasenote = CASENOTE_BINARY_DIR "/casenote";

struct CliRun {
  int status = -1;     // the exit status; -1 when it did not exit normally
  std::string output;  // stdout and stderr together
};

// Runs `casenote ARGS` through the shell and waits for it.
inline CliRun run_cli(const std::string& args) {
  CliRun run;
  FILE* pipe = popen((kCasenote + " " + args + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run casenote");
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace casenote::testing
