#include "pipeline/page_worker.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "ocr/orientation.h"
#include "pipeline/page_source.h"

extern char** environ;

namespace casenote {
namespace {

using Clock = std::chrono::steady_clock;

// Loading the models takes about a second; a worker silent for this long is not coming up.
constexpr int kStartTimeLimitMs = 120'000;

// Tesseract stops itself at the page time limit; the worker gets this much longer (at most 10 s)
// to decode, prepare and answer before it is taken to be hung and killed.
int watchdog_ms(int page_time_limit_ms) {
  if (page_time_limit_ms <= 0) return 0;
  return page_time_limit_ms + std::min(page_time_limit_ms, 10'000);
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) return std::string("crashed (") + strsignal(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "stopped";
}

Status send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{std::string("writing to the page worker: ") + std::strerror(errno)};
    sent += static_cast<size_t>(n);
  }
  return ok_status();
}

// Reads one line from `fd` into `line`, keeping what follows it in `buffer`. Waits at most until
// `deadline` when one is given. Returns false on end of file, error or timeout, with `timed_out`
// telling which.
bool read_line(int fd, std::string& buffer, std::string& line, std::optional<Clock::time_point> deadline,
               bool& timed_out) {
  timed_out = false;
  char chunk[65536];
  for (;;) {
    if (auto end = buffer.find('\n'); end != std::string::npos) {
      line = buffer.substr(0, end + 1);
      buffer.erase(0, end + 1);
      return true;
    }
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) {
        timed_out = true;
        return false;
      }
      wait_ms = static_cast<int>(std::min<long long>(left, 60'000));
    }
    pollfd waiting{fd, POLLIN, 0};
    int ready = ::poll(&waiting, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    if (ready == 0) continue;
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

Result<std::unique_ptr<PageWorker>> PageWorker::start(const PageWorkerSettings& settings) {
  if (settings.command.empty()) return Error{"page worker: no program to run"};
  std::unique_ptr<PageWorker> worker(new PageWorker(settings));
  if (auto started = worker->spawn(); !started) return started.error();
  return worker;
}

PageWorker::~PageWorker() {
  if (pid_ == 0) return;
  // Closing the channel is the worker's signal to finish; it exits at once between pages.
  ::close(channel_);
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
}

Status PageWorker::spawn() {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    return Error{std::string("page worker: cannot create its channel: ") + std::strerror(errno)};

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, ends[1], 3);
  // Libraries that print to stdout would otherwise write into the ingest's report.
  posix_spawn_file_actions_adddup2(&files, STDERR_FILENO, STDOUT_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group: Ctrl-C at the terminal reaches the ingest, which lets the worker finish
  // its page, rather than killing the worker mid-page.
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (auto& arg : settings_.command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawn(&pid, argv[0], &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  ::close(ends[1]);
  if (spawned != 0) {
    ::close(ends[0]);
    return Error{"page worker: cannot start " + settings_.command[0] + ": " + std::strerror(spawned)};
  }
  pid_ = pid;
  channel_ = ends[0];
  received_.clear();

  // A program that exits before it is ready (its shared libraries missing, or, where
  // posix_spawn cannot report a failed exec, a wrong path) is named, not only its exit status.
  auto reply = exchange(encode_request(settings_.start), kStartTimeLimitMs);
  if (!reply) return Error{"page worker: cannot start " + settings_.command[0] + ": " + reply.error().message};
  if (auto ready = decode_ready(*reply); !ready) {
    stop("");
    return ready.error();
  }
  return ok_status();
}

Status PageWorker::ensure_running() {
  if (pid_ != 0) return ok_status();
  if (auto started = spawn(); !started) return Error{"could not restart the page worker: " + started.error().message};
  return ok_status();
}

// Sends `request` and waits for the reply line. A worker that dies, says something unreadable
// or overruns `time_limit_ms` (0: no limit) is stopped, and the Error says which.
Result<std::string> PageWorker::exchange(const std::string& request, int time_limit_ms) {
  if (auto sent = send_all(channel_, request); !sent) return stop("");
  std::optional<Clock::time_point> deadline;
  if (time_limit_ms > 0) deadline = Clock::now() + std::chrono::milliseconds(time_limit_ms);
  std::string line;
  bool timed_out = false;
  if (read_line(channel_, received_, line, deadline, timed_out)) return line;
  if (timed_out)
    return stop(fmt::format("the page worker took longer than {:g} s and was stopped", time_limit_ms / 1000.0));
  return stop("");
}

// Ends the worker process, reaps it and says why it ended: `why`, else its exit.
Error PageWorker::stop(const std::string& why) {
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  ::close(channel_);
  pid_ = 0;
  channel_ = -1;
  received_.clear();
  return Error{why.empty() ? "the page worker " + describe_exit(status) : why};
}

Result<int> PageWorker::count_pages(const std::string& path) {
  if (auto running = ensure_running(); !running) return running.error();
  auto reply = exchange(encode_request(CountRequest{path}), watchdog_ms(settings_.start.ocr_settings.time_limit_ms));
  if (!reply) return Error{"reading its pages: " + reply.error().message};
  return decode_page_count(*reply);
}

PageOutcome PageWorker::process(const PageRequest& request) {
  PageOutcome failed;
  failed.number = request.index + 1;
  auto reply = [&]() -> Result<std::string> {
    if (auto running = ensure_running(); !running) return running.error();
    return exchange(encode_request(request), watchdog_ms(settings_.start.ocr_settings.time_limit_ms));
  }();
  if (reply) {
    auto outcome = decode_outcome(*reply);
    if (outcome) return std::move(outcome).value();
    failed.failure = "page " + std::to_string(failed.number) + ": " + outcome.error().message;
    return failed;
  }
  failed.failure = "page " + std::to_string(failed.number) + ": " + reply.error().message;
  return failed;
}

namespace {

// Memory a worker's allocator may keep, freed, for the next page. An A4 page at 300 dpi leaves
// 40 to 75 MB free once read; keeping it spares the next page faulting it in again (1.2 s of
// system CPU over the throughput benchmark's 40 pages, of 2.0).
constexpr size_t kKeptFreeBytes = size_t{128} << 20;

// The worker process's state: its engines, and the input it is reading.
class WorkerSide {
 public:
  WorkerSide(int channel, const InputLimits& limits) : channel_(channel), limits_(limits) {}

  int run() {
    std::string line;
    bool timed_out = false;
    if (!read_line(channel_, buffer_, line, std::nullopt, timed_out)) return 0;
    auto first = decode_request(line);
    if (!first || !std::holds_alternative<WorkerStart>(*first)) {
      send_all(channel_, encode_ready(Error{"page worker: the first request must be start"}));
      return 2;
    }
    Status started = set_up(std::get<WorkerStart>(*first));
    if (!send_all(channel_, encode_ready(started)) || !started) return 1;

    while (read_line(channel_, buffer_, line, std::nullopt, timed_out)) {
      auto request = decode_request(line);
      std::string reply;
      if (!request)
        reply = encode_page_count(request.error());
      else if (const auto* count = std::get_if<CountRequest>(&*request))
        reply = encode_page_count(count_pages(count->path));
      else if (const auto* page = std::get_if<PageRequest>(&*request))
        reply = encode_outcome(process(*page));
      else
        reply = encode_page_count(Error{"page worker: started twice"});
      if (!send_all(channel_, reply)) return 1;
      // A page's images and Tesseract's working memory are freed by now. After a page larger
      // than most, the allocator would keep what it took for the rest of the batch.
      if (::mallinfo2().fordblks > kKeptFreeBytes) ::malloc_trim(0);
    }
    return 0;
  }

 private:
  Status set_up(const WorkerStart& start) {
    prepare_ = start.prepare;
    if (!start.ocr) return ok_status();
    auto engine = OcrEngine::create(start.ocr_settings);
    if (!engine) return engine.error();
    auto detector = OrientationDetector::create(start.ocr_settings.tessdata_dir, start.ocr_settings.language);
    if (!detector) return detector.error();
    engine_ = std::move(*engine);
    detector_ = std::move(*detector);
    return ok_status();
  }

  Result<int> count_pages(const std::string& path) {
    auto source = open_page_source(path, limits_);
    if (!source) return source.error();
    return (*source)->page_count();
  }

  PageOutcome process(const PageRequest& request) {
    PageOutcome out;
    out.number = request.index + 1;
    if (!engine_) {
      out.failure = "page " + std::to_string(out.number) + ": this page worker was started without OCR";
      return out;
    }
    // Pages of one input usually arrive together, so its source stays open between them.
    if (!source_ || source_path_ != request.path || source_sha256_ != request.sha256) {
      source_.reset();
      auto opened = open_page_source(request.path, limits_);
      if (!opened) {
        out.failure = "page " + std::to_string(out.number) + ": " + opened.error().message;
        return out;
      }
      source_ = std::move(*opened);
      source_path_ = request.path;
      source_sha256_ = request.sha256;
    }
    const auto start = std::chrono::steady_clock::now();
    auto image = source_->page(request.index);
    if (!image) {
      out.failure = "page " + std::to_string(out.number) + ": " + image.error().message;
      return out;
    }
    const StepTiming load = timed_since("load", start);
    out = process_page(*image, out.number, *detector_, *engine_, prepare_);
    out.timings.insert(out.timings.begin(), load);
    return out;
  }

  int channel_;
  InputLimits limits_;
  std::string buffer_;
  PrepareSettings prepare_;
  std::unique_ptr<OcrEngine> engine_;
  std::unique_ptr<OrientationDetector> detector_;
  std::unique_ptr<PageSource> source_;
  std::string source_path_, source_sha256_;
};

}  // namespace

int run_page_worker(int channel, const InputLimits& limits) {
  // A worker outlives no ingest: when the process that started it dies, even by SIGKILL, so does it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  return WorkerSide(channel, limits).run();
}

}  // namespace casenote
