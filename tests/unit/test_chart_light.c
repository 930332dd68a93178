/* The light on the chart against the light on the patch (series/chart_light.c):
 * a linear ramp of light is recovered up to the frame's edge, where the chart
 * lies; between two photos of the same uneven skin, the change of light is
 * recovered although the skin's own unevenness is as strong as the ramp. */
#define _XOPEN_SOURCE 700
#include "test_util.h"

#include "series/chart_light.h"

#define W 480
#define H 360

static double srgb_encode(double v) { return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055; }

/* albedo: 0.3 with (uneven) a +-8 % pattern of wide blobs; light: 1 + ramp * (x / W - 0.5) */
static st_image *photo(int uneven, double ramp, const double quad[8])
{
    st_image *img;
    st_image_new(W, H, 3, &img, NULL);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double a = 0.3 * (1 + (uneven ? 0.08 * sin(x / 37.0) * cos(y / 29.0) : 0));
            double lin = a * (1 + ramp * ((double)x / W - 0.5));
            int in_chart = x >= quad[0] && x <= quad[2] && y >= quad[1] && y <= quad[5];
            for (int c = 0; c < 3; c++)
                st_image_row(img, c, y)[x] = (float)(in_chart ? 0.05 : srgb_encode(lin));
        }
    return img;
}

int main(void)
{
    const double quad[8] = {380, 250, 470, 250, 470, 350, 380, 350}; /* lower right, near the edges */
    const int box[4] = {20, 20, 200, 200};
    unsigned char *mask = malloc((size_t)box[2] * box[3]);
    memset(mask, 1, (size_t)box[2] * box[3]);
    const double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    /* the ramp's ratio: light at the chart's centre over the patch's mean */
    double ramp = 0.3, want = (1 + ramp * (425.0 / W - 0.5)) / (1 + ramp * (119.5 / W - 0.5));
    st_err e;

    st_image *even = photo(0, ramp, quad);
    st_light_grid g;
    st_chart_light l;
    CHECK_EQ_INT(st_light_grid_new(even, quad, 5.0, &g, &e), 0);
    CHECK_EQ_INT(st_chart_light_new(&g, quad, &l, &e), 0);
    double got = st_chart_light_patch_ratio(&l, id, box, mask);
    fprintf(stderr, "even skin, ramp: ratio %.4f (true %.4f)\n", got, want);
    CHECK_REL(got, want, 0.005);
    st_chart_light_free(&l);
    st_light_grid_free(&g);
    st_image_free(even);

    /* uneven skin lit evenly as the baseline, the same skin under the ramp
     * as a session: the relative field gives the ramp's ratio */
    st_image *b = photo(1, 0.0, quad), *s = photo(1, ramp, quad);
    st_light_grid gb, gs;
    CHECK_EQ_INT(st_light_grid_new(b, quad, 5.0, &gb, &e), 0);
    CHECK_EQ_INT(st_light_grid_new(s, quad, 5.0, &gs, &e), 0);
    CHECK_EQ_INT(st_chart_light_relative(&gb, &gs, id, quad, &l, &e), 0);
    got = st_chart_light_patch_ratio(&l, id, box, mask);
    fprintf(stderr, "uneven skin, ramp between sessions: relative ratio %.4f (true %.4f)\n", got, want);
    CHECK_REL(got, want, 0.005);
    st_chart_light_free(&l);
    /* the absolute estimate on the uneven baseline errs by the skin's own
     * unevenness, which is why sessions are taken relative to it */
    CHECK_EQ_INT(st_chart_light_new(&gb, quad, &l, &e), 0);
    fprintf(stderr, "uneven skin, even light: absolute ratio %.4f (true 1)\n",
            st_chart_light_patch_ratio(&l, id, box, mask));
    st_chart_light_free(&l);
    st_light_grid_free(&gb);
    st_light_grid_free(&gs);
    st_image_free(b);
    st_image_free(s);
    free(mask);
    return test_summary();
}
