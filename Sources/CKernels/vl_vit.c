#include "CKernels.h"
#include <float.h>
#include <math.h>
#include <string.h>

// The AVX2 and SSE2 copies use 16-float vectors in always-inlined helpers only, so no value crosses a call
// boundary in a register the ABI would pass differently.
#pragma clang diagnostic ignored "-Wpsabi"

// Query rows per flash-attention tile.
#ifndef VL_QR
#define VL_QR 8
#endif

typedef float vl_vf __attribute__((vector_size(64)));
typedef int32_t vl_vi __attribute__((vector_size(64)));

#if defined(__x86_64__)
#define VL_FN(name) vl_vit_##name##_avx512
#define VL_ATTR __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#include "vl_vit_body.h"
#undef VL_FN
#undef VL_ATTR
#define VL_FN(name) vl_vit_##name##_avx2
#define VL_ATTR __attribute__((target("avx2,fma")))
#include "vl_vit_body.h"
#undef VL_FN
#undef VL_ATTR
#endif
#define VL_FN(name) vl_vit_##name##_base
#define VL_ATTR
#include "vl_vit_body.h"
#undef VL_FN
#undef VL_ATTR

static int vl_vit_current = -1;

static int vl_vit_best(void) {
    vl_cpu_features f;
    vl_cpu_detect(&f);
    if (f.avx512f && f.avx512vl) return VL_VIT_ISA_AVX512;
    if (f.avx2 && f.fma) return VL_VIT_ISA_AVX2;
    return VL_VIT_ISA_SSE2;
}

int vl_vit_select_isa(int max_isa) {
    int best = vl_vit_best();
    int isa = best < max_isa ? best : max_isa;
    if (isa < 0) isa = VL_VIT_ISA_SSE2;
    __atomic_store_n(&vl_vit_current, isa, __ATOMIC_RELEASE);
    return isa;
}

int vl_vit_isa(void) {
    int isa = __atomic_load_n(&vl_vit_current, __ATOMIC_ACQUIRE);
    if (isa < 0) {
        isa = vl_vit_best();
        __atomic_store_n(&vl_vit_current, isa, __ATOMIC_RELEASE);
    }
    return isa;
}

size_t vl_flash_attention_scratch(int64_t seq_len, int64_t head_dim) {
    const int64_t dpad = (head_dim + 15) & ~(int64_t)15;
    const int64_t lpad = (seq_len + 15) & ~(int64_t)15;
    return (size_t)(head_dim * lpad + seq_len * dpad + 2 * VL_QR * dpad + 16 * VL_QR + 16);
}

void vl_flash_attention(const float *q, const float *k, const float *v, int64_t ld_in, float *out, int64_t ld_out,
                        int64_t seq_len, int64_t head_dim, int64_t q_begin, int64_t q_end, float scale,
                        float *scratch) {
    if (seq_len <= 0 || head_dim <= 0 || q_begin >= q_end) return;
    switch (vl_vit_isa()) {
#if defined(__x86_64__)
    case VL_VIT_ISA_AVX512:
        vl_vit_flash_avx512(q, k, v, ld_in, out, ld_out, seq_len, head_dim, q_begin, q_end, scale, scratch);
        return;
    case VL_VIT_ISA_AVX2:
        vl_vit_flash_avx2(q, k, v, ld_in, out, ld_out, seq_len, head_dim, q_begin, q_end, scale, scratch);
        return;
#endif
    default:
        vl_vit_flash_base(q, k, v, ld_in, out, ld_out, seq_len, head_dim, q_begin, q_end, scale, scratch);
    }
}

void vl_silu_mul(const float *gate_up, float *out, int64_t rows, int64_t width) {
    switch (vl_vit_isa()) {
#if defined(__x86_64__)
    case VL_VIT_ISA_AVX512: vl_vit_silu_mul_avx512(gate_up, out, rows, width); return;
    case VL_VIT_ISA_AVX2: vl_vit_silu_mul_avx2(gate_up, out, rows, width); return;
#endif
    default: vl_vit_silu_mul_base(gate_up, out, rows, width);
    }
}

void vl_vit_exp(const float *x, float *out, int64_t count) {
    switch (vl_vit_isa()) {
#if defined(__x86_64__)
    case VL_VIT_ISA_AVX512: vl_vit_exp_array_avx512(x, out, count); return;
    case VL_VIT_ISA_AVX2: vl_vit_exp_array_avx2(x, out, count); return;
#endif
    default: vl_vit_exp_array_base(x, out, count);
    }
}
