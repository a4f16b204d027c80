// SHA-256 block compression on the x86 SHA extensions: sha256rnds2 does two rounds on the state held as
// ABEF and CDGH, sha256msg1/sha256msg2 extend the message schedule four words at a time. The pure-Swift
// `SHA256.compressReference` is the reference it is tested against.
#include "vl_sha256.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int vl_sha256_has_shani(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return ssse3 && sse41 && ((b >> 29) & 1);
}

/// The round constants K (FIPS 180-4 §4.2.2).
static const uint32_t vl_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

__attribute__((target("sha,ssse3,sse4.1")))
void vl_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks) {
    // Byte order: message words are big-endian.
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    // state[0..3] = A B C D, state[4..7] = E F G H (lane 0 first) -> ABEF and CDGH, high lane first as the
    // instructions want them.
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    // (Comments list lanes 0..3.)
    abcd = _mm_shuffle_epi32(abcd, 0xB1);              // B A D C
    efgh = _mm_shuffle_epi32(efgh, 0x1B);              // H G F E
    __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);     // F E B A
    __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);  // H G D C
    for (size_t blk = 0; blk < blocks; blk++, data += 64) {
        const __m128i abef_saved = abef, cdgh_saved = cdgh;
        __m128i w[4];
        for (int i = 0; i < 4; i++) {
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), bswap);
        }
        for (int group = 0; group < 16; group++) {
            __m128i m;
            if (group < 4) {
                m = w[group];
            } else {
                // W[t..t+3] = σ1(W[t-2..]) + W[t-7..t-4] + σ0(W[t-15..t-12]) + W[t-16..t-13]
                __m128i w16 = w[group & 3], w12 = w[(group + 1) & 3];
                __m128i w8 = w[(group + 2) & 3], w4 = w[(group + 3) & 3];
                m = _mm_sha256msg1_epu32(w16, w12);
                m = _mm_add_epi32(m, _mm_alignr_epi8(w4, w8, 4));
                m = _mm_sha256msg2_epu32(m, w4);
                w[group & 3] = m;
            }
            __m128i wk = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&vl_sha256_k[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, abef_saved);
        cdgh = _mm_add_epi32(cdgh, cdgh_saved);
    }
    __m128i a_b_e_f = _mm_shuffle_epi32(abef, 0x1B);   // A B E F
    __m128i g_h_c_d = _mm_shuffle_epi32(cdgh, 0xB1);   // G H C D
    abcd = _mm_blend_epi16(a_b_e_f, g_h_c_d, 0xF0);    // A B C D
    efgh = _mm_alignr_epi8(g_h_c_d, a_b_e_f, 8);       // E F G H
    _mm_storeu_si128((__m128i *)&state[0], abcd);
    _mm_storeu_si128((__m128i *)&state[4], efgh);
}
#else
int vl_sha256_has_shani(void) { return 0; }
void vl_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state; (void)data; (void)blocks;
}
#endif
