// Qwen2-VL patchify of a resized RGB8 image into pixel_values rows (qwen-vision.md §1.8) with a
// per-channel float32 lookup table, writing each finished 14x14 block with non-temporal stores
// (the 22 MB output of a 1280x720 image would otherwise be read into cache before being written).
#include "CImageCodecs.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void vl_patchify_rgb8(const uint8_t *pixels, int32_t width, int32_t grid_h, int32_t grid_w, int32_t patch,
                      int32_t temporal, int32_t merge, const float *lut, float *out, int32_t row_begin,
                      int32_t row_end) {
    const int32_t frame = patch * patch;
    const size_t dim = (size_t)3 * temporal * frame;
    const int32_t n = grid_h * grid_w;
    const int32_t blocks_w = grid_w / merge;
    float block[64 * 64];  // one (channel, frame) block; patch <= 64 is checked by the caller
#if defined(__SSE2__)
    const int stream = (((uintptr_t)out & 15) == 0) && (frame % 4 == 0) && (dim % 4 == 0);
#else
    const int stream = 0;
#endif
    if (row_begin < 0) row_begin = 0;
    if (row_end > n) row_end = n;
    for (int32_t r = row_begin; r < row_end; r++) {
        const int32_t blk = r / (merge * merge), q = r % (merge * merge);
        const int32_t h = (blk / blocks_w) * merge + q / merge;
        const int32_t w = (blk % blocks_w) * merge + q % merge;
        const uint8_t *base = pixels + ((size_t)h * patch * width + (size_t)w * patch) * 3;
        float *row = out + (size_t)r * dim;
        for (int32_t c = 0; c < 3; c++) {
            const float *l = lut + c * 256;
            for (int32_t i = 0; i < patch; i++) {
                const uint8_t *s = base + (size_t)i * width * 3 + c;
                float *d = block + i * patch;
                for (int32_t j = 0; j < patch; j++) d[j] = l[s[3 * j]];
            }
            for (int32_t t = 0; t < temporal; t++) {
                float *dst = row + ((size_t)c * temporal + t) * frame;
#if defined(__SSE2__)
                if (stream) {
                    for (int32_t k = 0; k < frame; k += 4) _mm_stream_ps(dst + k, _mm_loadu_ps(block + k));
                    continue;
                }
#endif
                memcpy(dst, block, (size_t)frame * sizeof(float));
            }
        }
    }
#if defined(__SSE2__)
    if (stream) _mm_sfence();
#endif
}
