// Internal helpers shared by the codec shims (not part of the public header).
#ifndef VL_COMMON_H
#define VL_COMMON_H
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

static inline void vl_set_err(char *err, size_t err_len, const char *fmt, ...) {
    if (err == NULL || err_len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}
#endif
