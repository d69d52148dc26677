#include "pipeline/archive_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "pipeline/input_files.h"
#include "pipeline/page_geometry.h"

namespace casenote {
namespace {

namespace fs = std::filesystem;

// What Tesseract and preparation assume for a file that does not state its resolution.
constexpr int kAssumedDpi = 300;
// Beyond this many "-N" suffixes something is wrong with the template, not unlucky.
constexpr int kMaxNameAttempts = 1000;

const char* const kPlaceholders[] = {"document_id", "document_type", "status", "patient_id",
                                     "nhs_number", "hospital_number", "family_name"};

std::string placeholder_value(const std::string& name, const DocumentRecord& record,
                              const std::optional<PatientRecord>& patient) {
  if (name == "document_id") return record.id;
  if (name == "document_type") return record.document_type;
  if (name == "status") return record.status;
  if (!patient) return "unfiled";
  if (name == "patient_id") return patient->id;
  if (name == "nhs_number") return patient->nhs_number;
  if (name == "hospital_number") return patient->hospital_number;
  return patient->family_name;
}

std::string safe_component(const std::string& value) {
  std::string out;
  for (char c : value) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    out += keep ? c : '_';
  }
  // A value of dots alone would name the folder itself or its parent.
  if (out.empty() || out.find_first_not_of('.') == std::string::npos) out = "_" + out;
  return out;
}

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// Creates each missing folder of `path` owner-only.
Status make_folders(const fs::path& path) {
  fs::path built;
  for (const auto& part : path) {
    built /= part;
    if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST)
      return Error{"cannot create folder " + built.string() + ": " + std::strerror(errno)};
  }
  return ok_status();
}

Status write_all(int fd, const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{std::strerror(errno)};
    written += static_cast<size_t>(n);
  }
  return ok_status();
}

// Makes the names just created or removed in `folder` survive a power loss.
Status sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Error{std::strerror(errno)};
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (!synced) return Error{std::strerror(sync_errno)};
  return ok_status();
}

std::string numbered(const fs::path& path, int attempt) {
  if (attempt == 1) return path.string();
  return (path.parent_path() / (path.stem().string() + "-" + std::to_string(attempt) + path.extension().string())).string();
}

Result<SearchablePage> searchable_page(const PageOutcome& outcome, PageSource& source) {
  const int index = outcome.number - 1;
  std::optional<EncodedImage> jpeg;
  Affine jpeg_placement;
  if (auto stored = source.stored_jpeg(index); stored && stored->has_value()) {
    if (auto parsed = jpeg_image(std::move((*stored)->bytes))) {
      jpeg = std::move(*parsed);
      jpeg_placement = (*stored)->placement;
    }
  }
  // A stored JPEG goes into the PDF as it is, so the page is decoded again only when its size
  // was not recorded as it was read, or to encode its pixels losslessly: decoding took 45 ms a
  // page of a scanner's JPEG PDF, about 90% of writing its archive copy.
  std::optional<PageImage> loaded;
  int width = outcome.loaded_width, height = outcome.loaded_height, image_dpi = outcome.loaded_dpi;
  if (!jpeg || width <= 0 || height <= 0) {
    auto decoded = source.page(index);
    if (!decoded) return decoded.error();
    width = decoded->width();
    height = decoded->height();
    image_dpi = decoded->dpi();
    loaded = std::move(*decoded);
  }
  const int dpi = image_dpi > 0 ? image_dpi : kAssumedDpi;
  SearchablePage page;
  // The archive copy opens the right way up, as the words read.
  page.display_rotation = ((outcome.rotation_degrees % 360) + 360) % 360;
  page.width_points = width * 72.0 / dpi;
  page.height_points = height * 72.0 / dpi;
  const Affine loaded_to_page = Affine::scale(72.0 / dpi, 72.0 / dpi);

  if (jpeg) {
    page.image = std::move(*jpeg);
    page.image_to_page = jpeg_placement.then(Affine::scale(page.width_points, page.height_points));
  } else {
    auto lossless = lossless_image(*loaded);
    if (!lossless) return lossless.error();
    page.image = std::move(*lossless);
    page.image_to_page = loaded_to_page;
  }

  if (outcome.failure.empty() && !outcome.recognised.words.empty()) {
    page.words = outcome.recognised.words;
    const PreparationGeometry geometry{width,                   height,                    outcome.rotation_degrees,
                                       outcome.skew_degrees,    outcome.recognised.width, outcome.recognised.height};
    page.words_to_page = prepared_to_loaded(geometry).then(loaded_to_page);
  }
  return page;
}

}  // namespace

Status check_archive_template(const std::string& name_template) {
  const fs::path path(name_template);
  if (name_template.empty() || path.is_absolute()) return Error{"archive name template must be a relative path"};
  for (const auto& part : path)
    if (part == "..") return Error{"archive name template must not contain '..'"};
  if (!path.has_filename()) return Error{"archive name template must end in a file name"};
  for (size_t open = name_template.find('{'); open != std::string::npos; open = name_template.find('{', open + 1)) {
    const size_t close = name_template.find('}', open);
    if (close == std::string::npos) return Error{"archive name template has an unclosed '{'"};
    const std::string name = name_template.substr(open + 1, close - open - 1);
    bool known = false;
    for (const char* placeholder : kPlaceholders) known = known || name == placeholder;
    if (!known) return Error{"archive name template has an unknown placeholder {" + name + "}"};
  }
  return ok_status();
}

std::string archive_name(const std::string& name_template, const DocumentRecord& record,
                         const std::optional<PatientRecord>& patient) {
  std::string out;
  size_t at = 0;
  while (at < name_template.size()) {
    const size_t open = name_template.find('{', at);
    const size_t close = open == std::string::npos ? open : name_template.find('}', open);
    if (close == std::string::npos) {
      out += name_template.substr(at);
      break;
    }
    out += name_template.substr(at, open - at);
    out += safe_component(placeholder_value(name_template.substr(open + 1, close - open - 1), record, patient));
    at = close + 1;
  }
  return out;
}

namespace {

// Whether `name` is one write_new_file gives its temporary files: "." + the file's name + "."
// + mkstemp's six letters and digits.
bool temp_file_name(const std::string& name) {
  constexpr size_t kRandom = 6;
  if (name.size() < 1 + 1 + 1 + kRandom || name.front() != '.' || name[name.size() - kRandom - 1] != '.') return false;
  for (size_t i = name.size() - kRandom; i < name.size(); ++i)
    if (!std::isalnum(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

}  // namespace

// Age, not the writer's pid, tells an abandoned file: the temporary name carries no pid, a pid
// is reused, and another machine sharing the archive folder has pids of its own; a live write
// touches its file every few seconds until it renames it.
int sweep_abandoned_temp_files(const std::string& folder, std::chrono::seconds min_age) {
  int removed = 0;
  std::error_code error;
  fs::recursive_directory_iterator entry(folder, fs::directory_options::skip_permission_denied, error);
  const auto cutoff = fs::file_time_type::clock::now() - min_age;
  for (; !error && entry != fs::recursive_directory_iterator(); entry.increment(error)) {
    if (!temp_file_name(entry->path().filename().string())) continue;
    std::error_code unreadable;
    if (!fs::is_regular_file(entry->symlink_status(unreadable))) continue;
    const auto written = entry->last_write_time(unreadable);
    if (unreadable || written > cutoff) continue;
    if (::unlink(entry->path().c_str()) == 0) ++removed;
  }
  return removed;
}

Result<std::vector<SearchablePage>> searchable_pages(const RecognisedDocument& document, PageSource& source) {
  std::vector<SearchablePage> pages;
  std::string first_failure;
  for (const PageOutcome& outcome : document.pages) {
    auto page = searchable_page(outcome, source);
    if (page)
      pages.push_back(std::move(*page));
    else if (first_failure.empty())
      first_failure = "page " + std::to_string(outcome.number) + ": " + page.error().message;
  }
  if (pages.empty()) return Error{first_failure.empty() ? "the document has no pages" : first_failure};
  return pages;
}

Result<std::string> write_new_file(const std::string& folder, const std::string& name, const std::string& bytes,
                                   NameTaken when_taken) {
  return write_new_file(folder, name, [&](int fd, const std::string&) { return write_all(fd, bytes); }, when_taken);
}

Result<std::string> write_new_file(const std::string& folder, const std::string& name, const FileContent& content,
                                   NameTaken when_taken) {
  const fs::path target = fs::path(folder) / name;
  if (auto made = make_folders(target.parent_path()); !made) return made.error();
  std::string temp = (target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string();
  // mkstemp creates the file readable and writable by its owner only.
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return Error{"cannot create a file in " + target.parent_path().string() + ": " + std::strerror(errno)};
  Status written = content(fd, temp);
  if (written && ::fsync(fd) != 0) written = Error{std::strerror(errno)};
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return Error{"cannot write " + temp + ": " + written.error().message};
  }
  auto in_place = [&](const std::string& path) -> Result<std::string> {
    if (auto synced = sync_folder(target.parent_path()); !synced)
      return Error{"cannot sync " + target.parent_path().string() + ": " + synced.error().message};
    return path;
  };
  if (when_taken == NameTaken::kReplace) {
    if (::rename(temp.c_str(), target.c_str()) == 0) return in_place(target.string());
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return Error{"cannot create " + target.string() + ": " + reason};
  }
  // link() refuses an existing name, where rename() would silently replace it.
  for (int attempt = 1; attempt <= kMaxNameAttempts; ++attempt) {
    const std::string candidate = numbered(target, attempt);
    if (::link(temp.c_str(), candidate.c_str()) == 0) {
      ::unlink(temp.c_str());
      return in_place(candidate);
    }
    if (errno != EEXIST) {
      const std::string reason = std::strerror(errno);
      ::unlink(temp.c_str());
      return Error{"cannot create " + candidate + ": " + reason};
    }
  }
  ::unlink(temp.c_str());
  return Error{"cannot find a free name for " + target.string()};
}

void archive_document(const RecognisedDocument& document, const ArchiveSettings& settings,
                      const PatientById& patient_by_id, DocumentRecord& record) {
  if (settings.folder.empty()) return;
  auto archived = [&]() -> Result<std::string> {
    // The PDF must show the very bytes that were read, not a file changed since.
    auto sha256 = sha256_of_file(document.source);
    if (!sha256) return sha256.error();
    if (*sha256 != document.sha256) return Error{"the input changed after it was read"};
    auto source = open_page_source(document.source);
    if (!source) return source.error();
    auto page_at = [&](int index) -> Result<SearchablePage> {
      const PageOutcome& outcome = document.pages[static_cast<size_t>(index)];
      auto page = searchable_page(outcome, **source);
      if (!page) return Error{"page " + std::to_string(outcome.number) + ": " + page.error().message};
      return page;
    };
    auto pdf = [&](int, const std::string& temp_path) {
      return write_searchable_pdf(temp_path, static_cast<int>(document.pages.size()), page_at,
                                  {"casenote document " + record.id, utc_now_iso()});
    };
    std::optional<PatientRecord> patient;
    if (record.patient_id) patient = patient_by_id(*record.patient_id);
    const bool names_this_document = settings.name_template.find("{document_id}") != std::string::npos;
    return write_new_file(settings.folder, archive_name(settings.name_template, record, patient), pdf,
                          names_this_document ? NameTaken::kReplace : NameTaken::kAddNumber);
  }();
  if (archived) {
    record.archive_path = *archived;
    return;
  }
  record.review_reasons.push_back("archive PDF not written: " + archived.error().message);
  record.status = "needs_review";
  record.patient_id.reset();
}

void discard_archive_copy(const DocumentRecord& record) {
  if (record.archive_path.empty()) return;
  if (::unlink(record.archive_path.c_str()) == 0) sync_folder(fs::path(record.archive_path).parent_path());
}

}  // namespace casenote
