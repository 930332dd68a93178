/* CIE colour differences and the sRGB -> CIELAB conversion they need. */
#ifndef ST_REGISTER_DELTAE_H
#define ST_REGISTER_DELTAE_H

/* CIEDE2000 (CIE 142-2001), as written out by Sharma, Wu & Dalal 2005,
 * "The CIEDE2000 color-difference formula: implementation notes,
 * supplementary test data, and mathematical observations", Color Res. Appl.
 * 30(1); kL = kC = kH = 1. */
double st_ciede2000(const double lab1[3], const double lab2[3]);

/* IEC 61966-2-1 decoding and CIELAB (D65 white, 2 deg observer) in double
 * precision, for the few values of a colour chart. */
double st_srgb_decode(double v);
double st_srgb_encode(double lin);
void st_linear_to_lab(const double lin[3], double lab[3]);

#endif
