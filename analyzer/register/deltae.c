/* CIEDE2000 after Sharma, Wu & Dalal 2005 (equations numbered as there). */
#define _XOPEN_SOURCE 700
#include "register/deltae.h"

#include <math.h>

static double deg(double r) { return r * 180.0 / M_PI; }
static double rad(double d) { return d * M_PI / 180.0; }

/* Hue angle in degrees, [0, 360); 0 for a neutral colour (eq. 4). */
static double hue(double b, double a)
{
    if (a == 0.0 && b == 0.0)
        return 0.0;
    double h = deg(atan2(b, a));
    return h < 0.0 ? h + 360.0 : h;
}

double st_ciede2000(const double lab1[3], const double lab2[3])
{
    double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2], L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
    double C1 = hypot(a1, b1), C2 = hypot(a2, b2), Cb = (C1 + C2) / 2.0;
    double Cb7 = pow(Cb, 7.0);
    double G = 0.5 * (1.0 - sqrt(Cb7 / (Cb7 + pow(25.0, 7.0))));          /* eq. 3 */
    double a1p = (1.0 + G) * a1, a2p = (1.0 + G) * a2;
    double C1p = hypot(a1p, b1), C2p = hypot(a2p, b2);
    double h1p = hue(b1, a1p), h2p = hue(b2, a2p);
    double dLp = L2 - L1, dCp = C2p - C1p, dhp = 0.0;                       /* eq. 8-10 */
    if (C1p * C2p != 0.0) {
        dhp = h2p - h1p;
        if (dhp > 180.0)
            dhp -= 360.0;
        else if (dhp < -180.0)
            dhp += 360.0;
    }
    double dHp = 2.0 * sqrt(C1p * C2p) * sin(rad(dhp / 2.0));                /* eq. 11 */
    double Lbp = (L1 + L2) / 2.0, Cbp = (C1p + C2p) / 2.0, hbp = h1p + h2p;  /* eq. 12-14 */
    if (C1p * C2p != 0.0) {
        if (fabs(h1p - h2p) <= 180.0)
            hbp /= 2.0;
        else
            hbp = (h1p + h2p < 360.0) ? (h1p + h2p + 360.0) / 2.0 : (h1p + h2p - 360.0) / 2.0;
    }
    double T = 1.0 - 0.17 * cos(rad(hbp - 30.0)) + 0.24 * cos(rad(2.0 * hbp)) +
               0.32 * cos(rad(3.0 * hbp + 6.0)) - 0.20 * cos(rad(4.0 * hbp - 63.0)); /* eq. 15 */
    double dtheta = 30.0 * exp(-pow((hbp - 275.0) / 25.0, 2.0));             /* eq. 16 */
    double Cbp7 = pow(Cbp, 7.0);
    double RC = 2.0 * sqrt(Cbp7 / (Cbp7 + pow(25.0, 7.0)));
    double l50 = (Lbp - 50.0) * (Lbp - 50.0);
    double SL = 1.0 + 0.015 * l50 / sqrt(20.0 + l50), SC = 1.0 + 0.045 * Cbp, SH = 1.0 + 0.015 * Cbp * T;
    double RT = -sin(rad(2.0 * dtheta)) * RC;                                /* eq. 21 */
    double tl = dLp / SL, tc = dCp / SC, th = dHp / SH;
    return sqrt(tl * tl + tc * tc + th * th + RT * tc * th);                 /* eq. 22 */
}

double st_srgb_decode(double v) { return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4); }

double st_srgb_encode(double lin)
{
    if (lin <= 0.0)
        return 0.0;
    return lin <= 0.0031308 ? 12.92 * lin : 1.055 * pow(lin, 1.0 / 2.4) - 0.055;
}

static double lab_f(double t)
{
    const double d = 6.0 / 29.0;
    return t > d * d * d ? cbrt(t) : t / (3.0 * d * d) + 4.0 / 29.0;
}

void st_linear_to_lab(const double lin[3], double lab[3])
{
    /* IEC 61966-2-1 sRGB -> XYZ (D65), white (0.95047, 1, 1.08883). */
    double X = 0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2];
    double Y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2];
    double Z = 0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2];
    double fx = lab_f(X / 0.95047), fy = lab_f(Y), fz = lab_f(Z / 1.08883);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}
