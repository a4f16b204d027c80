// Pillow-exact bicubic resampling passes for interleaved RGB8 (src/libImaging/Resample.c semantics:
// 22-bit fixed-point weights, accumulator starts at 2^21, result clip8(acc >> 22)), with an AVX2 path
// chosen at run time. Coefficients are computed by the Swift side (BicubicCoefficients).
#include "CImageCodecs.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define VL_X86 1
#endif

static inline uint8_t vl_clip8(int32_t acc) {
    int32_t v = acc >> 22;
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

/// One output pixel of the horizontal pass (scalar).
static inline void vl_h_pixel(const uint8_t *p, const int32_t *w, int k, uint8_t *out) {
    int32_t a0 = 1 << 21, a1 = 1 << 21, a2 = 1 << 21;
    for (int i = 0; i < k; i++) {
        int32_t wi = w[i];
        a0 += (int32_t)p[3 * i] * wi;
        a1 += (int32_t)p[3 * i + 1] * wi;
        a2 += (int32_t)p[3 * i + 2] * wi;
    }
    out[0] = vl_clip8(a0);
    out[1] = vl_clip8(a1);
    out[2] = vl_clip8(a2);
}

static void vl_h_scalar(const uint8_t *src, size_t src_stride, int in_width, int rows, uint8_t *dst,
                        size_t dst_stride, int out_width, const int32_t *starts, const int32_t *weights, int k) {
    (void)in_width;
    for (int y = 0; y < rows; y++) {
        const uint8_t *row = src + (size_t)y * src_stride;
        uint8_t *o = dst + (size_t)y * dst_stride;
        for (int x = 0; x < out_width; x++) vl_h_pixel(row + 3 * (size_t)starts[x], weights + (size_t)x * k, k, o + 3 * x);
    }
}

static void vl_v_scalar(const uint8_t *src, size_t row_len, int out_height, const int32_t *starts,
                        const int32_t *counts, const int32_t *weights, int ksize, int row_offset, uint8_t *dst,
                        int32_t *acc) {
    for (int y = 0; y < out_height; y++) {
        const int32_t *w = weights + (size_t)y * ksize;
        const uint8_t *first = src + (size_t)(starts[y] - row_offset) * row_len;
        for (size_t x = 0; x < row_len; x++) acc[x] = 1 << 21;
        for (int i = 0; i < counts[y]; i++) {
            const uint8_t *r = first + (size_t)i * row_len;
            int32_t wi = w[i];
            for (size_t x = 0; x < row_len; x++) acc[x] += (int32_t)r[x] * wi;
        }
        uint8_t *o = dst + (size_t)y * row_len;
        for (size_t x = 0; x < row_len; x++) o[x] = vl_clip8(acc[x]);
    }
}

#ifdef VL_X86
/// Rows of the AVX2 horizontal pass; inlined with a constant `k` for the common tap counts.
__attribute__((target("avx2"), always_inline))
static inline void vl_h_avx2_rows(const uint8_t *src, size_t src_stride, int rows, uint8_t *dst, size_t dst_stride,
                                  int out_width, const int32_t *starts, const int32_t *weights, int k, int pairs,
                                  const __m256i *wv) {
    const __m256i half = _mm256_set1_epi32(1 << 21);
    int y = 0;
    // Two rows at a time share each weight vector load.
    for (; y + 1 < rows; y += 2) {
        const uint8_t *row0 = src + (size_t)y * src_stride, *row1 = row0 + src_stride;
        uint8_t *o0 = dst + (size_t)y * dst_stride, *o1 = o0 + dst_stride;
        for (int p = 0; p < pairs; p++) {
            const size_t ia = 3 * (size_t)starts[2 * p], ib = 3 * (size_t)starts[2 * p + 1];
            const __m256i *w = wv + (size_t)p * k;
            __m256i acc0 = half, acc1 = half;
            for (int i = 0; i < k; i++) {
                int32_t a0, b0, a1, b1;
                memcpy(&a0, row0 + ia + 3 * i, 4);
                memcpy(&b0, row0 + ib + 3 * i, 4);
                memcpy(&a1, row1 + ia + 3 * i, 4);
                memcpy(&b1, row1 + ib + 3 * i, 4);
                __m256i wi = _mm256_load_si256(w + i);
                __m128i x0 = _mm_unpacklo_epi32(_mm_cvtsi32_si128(a0), _mm_cvtsi32_si128(b0));
                __m128i x1 = _mm_unpacklo_epi32(_mm_cvtsi32_si128(a1), _mm_cvtsi32_si128(b1));
                acc0 = _mm256_add_epi32(acc0, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(x0), wi));
                acc1 = _mm256_add_epi32(acc1, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(x1), wi));
            }
            acc0 = _mm256_srai_epi32(acc0, 22);
            acc1 = _mm256_srai_epi32(acc1, 22);
            // packs within 128-bit lanes: [A0 A1 | B0 B1] as int16, then to u8 (saturating = clip8)
            __m256i s16 = _mm256_packs_epi32(acc0, acc1);
            __m128i u8 = _mm_packus_epi16(_mm256_castsi256_si128(s16), _mm256_extracti128_si256(s16, 1));
            uint8_t t[16];
            _mm_storeu_si128((__m128i *)t, u8);
            // t: [A0.rgbx, A1.rgbx, B0.rgbx, B1.rgbx]
            uint8_t *p0 = o0 + 6 * (size_t)p, *p1 = o1 + 6 * (size_t)p;
            p0[0] = t[0]; p0[1] = t[1]; p0[2] = t[2]; p0[3] = t[8]; p0[4] = t[9]; p0[5] = t[10];
            p1[0] = t[4]; p1[1] = t[5]; p1[2] = t[6]; p1[3] = t[12]; p1[4] = t[13]; p1[5] = t[14];
        }
        for (int x = 2 * pairs; x < out_width; x++) {
            vl_h_pixel(row0 + 3 * (size_t)starts[x], weights + (size_t)x * k, k, o0 + 3 * x);
            vl_h_pixel(row1 + 3 * (size_t)starts[x], weights + (size_t)x * k, k, o1 + 3 * x);
        }
    }
    for (; y < rows; y++) {
        const uint8_t *row = src + (size_t)y * src_stride;
        uint8_t *o = dst + (size_t)y * dst_stride;
        for (int p = 0; p < pairs; p++) {
            const uint8_t *pa = row + 3 * (size_t)starts[2 * p];
            const uint8_t *pb = row + 3 * (size_t)starts[2 * p + 1];
            const __m256i *w = wv + (size_t)p * k;
            __m256i acc = half;
            for (int i = 0; i < k; i++) {
                int32_t va, vb;
                memcpy(&va, pa + 3 * i, 4);
                memcpy(&vb, pb + 3 * i, 4);
                __m128i bytes = _mm_unpacklo_epi32(_mm_cvtsi32_si128(va), _mm_cvtsi32_si128(vb));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bytes), w[i]));
            }
            acc = _mm256_srai_epi32(acc, 22);
            __m128i lo = _mm256_castsi256_si128(acc), hi = _mm256_extracti128_si256(acc, 1);
            __m128i s16 = _mm_packs_epi32(lo, hi);   // 8 x int16 (saturating)
            __m128i u8 = _mm_packus_epi16(s16, s16);  // 0..255 (saturating) = clip8
            uint8_t tmp[16];
            _mm_storeu_si128((__m128i *)tmp, u8);
            uint8_t *oa = o + 6 * (size_t)p;
            oa[0] = tmp[0]; oa[1] = tmp[1]; oa[2] = tmp[2];
            oa[3] = tmp[4]; oa[4] = tmp[5]; oa[5] = tmp[6];
        }
        for (int x = 2 * pairs; x < out_width; x++)
            vl_h_pixel(row + 3 * (size_t)starts[x], weights + (size_t)x * k, k, o + 3 * x);
    }
}

/// Two output pixels per 256-bit vector: lanes [A.r A.g A.b A.x | B.r B.g B.b B.x].
__attribute__((target("avx2")))
static void vl_h_avx2(const uint8_t *src, size_t src_stride, int in_width, int rows, uint8_t *dst,
                      size_t dst_stride, int out_width, const int32_t *starts, const int32_t *weights, int k) {
    // Outputs whose 4-byte loads stay inside the row: starts[x] + k < in_width (starts are nondecreasing).
    int safe = 0;
    while (safe < out_width && starts[safe] + k < in_width) safe++;
    int pairs = safe / 2;
    __m256i *wv = (__m256i *)aligned_alloc(32, (size_t)(pairs > 0 ? pairs : 1) * (size_t)k * sizeof(__m256i));
    if (wv == NULL) {
        vl_h_scalar(src, src_stride, in_width, rows, dst, dst_stride, out_width, starts, weights, k);
        return;
    }
    for (int p = 0; p < pairs; p++) {
        const int32_t *wa = weights + (size_t)(2 * p) * k, *wb = wa + k;
        for (int i = 0; i < k; i++) wv[(size_t)p * k + i] = _mm256_setr_epi32(wa[i], wa[i], wa[i], wa[i], wb[i], wb[i], wb[i], wb[i]);
    }
    if (k == 5) {
        vl_h_avx2_rows(src, src_stride, rows, dst, dst_stride, out_width, starts, weights, 5, pairs, wv);
    } else if (k == 7) {
        vl_h_avx2_rows(src, src_stride, rows, dst, dst_stride, out_width, starts, weights, 7, pairs, wv);
    } else {
        vl_h_avx2_rows(src, src_stride, rows, dst, dst_stride, out_width, starts, weights, k, pairs, wv);
    }
    free(wv);
}

/// Vertical pass with AVX2: 16 bytes of a row at a time, all taps accumulated in registers.
__attribute__((target("avx2")))
static void vl_v_avx2(const uint8_t *src, size_t row_len, int out_height, const int32_t *starts,
                      const int32_t *counts, const int32_t *weights, int ksize, int row_offset, uint8_t *dst,
                      int32_t *acc) {
    const __m256i half = _mm256_set1_epi32(1 << 21);
    for (int y = 0; y < out_height; y++) {
        const int32_t *w = weights + (size_t)y * ksize;
        const int n = counts[y];
        const uint8_t *first = src + (size_t)(starts[y] - row_offset) * row_len;
        uint8_t *o = dst + (size_t)y * row_len;
        size_t x = 0;
        for (; x + 16 <= row_len; x += 16) {
            __m256i a0 = half, a1 = half;
            for (int i = 0; i < n; i++) {
                __m128i b = _mm_loadu_si128((const __m128i *)(first + (size_t)i * row_len + x));
                __m256i wi = _mm256_set1_epi32(w[i]);
                a0 = _mm256_add_epi32(a0, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(b), wi));
                a1 = _mm256_add_epi32(a1, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(b, 8)), wi));
            }
            a0 = _mm256_srai_epi32(a0, 22);
            a1 = _mm256_srai_epi32(a1, 22);
            __m256i s16 = _mm256_packs_epi32(a0, a1);                 // [a0.lo a1.lo | a0.hi a1.hi]
            s16 = _mm256_permute4x64_epi64(s16, 0xD8);                // [a0.lo a0.hi | a1.lo a1.hi]
            __m128i u8 = _mm_packus_epi16(_mm256_castsi256_si128(s16), _mm256_extracti128_si256(s16, 1));
            _mm_storeu_si128((__m128i *)(o + x), u8);
        }
        for (; x < row_len; x++) {
            int32_t a = 1 << 21;
            for (int i = 0; i < n; i++) a += (int32_t)first[(size_t)i * row_len + x] * w[i];
            o[x] = vl_clip8(a);
        }
    }
    (void)acc;
}
#endif

static int vl_simd_level_cached = -1;  // accessed atomically (relaxed): every thread computes the same value

int vl_resample_simd_level(void) {
    int level = __atomic_load_n(&vl_simd_level_cached, __ATOMIC_RELAXED);
    if (level < 0) {
#ifdef VL_X86
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx2") ? 2 : 0;
#else
        level = 0;
#endif
        __atomic_store_n(&vl_simd_level_cached, level, __ATOMIC_RELAXED);
    }
    return level;
}

void vl_resample_horizontal_rgb8(const uint8_t *src, size_t src_stride, int32_t in_width, int32_t rows,
                                 uint8_t *dst, size_t dst_stride, int32_t out_width, const int32_t *starts,
                                 const int32_t *weights, int32_t k, int32_t use_simd) {
#ifdef VL_X86
    if (use_simd && vl_resample_simd_level() >= 2) {
        vl_h_avx2(src, src_stride, in_width, rows, dst, dst_stride, out_width, starts, weights, k);
        return;
    }
#endif
    (void)use_simd;
    vl_h_scalar(src, src_stride, in_width, rows, dst, dst_stride, out_width, starts, weights, k);
}

int vl_resample_vertical_rgb8(const uint8_t *src, size_t row_len, int32_t out_height, const int32_t *starts,
                              const int32_t *counts, const int32_t *weights, int32_t ksize, int32_t row_offset,
                              uint8_t *dst, int32_t use_simd) {
    int32_t *acc = (int32_t *)malloc(row_len * sizeof(int32_t) + 32);
    if (acc == NULL) return VL_ERR_NOMEM;
#ifdef VL_X86
    if (use_simd && vl_resample_simd_level() >= 2) {
        vl_v_avx2(src, row_len, out_height, starts, counts, weights, ksize, row_offset, dst, acc);
        free(acc);
        return VL_OK;
    }
#endif
    (void)use_simd;
    vl_v_scalar(src, row_len, out_height, starts, counts, weights, ksize, row_offset, dst, acc);
    free(acc);
    return VL_OK;
}
