/* The gate in front of the strict scans (parse.c): is a chunk plain ASCII
 * text with no backslash, form feed or vertical tab? Nearly every body is,
 * and then the UTF-8, escape and white-space checks have nothing to see.
 * The parser copies every chunk into its arena anyway, so the gate is asked
 * while copying: one pass over the bytes.
 * On x86-64: 32 bytes a step with AVX2 when the CPU has it, else 16 with
 * SSE2 (every x86-64 has it); elsewhere, and with SEGRECV_NO_SIMD (which the
 * tests use to run this form), 8 bytes a step in a 64-bit word. */
#include "internal.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(SEGRECV_NO_SIMD)
#define SCAN_X86 1
#include <immintrin.h>
#endif

static bool odd_byte(unsigned char c)
{
    return c >= 0x80 || c == '\f' || c == '\v' || c == '\\';
}

#ifdef SCAN_X86
/* Copies bytes [0, *done), 64 a step; true when they are plain. */
__attribute__((target("avx2"))) static bool copy_avx2(unsigned char *dst, const unsigned char *s,
                                                      size_t len, size_t *done)
{
    const __m256i ff = _mm256_set1_epi8('\f'), vt = _mm256_set1_epi8('\v'),
                  bs = _mm256_set1_epi8('\\');
    __m256i odd = _mm256_setzero_si256(); /* high bit set in a lane that saw an odd byte */
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
        _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
        _mm256_storeu_si256((__m256i *)(void *)(dst + i + 32), b);
        odd = _mm256_or_si256(odd, _mm256_or_si256(a, b));
        odd = _mm256_or_si256(odd, _mm256_or_si256(_mm256_cmpeq_epi8(a, ff),
                                                   _mm256_cmpeq_epi8(b, ff)));
        odd = _mm256_or_si256(odd, _mm256_or_si256(_mm256_cmpeq_epi8(a, vt),
                                                   _mm256_cmpeq_epi8(b, vt)));
        odd = _mm256_or_si256(odd, _mm256_or_si256(_mm256_cmpeq_epi8(a, bs),
                                                   _mm256_cmpeq_epi8(b, bs)));
    }
    *done = i;
    return _mm256_movemask_epi8(odd) == 0;
}

static bool copy_sse2(unsigned char *dst, const unsigned char *s, size_t len, size_t *done)
{
    const __m128i ff = _mm_set1_epi8('\f'), vt = _mm_set1_epi8('\v'), bs = _mm_set1_epi8('\\');
    __m128i odd = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(dst + i), x);
        odd = _mm_or_si128(odd, _mm_or_si128(x, _mm_cmpeq_epi8(x, bs)));
        odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(x, ff), _mm_cmpeq_epi8(x, vt)));
    }
    *done = i;
    return _mm_movemask_epi8(odd) == 0;
}
#else
static bool copy_words(unsigned char *dst, const unsigned char *s, size_t len, size_t *done)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t odd = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        memcpy(dst + i, &w, 8);
        uint64_t f = w ^ (ones * '\f'), v = w ^ (ones * '\v'), b = w ^ (ones * '\\');
        odd |= w | ((f - ones) & ~f) | ((v - ones) & ~v) | ((b - ones) & ~b);
    }
    *done = i;
    return (odd & high) == 0;
}
#endif

bool segrecv__copy_plain_text(unsigned char *dst, const unsigned char *s, size_t len)
{
    size_t done = 0, more = 0;
    bool plain = true;
#ifdef SCAN_X86
    if (__builtin_cpu_supports("avx2"))
        plain = copy_avx2(dst, s, len, &done);
    plain &= copy_sse2(dst + done, s + done, len - done, &more);
#else
    plain = copy_words(dst, s, len, &more);
#endif
    for (size_t i = done + more; i < len; i++) {
        dst[i] = s[i];
        plain &= !odd_byte(s[i]);
    }
    return plain;
}
