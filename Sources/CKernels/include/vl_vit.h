// Vectorised kernels of the Qwen2.5-VL vision tower (VisionCore/Tower): flash attention over one
// variable-length segment and the fused SwiGLU activation. Each is compiled three times (AVX-512, AVX2+FMA,
// SSE2) from one vector-extension source and dispatched at run time (`vl_vit_select_isa`).
#ifndef VL_VIT_H
#define VL_VIT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction sets the ViT kernels run on.
enum { VL_VIT_ISA_SSE2 = 0, VL_VIT_ISA_AVX2 = 1, VL_VIT_ISA_AVX512 = 2 };

/// Chooses the kernels' ISA: the best of `max_isa` and what this CPU has (cpuid). Call once at start-up;
/// without a call the best available is used. Returns the ISA in use.
int vl_vit_select_isa(int max_isa);
/// The ISA in use (VL_VIT_ISA_*).
int vl_vit_isa(void);

/// Floats of scratch `vl_flash_attention` needs for a segment of `seq_len` rows and `head_dim`.
size_t vl_flash_attention_scratch(int64_t seq_len, int64_t head_dim);

/// Attention of one head over one segment, for query rows [q_begin, q_end) of the segment:
/// out[i, :] = softmax(q_i · Kᵀ · scale) · V over the segment's `seq_len` keys, computed block by block with an
/// online softmax (no score matrix). `q`, `k`, `v` point at the segment's first row of this head (row stride
/// `ld_in` floats); `out` at the segment's first output row of this head (row stride `ld_out`).
/// `scratch` holds `vl_flash_attention_scratch(seq_len, head_dim)` floats, 64-byte aligned.
void vl_flash_attention(const float *q, const float *k, const float *v, int64_t ld_in,
                        float *out, int64_t ld_out, int64_t seq_len, int64_t head_dim,
                        int64_t q_begin, int64_t q_end, float scale, float *scratch);

/// Fused SwiGLU activation: for each of `rows` rows of `gate_up` (`[rows, 2·width]`, gate then up),
/// out[r, i] = silu(gate[r, i]) · up[r, i], silu(x) = x / (1 + exp(−x)); `out` is `[rows, width]`.
void vl_silu_mul(const float *gate_up, float *out, int64_t rows, int64_t width);

/// out[i] = exp(x[i]) with the kernels' vector exp (Cephes polynomial, about 2 ulp); for tests.
void vl_vit_exp(const float *x, float *out, int64_t count);

#ifdef __cplusplus
}
#endif
#endif
