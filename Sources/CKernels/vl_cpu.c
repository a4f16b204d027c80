#include "CKernels.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t vl_xgetbv(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

void vl_cpu_detect(vl_cpu_features *out) {
    memset(out, 0, sizeof(*out));
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    int osxsave = (c >> 27) & 1;
    int fma = (c >> 12) & 1;
    if (!osxsave) return;
    uint64_t xcr0 = vl_xgetbv();
    int ymm = (xcr0 & 0x6) == 0x6;              // SSE and AVX state
    int zmm = ymm && (xcr0 & 0xE0) == 0xE0;     // opmask, ZMM_Hi256, Hi16_ZMM
    int tile = (xcr0 & 0x60000) == 0x60000;     // XTILECFG, XTILEDATA
    unsigned max_leaf = __get_cpuid_max(0, 0);
    if (max_leaf < 7) return;
    __cpuid_count(7, 0, a, b, c, d);
    out->fma = ymm && fma;
    out->avx2 = ymm && ((b >> 5) & 1);
    out->avx512f = zmm && ((b >> 16) & 1);
    out->avx512bw = zmm && ((b >> 30) & 1);
    out->avx512vl = zmm && ((b >> 31) & 1);
    out->amx_bf16 = tile && ((d >> 22) & 1);
    out->amx_tile = tile && ((d >> 24) & 1);
    unsigned subleaves = a;
    if (subleaves >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        out->avx512_bf16 = zmm && ((a >> 5) & 1);
    }
}
#else
void vl_cpu_detect(vl_cpu_features *out) { memset(out, 0, sizeof(*out)); }
#endif
