#include "pipeline/pix_matrix.h"

#include <bit>

namespace casenote {
namespace {

// Leptonica keeps a 32 bpp pixel in one word, red in its top byte and alpha in its bottom one;
// which of the word's bytes comes first in memory depends on the host.
constexpr bool kLittleEndian = std::endian::native == std::endian::little;
constexpr int kRedByte = kLittleEndian ? 3 : 0, kGreenByte = kLittleEndian ? 2 : 1, kBlueByte = kLittleEndian ? 1 : 2;

cv::Mat word_matrix(Pix* colour) {
  return cv::Mat(pixGetHeight(colour), pixGetWidth(colour), CV_8UC4, pixGetData(colour),
                 static_cast<size_t>(pixGetWpl(colour)) * 4);
}

}  // namespace

cv::Mat byte_matrix(Pix* bytes) {
  return cv::Mat(pixGetHeight(bytes), pixGetWidth(bytes), CV_8UC1, pixGetData(bytes),
                 static_cast<size_t>(pixGetWpl(bytes)) * 4);
}

cv::Mat matrix_of(Pix* image) {
  if (pixGetColormap(image)) return {};
  cv::Mat pixels;
  if (pixGetDepth(image) == 8) {
    pixEndianByteSwap(image);
    byte_matrix(image).copyTo(pixels);
    pixEndianByteSwap(image);
  } else if (pixGetDepth(image) == 32) {
    pixels.create(pixGetHeight(image), pixGetWidth(image), CV_8UC3);
    const cv::Mat words = word_matrix(image);
    const int from_to[] = {kRedByte, 0, kGreenByte, 1, kBlueByte, 2};
    cv::mixChannels(&words, 1, &pixels, 1, from_to, 3);
  }
  return pixels;
}

Pix* pix_of(const cv::Mat& pixels, bool bilevel) {
  if (pixels.depth() != CV_8U || (pixels.channels() != 1 && pixels.channels() != 3)) return nullptr;
  const bool grey = pixels.channels() == 1;
  Pix* image = pixCreate(pixels.cols, pixels.rows, grey ? 8 : 32);
  if (!image) return nullptr;
  if (grey) {
    cv::Mat bytes = byte_matrix(image);
    pixels.copyTo(bytes);
    pixEndianByteSwap(image);
  } else {
    cv::Mat words = word_matrix(image);
    const int from_to[] = {0, kRedByte, 1, kGreenByte, 2, kBlueByte};
    cv::mixChannels(&pixels, 1, &words, 1, from_to, 3);
  }
  if (!bilevel) return image;
  Pix* binary = pixConvertTo1(image, 128);
  pixDestroy(&image);
  return binary;
}

}  // namespace casenote
