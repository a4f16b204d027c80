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
/// (transformers 5.x `convert_to_rgb`); colour-key tRNS on gray <= 8 bit and RGB is matched as Pillow 13
/// does (raw key against the 8-bit pixel). Gamma, sBIT and colour profiles are ignored (as Pillow does).
int vl_png_decode_rgb(const uint8_t *data, size_t len, uint8_t *out, size_t out_len, char *err, size_t err_len);

/// Resampling SIMD level available at run time: 2 = AVX2, 0 = portable C.
int vl_resample_simd_level(void);

/// Pillow-exact horizontal bicubic pass over `rows` RGB8 rows (Resample.c ImagingResampleHorizontal_8bpc).
/// Coefficients are "padded": output x reads exactly `k` source pixels from `starts[x]` (with
/// starts[x] + k <= in_width) with fixed-point weights `weights[x*k ..< x*k+k]` (zeros where Pillow's
/// window is shorter). `use_simd` = 0 forces the portable loop.
void vl_resample_horizontal_rgb8(const uint8_t *src, size_t src_stride, int32_t in_width, int32_t rows,
                                 uint8_t *dst, size_t dst_stride, int32_t out_width, const int32_t *starts,
                                 const int32_t *weights, int32_t k, int32_t use_simd);

/// Pillow-exact vertical bicubic pass (ImagingResampleVertical_8bpc) over rows of `row_len` bytes:
/// output row y = clip8(2^21 + sum_i src[starts[y] - row_offset + i] * weights[y*ksize + i]) >> 22,
/// i < counts[y]. Returns VL_OK or VL_ERR_NOMEM.
int vl_resample_vertical_rgb8(const uint8_t *src, size_t row_len, int32_t out_height, const int32_t *starts,
                              const int32_t *counts, const int32_t *weights, int32_t ksize, int32_t row_offset,
                              uint8_t *dst, int32_t use_simd);

/// Patchify for Qwen2-VL: `out` is `[grid_h*grid_w, 3*temporal*patch*patch]` float32; row r is the patch
/// (h, w) of merge-block order, column ((c*temporal + t)*patch + i)*patch + j holds
/// lut[c*256 + pixels[((h*patch + i)*width + w*patch + j)*3 + c]] for every frame t. `patch` <= 64;
/// grid_h and grid_w must be multiples of `merge`. Only rows row_begin ..< row_end are written (so
/// threads can split the work).
void vl_patchify_rgb8(const uint8_t *pixels, int32_t width, int32_t grid_h, int32_t grid_w, int32_t patch,
                      int32_t temporal, int32_t merge, const float *lut, float *out, int32_t row_begin,
                      int32_t row_end);

/// Frees a buffer returned by this module.
void vl_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
