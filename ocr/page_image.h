// A page's pixels: an owned Leptonica image with its resolution.
#pragma once

#include <memory>

struct Pix;

namespace casenote {

class PageImage {
 public:
  PageImage() = default;
  // Takes ownership of `pix` (may be null for an empty image).
  explicit PageImage(Pix* pix);

  // The image, owned by this object; null when empty.
  Pix* pix() const { return pix_.get(); }
  bool empty() const { return !pix_; }
  int width() const;
  int height() const;
  // Pixels per inch from the file, 0 when the file did not say.
  int dpi() const;
  // Gives up ownership of the image to the caller.
  Pix* release() { return pix_.release(); }
  // A deep copy.
  PageImage clone() const;

 private:
  struct PixDeleter {
    void operator()(Pix* p) const;
  };
  std::unique_ptr<Pix, PixDeleter> pix_;
};

}  // namespace casenote
