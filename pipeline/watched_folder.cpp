#include "pipeline/watched_folder.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "pipeline/input_files.h"

namespace casenote {
namespace fs = std::filesystem;

namespace {

constexpr const char* kDone = "done";
constexpr const char* kFailed = "failed";

Status make_owner_only_folder(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{path.string() + ": cannot create folder: " + std::strerror(errno)};
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return Error{path.string() + ": exists and is not a folder"};
  return ok_status();
}

}  // namespace

Result<WatchedFolder> WatchedFolder::open(const std::string& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Error{folder + ": no such folder"};
  for (const char* sub : {kDone, kFailed})
    if (auto made = make_owner_only_folder(fs::path(folder) / sub); !made) return made.error();
  return WatchedFolder(folder);
}

std::vector<std::string> WatchedFolder::take_complete_files(Clock::time_point now, Clock::duration settle) {
  std::map<std::string, Seen> still_there;
  std::vector<std::pair<std::chrono::nanoseconds, std::string>> complete;
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string path = it->path().string();
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || taken_.count(path) || !named_like_input(path)) continue;
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) continue;
    Seen now_seen{static_cast<std::uintmax_t>(status.st_size),
                  std::chrono::seconds(status.st_mtim.tv_sec) + std::chrono::nanoseconds(status.st_mtim.tv_nsec),
                  now};
    auto before = waiting_.find(path);
    if (before != waiting_.end() && before->second.size == now_seen.size &&
        before->second.modified == now_seen.modified)
      now_seen.unchanged_since = before->second.unchanged_since;
    if (now - now_seen.unchanged_since >= settle) {
      complete.emplace_back(now_seen.modified, path);
      taken_.insert(path);
    } else {
      still_there[path] = now_seen;
    }
  }
  waiting_ = std::move(still_there);
  std::sort(complete.begin(), complete.end());
  std::vector<std::string> out;
  for (auto& [modified, path] : complete) out.push_back(std::move(path));
  return out;
}

Result<std::string> WatchedFolder::move(const std::string& path, Destination destination) {
  fs::path from(path);
  fs::path folder = fs::path(folder_) / (destination == Destination::Done ? kDone : kFailed);
  std::string stem = from.stem().string(), extension = from.extension().string();
  for (int n = 1; n < 10'000; ++n) {
    fs::path to = folder / (n == 1 ? from.filename().string() : stem + "-" + std::to_string(n) + extension);
    // RENAME_NOREPLACE: an existing file is never replaced, even by a racing process.
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
      taken_.erase(path);
      return to.string();
    }
    if (errno != EEXIST) return Error{path + ": cannot move to " + folder.string() + ": " + std::strerror(errno)};
  }
  return Error{path + ": cannot move to " + folder.string() + ": too many files of that name"};
}

}  // namespace casenote
