#include "COneDNN.h"
#include "CKernels.h"
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---- shared engine and error helpers -------------------------------------------------------------

static dnnl_engine_t vl_engine = NULL;
static dnnl_status_t vl_engine_status = dnnl_success;
static pthread_once_t vl_engine_once = PTHREAD_ONCE_INIT;
static void vl_engine_init(void) { vl_engine_status = dnnl_engine_create(&vl_engine, dnnl_cpu, 0); }

static int vl_fail(char *err, size_t err_len, const char *fmt, ...) {
    if (err && err_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_len, fmt, ap);
        va_end(ap);
    }
    return 1;
}

#define VL_CHECK(call) do { dnnl_status_t s_ = (call); \
    if (s_ != dnnl_success) { rc = vl_fail(err, err_len, "oneDNN %s failed (status %d)", #call, (int)s_); goto done; } \
} while (0)

static int vl_get_engine(dnnl_engine_t *out, char *err, size_t err_len) {
    pthread_once(&vl_engine_once, vl_engine_init);
    if (vl_engine_status != dnnl_success || !vl_engine)
        return vl_fail(err, err_len, "oneDNN could not create a CPU engine (status %d)", (int)vl_engine_status);
    *out = vl_engine;
    return 0;
}

void vl_onednn_version(char *out, size_t out_len) {
    const dnnl_version_t *v = dnnl_version();
    snprintf(out, out_len, "%d.%d.%d", v->major, v->minor, v->patch);
}

static void vl_dims(dnnl_dims_t d, int n, const int64_t *values) {
    memset(d, 0, sizeof(dnnl_dims_t));
    for (int i = 0; i < n; i++) d[i] = values[i];
}

static int vl_md(dnnl_memory_desc_t *md, int n, const int64_t *values, dnnl_data_type_t dt, dnnl_format_tag_t tag) {
    dnnl_dims_t d;
    vl_dims(d, n, values);
    return dnnl_memory_desc_init_by_tag(md, n, d, dt, tag) == dnnl_success ? 0 : 1;
}

/// Reorders `src` (described by src_md) into a new memory of `dst_md`.
static int vl_reorder_new(dnnl_engine_t eng, dnnl_stream_t stream, const dnnl_memory_desc_t *src_md, void *src,
                          const dnnl_memory_desc_t *dst_md, dnnl_memory_t *out, char *err, size_t err_len) {
    int rc = 0;
    dnnl_memory_t src_mem = NULL, dst_mem = NULL;
    dnnl_primitive_desc_t rpd = NULL;
    dnnl_primitive_t reorder = NULL;
    VL_CHECK(dnnl_memory_create(&src_mem, src_md, eng, src));
    VL_CHECK(dnnl_memory_create(&dst_mem, dst_md, eng, DNNL_MEMORY_ALLOCATE));
    VL_CHECK(dnnl_reorder_primitive_desc_create(&rpd, src_md, eng, dst_md, eng, NULL));
    VL_CHECK(dnnl_primitive_create(&reorder, rpd));
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, src_mem}, {DNNL_ARG_TO, dst_mem}};
    VL_CHECK(dnnl_primitive_execute(reorder, stream, 2, args));
    VL_CHECK(dnnl_stream_wait(stream));
    *out = dst_mem;
    dst_mem = NULL;
done:
    if (reorder) dnnl_primitive_destroy(reorder);
    if (rpd) dnnl_primitive_desc_destroy(rpd);
    if (src_mem) dnnl_memory_destroy(src_mem);
    if (dst_mem) dnnl_memory_destroy(dst_mem);
    return rc;
}

static uint16_t *vl_to_bf16(const float *src, size_t count) {
    uint16_t *out = malloc(count * sizeof(uint16_t) + 64);
    if (out) vl_f32_to_bf16(src, out, count);
    return out;
}

// ---- primitive cache -------------------------------------------------------------------------------

typedef struct {
    int valid;
    int64_t key[5];
    uint64_t used;
    dnnl_primitive_t prim;
    dnnl_memory_t src, dst;
    dnnl_memory_t own_weights;  // only when this shape wanted another weights layout
    // Convolution only: when the primitive wants blocked activations, the plain user memories, the blocked
    // ones and the reorders between them.
    dnnl_primitive_t src_reorder, dst_reorder;
    dnnl_memory_t user_src, user_dst;
    char impl[96];
} vl_entry;

static void vl_entry_clear(vl_entry *e) {
    if (e->prim) dnnl_primitive_destroy(e->prim);
    if (e->src) dnnl_memory_destroy(e->src);
    if (e->dst) dnnl_memory_destroy(e->dst);
    if (e->own_weights) dnnl_memory_destroy(e->own_weights);
    if (e->src_reorder) dnnl_primitive_destroy(e->src_reorder);
    if (e->dst_reorder) dnnl_primitive_destroy(e->dst_reorder);
    if (e->user_src) dnnl_memory_destroy(e->user_src);
    if (e->user_dst) dnnl_memory_destroy(e->user_dst);
    memset(e, 0, sizeof(*e));
}

/// The cached entry for `key`, or the slot to fill (cleared; the least recently used one when full).
static vl_entry *vl_cache_slot(vl_entry *cache, uint64_t *tick, const int64_t key[5], int *hit) {
    vl_entry *victim = &cache[0];
    for (int i = 0; i < VL_ONEDNN_CACHE; i++) {
        vl_entry *e = &cache[i];
        if (e->valid && memcmp(e->key, key, sizeof(e->key)) == 0) {
            e->used = ++*tick;
            *hit = 1;
            return e;
        }
        if (!e->valid) { if (victim->valid) victim = e; }
        else if (victim->valid && e->used < victim->used) victim = e;
    }
    vl_entry_clear(victim);
    memcpy(victim->key, key, sizeof(victim->key));
    victim->used = ++*tick;
    *hit = 0;
    return victim;
}

static void vl_impl_name(dnnl_primitive_desc_t pd, char *out, size_t out_len) {
    const char *name = NULL;
    if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success && name)
        snprintf(out, out_len, "%s", name);
    else
        snprintf(out, out_len, "unknown");
}

// ---- matmul --------------------------------------------------------------------------------------

struct vl_matmul {
    pthread_mutex_t mu;
    int64_t n, k;
    int bf16;
    dnnl_engine_t eng;
    dnnl_stream_t stream;
    dnnl_memory_desc_t wmd;
    dnnl_memory_t wmem, bmem;
    void *scratch;
    size_t scratch_bytes;
    uint64_t tick;
    vl_entry cache[VL_ONEDNN_CACHE];
};

static int vl_matmul_pd(vl_matmul *mm, int64_t m, const dnnl_memory_desc_t *wmd, dnnl_primitive_desc_t *pd) {
    dnnl_data_type_t dt = mm->bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t smd, bmd, dmd;
    int64_t s[2] = {m, mm->k}, b[2] = {1, mm->n}, d[2] = {m, mm->n};
    if (vl_md(&smd, 2, s, dt, dnnl_ab) || vl_md(&bmd, 2, b, dnnl_f32, dnnl_ab) || vl_md(&dmd, 2, d, dnnl_f32, dnnl_ab))
        return 1;
    dnnl_matmul_desc_t desc;
    if (dnnl_matmul_desc_init(&desc, &smd, wmd, mm->bmem ? &bmd : NULL, &dmd) != dnnl_success) return 1;
    return dnnl_primitive_desc_create(pd, &desc, NULL, mm->eng, NULL) == dnnl_success ? 0 : 1;
}

int vl_matmul_create(vl_matmul **out, int64_t n, int64_t k, const float *weight, const float *bias, int bf16,
                     char *err, size_t err_len) {
    int rc = 0;
    uint16_t *wbf = NULL;
    dnnl_primitive_desc_t pd = NULL;
    *out = NULL;
    if (n <= 0 || k <= 0) return vl_fail(err, err_len, "matmul extents must be positive (n %lld, k %lld)",
                                         (long long)n, (long long)k);
    vl_matmul *mm = calloc(1, sizeof(vl_matmul));
    if (!mm) return vl_fail(err, err_len, "out of memory");
    pthread_mutex_init(&mm->mu, NULL);
    mm->n = n; mm->k = k; mm->bf16 = bf16;
    if ((rc = vl_get_engine(&mm->eng, err, err_len))) goto done;
    VL_CHECK(dnnl_stream_create(&mm->stream, mm->eng, dnnl_stream_default_flags));
    if (bias) {
        dnnl_memory_desc_t bmd;
        int64_t b[2] = {1, n};
        vl_md(&bmd, 2, b, dnnl_f32, dnnl_ab);
        VL_CHECK(dnnl_memory_create(&mm->bmem, &bmd, mm->eng, DNNL_MEMORY_ALLOCATE));
        void *h = NULL;
        VL_CHECK(dnnl_memory_get_data_handle(mm->bmem, &h));
        memcpy(h, bias, (size_t)n * sizeof(float));
    }
    // The weights layout the primitive prefers, asked for a representative row count.
    dnnl_data_type_t dt = bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t any_md;
    int64_t wdims[2] = {k, n};
    vl_md(&any_md, 2, wdims, dt, dnnl_format_tag_any);
    if (vl_matmul_pd(mm, 1024, &any_md, &pd)) { rc = vl_fail(err, err_len, "oneDNN has no matmul for k %lld, n %lld",
                                                            (long long)k, (long long)n); goto done; }
    mm->wmd = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    // W [n, k] row-major is the logical [k, n] matrix in "ba" order.
    dnnl_memory_desc_t src_md;
    vl_md(&src_md, 2, wdims, dt, dnnl_ba);
    void *src = (void *)weight;
    if (bf16) {
        wbf = vl_to_bf16(weight, (size_t)(n * k));
        if (!wbf) { rc = vl_fail(err, err_len, "out of memory"); goto done; }
        src = wbf;
    }
    if ((rc = vl_reorder_new(mm->eng, mm->stream, &src_md, src, &mm->wmd, &mm->wmem, err, err_len))) goto done;
    *out = mm;
    mm = NULL;
done:
    free(wbf);
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (mm) vl_matmul_destroy(mm);
    return rc;
}

static int vl_matmul_entry(vl_matmul *mm, int64_t m, vl_entry **out, char *err, size_t err_len) {
    int rc = 0, hit = 0;
    int64_t key[5] = {m, 0, 0, 0, 0};
    dnnl_primitive_desc_t pd = NULL;
    vl_entry *e = vl_cache_slot(mm->cache, &mm->tick, key, &hit);
    if (hit) { *out = e; return 0; }
    if (vl_matmul_pd(mm, m, &mm->wmd, &pd)) {
        // This row count wants another weights layout: give it its own reordered copy.
        dnnl_data_type_t dt = mm->bf16 ? dnnl_bf16 : dnnl_f32;
        dnnl_memory_desc_t any_md;
        int64_t wdims[2] = {mm->k, mm->n};
        vl_md(&any_md, 2, wdims, dt, dnnl_format_tag_any);
        if (vl_matmul_pd(mm, m, &any_md, &pd)) {
            rc = vl_fail(err, err_len, "oneDNN has no matmul for m %lld", (long long)m);
            goto done;
        }
        const dnnl_memory_desc_t *want = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        void *prepared = NULL;
        VL_CHECK(dnnl_memory_get_data_handle(mm->wmem, &prepared));
        if ((rc = vl_reorder_new(mm->eng, mm->stream, &mm->wmd, prepared, want, &e->own_weights, err, err_len))) goto done;
    }
    VL_CHECK(dnnl_primitive_create(&e->prim, pd));
    VL_CHECK(dnnl_memory_create(&e->src, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), mm->eng, DNNL_MEMORY_NONE));
    VL_CHECK(dnnl_memory_create(&e->dst, dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), mm->eng, DNNL_MEMORY_NONE));
    vl_impl_name(pd, e->impl, sizeof(e->impl));
    e->valid = 1;
    *out = e;
done:
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (rc) vl_entry_clear(e);
    return rc;
}

static int vl_scratch(void **buf, size_t *cap, size_t bytes) {
    if (*cap >= bytes) return 0;
    void *p = realloc(*buf, bytes + 64);
    if (!p) return 1;
    *buf = p;
    *cap = bytes;
    return 0;
}

int vl_matmul_run(vl_matmul *mm, const float *a, int64_t m, float *c, int threads, char *err, size_t err_len) {
    int rc = 0;
    if (m <= 0) return 0;
    pthread_mutex_lock(&mm->mu);
    vl_entry *e = NULL;
    if ((rc = vl_matmul_entry(mm, m, &e, err, err_len))) goto done;
    void *src = (void *)a;
    if (mm->bf16) {
        size_t count = (size_t)(m * mm->k);
        if (vl_scratch(&mm->scratch, &mm->scratch_bytes, count * sizeof(uint16_t))) {
            rc = vl_fail(err, err_len, "out of memory for %zu bf16 activations", count);
            goto done;
        }
        vl_f32_to_bf16(a, mm->scratch, count);
        src = mm->scratch;
    }
    VL_CHECK(dnnl_memory_set_data_handle(e->src, src));
    VL_CHECK(dnnl_memory_set_data_handle(e->dst, c));
    vl_omp_set_threads(threads);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->own_weights ? e->own_weights : mm->wmem},
                               {DNNL_ARG_DST, e->dst}, {DNNL_ARG_BIAS, mm->bmem}};
    VL_CHECK(dnnl_primitive_execute(e->prim, mm->stream, mm->bmem ? 4 : 3, args));
    VL_CHECK(dnnl_stream_wait(mm->stream));
done:
    pthread_mutex_unlock(&mm->mu);
    return rc;
}

int vl_matmul_impl(vl_matmul *mm, int64_t m, char *out, size_t out_len, char *err, size_t err_len) {
    pthread_mutex_lock(&mm->mu);
    vl_entry *e = NULL;
    int rc = vl_matmul_entry(mm, m > 0 ? m : 1, &e, err, err_len);
    if (!rc) snprintf(out, out_len, "%s", e->impl);
    pthread_mutex_unlock(&mm->mu);
    return rc;
}

void vl_matmul_destroy(vl_matmul *mm) {
    if (!mm) return;
    for (int i = 0; i < VL_ONEDNN_CACHE; i++) vl_entry_clear(&mm->cache[i]);
    if (mm->wmem) dnnl_memory_destroy(mm->wmem);
    if (mm->bmem) dnnl_memory_destroy(mm->bmem);
    if (mm->stream) dnnl_stream_destroy(mm->stream);
    free(mm->scratch);
    pthread_mutex_destroy(&mm->mu);
    free(mm);
}

// ---- convolution ---------------------------------------------------------------------------------

struct vl_conv3d {
    pthread_mutex_t mu;
    int64_t g[11];  // ic, oc, kt, kh, kw, st, sh, sw, pt, ph, pw
    int bf16;
    dnnl_engine_t eng;
    dnnl_stream_t stream;
    uint16_t *wbf;           // bf16 weights [oc, ic, kt, kh, kw] (bf16 only)
    float *wcopy;
    dnnl_memory_desc_t wmd;  // prepared layout (set by the first shape)
    dnnl_memory_t wmem, bmem;
    void *scratch;
    size_t scratch_bytes;
    uint64_t tick;
    vl_entry cache[VL_ONEDNN_CACHE];
};

static int vl_conv_pd(vl_conv3d *cv, const int64_t shape[4], const dnnl_memory_desc_t *wmd, dnnl_primitive_desc_t *pd) {
    const int64_t *g = cv->g;
    dnnl_data_type_t dt = cv->bf16 ? dnnl_bf16 : dnnl_f32;
    int64_t od = (shape[1] + 2 * g[8] - g[2]) / g[5] + 1;
    int64_t oh = (shape[2] + 2 * g[9] - g[3]) / g[6] + 1;
    int64_t ow = (shape[3] + 2 * g[10] - g[4]) / g[7] + 1;
    int64_t s[5] = {shape[0], g[0], shape[1], shape[2], shape[3]}, d[5] = {shape[0], g[1], od, oh, ow}, b[1] = {g[1]};
    dnnl_memory_desc_t smd, dmd, bmd;
    // Activations in whatever layout the primitive prefers (blocked nCdhw16c for the optimised kernels);
    // vl_conv_entry adds reorders from and to the plain NCDHW the caller uses.
    if (vl_md(&smd, 5, s, dt, dnnl_format_tag_any) || vl_md(&dmd, 5, d, dnnl_f32, dnnl_format_tag_any)
        || vl_md(&bmd, 1, b, dnnl_f32, dnnl_a))
        return 1;
    dnnl_dims_t strides, pad;
    int64_t st[3] = {g[5], g[6], g[7]}, pd3[3] = {g[8], g[9], g[10]};
    vl_dims(strides, 3, st);
    vl_dims(pad, 3, pd3);
    dnnl_convolution_desc_t desc;
    if (dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &smd, wmd,
                                           cv->bmem ? &bmd : NULL, &dmd, strides, pad, pad) != dnnl_success)
        return 1;
    return dnnl_primitive_desc_create(pd, &desc, NULL, cv->eng, NULL) == dnnl_success ? 0 : 1;
}

int vl_conv3d_create(vl_conv3d **out, const int64_t geometry[11], const float *weight, const float *bias, int bf16,
                     char *err, size_t err_len) {
    int rc = 0;
    *out = NULL;
    vl_conv3d *cv = calloc(1, sizeof(vl_conv3d));
    if (!cv) return vl_fail(err, err_len, "out of memory");
    pthread_mutex_init(&cv->mu, NULL);
    memcpy(cv->g, geometry, sizeof(cv->g));
    cv->bf16 = bf16;
    size_t wcount = (size_t)(geometry[0] * geometry[1] * geometry[2] * geometry[3] * geometry[4]);
    if ((rc = vl_get_engine(&cv->eng, err, err_len))) goto done;
    VL_CHECK(dnnl_stream_create(&cv->stream, cv->eng, dnnl_stream_default_flags));
    if (bf16) {
        cv->wbf = vl_to_bf16(weight, wcount);
        if (!cv->wbf) { rc = vl_fail(err, err_len, "out of memory"); goto done; }
    } else {
        cv->wcopy = malloc(wcount * sizeof(float) + 64);
        if (!cv->wcopy) { rc = vl_fail(err, err_len, "out of memory"); goto done; }
        memcpy(cv->wcopy, weight, wcount * sizeof(float));
    }
    if (bias) {
        dnnl_memory_desc_t bmd;
        int64_t b[1] = {geometry[1]};
        vl_md(&bmd, 1, b, dnnl_f32, dnnl_a);
        VL_CHECK(dnnl_memory_create(&cv->bmem, &bmd, cv->eng, DNNL_MEMORY_ALLOCATE));
        void *h = NULL;
        VL_CHECK(dnnl_memory_get_data_handle(cv->bmem, &h));
        memcpy(h, bias, (size_t)geometry[1] * sizeof(float));
    }
    *out = cv;
    cv = NULL;
done:
    if (cv) vl_conv3d_destroy(cv);
    return rc;
}

static int vl_conv_entry(vl_conv3d *cv, const int64_t shape[4], vl_entry **out, char *err, size_t err_len) {
    int rc = 0, hit = 0;
    int64_t key[5] = {shape[0], shape[1], shape[2], shape[3], 0};
    dnnl_primitive_desc_t pd = NULL;
    vl_entry *e = vl_cache_slot(cv->cache, &cv->tick, key, &hit);
    if (hit) { *out = e; return 0; }
    dnnl_data_type_t dt = cv->bf16 ? dnnl_bf16 : dnnl_f32;
    const int64_t *g = cv->g;
    int64_t wdims[5] = {g[1], g[0], g[2], g[3], g[4]};
    dnnl_memory_desc_t any_md, plain_md;
    vl_md(&any_md, 5, wdims, dt, dnnl_format_tag_any);
    vl_md(&plain_md, 5, wdims, dt, dnnl_oidhw);
    void *plain = cv->bf16 ? (void *)cv->wbf : (void *)cv->wcopy;
    if (!cv->wmem || vl_conv_pd(cv, shape, &cv->wmd, &pd)) {
        if (pd) { dnnl_primitive_desc_destroy(pd); pd = NULL; }
        if (vl_conv_pd(cv, shape, &any_md, &pd)) {
            rc = vl_fail(err, err_len, "oneDNN has no convolution for input %lldx%lldx%lldx%lld",
                         (long long)shape[0], (long long)shape[1], (long long)shape[2], (long long)shape[3]);
            goto done;
        }
        const dnnl_memory_desc_t *want = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        if (!cv->wmem) {
            cv->wmd = *want;
            if ((rc = vl_reorder_new(cv->eng, cv->stream, &plain_md, plain, &cv->wmd, &cv->wmem, err, err_len))) goto done;
        } else if ((rc = vl_reorder_new(cv->eng, cv->stream, &plain_md, plain, want, &e->own_weights, err, err_len))) {
            goto done;
        }
    }
    VL_CHECK(dnnl_primitive_create(&e->prim, pd));
    {
        const dnnl_memory_desc_t *want_src = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
        const dnnl_memory_desc_t *want_dst = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);
        int64_t od = (shape[1] + 2 * g[8] - g[2]) / g[5] + 1;
        int64_t oh = (shape[2] + 2 * g[9] - g[3]) / g[6] + 1;
        int64_t ow = (shape[3] + 2 * g[10] - g[4]) / g[7] + 1;
        int64_t sd[5] = {shape[0], g[0], shape[1], shape[2], shape[3]}, dd[5] = {shape[0], g[1], od, oh, ow};
        dnnl_memory_desc_t plain_src, plain_dst;
        vl_md(&plain_src, 5, sd, dt, dnnl_ncdhw);
        vl_md(&plain_dst, 5, dd, dnnl_f32, dnnl_ncdhw);
        if (dnnl_memory_desc_equal(want_src, &plain_src)) {
            VL_CHECK(dnnl_memory_create(&e->src, want_src, cv->eng, DNNL_MEMORY_NONE));
        } else {
            dnnl_primitive_desc_t rpd = NULL;
            VL_CHECK(dnnl_memory_create(&e->user_src, &plain_src, cv->eng, DNNL_MEMORY_NONE));
            VL_CHECK(dnnl_memory_create(&e->src, want_src, cv->eng, DNNL_MEMORY_ALLOCATE));
            VL_CHECK(dnnl_reorder_primitive_desc_create(&rpd, &plain_src, cv->eng, want_src, cv->eng, NULL));
            dnnl_status_t st = dnnl_primitive_create(&e->src_reorder, rpd);
            dnnl_primitive_desc_destroy(rpd);
            VL_CHECK(st);
        }
        if (dnnl_memory_desc_equal(want_dst, &plain_dst)) {
            VL_CHECK(dnnl_memory_create(&e->dst, want_dst, cv->eng, DNNL_MEMORY_NONE));
        } else {
            dnnl_primitive_desc_t rpd = NULL;
            VL_CHECK(dnnl_memory_create(&e->user_dst, &plain_dst, cv->eng, DNNL_MEMORY_NONE));
            VL_CHECK(dnnl_memory_create(&e->dst, want_dst, cv->eng, DNNL_MEMORY_ALLOCATE));
            VL_CHECK(dnnl_reorder_primitive_desc_create(&rpd, want_dst, cv->eng, &plain_dst, cv->eng, NULL));
            dnnl_status_t st = dnnl_primitive_create(&e->dst_reorder, rpd);
            dnnl_primitive_desc_destroy(rpd);
            VL_CHECK(st);
        }
    }
    vl_impl_name(pd, e->impl, sizeof(e->impl));
    if (e->src_reorder || e->dst_reorder) {
        size_t len = strlen(e->impl);
        snprintf(e->impl + len, sizeof(e->impl) - len, "%s", " (+reorders)");
    }
    e->valid = 1;
    *out = e;
done:
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (rc) vl_entry_clear(e);
    return rc;
}

int vl_conv3d_run(vl_conv3d *cv, const float *input, int64_t batch, int64_t d, int64_t h, int64_t w,
                  float *output, int threads, char *err, size_t err_len) {
    int rc = 0;
    if (batch <= 0) return 0;
    int64_t shape[4] = {batch, d, h, w};
    pthread_mutex_lock(&cv->mu);
    vl_entry *e = NULL;
    if ((rc = vl_conv_entry(cv, shape, &e, err, err_len))) goto done;
    void *src = (void *)input;
    if (cv->bf16) {
        size_t count = (size_t)(batch * cv->g[0] * d * h * w);
        if (vl_scratch(&cv->scratch, &cv->scratch_bytes, count * sizeof(uint16_t))) {
            rc = vl_fail(err, err_len, "out of memory for %zu bf16 activations", count);
            goto done;
        }
        vl_f32_to_bf16(input, cv->scratch, count);
        src = cv->scratch;
    }
    vl_omp_set_threads(threads);
    if (e->src_reorder) {
        VL_CHECK(dnnl_memory_set_data_handle(e->user_src, src));
        dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, e->user_src}, {DNNL_ARG_TO, e->src}};
        VL_CHECK(dnnl_primitive_execute(e->src_reorder, cv->stream, 2, rargs));
    } else {
        VL_CHECK(dnnl_memory_set_data_handle(e->src, src));
    }
    if (e->dst_reorder) VL_CHECK(dnnl_memory_set_data_handle(e->user_dst, output));
    else VL_CHECK(dnnl_memory_set_data_handle(e->dst, output));
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->own_weights ? e->own_weights : cv->wmem},
                               {DNNL_ARG_DST, e->dst}, {DNNL_ARG_BIAS, cv->bmem}};
    VL_CHECK(dnnl_primitive_execute(e->prim, cv->stream, cv->bmem ? 4 : 3, args));
    if (e->dst_reorder) {
        dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, e->dst}, {DNNL_ARG_TO, e->user_dst}};
        VL_CHECK(dnnl_primitive_execute(e->dst_reorder, cv->stream, 2, rargs));
    }
    VL_CHECK(dnnl_stream_wait(cv->stream));
done:
    pthread_mutex_unlock(&cv->mu);
    return rc;
}

int vl_conv3d_impl(vl_conv3d *cv, int64_t batch, int64_t d, int64_t h, int64_t w, char *out, size_t out_len,
                   char *err, size_t err_len) {
    int64_t shape[4] = {batch > 0 ? batch : 1, d, h, w};
    pthread_mutex_lock(&cv->mu);
    vl_entry *e = NULL;
    int rc = vl_conv_entry(cv, shape, &e, err, err_len);
    if (!rc) snprintf(out, out_len, "%s", e->impl);
    pthread_mutex_unlock(&cv->mu);
    return rc;
}

void vl_conv3d_destroy(vl_conv3d *cv) {
    if (!cv) return;
    for (int i = 0; i < VL_ONEDNN_CACHE; i++) vl_entry_clear(&cv->cache[i]);
    if (cv->wmem) dnnl_memory_destroy(cv->wmem);
    if (cv->bmem) dnnl_memory_destroy(cv->bmem);
    if (cv->stream) dnnl_stream_destroy(cv->stream);
    free(cv->wbf);
    free(cv->wcopy);
    free(cv->scratch);
    pthread_mutex_destroy(&cv->mu);
    free(cv);
}
