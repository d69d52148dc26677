// OpenCV matrices over Leptonica images, and copies between the two.
#pragma once

#include <leptonica/allheaders.h>

#include <opencv2/core.hpp>

namespace casenote {

// An OpenCV matrix over an 8 bpp image's pixels, no copy. Leptonica keeps bytes in 32-bit
// words in host order: the image's bytes must have been swapped into row order
// (pixEndianByteSwap) for the matrix to read it, and swapped back for Leptonica to.
cv::Mat byte_matrix(Pix* bytes);

// An 8-bit grey (CV_8UC1) or RGB (CV_8UC3) matrix of an 8 or 32 bpp image without a colour
// map; empty for any other image. An 8 bpp image's bytes are swapped and swapped back while it
// is copied, so no other thread may read it meanwhile.
cv::Mat matrix_of(Pix* image);

// An 8 or 32 bpp image of a grey or RGB matrix, or a 1 bpp image of it with pixels below 128
// black when `bilevel`; nullptr if out of memory or for any other matrix.
Pix* pix_of(const cv::Mat& pixels, bool bilevel);

}  // namespace casenote
