/* OpenBLAS's cblas types and small CPU/loader helpers for Swift.
 *
 * This module deliberately links nothing: DuetTensor loads OpenBLAS with dlopen
 * after choosing OPENBLAS_CORETYPE, which OpenBLAS reads only while it loads. */
#ifndef DUET_COPENBLAS_SHIM_H
#define DUET_COPENBLAS_SHIM_H

#include <cblas.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/* The cblas_?gemm signatures, as types for the pointers dlsym returns. */
typedef void (*duet_sgemm_fn)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE,
                              blasint, blasint, blasint, float, const float *, blasint,
                              const float *, blasint, float, float *, blasint);
typedef void (*duet_dgemm_fn)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE,
                              blasint, blasint, blasint, double, const double *, blasint,
                              const double *, blasint, double, double *, blasint);
typedef char *(*duet_string_fn)(void);
typedef int (*duet_int_fn)(void);
typedef void (*duet_set_int_fn)(int);

/* Bits of duet_cpu_features(). */
#define DUET_CPU_SSE42      0x001u
#define DUET_CPU_AVX        0x002u
#define DUET_CPU_AVX2       0x004u
#define DUET_CPU_FMA        0x008u
#define DUET_CPU_AVX512F    0x010u
#define DUET_CPU_AVX512BW   0x020u
#define DUET_CPU_AVX512VL   0x040u
#define DUET_CPU_AVX512DQ   0x080u
#define DUET_CPU_AVX512BF16 0x100u

/* Values of duet_cpu_vendor(). */
#define DUET_VENDOR_OTHER 0
#define DUET_VENDOR_INTEL 1
#define DUET_VENDOR_AMD   2

/* __builtin_cpu_supports takes only string literals, hence one bit per feature
 * here instead of a query by name from Swift. It also checks the OS saves the
 * wide registers (XGETBV), so a set bit means the instructions are usable. */
static inline unsigned duet_cpu_features(void) {
    unsigned bits = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) bits |= DUET_CPU_SSE42;
    if (__builtin_cpu_supports("avx")) bits |= DUET_CPU_AVX;
    if (__builtin_cpu_supports("avx2")) bits |= DUET_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= DUET_CPU_FMA;
    if (__builtin_cpu_supports("avx512f")) bits |= DUET_CPU_AVX512F;
    if (__builtin_cpu_supports("avx512bw")) bits |= DUET_CPU_AVX512BW;
    if (__builtin_cpu_supports("avx512vl")) bits |= DUET_CPU_AVX512VL;
    if (__builtin_cpu_supports("avx512dq")) bits |= DUET_CPU_AVX512DQ;
    if (__builtin_cpu_supports("avx512bf16")) bits |= DUET_CPU_AVX512BF16;
#endif
    return bits;
}

static inline int duet_cpu_vendor(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_is("intel")) return DUET_VENDOR_INTEL;
    if (__builtin_cpu_is("amd")) return DUET_VENDOR_AMD;
#endif
    return DUET_VENDOR_OTHER;
}

/* Bits the compiler was allowed to use for the code that calls this (the
 * caller's -target-cpu), to show that kernels were built for this CPU. */
static inline unsigned duet_compiled_features(void) {
    unsigned bits = 0;
#ifdef __SSE4_2__
    bits |= DUET_CPU_SSE42;
#endif
#ifdef __AVX__
    bits |= DUET_CPU_AVX;
#endif
#ifdef __AVX2__
    bits |= DUET_CPU_AVX2;
#endif
#ifdef __FMA__
    bits |= DUET_CPU_FMA;
#endif
#ifdef __AVX512F__
    bits |= DUET_CPU_AVX512F;
#endif
    return bits;
}

/* glibc declares dladdr/Dl_info and sched_getaffinity only under _GNU_SOURCE,
 * which Swift's Glibc module is built without. These are the same functions and
 * layouts under Duet's names (asm labels), so no system header is redeclared. */
#if defined(__linux__)
typedef struct {
    const char *fname;
    void *fbase;
    const char *sname;
    void *saddr;
} duet_dl_info;
extern int duet_dladdr(const void *address, duet_dl_info *info) __asm__("dladdr");
extern int duet_sched_getaffinity(int pid, size_t size, unsigned long *mask) __asm__("sched_getaffinity");
#endif

/* The path of the shared object that defines `symbol`, or NULL if unknown. */
static inline const char *duet_symbol_library_path(const void *symbol) {
#if defined(__linux__)
    duet_dl_info info;
    if (duet_dladdr(symbol, &info) != 0) return info.fname;
#endif
    return NULL;
}

/* Cores this process may run on (taskset/cpuset aware on Linux). */
static inline int duet_available_cores(void) {
#if defined(__linux__)
    unsigned long mask[1024 / (8 * sizeof(unsigned long))];
    memset(mask, 0, sizeof mask);
    if (duet_sched_getaffinity(0, sizeof mask, mask) == 0) {
        int count = 0;
        for (size_t i = 0; i < sizeof mask / sizeof mask[0]; i++) count += __builtin_popcountl(mask[i]);
        if (count > 0) return count;
    }
#endif
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}

#endif
