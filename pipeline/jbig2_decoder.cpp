#include "pipeline/jbig2_decoder.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include <fmt/format.h>

// Last: jbig2.h defines `inline` away, for C compilers that lack it, unless it is a macro.
#include <jbig2.h>
#undef inline

namespace casenote {

namespace {

// What jbig2dec may allocate beyond a few copies of the page: symbol dictionaries, Huffman
// tables and the decoder's own state. A scanned book's shared symbols take a few megabytes.
constexpr size_t kDecoderOverheadBytes = 64u << 20;
// The page image, a region image being decoded, and one being composed onto the page.
constexpr size_t kPageCopies = 4;

// Segment type numbers (T.88 7.3).
constexpr unsigned kImmediateGenericRegion = 38;
constexpr unsigned kImmediateLosslessGenericRegion = 39;
constexpr unsigned kPageInformation = 48;
constexpr unsigned kEndOfFile = 51;
// A data length of all ones means "unknown": allowed only for immediate generic regions.
constexpr uint32_t kUnknownLength = 0xFFFFFFFF;

// jbig2dec's allocator callbacks over malloc, refusing any allocation that would take the
// total past a cap. jbig2dec frees without a size, so each block carries its size in front.
struct CappedAllocator {
  Jbig2Allocator callbacks;  // first, so jbig2dec's pointer to it is a pointer to the whole
  size_t cap;
  size_t used = 0;
  bool refused = false;

  static constexpr size_t kHeader = alignof(std::max_align_t);

  explicit CappedAllocator(size_t limit) : callbacks{&allocate, &release, &reallocate}, cap(limit) {}

  static CappedAllocator& of(Jbig2Allocator* callbacks) { return *reinterpret_cast<CappedAllocator*>(callbacks); }
  static size_t& size_of(void* block) { return *reinterpret_cast<size_t*>(static_cast<char*>(block) - kHeader); }

  bool admits(size_t more) {
    if (more > cap - used) {
      refused = true;
      return false;
    }
    return true;
  }

  static void* allocate(Jbig2Allocator* callbacks, size_t size) {
    CappedAllocator& self = of(callbacks);
    if (!self.admits(size)) return nullptr;
    auto* block = static_cast<char*>(std::malloc(kHeader + size));
    if (!block) return nullptr;
    self.used += size;
    *reinterpret_cast<size_t*>(block) = size;
    return block + kHeader;
  }

  static void release(Jbig2Allocator* callbacks, void* p) {
    if (!p) return;
    of(callbacks).used -= size_of(p);
    std::free(static_cast<char*>(p) - kHeader);
  }

  static void* reallocate(Jbig2Allocator* callbacks, void* p, size_t size) {
    if (!p) return allocate(callbacks, size);
    CappedAllocator& self = of(callbacks);
    const size_t old_size = size_of(p);
    if (size > old_size && !self.admits(size - old_size)) return nullptr;
    auto* block = static_cast<char*>(std::realloc(static_cast<char*>(p) - kHeader, kHeader + size));
    if (!block) return nullptr;
    self.used = self.used - old_size + size;
    *reinterpret_cast<size_t*>(block) = size;
    return block + kHeader;
  }
};

// The first message jbig2dec reports as a warning or worse; its informational and debugging
// messages are dropped, and nothing reaches stderr. jbig2dec warns when it skips or guesses at
// part of the page (a symbol it cannot find, a segment it cannot decode) and carries on, so
// that, as with a JPEG's warnings, a warning fails the page rather than file it with a gap.
struct DecoderMessages {
  std::optional<std::string> first_problem;
  bool failed = false;

  static void collect(void* data, const char* message, Jbig2Severity severity, uint32_t /*segment*/) {
    auto& self = *static_cast<DecoderMessages*>(data);
    if (severity < JBIG2_SEVERITY_WARNING || self.first_problem) return;
    self.failed = true;
    std::string text = message ? message : "unknown problem";
    for (char& c : text)
      if (c == '\n' || c == '\r') c = ' ';
    self.first_problem = std::move(text);
  }
};

struct ContextFree {
  void operator()(Jbig2Ctx* ctx) const { jbig2_ctx_free(ctx); }
};
struct GlobalContextFree {
  void operator()(Jbig2GlobalCtx* ctx) const { jbig2_global_ctx_free(ctx); }
};
using Context = std::unique_ptr<Jbig2Ctx, ContextFree>;
using GlobalContext = std::unique_ptr<Jbig2GlobalCtx, GlobalContextFree>;

// Hands a page jbig2dec gave out back to it.
struct PageRelease {
  Jbig2Ctx* ctx;
  Jbig2Image* page;
  ~PageRelease() { jbig2_release_page(ctx, page); }
};

uint32_t read_u32(const std::string& data, size_t at) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data()) + at;
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Walks the segment headers of `data` (T.88 7.2) to check that every segment is whole, since
// jbig2dec silently ignores a last segment cut short, and that each page information segment
// gives the image's size, since jbig2dec allocates that page before any check of ours. Says
// whether there was a page information segment; `what` names the stream in errors.
Result<bool> check_segments(const std::string& data, const char* what, int width, int height) {
  bool page_information = false;
  size_t pos = 0;
  while (pos < data.size()) {
    auto truncated = [&] { return Error{fmt::format("JBIG2 {} is truncated in a segment header", what)}; };
    if (data.size() - pos < 6) return truncated();
    const uint32_t number = read_u32(data, pos);
    const unsigned flags = static_cast<uint8_t>(data[pos + 4]);
    const unsigned type = flags & 0x3F;
    const size_t page_field = (flags & 0x40) ? 4 : 1;
    size_t referred = static_cast<uint8_t>(data[pos + 5]) >> 5;
    pos += 6;
    if (referred == 7) {
      // The long form: a 29-bit count in four bytes, then one retention bit per segment.
      if (data.size() - pos < 3) return truncated();
      referred = read_u32(data, pos - 1) & 0x1FFFFFFF;
      if (referred > data.size()) return truncated();
      pos += 3 + (referred + 8) / 8;
    } else if (referred > 4) {
      return Error{fmt::format("JBIG2 {} has a malformed segment header (segment {})", what, number)};
    }
    const size_t number_bytes = number <= 256 ? 1 : number <= 65536 ? 2 : 4;
    pos += referred * number_bytes + page_field;
    if (pos > data.size() || data.size() - pos < 4) return truncated();
    const uint32_t length = read_u32(data, pos);
    pos += 4;
    if (length == kUnknownLength) {
      // Only an immediate generic region may leave its length open, and it ends the stream
      // as far as this walk can tell; jbig2dec finds its end marker.
      if (type == kImmediateGenericRegion || type == kImmediateLosslessGenericRegion) return page_information;
      return Error{fmt::format("JBIG2 {} has a segment of unknown length (segment {})", what, number)};
    }
    if (length > data.size() - pos)
      return Error{fmt::format("JBIG2 {} is truncated: segment {} declares {} bytes, {} remain", what, number, length,
                               data.size() - pos)};
    if (type == kPageInformation) page_information = true;
    if (type == kPageInformation && length >= 8) {
      const uint32_t page_width = read_u32(data, pos), page_height = read_u32(data, pos + 4);
      // A striped page may leave its height open until its end-of-stripe segments.
      if (page_width != static_cast<uint32_t>(width) ||
          (page_height != kUnknownLength && page_height != static_cast<uint32_t>(height)))
        return Error{fmt::format("JBIG2 page is {} x {} pixels but the image /Width and /Height say {} x {}", page_width,
                                 page_height == kUnknownLength ? std::string("(striped)") : std::to_string(page_height),
                                 width, height)};
    }
    pos += length;
    if (type == kEndOfFile) break;
  }
  return page_information;
}

// Feeds `data` to a new decoder context; a failure names the first problem jbig2dec reported.
Result<Context> feed(CappedAllocator& allocator, DecoderMessages& messages, Jbig2GlobalCtx* globals,
                     const std::string& data) {
  Context ctx(jbig2_ctx_new(&allocator.callbacks, JBIG2_OPTIONS_EMBEDDED, globals, &DecoderMessages::collect, &messages));
  if (!ctx) return Error{"out of memory starting the JBIG2 decoder"};
  if (!data.empty() &&
      jbig2_data_in(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) < 0)
    messages.failed = true;
  return ctx;
}

// Why decoding failed: the memory cap when jbig2dec was refused memory, since what it then
// reports is only the allocation that failed; otherwise jbig2dec's first complaint.
Error decoding_error(const CappedAllocator& allocator, const DecoderMessages& messages, int width, int height) {
  if (allocator.refused)
    return Error{fmt::format("JBIG2 data needs more than {} MB of memory to decode a {} x {} image", allocator.cap >> 20,
                             width, height)};
  return Error{fmt::format("JBIG2 data is damaged ({})", messages.first_problem.value_or("the decoder gave no reason"))};
}

}  // namespace

Result<std::string> decode_jbig2(const std::string& data, const std::string& globals, int width, int height) {
  if (Result<bool> whole = check_segments(globals, "/JBIG2Globals", width, height); !whole) return whole.error();
  Result<bool> page_information = check_segments(data, "data", width, height);
  if (!page_information) return page_information.error();
  if (!*page_information) return Error{"JBIG2 data holds no page information segment"};

  const size_t row_bytes = (static_cast<size_t>(width) + 7) / 8;
  const size_t page_bytes = row_bytes * static_cast<size_t>(height);
  CappedAllocator allocator(kPageCopies * page_bytes + kDecoderOverheadBytes);
  DecoderMessages messages;

  // The globals context must outlive the page's context, which reads its segments.
  GlobalContext global_segments;
  if (!globals.empty()) {
    Result<Context> global_ctx = feed(allocator, messages, nullptr, globals);
    if (!global_ctx) return global_ctx.error();
    global_segments.reset(jbig2_make_global_ctx(global_ctx->release()));
    if (messages.failed) return decoding_error(allocator, messages, width, height);
  }
  Result<Context> ctx = feed(allocator, messages, global_segments.get(), data);
  if (!ctx) return ctx.error();
  // PDF streams usually omit the end-of-page segment, so the page is completed here.
  if (!messages.failed && jbig2_complete_page(ctx->get()) < 0) messages.failed = true;
  if (messages.failed) return decoding_error(allocator, messages, width, height);

  Jbig2Image* page = jbig2_page_out(ctx->get());
  if (!page) return Error{"JBIG2 data holds no page"};
  const PageRelease release{ctx->get(), page};
  if (page->width != static_cast<uint32_t>(width) || page->height != static_cast<uint32_t>(height))
    return Error{fmt::format("JBIG2 page is {} x {} pixels but the image /Width and /Height say {} x {}", page->width,
                             page->height, width, height)};

  std::string samples(page_bytes, '\0');
  for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
    const uint8_t* in = page->data + y * page->stride;
    char* out = &samples[y * row_bytes];
    for (size_t i = 0; i < row_bytes; ++i) out[i] = static_cast<char>(~in[i]);
  }
  return samples;
}

}  // namespace casenote
