/* The skin's micro-relief and tone fields: periodic tiles made by filtering
 * seeded white noise in the Fourier domain (spectral synthesis of fractional
 * Brownian surfaces, Voss 1988; Persson et al. 2005 for the PSD ∝ k^-(2H+2)
 * form of a self-affine surface). The furrow network (sulci cutis) is the
 * zero set of an anisotropic band-pass field turned into grooves, which gives
 * the polygonal, direction-biased cells seen on the skin surface. */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "fft/fft.h"

#define SG_TILE_MAX 4096

typedef struct spec_ctx {
    double px_mm, cos_a, sin_a, aniso;
} spec_ctx;

/* Anisotropic radial frequency (cycles/mm): frequencies along the main
 * direction count `aniso` times more, so wavelengths along it are longer. */
static double freq_aniso(const spec_ctx *s, double kx, double ky, double aniso)
{
    double ka = kx * s->cos_a + ky * s->sin_a;
    double kb = -kx * s->sin_a + ky * s->cos_a;
    return sqrt(ka * ka * aniso * aniso + kb * kb);
}

typedef double (*filter_fn)(const skingen_params *p, const spec_ctx *s, double kx, double ky);

static double filter_fbm(const skingen_params *p, const spec_ctx *s, double kx, double ky)
{
    double k = freq_aniso(s, kx, ky, p->anisotropy);
    double k0 = 1.0 / (p->fbm_max_mm > 0 ? p->fbm_max_mm : 8.0);
    double kc = 1.0 / (3.0 * s->px_mm); /* roll off below ~3 px: no aliasing when resampled */
    double kr = hypot(kx, ky) / kc;
    return pow(k * k + k0 * k0, -(p->hurst + 1.0) / 2.0) * exp(-kr * kr * kr * kr);
}

static double filter_furrow(const skingen_params *p, const spec_ctx *s, double kx, double ky)
{
    double k = freq_aniso(s, kx, ky, s->aniso);
    double kf = 1.0 / p->furrow_mm;
    if (k <= 0)
        return 0;
    double l = log(k / kf) / 0.45;
    return exp(-0.5 * l * l);
}

static double filter_tone(const skingen_params *p, const spec_ctx *s, double kx, double ky)
{
    double k = hypot(kx, ky) * 6.0; /* wavelengths of ~6 mm and longer */
    return exp(-k * k);
}

static void normalise_rms(float *f, size_t n)
{
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++)
        sum += f[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sum2 += (f[i] - mean) * (f[i] - mean);
    double rms = sqrt(sum2 / (double)n);
    double g = rms > 0 ? 1.0 / rms : 0.0;
    for (size_t i = 0; i < n; i++)
        f[i] = (float)((f[i] - mean) * g);
}

/* One field: seeded white noise, r2c, filter, c2r, zero mean and unit RMS. */
static int synth(st_fft *fft, const skingen_params *p, int tw, int th, uint64_t stream,
                 filter_fn filter, double angle_deg, double aniso, float *out, st_err *err)
{
    size_t n = (size_t)tw * (size_t)th, nc = (size_t)th * (size_t)(tw / 2 + 1);
    float *in = st_fft_alloc_real(n);
    st_complex *spec = st_fft_alloc_complex(nc);
    int rc = ST_OK;
    if (!in || !spec) {
        rc = st_err_set(err, ST_ENOMEM, "skingen: cannot allocate a %dx%d tile", tw, th);
        goto done;
    }
    sg_rng rng;
    sg_rng_init(&rng, p->seed, stream);
    for (size_t i = 0; i < n; i++)
        in[i] = (float)sg_gauss(&rng);
    if ((rc = st_fft_r2c(fft, tw, th, in, spec, err)))
        goto done;
    double a = angle_deg * M_PI / 180.0;
    spec_ctx s = {p->pixel_mm, cos(a), sin(a), aniso};
    int hw = tw / 2 + 1;
    for (int j = 0; j < th; j++) {
        double ky = (double)(j <= th / 2 ? j : j - th) / (th * p->pixel_mm);
        for (int i = 0; i < hw; i++) {
            double kx = (double)i / (tw * p->pixel_mm);
            double g = (i == 0 && j == 0) ? 0.0 : filter(p, &s, kx, ky);
            spec[(size_t)j * hw + i][0] *= (float)g;
            spec[(size_t)j * hw + i][1] *= (float)g;
        }
    }
    if ((rc = st_fft_c2r(fft, tw, th, spec, in, err)))
        goto done;
    normalise_rms(in, n);
    memcpy(out, in, n * sizeof(float));
done:
    st_fft_free_buf(in);
    st_fft_free_buf(spec);
    return rc;
}

/* Furrows: grooves where a band-pass field crosses zero. A field that is
 * strongly anisotropic has long, nearly straight zero lines; three of them,
 * 60° apart with falling weights, cross into the rhomboid plateaus of the
 * skin's primary and secondary lines. */
static void add_furrows(const float *f, float *acc, size_t n, double weight)
{
    const double w = 0.5; /* groove half-width in units of the field's RMS: ~0.05 mm */
    for (size_t i = 0; i < n; i++) {
        double t = f[i] / w;
        acc[i] -= (float)(weight * exp(-0.5 * t * t));
    }
}

static int build_furrows(st_fft *fft, const skingen_params *p, int tw, int th, float *out,
                         float *scratch, st_err *err)
{
    static const double share[3] = {1.0, 0.75, 0.55};
    size_t n = (size_t)tw * (size_t)th;
    memset(out, 0, n * sizeof(float));
    for (int k = 0; k < 3; k++) {
        int rc = synth(fft, p, tw, th, SG_STREAM_FURROW + 100u * (uint64_t)k, filter_furrow,
                       p->angle_deg + 60.0 * k, 2.5 + p->anisotropy, scratch, err);
        if (rc)
            return rc;
        add_furrows(scratch, out, n, share[k]);
    }
    normalise_rms(out, n);
    return ST_OK;
}

static int tile_side(int n)
{
    int s = st_fft_good_size(n < 64 ? 64 : n);
    if (s > SG_TILE_MAX)
        s = SG_TILE_MAX; /* larger frames repeat the tile: still one continuous surface */
    return s + (s & 1);  /* even sizes keep the half spectrum simple */
}

int sg_relief_build(skingen_skin *skin, st_err *err)
{
    const skingen_params *p = &skin->p;
    int tw = tile_side(p->width), th = tile_side(p->height);
    size_t n = (size_t)tw * (size_t)th;
    skin->tw = tw;
    skin->th = th;
    skin->relief = st_alloc_floats(n);
    skin->tone = st_alloc_floats(n);
    float *furrow = st_alloc_floats(n);
    st_fft *fft = NULL;
    int rc = ST_OK;
    if (!skin->relief || !skin->tone || !furrow) {
        rc = st_err_set(err, ST_ENOMEM, "skingen: cannot allocate relief tiles %dx%d", tw, th);
        goto done;
    }
    /* One thread and no wisdom: FFTW_ESTIMATE plans give the same bytes every run. */
    if ((rc = st_fft_new(1, &fft, err)))
        goto done;
    st_fft_set_wisdom(fft, "off", 0);
    /* the tone tile is scratch space for the furrows until its own turn */
    double fw = p->furrow_mm > 0 ? p->furrow_weight : 0.0;
    if (fw > 0 && (rc = build_furrows(fft, p, tw, th, furrow, skin->tone, err)))
        goto done;
    if ((rc = synth(fft, p, tw, th, SG_STREAM_FBM, filter_fbm, p->angle_deg, p->anisotropy,
                    skin->relief, err)) ||
        (rc = synth(fft, p, tw, th, SG_STREAM_TONE, filter_tone, 0.0, 1.0, skin->tone, err)))
        goto done;
    double a = sqrt(1.0 - fw * fw);
    for (size_t i = 0; i < n; i++)
        skin->relief[i] = (float)(a * skin->relief[i] + fw * furrow[i]);
    normalise_rms(skin->relief, n);
    for (size_t i = 0; i < n; i++)
        skin->relief[i] = (float)(skin->relief[i] * p->sq_um);
done:
    st_fft_free(fft);
    st_aligned_free(furrow);
    return rc;
}

static inline int wrap(long i, int n)
{
    long r = i % n;
    return (int)(r < 0 ? r + n : r);
}

/* Catmull-Rom (Keys a = -0.5) weights. */
static inline void cubic_weights(double t, double w[4])
{
    double t2 = t * t, t3 = t2 * t;
    w[0] = -0.5 * t3 + t2 - 0.5 * t;
    w[1] = 1.5 * t3 - 2.5 * t2 + 1.0;
    w[2] = -1.5 * t3 + 2.0 * t2 + 0.5 * t;
    w[3] = 0.5 * t3 - 0.5 * t2;
}

float sg_tile_sample(const float *tile, int tw, int th, double u, double v)
{
    double fu = floor(u), fv = floor(v);
    double tu = u - fu, tv = v - fv;
    long iu = (long)fu, iv = (long)fv;
    if (tu == 0.0 && tv == 0.0)
        return tile[(size_t)wrap(iv, th) * tw + wrap(iu, tw)];
    double wu[4], wv[4];
    cubic_weights(tu, wu);
    cubic_weights(tv, wv);
    int cols[4];
    for (int k = 0; k < 4; k++)
        cols[k] = wrap(iu - 1 + k, tw);
    double acc = 0;
    for (int r = 0; r < 4; r++) {
        const float *row = tile + (size_t)wrap(iv - 1 + r, th) * tw;
        double s = wu[0] * row[cols[0]] + wu[1] * row[cols[1]] + wu[2] * row[cols[2]] +
                   wu[3] * row[cols[3]];
        acc += wv[r] * s;
    }
    return (float)acc;
}
