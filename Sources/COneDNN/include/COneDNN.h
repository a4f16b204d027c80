// A small C layer over oneDNN's C API (Debian libdnnl-dev 2.6.3) for VisionCore: a matmul
// `C[m, n] = A[m, k] · W[n, k]^T + bias[n]` and a 3-D convolution (NCDHW), each in float32 or bfloat16
// (inputs and weights rounded to bfloat16 with round to nearest even, float32 accumulation and output).
//
// Weights are converted and reordered ONCE, at creation, into the layout the primitive prefers. Primitives
// are created per shape class (the row count m for the matmul, the input extents for the convolution) and
// kept in a small LRU cache (VL_ONEDNN_CACHE entries), so a shape seen before never builds a primitive
// again. Objects are thread-safe (one mutex each); calls on one object run one at a time.
//
// Every function returns 0 on success, else nonzero with a NUL-terminated message in `err` (may be NULL).
#ifndef CONEDNN_H
#define CONEDNN_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VL_ONEDNN_CACHE 32

typedef struct vl_matmul vl_matmul;
typedef struct vl_conv3d vl_conv3d;

/// weight: [n, k] row-major float32; bias: [n] or NULL. bf16: 0 float32, 1 bfloat16.
int vl_matmul_create(vl_matmul **out, int64_t n, int64_t k, const float *weight, const float *bias, int bf16,
                     char *err, size_t err_len);
/// c[m, n] = a[m, k] · W^T + bias. `threads` is the OpenMP thread count for this call (>= 1).
int vl_matmul_run(vl_matmul *mm, const float *a, int64_t m, float *c, int threads, char *err, size_t err_len);
/// oneDNN's implementation name for row count m (e.g. "brg:avx512_core_bf16"), building the primitive if needed.
int vl_matmul_impl(vl_matmul *mm, int64_t m, char *out, size_t out_len, char *err, size_t err_len);
void vl_matmul_destroy(vl_matmul *mm);

/// torch.nn.Conv3d(groups 1, dilation 1, zero padding). weight: [oc, ic, kt, kh, kw]; bias: [oc] or NULL.
/// geometry: {ic, oc, kt, kh, kw, st, sh, sw, pt, ph, pw}.
int vl_conv3d_create(vl_conv3d **out, const int64_t geometry[11], const float *weight, const float *bias, int bf16,
                     char *err, size_t err_len);
/// input: [batch, ic, d, h, w]; output: [batch, oc, od, oh, ow] (extents computed by the caller).
int vl_conv3d_run(vl_conv3d *conv, const float *input, int64_t batch, int64_t d, int64_t h, int64_t w,
                  float *output, int threads, char *err, size_t err_len);
int vl_conv3d_impl(vl_conv3d *conv, int64_t batch, int64_t d, int64_t h, int64_t w, char *out, size_t out_len,
                   char *err, size_t err_len);
void vl_conv3d_destroy(vl_conv3d *conv);

/// "2.6.3" (the library that is loaded).
void vl_onednn_version(char *out, size_t out_len);

#ifdef __cplusplus
}
#endif
#endif
