/* The chromophore skin model (opt-in, skingen_params.chromo): the albedo of
 * every pixel is computed from an epidermal melanin fraction and a dermal
 * blood fraction by a spectral two-layer model, 400-700 nm in 10 nm steps:
 *
 *   R(λ)  = T_epi(λ)² · R_derm(λ)
 *   T_epi = exp(-d_epi · [f_mel·μa_mel(λ) + (1 - f_mel)·μa_base(λ)])
 *   R_derm: diffuse reflectance of a semi-infinite turbid dermis,
 *           a' = μs'/(μa + μs'),  A = (1 + r_id)/(1 - r_id),
 *           R_derm = a' / (1 + 2A(1 - a') + (1 + 2A/3)·√(3(1 - a')))
 *           (diffusion theory, after Groenhuis, Ferwerda & Ten Bosch, Appl. Opt.
 *           22:2456, 1983; r_id for n = 1.4 from Egan & Hilgeman 1979)
 *   μa_derm = f_blood·[S·μa_HbO2 + (1 - S)·μa_Hb] + (1 - f_blood)·μa_base
 *   μa_mel  = 6.6e11 · λ^-3.33 cm⁻¹ (melanosome interior, λ in nm; Jacques,
 *             "Skin optics", Oregon Medical Laser Center News, 1998)
 *   μa_base = 0.244 + 85.3·exp(-(λ - 154)/66.2) cm⁻¹ (bloodless tissue, ibid.)
 *   μs'     = 46.0 · (λ/500)^-1.421 cm⁻¹ (skin, Jacques, Phys. Med. Biol.
 *             58:R37, 2013, Table 2)
 *   μa_Hb*  = ln(10) · ε(λ) · 150 g/L / 64 500 g/mol (whole blood), ε from
 *             S. Prahl's table (OMLC, compiled from Gratzer and Kollias).
 * The reflectance spectrum is integrated against the CIE 1931 2° colour
 * matching functions under CIE D65 (CIE 15:2004 tables, 10 nm) to XYZ, then
 * to linear sRGB (IEC 61966-2-1), each channel normalised so that a perfect
 * white reflector gives (1, 1, 1) (the 400-700 nm band is a truncation).
 *
 * Log-RGB is not linear in the densities here (spectral integration,
 * scattering): an analyser's 3-vector decomposition (Tsumura et al. 2003) is
 * an approximation of this model, never the model itself. */
#include "skingen_int.h"

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/parallel.h"

/* CIE 1931 2° observer x̄, ȳ, z̄ at 400, 410, ..., 700 nm (CIE 15:2004). */
static const double cmf[SG_NLAMBDA][3] = {
    {0.014310, 0.000396, 0.067850}, {0.043510, 0.001210, 0.207400},
    {0.134380, 0.004000, 0.645600}, {0.283900, 0.011600, 1.385600},
    {0.348280, 0.023000, 1.747060}, {0.336200, 0.038000, 1.772110},
    {0.290800, 0.060000, 1.669200}, {0.195360, 0.090980, 1.287640},
    {0.095640, 0.139020, 0.812950}, {0.032010, 0.208020, 0.465180},
    {0.004900, 0.323000, 0.272000}, {0.009300, 0.503000, 0.158200},
    {0.063270, 0.710000, 0.078250}, {0.165500, 0.862000, 0.042160},
    {0.290400, 0.954000, 0.020300}, {0.433450, 0.994950, 0.008750},
    {0.594500, 0.995000, 0.003900}, {0.762100, 0.952000, 0.002100},
    {0.916300, 0.870000, 0.001650}, {1.026300, 0.757000, 0.001100},
    {1.062200, 0.631000, 0.000800}, {1.002600, 0.503000, 0.000340},
    {0.854450, 0.381000, 0.000190}, {0.642400, 0.265000, 0.000050},
    {0.447900, 0.175000, 0.000020}, {0.283500, 0.107000, 0.000000},
    {0.164900, 0.061000, 0.000000}, {0.087400, 0.032000, 0.000000},
    {0.046770, 0.017000, 0.000000}, {0.022700, 0.008210, 0.000000},
    {0.011359, 0.004102, 0.000000}};

/* CIE standard illuminant D65, relative spectral power, 400..700 nm (CIE 15:2004). */
static const double d65[SG_NLAMBDA] = {
    82.7549, 91.4860, 93.4318, 86.6823, 104.865, 117.008, 117.812, 114.861,
    115.923, 108.811, 109.354, 107.802, 104.790, 107.689, 104.405, 104.046,
    100.000, 96.3342, 95.7880, 88.6856, 90.0062, 89.5991, 87.6987, 83.2886,
    83.6992, 80.0268, 80.2146, 82.2778, 78.2842, 69.7213, 71.6091};

/* Molar extinction of oxy- and deoxyhaemoglobin, cm⁻¹/(mol/L), 400..700 nm:
 * S. Prahl, "Tabulated molar extinction coefficient for hemoglobin in
 * water", Oregon Medical Laser Center (omlc.org/spectra/hemoglobin), from
 * W. B. Gratzer and N. Kollias. */
static const double eps_hbo2[SG_NLAMBDA] = {
    266232, 466840, 480360, 246072, 102580, 62816, 44480, 33209.2, 26629.2, 23684.4, 20932.8,
    20035.2, 24202.4, 39956.8, 53236, 43016, 32613.2, 44496, 50104, 14400.8, 3200, 1506, 942,
    610, 442, 368, 319.6, 294, 277.6, 276, 290};
static const double eps_hb[SG_NLAMBDA] = {
    223296, 303956, 407560, 528600, 413280, 103292, 23388.8, 16156.4, 14550, 16684, 20862,
    25773.6, 31589.6, 39036.4, 46592, 53412, 53788, 45072, 37020, 28324.4, 14677.2, 9443.6,
    6509.6, 5148.8, 4345.2, 3750.12, 3226.56, 2795.12, 2407.92, 2051.96, 1794.28};

void skingen_chromophore_default(skingen_chromophore *c)
{
    memset(c, 0, sizeof *c);
    c->melanin = 0.0; /* from the skin tone (ita_deg) */
    c->blood = 0.01;
    c->oxygenation = 0.75;
    c->epidermis_mm = 0.06;
    c->melanin_sd = 0.12;
    c->spot_melanin = 0.15;
    c->redness_blood = 0.12;
}

void sg_chromo_model_init(sg_chromo_model *m, const skingen_chromophore *c)
{
    /* internal diffuse reflection at a tissue (n = 1.4) - air boundary */
    const double n = 1.4;
    double rid = -1.440 / (n * n) + 0.710 / n + 0.668 + 0.0636 * n;
    m->A = (1.0 + rid) / (1.0 - rid);
    /* XYZ -> linear sRGB (IEC 61966-2-1) */
    static const double M[3][3] = {{3.2404542, -1.5371385, -0.4985314},
                                   {-0.9692660, 1.8760108, 0.0415560},
                                   {0.0556434, -0.2040259, 1.0572252}};
    double sum[3] = {0, 0, 0};
    double d_cm = c->epidermis_mm * 0.1, so2 = c->oxygenation;
    const double blood_molar = 150.0 / 64500.0; /* mol/L of haemoglobin in whole blood */
    for (int i = 0; i < SG_NLAMBDA; i++) {
        double lam = 400.0 + 10.0 * i;
        for (int k = 0; k < 3; k++) {
            double w = 0;
            for (int j = 0; j < 3; j++)
                w += M[k][j] * cmf[i][j];
            m->w[k][i] = w * d65[i];
            sum[k] += m->w[k][i];
        }
        double base = 0.244 + 85.3 * exp(-(lam - 154.0) / 66.2);
        m->mel_d[i] = d_cm * 6.6e11 * pow(lam, -3.33);
        m->base_d[i] = d_cm * base;
        m->mua_blood[i] = M_LN10 * blood_molar * (so2 * eps_hbo2[i] + (1.0 - so2) * eps_hb[i]);
        m->mua_base[i] = base;
        m->mus[i] = 46.0 * pow(lam / 500.0, -1.421);
    }
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < SG_NLAMBDA; i++)
            m->w[k][i] /= sum[k];
}

double sg_chromo_spectrum(const sg_chromo_model *m, double f_mel, double f_blood, int i)
{
    double te = exp(-(f_mel * m->mel_d[i] + (1.0 - f_mel) * m->base_d[i]));
    double mua = f_blood * m->mua_blood[i] + (1.0 - f_blood) * m->mua_base[i];
    double a = m->mus[i] / (mua + m->mus[i]), q = 1.0 - a;
    double rd = a / (1.0 + 2.0 * m->A * q + (1.0 + 2.0 * m->A / 3.0) * sqrt(3.0 * q));
    return te * te * rd;
}

void sg_chromo_rgb(const sg_chromo_model *m, double f_mel, double f_blood, double rgb[3])
{
    f_mel = f_mel < 0 ? 0 : (f_mel > 1 ? 1 : f_mel);
    f_blood = f_blood < 0 ? 0 : (f_blood > 1 ? 1 : f_blood);
    rgb[0] = rgb[1] = rgb[2] = 0;
    for (int i = 0; i < SG_NLAMBDA; i++) {
        double r = sg_chromo_spectrum(m, f_mel, f_blood, i);
        for (int k = 0; k < 3; k++)
            rgb[k] += m->w[k][i] * r;
    }
    for (int k = 0; k < 3; k++)
        rgb[k] = rgb[k] < 0 ? 0 : rgb[k];
}

void skingen_chromophore_linear(const skingen_chromophore *c, double melanin, double blood,
                                double rgb[3])
{
    sg_chromo_model m;
    sg_chromo_model_init(&m, c);
    sg_chromo_rgb(&m, melanin, blood, rgb);
}

static double base_ita(const sg_chromo_model *m, double f_mel, double f_blood)
{
    double rgb[3], lab[3];
    sg_chromo_rgb(m, f_mel, f_blood, rgb);
    sg_linear_to_lab(rgb, lab);
    return skingen_ita_deg(lab[0], lab[2]);
}

int sg_chromo_setup(skingen_skin *skin, st_err *err)
{
    const skingen_chromophore *c = &skin->p.chromo;
    if (!(c->blood >= 0 && c->blood < 1) || !(c->oxygenation >= 0 && c->oxygenation <= 1) ||
        !(c->epidermis_mm > 0) || !(c->melanin < 1) || !(c->melanin_sd >= 0))
        return st_err_set(err, ST_EINVAL, "skingen: chromophore model: bad blood, oxygenation, "
                          "epidermis or melanin");
    sg_chromo_model_init(&skin->chromo, c);
    double mel = c->melanin;
    if (!(mel > 0)) { /* the melanin that gives the skin tone's ITA° (ITA falls as melanin rises) */
        double lo = 1e-4, hi = 0.95, t = skin->p.ita_deg;
        if (base_ita(&skin->chromo, lo, c->blood) < t || base_ita(&skin->chromo, hi, c->blood) > t)
            return st_err_set(err, ST_EINVAL,
                              "skingen: chromophore model: ITA %g° out of reach (blood %g)", t,
                              c->blood);
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            if (base_ita(&skin->chromo, mid, c->blood) > t)
                lo = mid;
            else
                hi = mid;
        }
        mel = 0.5 * (lo + hi);
    }
    skin->mel0 = mel;
    double rgb[3];
    sg_chromo_rgb(&skin->chromo, mel, c->blood, rgb);
    sg_linear_to_lab(rgb, skin->lab0);
    return ST_OK;
}

double skingen_skin_melanin(const skingen_skin *skin) { return skin->mel0; }
