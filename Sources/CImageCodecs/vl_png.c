// libspng shim: PNG header reading and RGB8 decoding with transparency composited onto white
// exactly as Pillow's Image.alpha_composite does (transformers 5.x convert_to_rgb).
#include "CImageCodecs.h"
#include "vl_common.h"

#include <stdlib.h>
#include <string.h>
#include <spng.h>

/// Chunk limits: no single chunk (and no cached ancillary data) may exceed 64 MiB.
#define VL_PNG_CHUNK_LIMIT ((size_t)64 << 20)

static int vl_png_code(int spng_err) {
    if (spng_err == SPNG_IO_EOF) return VL_ERR_TRUNCATED;
    if (spng_err == SPNG_EWIDTH || spng_err == SPNG_EHEIGHT) return VL_ERR_DIMENSIONS;
    if (spng_err == SPNG_EMEM) return VL_ERR_NOMEM;
    if (spng_err == SPNG_ECHUNK_LIMITS || spng_err == SPNG_EUSER_WIDTH || spng_err == SPNG_EUSER_HEIGHT ||
        spng_err == SPNG_EOVERFLOW) return VL_ERR_LIMIT;
    return VL_ERR_CORRUPT;
}

static const char *vl_png_message(int spng_err) {
    if (spng_err == SPNG_IO_EOF) return "PNG data ends prematurely";
    return spng_strerror(spng_err);
}

/// Creates a decoder context over `data`; returns NULL and fills err on failure.
static spng_ctx *vl_png_open(const uint8_t *data, size_t len, struct spng_ihdr *ihdr, int *code,
                             char *err, size_t err_len) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (data == NULL || len == 0) {
        vl_set_err(err, err_len, "empty PNG data");
        *code = VL_ERR_TRUNCATED;
        return NULL;
    }
    if (len < 8 || memcmp(data, signature, 8) != 0) {
        vl_set_err(err, err_len, len < 8 ? "PNG data ends inside the signature" : "not a PNG signature");
        *code = len < 8 ? VL_ERR_TRUNCATED : VL_ERR_CORRUPT;
        return NULL;
    }
    spng_ctx *ctx = spng_ctx_new(0);
    if (ctx == NULL) {
        vl_set_err(err, err_len, "out of memory");
        *code = VL_ERR_NOMEM;
        return NULL;
    }
    int r = spng_set_chunk_limits(ctx, VL_PNG_CHUNK_LIMIT, VL_PNG_CHUNK_LIMIT);
    if (r == 0) r = spng_set_png_buffer(ctx, data, len);
    if (r == 0) r = spng_get_ihdr(ctx, ihdr);
    if (r != 0) {
        vl_set_err(err, err_len, "invalid PNG header: %s", vl_png_message(r));
        *code = vl_png_code(r);
        spng_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

int vl_png_read_header(const uint8_t *data, size_t len, vl_png_info *info, char *err, size_t err_len) {
    struct spng_ihdr ihdr;
    int code = VL_OK;
    spng_ctx *ctx = vl_png_open(data, len, &ihdr, &code, err, err_len);
    if (ctx == NULL) {
        if (code == VL_ERR_LIMIT && len >= 24) {
            // A valid IHDR whose size exceeds libspng's internal limits (e.g. 2^31-1 x 1 overflows its
            // row-size arithmetic): report the declared size so the caller's pixel limit rejects it.
            info->width = (((uint32_t)data[16] << 24) | ((uint32_t)data[17] << 16) | ((uint32_t)data[18] << 8) | data[19]);
            info->height = (((uint32_t)data[20] << 24) | ((uint32_t)data[21] << 16) | ((uint32_t)data[22] << 8) | data[23]);
            info->bit_depth = len > 24 ? data[24] : 0;
            info->color_type = len > 25 ? data[25] : 0;
            info->interlaced = len > 28 ? (data[28] != 0) : 0;
            return VL_OK;
        }
        if (code == VL_ERR_DIMENSIONS && len >= 24) {  // report the declared IHDR size
            info->width = (((uint32_t)data[16] << 24) | ((uint32_t)data[17] << 16) | ((uint32_t)data[18] << 8) | data[19]);
            info->height = (((uint32_t)data[20] << 24) | ((uint32_t)data[21] << 16) | ((uint32_t)data[22] << 8) | data[23]);
        }
        return code;
    }
    info->width = ihdr.width;
    info->height = ihdr.height;
    info->bit_depth = ihdr.bit_depth;
    info->color_type = ihdr.color_type;
    info->interlaced = ihdr.interlace_method ? 1 : 0;
    spng_ctx_free(ctx);
    return VL_OK;
}

/// Pillow AlphaComposite.c over an opaque white destination, for one channel value `s` with alpha `a`.
static inline uint8_t vl_over_white(uint32_t s, uint32_t a) {
    if (a == 0) return 255;
    const uint32_t precision = 7;
    uint32_t blend = 255 * (255 - a);
    uint32_t outa255 = a * 255 + blend;
    uint32_t coef1 = a * 255 * 255 * (1u << precision) / outa255;
    uint32_t coef2 = 255 * (1u << precision) - coef1;
    uint32_t tmp = s * coef1 + 255 * coef2 + (0x80u << precision);
    return (uint8_t)(((((tmp >> 8) + tmp) >> 8)) >> precision);
}

int vl_png_decode_rgb(const uint8_t *data, size_t len, uint8_t *out, size_t out_len, char *err, size_t err_len) {
    struct spng_ihdr ihdr;
    int code = VL_OK;
    spng_ctx *ctx = vl_png_open(data, len, &ihdr, &code, err, err_len);
    if (ctx == NULL) return code;
    const size_t w = ihdr.width, h = ihdr.height;
    if (out == NULL || out_len != w * h * 3) {
        vl_set_err(err, err_len, "output buffer of %zu bytes does not fit %zux%zu RGB", out_len, w, h);
        spng_ctx_free(ctx);
        return VL_ERR_BUFFER;
    }
    struct spng_trns trns;
    int has_trns = spng_get_trns(ctx, &trns) == 0;
    int has_alpha = ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE_ALPHA ||
                    ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
    int r;
    // Colour-key tRNS on gray (<= 8 bit) and RGB images, the way Pillow 13 applies it: it keeps the raw
    // tRNS number and compares it with the 8-bit pixel it decoded (gray scaled to 0..255, 16-bit RGB
    // reduced to its high byte). A match becomes white (alpha 0 over white), everything else is kept
    // (alpha 255 over white is the identity). 16-bit gray keeps libspng's exact 16-bit comparison
    // (Pillow compares in "I;16" too).
    int key_trns = has_trns && !has_alpha &&
                   ((ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE && ihdr.bit_depth <= 8) ||
                    ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR);
    if (key_trns) {
        size_t need = 0;
        r = spng_decoded_image_size(ctx, SPNG_FMT_RGB8, &need);
        if (r == 0 && need != out_len) r = SPNG_EOVERFLOW;
        if (r == 0) r = spng_decode_image(ctx, out, out_len, SPNG_FMT_RGB8, 0);
        if (r == 0) {
            uint32_t kr, kg, kb;
            if (ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE) {
                kr = kg = kb = trns.gray;
            } else {
                kr = trns.red; kg = trns.green; kb = trns.blue;
            }
            const size_t n = w * h;
            for (size_t i = 0; i < n; i++) {
                uint8_t *px = out + 3 * i;
                if (px[0] == kr && px[1] == kg && px[2] == kb) { px[0] = 255; px[1] = 255; px[2] = 255; }
            }
        }
    } else if (!has_alpha && !has_trns) {
        size_t need = 0;
        r = spng_decoded_image_size(ctx, SPNG_FMT_RGB8, &need);
        if (r == 0 && need != out_len) r = SPNG_EOVERFLOW;
        if (r == 0) r = spng_decode_image(ctx, out, out_len, SPNG_FMT_RGB8, 0);
    } else {
        size_t need = 0;
        uint8_t *rgba = NULL;
        r = spng_decoded_image_size(ctx, SPNG_FMT_RGBA8, &need);
        if (r == 0 && need != w * h * 4) r = SPNG_EOVERFLOW;
        if (r == 0) {
            rgba = (uint8_t *)malloc(need);
            if (rgba == NULL) r = SPNG_EMEM;
        }
        if (r == 0) r = spng_decode_image(ctx, rgba, need, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS);
        if (r == 0) {
            const size_t n = w * h;
            for (size_t i = 0; i < n; i++) {
                uint32_t a = rgba[4 * i + 3];
                out[3 * i] = vl_over_white(rgba[4 * i], a);
                out[3 * i + 1] = vl_over_white(rgba[4 * i + 1], a);
                out[3 * i + 2] = vl_over_white(rgba[4 * i + 2], a);
            }
        }
        free(rgba);
    }
    if (r != 0) {
        vl_set_err(err, err_len, "cannot decode PNG: %s", vl_png_message(r));
        spng_ctx_free(ctx);
        return vl_png_code(r);
    }
    spng_ctx_free(ctx);
    return VL_OK;
}
