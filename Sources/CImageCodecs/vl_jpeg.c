// libjpeg-turbo shim: header reading, RGB8 decoding (Pillow-compatible colour handling) and encoding.
#include "CImageCodecs.h"
#include "vl_common.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// Error manager: error_exit and the premature-EOF warning longjmp back into the shim (never further).
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int code;                       // VL_ERR_* to report after the jump
    char message[JMSG_LENGTH_MAX];
} vl_jpeg_error;

static void vl_jpeg_error_exit(j_common_ptr cinfo) {
    vl_jpeg_error *e = (vl_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    int msg = cinfo->err->msg_code;
    if (msg == JERR_OUT_OF_MEMORY) e->code = VL_ERR_NOMEM;
    else if (msg == JERR_BAD_PRECISION || msg == JERR_CONVERSION_NOTIMPL) e->code = VL_ERR_UNSUPPORTED;
    else if (msg == JERR_INPUT_EMPTY || msg == JERR_INPUT_EOF) e->code = VL_ERR_TRUNCATED;
    else if (msg == JERR_EMPTY_IMAGE) e->code = VL_ERR_DIMENSIONS;
    else if (msg == JERR_IMAGE_TOO_BIG || msg == JERR_WIDTH_OVERFLOW) e->code = VL_ERR_LIMIT;
    else if (e->code == VL_OK) e->code = VL_ERR_CORRUPT;
    longjmp(e->jump, 1);
}

static void vl_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    cinfo->err->num_warnings++;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        // libjpeg would pad with gray and carry on; Pillow reports the file as truncated. So do we.
        vl_jpeg_error *e = (vl_jpeg_error *)cinfo->err;
        e->code = VL_ERR_TRUNCATED;
        (*cinfo->err->format_message)(cinfo, e->message);
        longjmp(e->jump, 1);
    }
    // Other warnings (e.g. "Corrupt JPEG data: N extraneous bytes") are ignored, as Pillow does.
}

static void vl_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

typedef struct {
    struct jpeg_progress_mgr pub;
    int32_t max_scans;
} vl_jpeg_progress;

/// Bounds the number of progressive scans (libjpeg-turbo's advice against scan-count DoS; djpeg -maxscans).
static void vl_jpeg_progress_monitor(j_common_ptr cinfo) {
    vl_jpeg_progress *p = (vl_jpeg_progress *)cinfo->progress;
    if (p->max_scans > 0 && cinfo->is_decompressor) {
        int scan = ((j_decompress_ptr)cinfo)->input_scan_number;
        if (scan > p->max_scans) {
            vl_jpeg_error *e = (vl_jpeg_error *)cinfo->err;
            e->code = VL_ERR_LIMIT;
            snprintf(e->message, sizeof e->message, "progressive JPEG has more than %d scans", (int)p->max_scans);
            longjmp(e->jump, 1);
        }
    }
}

static void vl_jpeg_install_errors(j_common_ptr cinfo, vl_jpeg_error *e) {
    memset(e, 0, sizeof *e);
    cinfo->err = jpeg_std_error(&e->pub);
    e->pub.error_exit = vl_jpeg_error_exit;
    e->pub.emit_message = vl_jpeg_emit_message;
    e->pub.output_message = vl_jpeg_output_message;
    e->code = VL_OK;
}

int vl_jpeg_read_header(const uint8_t *data, size_t len, vl_jpeg_info *info, char *err, size_t err_len) {
    if (data == NULL || len == 0) {
        vl_set_err(err, err_len, "empty JPEG data");
        return VL_ERR_TRUNCATED;
    }
    struct jpeg_decompress_struct cinfo;
    vl_jpeg_error jerr;
    vl_jpeg_install_errors((j_common_ptr)&cinfo, &jerr);
    if (setjmp(jerr.jump)) {
        vl_set_err(err, err_len, "%s", jerr.message);
        info->width = (int32_t)cinfo.image_width;
        info->height = (int32_t)cinfo.image_height;
        jpeg_destroy_decompress(&cinfo);
        return jerr.code == VL_OK ? VL_ERR_CORRUPT : jerr.code;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    info->width = (int32_t)cinfo.image_width;
    info->height = (int32_t)cinfo.image_height;
    info->components = cinfo.num_components;
    info->progressive = cinfo.progressive_mode ? 1 : 0;
    jpeg_destroy_decompress(&cinfo);
    return VL_OK;
}

/// Pillow's MULDIV255: a*b/255 rounded, in integers.
static inline int vl_muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

int vl_jpeg_decode_rgb(const uint8_t *data, size_t len, uint8_t *out, size_t out_len, int32_t max_scans,
                       char *err, size_t err_len) {
    if (data == NULL || len == 0) {
        vl_set_err(err, err_len, "empty JPEG data");
        return VL_ERR_TRUNCATED;
    }
    struct jpeg_decompress_struct cinfo;
    vl_jpeg_error jerr;
    vl_jpeg_progress progress;
    vl_jpeg_install_errors((j_common_ptr)&cinfo, &jerr);
    if (setjmp(jerr.jump)) {
        vl_set_err(err, err_len, "%s", jerr.message);
        jpeg_destroy_decompress(&cinfo);  // frees every pool, including our row buffers
        return jerr.code == VL_OK ? VL_ERR_CORRUPT : jerr.code;
    }
    jpeg_create_decompress(&cinfo);
    memset(&progress, 0, sizeof progress);
    progress.pub.progress_monitor = vl_jpeg_progress_monitor;
    progress.max_scans = max_scans;
    cinfo.progress = &progress.pub;
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);

    const int comps = cinfo.num_components;
    if (comps == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else if (comps == 3) {
        cinfo.out_color_space = JCS_RGB;
    } else if (comps == 4) {
        cinfo.out_color_space = JCS_CMYK;
    } else {
        vl_set_err(err, err_len, "unsupported JPEG with %d components", comps);
        jpeg_destroy_decompress(&cinfo);
        return VL_ERR_UNSUPPORTED;
    }
    const size_t w = cinfo.image_width, h = cinfo.image_height;
    if (w == 0 || h == 0 || out == NULL || out_len != w * h * 3) {
        vl_set_err(err, err_len, "output buffer of %zu bytes does not fit %zux%zu RGB", out_len, w, h);
        jpeg_destroy_decompress(&cinfo);
        return VL_ERR_BUFFER;
    }
    jpeg_start_decompress(&cinfo);

    if (comps == 3) {
        while (cinfo.output_scanline < cinfo.output_height) {
            JSAMPROW rows[16];
            JDIMENSION first = cinfo.output_scanline;
            JDIMENSION n = cinfo.output_height - first;
            if (n > 16) n = 16;
            for (JDIMENSION i = 0; i < n; i++) rows[i] = out + (size_t)(first + i) * w * 3;
            if (jpeg_read_scanlines(&cinfo, rows, n) == 0) break;  // no progress (cannot happen with a memory source)
        }
    } else {
        JSAMPARRAY buf = (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE,
                                                    (JDIMENSION)(w * (size_t)comps), 1);
        while (cinfo.output_scanline < cinfo.output_height) {
            size_t y = cinfo.output_scanline;
            if (jpeg_read_scanlines(&cinfo, buf, 1) != 1) break;  // no progress (cannot happen with a memory source)
            const uint8_t *src = buf[0];
            uint8_t *dst = out + y * w * 3;
            if (comps == 1) {
                for (size_t x = 0; x < w; x++) {
                    uint8_t v = src[x];
                    dst[3 * x] = v; dst[3 * x + 1] = v; dst[3 * x + 2] = v;
                }
            } else {
                // Pillow: raw "CMYK;I" inverts every byte, then cmyk2rgb: out = nk - MULDIV255(c, nk),
                // nk = 255 - k. With inverted input c' = 255 - raw_c and nk = raw_k.
                for (size_t x = 0; x < w; x++) {
                    int nk = src[4 * x + 3];
                    for (int c = 0; c < 3; c++) {
                        int v = nk - vl_muldiv255(255 - src[4 * x + c], nk);
                        dst[3 * x + c] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
                    }
                }
            }
        }
    }
    if (cinfo.output_scanline < cinfo.output_height) {
        vl_set_err(err, err_len, "JPEG decoder stopped at row %u of %u", cinfo.output_scanline, cinfo.output_height);
        jpeg_destroy_decompress(&cinfo);
        return VL_ERR_TRUNCATED;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return VL_OK;
}

int vl_jpeg_encode_rgb(const uint8_t *pixels, int32_t width, int32_t height, int32_t quality,
                       uint8_t **out_data, size_t *out_len, char *err, size_t err_len) {
    *out_data = NULL;
    *out_len = 0;
    if (pixels == NULL || width <= 0 || height <= 0 || width > 65500 || height > 65500) {
        vl_set_err(err, err_len, "cannot encode a %dx%d image as JPEG (1...65500 per side)", (int)width, (int)height);
        return VL_ERR_BUFFER;
    }
    struct jpeg_compress_struct cinfo;
    vl_jpeg_error jerr;
    // The output buffer pointer lives on the heap (allocated before setjmp) so that it is well defined
    // after a longjmp; libjpeg-turbo's jpeg_mem_dest keeps it pointing at the current malloc'd buffer.
    typedef struct { unsigned char *buf; unsigned long len; } vl_holder;
    vl_holder *holder = (vl_holder *)calloc(1, sizeof(vl_holder));
    if (holder == NULL) {
        vl_set_err(err, err_len, "out of memory");
        return VL_ERR_NOMEM;
    }
    vl_jpeg_install_errors((j_common_ptr)&cinfo, &jerr);
    if (setjmp(jerr.jump)) {
        vl_set_err(err, err_len, "%s", jerr.message);
        jpeg_destroy_compress(&cinfo);
        free(holder->buf);
        free(holder);
        return jerr.code == VL_OK ? VL_ERR_CORRUPT : jerr.code;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &holder->buf, &holder->len);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width * 3);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out_data = holder->buf;
    *out_len = holder->len;
    free(holder);
    return VL_OK;
}

void vl_free(void *p) { free(p); }
