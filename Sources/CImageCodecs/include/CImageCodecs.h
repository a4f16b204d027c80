// C shims over libjpeg-turbo (jpeglib.h) and libspng (spng.h) for VisionCore's image decoding.
//
// Contract for every function: no call ever exits or longjmps into Swift. libjpeg errors are caught by a
// custom error manager (setjmp/longjmp inside C only); every path frees the codec state. On failure a
// function returns a nonzero VL_ERR_* code and writes a NUL-terminated human-readable message into
// `err` (at most `err_len` bytes, may be NULL).
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    VL_OK = 0,
    VL_ERR_CORRUPT = 1,      // invalid or corrupt data
    VL_ERR_TRUNCATED = 2,    // data ends before the image is complete
    VL_ERR_UNSUPPORTED = 3,  // valid but unsupported variant (e.g. 12-bit JPEG, 2-component JPEG)
    VL_ERR_NOMEM = 4,        // allocation failed
    VL_ERR_BUFFER = 5,       // caller's output buffer has the wrong size
    VL_ERR_LIMIT = 6,        // a safety limit was hit (e.g. too many progressive JPEG scans)
    VL_ERR_DIMENSIONS = 7,   // the header declares a zero or out-of-range width/height (filled into info)
};

/// Header facts of a JPEG, read without decoding any scan.
typedef struct {
    int32_t width;
    int32_t height;
    int32_t components;   // 1 (gray), 3 (YCbCr/RGB) or 4 (CMYK/YCCK)
    int32_t progressive;  // 1 if progressive (SOF2/SOF6/SOF10/SOF14)
} vl_jpeg_info;

/// Reads the JPEG header (markers up to the first SOS).
int vl_jpeg_read_header(const uint8_t *data, size_t len, vl_jpeg_info *info, char *err, size_t err_len);

/// Decodes a JPEG into RGB8 (`out` holds width*height*3 bytes, row-major).
/// Gray is replicated; CMYK/YCCK are treated as Adobe-inverted and converted with Pillow's cmyk2rgb
/// arithmetic (Pillow always opens 4-component JPEGs with raw mode "CMYK;I"). Premature end of data is
/// VL_ERR_TRUNCATED (Pillow raises "image file is truncated"); other libjpeg warnings are ignored like
/// Pillow does. Progressive images with more than `max_scans` scans are rejected (VL_ERR_LIMIT).
int vl_jpeg_decode_rgb(const uint8_t *data, size_t len, uint8_t *out, size_t out_len, int32_t max_scans,
                       char *err, size_t err_len);

/// Encodes RGB8 pixels (width*height*3 bytes) as a baseline JPEG with 4:2:0 subsampling at `quality`
/// (1...100). On success *out_data is a malloc'd buffer of *out_len bytes; free it with vl_free.
int vl_jpeg_encode_rgb(const uint8_t *pixels, int32_t width, int32_t height, int32_t quality,
                       uint8_t **out_data, size_t *out_len, char *err, size_t err_len);

/// Header facts of a PNG (IHDR plus whether transparency is present).
typedef struct {
    uint32_t width;
    uint32_t height;
    int32_t bit_depth;      // 1, 2, 4, 8 or 16
    int32_t color_type;     // 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
    int32_t interlaced;     // 1 if Adam7
} vl_png_info;

/// Parses the PNG signature and IHDR.
int vl_png_read_header(const uint8_t *data, size_t len, vl_png_info *info, char *err, size_t err_len);

/// Decodes a PNG into RGB8 (`out` holds width*height*3 bytes). 16-bit samples keep their high byte
/// (libpng strip-16); low bit depths are scaled to 0...255; palette is expanded. An alpha channel or a
/// tRNS chunk is composited onto opaque white with Pillow's Image.alpha_composite integer arithmetic
/// (transformers 5.x `convert_to_rgb`). Gamma, sBIT and colour profiles are ignored (as Pillow does).
int vl_png_decode_rgb(const uint8_t *data, size_t len, uint8_t *out, size_t out_len, char *err, size_t err_len);

/// Frees a buffer returned by this module.
void vl_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
