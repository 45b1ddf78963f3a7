/* A small deterministic PRNG (splitmix64): the same seed gives the same
 * events on every platform, which rand() does not promise. */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t state;
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(rng *r, uint64_t n);
/* Uniform in [lo, hi]. */
long long rng_range(rng *r, long long lo, long long hi);
/* 1 with probability percent/100. */
int rng_chance(rng *r, unsigned percent);

#endif
