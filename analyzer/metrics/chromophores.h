/* Skin colour decomposed into melanin, haemoglobin and shading.
 *
 * Model (Tsumura, Ojima, Sato et al., "Image-based skin color and texture
 * analysis/synthesis by extracting hemoglobin and melanin information in the
 * skin", ACM TOG 22(3), SIGGRAPH 2003): the optical density of a pixel,
 * d = -ln(linear sRGB) per channel, is
 *     d = m sigma_m + h sigma_h + s (1, 1, 1)
 * with m, h the melanin and haemoglobin densities and s the shading (light
 * falling off over the relief, exposure), which scales all three channels
 * alike. The 3x3 system is solved per pixel. The bias of the paper (the
 * density of the least pigmented skin) is taken as 0: densities are counted
 * from a white reflector, the same for every photo, so that sessions compare.
 *
 * sigma_m and sigma_h are FIXED (not the paper's per-image ICA, which would
 * give each session its own axes). They are the log-RGB directions in which
 * d moves when melanin or oxy-haemoglobin increases, for an sRGB (D65)
 * observer, computed offline by scripts/chromophore_vectors.py from
 *  - the CIE 1931 2 deg colour-matching functions and D65 (CIE 015:2004,
 *    5 nm) turned into linear sRGB channel sensitivities (IEC 61966-2-1
 *    matrix), each normalised so that a white reflector gives 1;
 *  - melanin: mu_a proportional to lambda^-3.33 (Jacques, melanosome fit;
 *    Jacques, Phys Med Biol 58, R37, 2013);
 *  - oxy-haemoglobin: molar extinction compiled by S. Prahl (OMLC, from
 *    Gratzer and Kollias), weighted by the dermal penetration depth
 *    delta = 1 / sqrt(3 mu_a (mu_a + mu_s')) (diffusion theory) relative to
 *    550 nm, with the dermis fits of Jacques 2013 (mu_s' = 46 (lambda/500)
 *    ^-1.421 cm^-1, bloodless baseline mu_a = 7.84e8 lambda^-3.255 cm^-1) and
 *    0.2 % blood: blood lies under the epidermis, and blue light reaches it
 *    less than green or red (delta 0.49, 0.76, 1.11 mm at 450, 550, 600 nm);
 *  - the reflectance exp(-m eps_m - h eps_h) (Beer-Lambert), integrated to
 *    linear sRGB, differentiated in -ln(RGB) at m = h = 0.5 (natural-log
 *    absorbance at 550 nm; a light skin colour, linear (0.69, 0.39, 0.21)),
 *    and normalised to unit length.
 * Result: sigma_m = (0.2413, 0.4620, 0.8534), sigma_h = (0.1042, 0.6680,
 * 0.7369). Without the penetration weighting sigma_h would be (0.055, 0.560,
 * 0.827), so close to sigma_m in chromaticity that the ColorChecker's "dark
 * skin" would read as more haemoglobin and less melanin than "light skin".
 * Both vectors are directions: m and h are densities along them (ln units),
 * with (light skin, dark skin) of the ColorChecker at m = 0.67 and 0.80,
 * h = 0.75 and 0.94 (tests/unit/test_chromophores.c).
 *
 * Shading image: gain * encode(exp(-s)), encode the sRGB transfer function,
 * so that with gain 1 a gray patch of encoded value Y gives Y back (a gray
 * has m = h = 0). Relief metrics (roughness, GLCM on [0, 1], scar depth
 * index, wrinkles) read it in place of the luminance, so by default the
 * gain makes the mean of the shading over the mask equal the mean Rec. 709
 * luminance there: the metrics stay in their usual ranges and levels, and
 * what is removed is the local pigment contrast (brown spots, red patches),
 * not the overall level. A caller comparing sessions can pass the
 * baseline's gain instead (opts.shading_gain), so that a uniform change of
 * pigment between sessions does not rescale the relief either. */
#ifndef ST_METRICS_CHROMOPHORES_H
#define ST_METRICS_CHROMOPHORES_H

#include <stddef.h>

#include "skintrack/skintrack.h"

/* Linear reflectance floor before the logarithm (black pixels, d <= 9.2). */
#define ST_CHROMO_FLOOR 1e-4

/* Unit absorption directions in -ln(linear R, G, B) (see above). */
extern const double st_sigma_melanin[3];
extern const double st_sigma_haemoglobin[3];

typedef struct st_chromo_opts {
    const unsigned char *mask; /* nonzero = skin; NULL = every pixel */
    size_t mask_stride;        /* bytes per mask row (0: width) */
    double shading_gain;       /* 0: match the mean luminance over the mask;
                                  > 0: this gain (e.g. the baseline's) */
    int threads;               /* <= 0: all cores */
} st_chromo_opts;

/* Three 1-channel images of the input's size and pixel size: m and h
 * (unit ST_UNIT_REL, ln density) and the shading (an intensity in [0, ~1]).
 * Every pixel is decomposed, inside the mask or not; the mask only chooses
 * the pixels of the mean that sets the gain. */
typedef struct st_chromo {
    st_image *melanin, *haemoglobin, *shading;
    double shading_gain; /* the gain applied */
} st_chromo;

/* rgb: 3 channels, sRGB-encoded in [0, 1] (colour-calibrated). opts may be
 * NULL (no mask, matched gain, all cores). The same bytes for any thread
 * count. Errors: ST_EINVAL (not 3 channels, bad gain, mask without skin
 * pixels or of zero mean), ST_ENOMEM. On error out is empty. */
int st_chromophores(const st_image *rgb, const st_chromo_opts *opts, st_chromo *out,
                    st_err *err);
void st_chromo_free(st_chromo *c);

/* One pixel: densities d = -ln(linear RGB) -> (m, h, s). */
void st_chromo_unmix(const double d[3], double mhs[3]);
/* The forward model: (m, h, s) -> linear RGB = exp(-(m sigma_m + h sigma_h + s)). */
void st_chromo_mix(double m, double h, double s, double lin[3]);

#endif
