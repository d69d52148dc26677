// Scanner PDFs as page sources: each page is rendered from its one embedded image.
#include <leptonica/allheaders.h>
#include <openssl/provider.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "core/affine.h"
#include "pipeline/page_source.h"
#include "pipeline/pdf_content_scan.h"
#include "pipeline/pdf_image_decoder.h"
#include "pipeline/pdf_objects.h"
#include "pipeline/pdf_page_render.h"
#include "pipeline/pdf_stream_filters.h"

namespace casenote {

namespace {

// The PDF header may follow some junk, but only within the first kilobyte.
constexpr size_t kHeaderWindow = 1024;

struct PageBox {
  double left = 0, bottom = 0, right = 0, top = 0;
  bool empty() const { return !(right > left && top > bottom); }
};

std::optional<PageBox> read_box(const PoDoFo::PdfPage& page, const char* key, const PoDoFo::PdfVecObjects& objects) {
  const PoDoFo::PdfObject* box = resolve(page.GetInheritedKey(PoDoFo::PdfName(key)), objects);
  if (!box || !box->IsArray() || box->GetArray().size() != 4) return std::nullopt;
  double v[4];
  for (size_t i = 0; i < 4; ++i) {
    std::optional<double> value = number_value(resolve(&box->GetArray()[i], objects));
    if (!value || !std::isfinite(*value)) return std::nullopt;
    v[i] = *value;
  }
  return PageBox{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]), std::max(v[1], v[3])};
}

// The part of the page a viewer shows: the CropBox (default: all of it) within the MediaBox.
Result<PageBox> visible_box(const PoDoFo::PdfPage& page, const PoDoFo::PdfVecObjects& objects) {
  std::optional<PageBox> media = read_box(page, "MediaBox", objects);
  if (!media || media->empty()) return Error{"page has no valid /MediaBox"};
  std::optional<PageBox> crop = read_box(page, "CropBox", objects);
  if (!crop) return *media;
  PageBox shown{std::max(media->left, crop->left), std::max(media->bottom, crop->bottom),
                std::min(media->right, crop->right), std::min(media->top, crop->top)};
  if (shown.empty()) return Error{"page /CropBox lies outside its /MediaBox"};
  return shown;
}

// The visible page as displayed: a map from default user space to display points (origin
// top-left, y down) and the displayed size in points.
struct DisplayFrame {
  Affine user_to_display;
  double width = 0;
  double height = 0;
};

// The frame of `box` turned clockwise by `rotation` degrees, a multiple of 90.
DisplayFrame display_frame(const PageBox& box, int rotation) {
  const double width = box.right - box.left, height = box.top - box.bottom;
  switch (rotation) {
    case 90: return {{0, 1, 1, 0, -box.bottom, -box.left}, height, width};
    case 180: return {{-1, 0, 0, 1, box.right, -box.bottom}, width, height};
    case 270: return {{0, -1, -1, 0, box.top, box.right}, height, width};
    default: return {{1, 0, 0, -1, -box.left, box.top}, width, height};
  }
}

// What PoDoFo found wrong, in plain words for the common causes.
std::string describe(const PoDoFo::PdfError& error) {
  switch (error.GetError()) {
    case PoDoFo::ePdfError_FileNotFound: return "cannot open the file";
    case PoDoFo::ePdfError_InvalidPassword: return "PDF is encrypted with a password";
    case PoDoFo::ePdfError_InvalidEncryptionDict: return "PDF encryption dictionary is invalid";
    case PoDoFo::ePdfError_NoPdfFile: return "not a PDF file";
    case PoDoFo::ePdfError_UnexpectedEOF: return "PDF is truncated";
    case PoDoFo::ePdfError_NoEOFToken: return "PDF is truncated (no %%EOF marker)";
    case PoDoFo::ePdfError_NoXRef:
    case PoDoFo::ePdfError_InvalidXRef:
    case PoDoFo::ePdfError_InvalidXRefStream:
    case PoDoFo::ePdfError_InvalidXRefType:
    case PoDoFo::ePdfError_NoTrailer:
    case PoDoFo::ePdfError_InvalidTrailerSize: return "PDF cross-reference table or trailer is damaged";
    case PoDoFo::ePdfError_OutOfMemory: return "out of memory";
    default: {
      const char* code = PoDoFo::PdfError::ErrorName(error.GetError());
      std::string name = code ? code : "unknown";
      const std::string prefix = "ePdfError_";
      if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
      return fmt::format("PDF is damaged (PoDoFo error {})", name);
    }
  }
}

// Rejects files that cannot be a PDF before PoDoFo sees them, so that the reason is exact.
std::optional<std::string> precheck(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return fmt::format("cannot read the file ({})", error.message());
  if (size == 0) return std::string("file is empty");
  std::ifstream in(path, std::ios::binary);
  std::string head(kHeaderWindow, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.find("%PDF-") == std::string::npos) return std::string("not a PDF file (no %PDF- header)");
  return std::nullopt;
}

// PoDoFo decrypts RC4 and AES-128 encrypted PDFs (common from copiers that set only an owner
// password) with OpenSSL's RC4, which OpenSSL 3 keeps in its legacy provider. Loading any
// provider explicitly stops the default one loading implicitly, so both are loaded. They are
// unloaded at exit so that leak checkers see a clean shutdown.
class OpenSslProviders {
 public:
  OpenSslProviders()
      : legacy_(OSSL_PROVIDER_load(nullptr, "legacy")), default_(OSSL_PROVIDER_load(nullptr, "default")) {}
  ~OpenSslProviders() {
    if (default_) OSSL_PROVIDER_unload(default_);
    if (legacy_) OSSL_PROVIDER_unload(legacy_);
  }
  OpenSslProviders(const OpenSslProviders&) = delete;
  OpenSslProviders& operator=(const OpenSslProviders&) = delete;

 private:
  OSSL_PROVIDER* legacy_;
  OSSL_PROVIDER* default_;
};

// Once per process. PoDoFo and Leptonica otherwise print their own diagnostics for every
// damaged file, where casenote reports one line per failure.
void prepare_libraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    PoDoFo::PdfError::EnableLogging(false);
    PoDoFo::PdfError::EnableDebug(false);
    setMsgSeverity(L_SEVERITY_NONE);
    static OpenSslProviders providers;
  });
}

class PdfPageSource final : public PageSource {
 public:
  PdfPageSource(std::unique_ptr<PoDoFo::PdfMemDocument> document, int pages, const InputLimits& limits)
      : document_(std::move(document)), page_count_(pages), limits_(limits) {}

  int page_count() const override { return page_count_; }

  Result<PageImage> page(int index) override {
    return guarded(index, [&] { return render(index); });
  }

  Result<std::optional<StoredJpeg>> stored_jpeg(int index) override {
    return guarded(index, [&] { return find_stored_jpeg(index); });
  }

 private:
  // The page's one image and where it is shown.
  struct ShownImage {
    PlacedImage drawn;
    DisplayFrame frame;
  };

  // PoDoFo and OpenCV report failures by throwing; this is where those become errors.
  template <class Read>
  auto guarded(int index, const Read& read) -> decltype(read()) {
    if (index < 0 || index >= page_count_)
      return Error{fmt::format("page index {} is out of range (the document has {} pages)", index, page_count_)};
    try {
      return read();
    } catch (const PoDoFo::PdfError& error) {
      return Error{describe(error)};
    } catch (const cv::Exception&) {
      return Error{"image processing failed"};
    } catch (const std::bad_alloc&) {
      return Error{"out of memory"};
    } catch (const std::exception& error) {
      return Error{fmt::format("unexpected failure ({})", error.what())};
    }
  }

  // PoDoFo keeps every object it has loaded from the file, so a long scan read page by page
  // would end up whole in memory. A page's image is dropped once read; PoDoFo loads it from the
  // file again if it is asked for again.
  static void release(const PoDoFo::PdfObject* image) {
    if (auto* loaded = dynamic_cast<PoDoFo::PdfParserObject*>(const_cast<PoDoFo::PdfObject*>(image)))
      loaded->FreeObjectMemory(true);
  }

  // May throw PoDoFo exceptions; guarded() turns them into errors.
  Result<ShownImage> shown_image(int index) {
    const PoDoFo::PdfVecObjects& objects = document_->GetObjects();
    const PoDoFo::PdfPage* page = document_->GetPage(index);
    if (!page) return Error{"page is missing from the page tree"};
    Result<std::vector<PlacedImage>> placed = find_placed_images(*page, objects);
    if (!placed) return placed.error();
    if (placed->empty()) return Error{"page shows no image"};
    if (placed->size() > 1)
      return Error{fmt::format("page shows {} images; only pages holding one scanned image are supported", placed->size())};

    Result<PageBox> box = visible_box(*page, objects);
    if (!box) return box.error();
    const int rotation = ((page->GetRotation() % 360) + 360) % 360;
    if (rotation % 90 != 0) return Error{fmt::format("page /Rotate {} is not a multiple of 90", page->GetRotation())};
    return ShownImage{placed->front(), display_frame(*box, rotation)};
  }

  // Maps image pixel coordinates (x right, y down) to display points.
  static Affine image_to_display(const ShownImage& shown, int width, int height) {
    const Affine pixels_to_unit{1.0 / width, 0, 0, -1.0 / height, 0, 1};
    return pixels_to_unit.then(shown.drawn.unit_to_user).then(shown.frame.user_to_display);
  }

  // May throw PoDoFo and OpenCV exceptions; guarded() turns them into errors.
  Result<PageImage> render(int index) {
    Result<ShownImage> shown = shown_image(index);
    if (!shown) return shown.error();
    Result<DecodedPdfImage> image = decode_pdf_image(*shown->drawn.image, document_->GetObjects(), limits_);
    release(shown->drawn.image);
    if (!image) return image.error();
    const DisplayedPlacement placement{image_to_display(*shown, image->pixels.cols, image->pixels.rows),
                                       shown->frame.width, shown->frame.height};
    return render_displayed_page(*image, placement, limits_);
  }

  // A JPEG shown in plain grey or RGB, as page() draws it; nullopt for anything a PDF could
  // not show unchanged with those colours. May throw PoDoFo exceptions.
  Result<std::optional<StoredJpeg>> find_stored_jpeg(int index) {
    const PoDoFo::PdfVecObjects& objects = document_->GetObjects();
    Result<ShownImage> shown = shown_image(index);
    if (!shown) return shown.error();
    const PoDoFo::PdfObject& image = *shown->drawn.image;
    const std::optional<std::string> colours = name_value(dict_entry(&image, "ColorSpace", objects));
    if (dict_entry(&image, "Decode", objects) || dict_entry(&image, "ImageMask", objects) ||
        (colours != "DeviceGray" && colours != "DeviceRGB"))
      return std::optional<StoredJpeg>{};
    Result<FilteredStream> stream = undo_general_filters(image, objects, static_cast<size_t>(limits_.max_image_pixels));
    release(&image);
    if (!stream) return stream.error();
    if (stream->codec != "DCTDecode" || stream->reached_limit) return std::optional<StoredJpeg>{};
    l_int32 width = 0, height = 0, components = 0;
    if (readHeaderMemJpeg(reinterpret_cast<const l_uint8*>(stream->bytes.data()), stream->bytes.size(), &width, &height,
                          &components, nullptr, nullptr) != 0 ||
        width <= 0 || height <= 0 || components != (colours == "DeviceGray" ? 1 : 3))
      return std::optional<StoredJpeg>{};
    const Affine m = image_to_display(*shown, width, height);
    const double sx = 1 / shown->frame.width, sy = 1 / shown->frame.height;
    return std::optional<StoredJpeg>{
        StoredJpeg{std::move(stream->bytes), Affine{m.a * sx, m.b * sy, m.c * sx, m.d * sy, m.e * sx, m.f * sy}}};
  }

  std::unique_ptr<PoDoFo::PdfMemDocument> document_;
  int page_count_;
  InputLimits limits_;
};

// PoDoFo reads its parsing limits from globals; they are written only when they change, so
// that PDFs opened concurrently with the same limits never race on them.
void apply_parser_limits(const InputLimits& limits) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (PoDoFo::PdfTokenizer::RecursionGuard::GetMaxRecursionDepth() != limits.max_pdf_nesting)
    PoDoFo::PdfTokenizer::RecursionGuard::SetMaxRecursionDepth(limits.max_pdf_nesting);
  if (PoDoFo::PdfParser::GetMaxObjectCount() != limits.max_pdf_objects)
    PoDoFo::PdfParser::SetMaxObjectCount(limits.max_pdf_objects);
}

}  // namespace

Result<std::unique_ptr<PageSource>> open_pdf_page_source(const std::string& path, const InputLimits& limits) {
  if (std::optional<std::string> reason = precheck(path)) return Error{*reason};
  prepare_libraries();
  apply_parser_limits(limits);
  try {
    auto document = std::make_unique<PoDoFo::PdfMemDocument>();
    document->Load(path.c_str());
    const int pages = document->GetPageCount();
    if (pages <= 0) return Error{"PDF has no pages"};
    if (pages > limits.max_pages) return Error{fmt::format("PDF has {} pages, over the limit of {}", pages, limits.max_pages)};
    return std::unique_ptr<PageSource>(std::make_unique<PdfPageSource>(std::move(document), pages, limits));
  } catch (const PoDoFo::PdfError& error) {
    // PoDoFo raises this when the cross-reference table declares more than max_pdf_objects.
    if (error.GetError() == PoDoFo::ePdfError_ValueOutOfRange)
      return Error{fmt::format("PDF declares more than {} objects, or its cross-reference table is damaged",
                               limits.max_pdf_objects)};
    return Error{describe(error)};
  } catch (const std::bad_alloc&) {
    return Error{"out of memory"};
  } catch (const std::exception& error) {
    return Error{fmt::format("unexpected failure ({})", error.what())};
  }
}

}  // namespace casenote
