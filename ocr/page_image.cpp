#include "ocr/page_image.h"

#include <leptonica/allheaders.h>

namespace casenote {

PageImage::PageImage(Pix* pix) : pix_(pix) {}

void PageImage::PixDeleter::operator()(Pix* p) const { pixDestroy(&p); }

int PageImage::width() const { return pix_ ? pixGetWidth(pix_.get()) : 0; }
int PageImage::height() const { return pix_ ? pixGetHeight(pix_.get()) : 0; }
int PageImage::dpi() const { return pix_ ? pixGetXRes(pix_.get()) : 0; }

PageImage PageImage::clone() const { return PageImage(pix_ ? pixCopy(nullptr, pix_.get()) : nullptr); }

}  // namespace casenote
