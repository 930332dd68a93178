/* Colour: CIE L*a*b* (D65, 2°) <-> linear sRGB (IEC 61966-2-1), ITA°
 * (Chardon et al. 1991: ITA = atan((L* - 50) / b*)), and the ColorChecker
 * Classic chart (24 patches, sRGB values as published by X-Rite). */
#include "skingen_int.h"

#include <math.h>

#define XN 0.95047
#define YN 1.0
#define ZN 1.08883

const unsigned char skingen_checker_srgb[24][3] = {
    {115, 82, 68},   {194, 150, 130}, {98, 122, 157},  {87, 108, 67},   {133, 128, 177},
    {103, 189, 170}, {214, 126, 44},  {80, 91, 166},   {193, 90, 99},   {94, 60, 108},
    {157, 188, 64},  {224, 163, 46},  {56, 61, 150},   {70, 148, 73},   {175, 54, 60},
    {231, 199, 31},  {187, 86, 149},  {8, 133, 161},   {243, 243, 242}, {200, 200, 200},
    {160, 160, 160}, {122, 122, 121}, {85, 85, 85},    {52, 52, 52}};

const char *const skingen_checker_names[24] = {
    "dark skin", "light skin", "blue sky", "foliage", "blue flower", "bluish green",
    "orange", "purplish blue", "moderate red", "purple", "yellow green", "orange yellow",
    "blue", "green", "red", "yellow", "magenta", "cyan",
    "white 9.5", "neutral 8", "neutral 6.5", "neutral 5", "neutral 3.5", "black 2"};

double sg_srgb_decode(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double sg_srgb_encode(double lin)
{
    if (lin <= 0.0)
        return 0.0;
    return lin <= 0.0031308 ? 12.92 * lin : 1.055 * pow(lin, 1.0 / 2.4) - 0.055;
}

static double lab_f(double t)
{
    const double d = 6.0 / 29.0;
    return t > d * d * d ? cbrt(t) : t / (3 * d * d) + 4.0 / 29.0;
}

static double lab_finv(double t)
{
    const double d = 6.0 / 29.0;
    return t > d ? t * t * t : 3 * d * d * (t - 4.0 / 29.0);
}

void skingen_srgb_to_lab(const double rgb[3], double lab[3])
{
    double lin[3] = {sg_srgb_decode(rgb[0]), sg_srgb_decode(rgb[1]), sg_srgb_decode(rgb[2])};
    sg_linear_to_lab(lin, lab);
}

void sg_linear_to_lab(const double lin[3], double lab[3])
{
    double r = lin[0], g = lin[1], b = lin[2];
    double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    double fx = lab_f(x / XN), fy = lab_f(y / YN), fz = lab_f(z / ZN);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

void skingen_lab_to_linear(const double lab[3], double lin[3])
{
    double fy = (lab[0] + 16.0) / 116.0;
    double x = XN * lab_finv(fy + lab[1] / 500.0);
    double y = YN * lab_finv(fy);
    double z = ZN * lab_finv(fy - lab[2] / 200.0);
    lin[0] = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    lin[1] = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
    lin[2] = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    for (int i = 0; i < 3; i++)
        lin[i] = lin[i] < 0 ? 0 : lin[i];
}

double skingen_ita_deg(double L, double b)
{
    return atan2(L - 50.0, b) * 180.0 / M_PI;
}

/* Card layout: 6 x 4 patches, gaps of patch/6, a border of one gap. */
void skingen_chart_size(const skingen_chart *chart, double pixel_mm, double *w, double *h)
{
    double gap = chart->patch_mm / 6.0;
    *w = (6 * chart->patch_mm + 7 * gap) / pixel_mm;
    *h = (4 * chart->patch_mm + 5 * gap) / pixel_mm;
}

void skingen_chart_patch_centre(const skingen_chart *chart, double pixel_mm, int i, double *x,
                                double *y)
{
    double gap = chart->patch_mm / 6.0, pitch = chart->patch_mm + gap;
    int col = i % 6, row = i / 6;
    *x = chart->x + (gap + col * pitch + 0.5 * chart->patch_mm) / pixel_mm;
    *y = chart->y + (gap + row * pitch + 0.5 * chart->patch_mm) / pixel_mm;
}
