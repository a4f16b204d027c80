#define _GNU_SOURCE
#include "CKernels.h"
#include <string.h>
#include <dlfcn.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Round to nearest even on the upper 16 bits; NaNs become a quiet NaN with the same sign (torch's
// c10::BFloat16 round_to_nearest_even).
static inline uint16_t vl_bf16_scalar(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);
    uint32_t lsb = (u >> 16) & 1u;
    u += 0x7fffu + lsb;
    return (uint16_t)(u >> 16);
}

static inline float vl_bf16_to_float(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bf16,avx512vl")))
static size_t vl_f32_to_bf16_avx512(const float *src, uint16_t *dst, size_t count) {
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512 lo = _mm512_loadu_ps(src + i);
        __m512 hi = _mm512_loadu_ps(src + i + 16);
        __m512bh packed = _mm512_cvtne2ps_pbh(hi, lo);
        _mm512_storeu_si512((void *)(dst + i), (__m512i)packed);
    }
    return i;
}

static int vl_has_avx512_bf16(void) {
    static int cached = -1;
    if (cached < 0) {
        vl_cpu_features f;
        vl_cpu_detect(&f);
        cached = f.avx512_bf16 && f.avx512vl;
    }
    return cached;
}
#endif

void vl_f32_to_bf16(const float *src, uint16_t *dst, size_t count) {
    size_t i = 0;
#if defined(__x86_64__)
    if (vl_has_avx512_bf16()) i = vl_f32_to_bf16_avx512(src, dst, count);
#endif
    for (; i < count; i++) dst[i] = vl_bf16_scalar(src[i]);
}

void vl_round_to_bf16(const float *src, float *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = vl_bf16_to_float(vl_bf16_scalar(src[i]));
}

void vl_bf16_to_f32(const uint16_t *src, float *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = vl_bf16_to_float(src[i]);
}

// libgomp comes in with libdnnl (Debian builds oneDNN on OpenMP); it has no unversioned .so to link
// against, so its two entry points are looked up at run time. Without it both are no-ops (returns 1).
typedef void (*vl_omp_set_fn)(int);
typedef int (*vl_omp_get_fn)(void);

void vl_omp_set_threads(int n) {
    static vl_omp_set_fn set = NULL;
    static int looked = 0;
    if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
        set = (vl_omp_set_fn)dlsym(RTLD_DEFAULT, "omp_set_num_threads");
        __atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
    }
    if (set) set(n < 1 ? 1 : n);
}

int vl_omp_max_threads(void) {
    vl_omp_get_fn get = (vl_omp_get_fn)dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    return get ? get() : 1;
}
