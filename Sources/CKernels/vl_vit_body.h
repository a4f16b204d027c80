// The ViT kernels' body, included three times by vl_vit.c with VL_FN(name) (a per-ISA name) and
// VL_ATTR (the target attribute) defined. Vectors are 16 floats (vl_vf); on AVX2 and SSE2 the compiler
// splits them into 2 or 4 registers.

static inline VL_ATTR __attribute__((always_inline)) vl_vf VL_FN(load)(const float *p) {
    vl_vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline VL_ATTR __attribute__((always_inline)) void VL_FN(store)(float *p, vl_vf v) {
    memcpy(p, &v, sizeof v);
}

static inline VL_ATTR __attribute__((always_inline)) vl_vf VL_FN(splat)(float x) {
    vl_vf v = {x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
    return v;
}

// exp(x): Cephes expf (range reduction by ln 2 in two parts, degree-6 polynomial); inputs clamped to
// [-87.34, 88.38]. About 2 ulp over the range.
static inline VL_ATTR __attribute__((always_inline)) vl_vf VL_FN(exp)(vl_vf x) {
    x = __builtin_elementwise_min(x, VL_FN(splat)(88.3762626647949f));
    x = __builtin_elementwise_max(x, VL_FN(splat)(-87.3365447504f));
    vl_vf t = x * VL_FN(splat)(1.44269504088896341f) + VL_FN(splat)(0.5f);
    vl_vf fx = __builtin_convertvector(__builtin_convertvector(t, vl_vi), vl_vf);
    fx = fx + __builtin_convertvector(fx > t, vl_vf);              // floor: subtract 1 where truncation rounded up
    x = x - fx * VL_FN(splat)(0.693359375f);
    x = x - fx * VL_FN(splat)(-2.12194440e-4f);
    vl_vf z = x * x;
    vl_vf y = VL_FN(splat)(1.9875691500e-4f);
    y = y * x + VL_FN(splat)(1.3981999507e-3f);
    y = y * x + VL_FN(splat)(8.3334519073e-3f);
    y = y * x + VL_FN(splat)(4.1665795894e-2f);
    y = y * x + VL_FN(splat)(1.6666665459e-1f);
    y = y * x + VL_FN(splat)(5.0000001201e-1f);
    y = y * z + x + VL_FN(splat)(1.0f);
    vl_vi e = (__builtin_convertvector(fx, vl_vi) + 127) << 23;
    return y * (vl_vf)e;
}

// The maximum of the 16 lanes, in every lane (a butterfly of 4 shuffles).
static inline VL_ATTR __attribute__((always_inline)) vl_vf VL_FN(allmax)(vl_vf v) {
    v = __builtin_elementwise_max(v, __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
    v = __builtin_elementwise_max(v, __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11));
    v = __builtin_elementwise_max(v, __builtin_shufflevector(v, v, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
    v = __builtin_elementwise_max(v, __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
    return v;
}

static inline VL_ATTR __attribute__((always_inline)) float VL_FN(hsum)(vl_vf v) {
    vl_vf h = v;
    float s = 0;
    for (int i = 0; i < 16; i++) s += h[i];
    return s;
}

// See vl_flash_attention in vl_vit.h. Query rows are taken VL_QR (8) at a time (rows past q_end are computed on
// zeros and dropped), keys 16 at a time; K is transposed and V padded to a multiple of 16 columns in scratch.
static VL_ATTR void VL_FN(flash)(const float *q, const float *k, const float *v, int64_t ld_in, float *out,
                                 int64_t ld_out, int64_t seq_len, int64_t head_dim, int64_t q_begin,
                                 int64_t q_end, float scale, float *scratch) {
    const int64_t dpad = (head_dim + 15) & ~(int64_t)15;
    const int64_t lpad = (seq_len + 15) & ~(int64_t)15;
    float *kt = scratch;                  // [head_dim][lpad]
    float *vp = kt + head_dim * lpad;     // [seq_len][dpad]
    float *qt = vp + seq_len * dpad;      // [VL_QR][dpad]
    float *acc = qt + VL_QR * dpad;       // [VL_QR][dpad]
    float *pb = acc + VL_QR * dpad;       // [VL_QR][16]
    for (int64_t d = 0; d < head_dim; d++) {
        float *row = kt + d * lpad;
        for (int64_t j = 0; j < seq_len; j++) row[j] = k[j * ld_in + d];
        for (int64_t j = seq_len; j < lpad; j++) row[j] = 0;
    }
    for (int64_t j = 0; j < seq_len; j++) {
        memcpy(vp + j * dpad, v + j * ld_in, (size_t)head_dim * sizeof(float));
        for (int64_t d = head_dim; d < dpad; d++) vp[j * dpad + d] = 0;
    }
    for (int64_t i0 = q_begin; i0 < q_end; i0 += VL_QR) {
        const int64_t nr = q_end - i0 < VL_QR ? q_end - i0 : VL_QR;
        // Per row: the running maximum (in every lane) and the running sum of exp (per lane, reduced at the end).
        vl_vf m[VL_QR], l[VL_QR];
        for (int r = 0; r < VL_QR; r++) {
            m[r] = VL_FN(splat)(-FLT_MAX);
            l[r] = VL_FN(splat)(0);
            for (int64_t d = 0; d < dpad; d++) {
                acc[r * dpad + d] = 0;
                qt[r * dpad + d] = (r < nr && d < head_dim) ? q[(i0 + r) * ld_in + d] * scale : 0;
            }
        }
        for (int64_t kb = 0; kb < seq_len; kb += 16) {
            const int64_t n = seq_len - kb < 16 ? seq_len - kb : 16;
            vl_vf s[VL_QR];
            for (int r = 0; r < VL_QR; r++) s[r] = VL_FN(splat)(0);
            for (int64_t d = 0; d < head_dim; d++) {
                vl_vf kv = VL_FN(load)(kt + d * lpad + kb);
                for (int r = 0; r < VL_QR; r++) s[r] += VL_FN(splat)(qt[r * dpad + d]) * kv;
            }
            for (int r = 0; r < VL_QR; r++) {
                vl_vf sr = s[r];
                for (int64_t j = n; j < 16; j++) sr[j] = -FLT_MAX;
                vl_vf m_new = __builtin_elementwise_max(m[r], VL_FN(allmax)(sr));
                vl_vf p = VL_FN(exp)(sr - m_new);
                for (int64_t j = n; j < 16; j++) p[j] = 0;
                float corr = m_new[0] > m[r][0] ? expf(m[r][0] - m_new[0]) : 1.0f;
                l[r] = l[r] * VL_FN(splat)(corr) + p;
                m[r] = m_new;
                if (corr != 1.0f) {
                    for (int64_t c = 0; c < dpad; c += 16) {
                        VL_FN(store)(acc + r * dpad + c, VL_FN(load)(acc + r * dpad + c) * VL_FN(splat)(corr));
                    }
                }
                VL_FN(store)(pb + r * 16, p);
            }
            for (int64_t c = 0; c < dpad; c += 16) {
                vl_vf a[VL_QR];
                for (int r = 0; r < VL_QR; r++) a[r] = VL_FN(load)(acc + r * dpad + c);
                const float *vcol = vp + kb * dpad + c;
                for (int64_t j = 0; j < n; j++) {
                    vl_vf vv = VL_FN(load)(vcol + j * dpad);
                    for (int r = 0; r < VL_QR; r++) a[r] += VL_FN(splat)(pb[r * 16 + j]) * vv;
                }
                for (int r = 0; r < VL_QR; r++) VL_FN(store)(acc + r * dpad + c, a[r]);
            }
        }
        for (int64_t r = 0; r < nr; r++) {
            const float inv = 1.0f / VL_FN(hsum)(l[r]);
            float *o = out + (i0 + r) * ld_out;
            for (int64_t d = 0; d < head_dim; d++) o[d] = acc[r * dpad + d] * inv;
        }
    }
}

static VL_ATTR void VL_FN(silu_mul)(const float *gate_up, float *out, int64_t rows, int64_t width) {
    for (int64_t r = 0; r < rows; r++) {
        const float *g = gate_up + r * 2 * width;
        const float *u = g + width;
        float *o = out + r * width;
        int64_t i = 0;
        for (; i + 16 <= width; i += 16) {
            vl_vf x = VL_FN(load)(g + i);
            vl_vf y = x / (VL_FN(splat)(1.0f) + VL_FN(exp)(-x));
            VL_FN(store)(o + i, y * VL_FN(load)(u + i));
        }
        if (i < width) {
            float gt[16] = {0}, ut[16] = {0}, ot[16];
            memcpy(gt, g + i, (size_t)(width - i) * sizeof(float));
            memcpy(ut, u + i, (size_t)(width - i) * sizeof(float));
            vl_vf x = VL_FN(load)(gt);
            vl_vf y = x / (VL_FN(splat)(1.0f) + VL_FN(exp)(-x));
            VL_FN(store)(ot, y * VL_FN(load)(ut));
            memcpy(o + i, ot, (size_t)(width - i) * sizeof(float));
        }
    }
}

static VL_ATTR void VL_FN(exp_array)(const float *x, float *out, int64_t count) {
    for (int64_t i = 0; i < count; i += 16) {
        float t[16] = {0};
        int64_t n = count - i < 16 ? count - i : 16;
        memcpy(t, x + i, (size_t)n * sizeof(float));
        VL_FN(store)(t, VL_FN(exp)(VL_FN(load)(t)));
        memcpy(out + i, t, (size_t)n * sizeof(float));
    }
}
