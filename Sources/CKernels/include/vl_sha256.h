// SHA-256 block compression with the x86 SHA extensions (SHA-NI), for VLServeKit's image-cache key. The
// padding, the message length and the digest's byte order stay in Swift (`SHA256`); this only replaces its
// per-block compression (FIPS 180-4 §6.2.2), which is where the time goes.
#ifndef VL_SHA256_H
#define VL_SHA256_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has the SHA extensions with SSSE3 and SSE4.1 (cpuid leaf 7 EBX bit 29; leaf 1 ECX bits 9
/// and 19), else 0 (and always 0 on non-x86 CPUs).
int vl_sha256_has_shani(void);

/// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (H0..H7, native-endian words).
/// Only call when `vl_sha256_has_shani()` returned 1.
void vl_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks);

#ifdef __cplusplus
}
#endif
#endif
