// Small CPU kernels and queries for VisionCore's GEMM layer: CPU feature detection (cpuid + xgetbv),
// float32 <-> bfloat16 conversion (round to nearest even, as torch's `tensor.to(torch.bfloat16)`), and the
// OpenMP thread count that oneDNN (built on libgomp in Debian) uses; SHA-256 block compression on SHA-NI
// (vl_sha256.h).
#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>
#include "vl_vit.h"
#include "vl_sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set features the CPU has AND the OS has enabled (XCR0 state for AVX, AVX-512 and AMX).
typedef struct {
    int32_t avx2;
    int32_t fma;
    int32_t avx512f;
    int32_t avx512bw;
    int32_t avx512vl;
    int32_t avx512_bf16;
    int32_t amx_tile;
    int32_t amx_bf16;
} vl_cpu_features;

/// Fills `out` (all zero on non-x86 CPUs).
void vl_cpu_detect(vl_cpu_features *out);

/// dst[i] = bfloat16(src[i]), round to nearest even; NaN stays NaN (quiet). Uses AVX512-BF16
/// (vcvtne2ps2bf16) when the CPU has it, else a scalar loop with identical results.
void vl_f32_to_bf16(const float *src, uint16_t *dst, size_t count);

/// dst[i] = float(bfloat16(src[i])): rounds in place-compatible fashion (src may equal dst).
void vl_round_to_bf16(const float *src, float *dst, size_t count);

/// dst[i] = float(src[i]) for bfloat16 `src` (exact).
void vl_bf16_to_f32(const uint16_t *src, float *dst, size_t count);

/// omp_set_num_threads(n) for the calling thread (OpenMP's nthreads-var is per thread), n >= 1.
void vl_omp_set_threads(int n);
/// omp_get_max_threads() on the calling thread.
int vl_omp_max_threads(void);

#ifdef __cplusplus
}
#endif
#endif
