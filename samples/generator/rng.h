/* The generator's only randomness: xoshiro256** seeded by splitmix64
 * (Blackman & Vigna 2018), and a counter-based hash of (seed, i, j) for
 * per-pixel noise so that the bytes never depend on the thread count. */
#ifndef SKINGEN_RNG_H
#define SKINGEN_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct sg_rng {
    uint64_t s[4];
} sg_rng;

static inline uint64_t sg_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Streams of one seed are told apart by `stream` (relief, pores, noise...). */
static inline void sg_rng_init(sg_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = sg_splitmix64(&x);
}

static inline uint64_t sg_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t sg_next(sg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = sg_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sg_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double sg_uniform(sg_rng *r)
{
    return (double)(sg_next(r) >> 11) * 0x1.0p-53;
}

static inline double sg_range(sg_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * sg_uniform(r);
}

/* Box–Muller; the second value is dropped to keep the stream simple. */
static inline double sg_gauss(sg_rng *r)
{
    double u1 = sg_uniform(r), u2 = sg_uniform(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Counter-based: a well-mixed 64-bit value of (seed, i, j). */
static inline uint64_t sg_hash3(uint64_t seed, uint64_t i, uint64_t j)
{
    uint64_t x = seed ^ (i * 0x9E3779B97F4A7C15ull) ^ (j * 0xC2B2AE3D27D4EB4Full);
    (void)sg_splitmix64(&x);
    return sg_splitmix64(&x);
}

/* A standard normal value for pixel (i, j) of plane `plane` of noise `seed`. */
static inline double sg_hash_gauss(uint64_t seed, uint64_t plane, uint64_t i, uint64_t j)
{
    uint64_t h1 = sg_hash3(seed + plane * 0x632BE59BD9B4E019ull, i, j);
    uint64_t h2 = sg_hash3(~seed + plane, j, i);
    double u1 = ((double)(h1 >> 11) + 0.5) * 0x1.0p-53;
    double u2 = (double)(h2 >> 11) * 0x1.0p-53;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif
