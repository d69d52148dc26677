// Measuring for the benchmarks: CPU and wall clocks, medians, running a peer program and
// reading its output and CPU time.
#pragma once

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

extern char** environ;

namespace casenote::bench {

// Milliseconds of CPU this thread has used: unlike wall time, hardly disturbed by other work
// on a shared machine.
inline double thread_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

inline double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

struct PeerRun {
  bool ran = false;
  std::string output;  // stdout and stderr together
  double cpu_ms = 0;   // user and system time of the peer process
  double wall_ms = 0;
};

// Runs `args` (no shell), collecting its output and the CPU time it used.
inline PeerRun run_peer(const std::vector<std::string>& args) {
  PeerRun run;
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const double started = wall_ms();
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  if (spawned != 0) {
    close(pipe_ends[0]);
    return run;
  }
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof buffer)) > 0;) run.output.append(buffer, static_cast<size_t>(n));
  close(pipe_ends[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.wall_ms = wall_ms() - started;
  run.cpu_ms = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 + usage.ru_stime.tv_sec * 1e3 +
               usage.ru_stime.tv_usec / 1e3;
  run.ran = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

// The number after `key` in a peer's output, if it printed one.
inline bool read_number(const std::string& output, const std::string& key, double& value) {
  const size_t at = output.find(key);
  if (at == std::string::npos) return false;
  return std::sscanf(output.c_str() + at + key.size(), "%lf", &value) == 1;
}

}  // namespace casenote::bench
