/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, good enough
 * statistics for fake data, trivially reproducible. */
#include "rng.h"

void rng_seed(rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

uint64_t rng_below(rng *r, uint64_t n)
{
    /* Reject the top sliver that would make small values likelier. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = rng_next(r);
    while (x >= limit);
    return x % n;
}

long long rng_range(rng *r, long long lo, long long hi)
{
    return lo + (long long)rng_below(r, (uint64_t)(hi - lo) + 1);
}

int rng_chance(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}
