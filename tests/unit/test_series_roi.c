/* The measured patch: ROI rectangles, the cut to what a registered session
 * sees, the automatic skin mask, and the per-tile sums of the remodeling
 * index, on cases with known answers. */
#include <string.h>

#include "series/roi.h"
#include "series/tiles.h"
#include "skingen.h"
#include "test_util.h"

static void test_rect_and_cut(void)
{
    st_mask m;
    st_err err = {0};
    CHECK_EQ_INT(st_mask_from_rect(100, 80, (int[]){90, 70, 50, 50}, &m, &err), ST_OK);
    CHECK_EQ_INT(st_mask_count(&m), 10 * 10); /* clipped to the image */
    int box[4];
    CHECK(!st_mask_bbox(&m, box) && box[0] == 90 && box[1] == 70 && box[2] == 10 && box[3] == 10);
    st_mask_free(&m);
    CHECK_EQ_INT(st_mask_from_rect(100, 80, (int[]){100, 0, 5, 5}, &m, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "outside the 100x80 baseline image") != NULL);

    /* Identity: the 2 px margin of the session border is cut. */
    double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    CHECK_EQ_INT(st_mask_from_rect(100, 80, (int[]){0, 0, 100, 80}, &m, &err), ST_OK);
    st_mask_cut_to_view(&m, id, 100, 80, 2.0);
    CHECK_EQ_INT(st_mask_count(&m), 96 * 76);
    st_mask_free(&m);
    /* Session shifted: xb = xs + 30, yb = ys - 10; a 50x50 session sees
     * baseline x in [30, 79], y in [0, 39]. */
    double sh[9] = {1, 0, 30, 0, 1, -10, 0, 0, 1};
    CHECK_EQ_INT(st_mask_from_rect(100, 80, (int[]){0, 0, 100, 80}, &m, &err), ST_OK);
    st_mask_cut_to_view(&m, sh, 50, 50, 0.0);
    CHECK_EQ_INT(st_mask_count(&m), 50 * 40);
    CHECK(!st_mask_bbox(&m, box) && box[0] == 30 && box[1] == 0 && box[2] == 50 && box[3] == 40);
    st_mask_free(&m);
    /* A scale by 2 (session pixels twice as large): 20x20 session covers
     * baseline [0, 38] in both axes. */
    double sc[9] = {2, 0, 0, 0, 2, 0, 0, 0, 1};
    CHECK_EQ_INT(st_mask_from_rect(100, 80, (int[]){0, 0, 100, 80}, &m, &err), ST_OK);
    st_mask_cut_to_view(&m, sc, 20, 20, 0.0);
    CHECK_EQ_INT(st_mask_count(&m), 39 * 39);
    st_mask_free(&m);
}

/* Skin on the left, a blue cloth on the right: the mask follows the skin. */
static void test_skin_mask(void)
{
    skingen_params p;
    skingen_params_default(&p, 5, 320, 240, 0.1);
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), ST_OK);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera cam;
    skingen_camera_default(&cam, 320, 240, 9);
    st_image *img = NULL;
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &cam, &img, &err), ST_OK);
    if (!img)
        return;
    static const float cloth[3] = {0.12f, 0.2f, 0.55f};
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < img->height; y++)
            for (int x = 200; x < img->width; x++)
                st_image_row(img, c, y)[x] = cloth[c];
    st_mask m;
    const char *note = NULL;
    CHECK_EQ_INT(st_skin_mask(img, &m, &note, 1, &err), ST_OK);
    CHECK(note == NULL);
    size_t left = 0, right = 0;
    for (int y = 0; y < m.h; y++)
        for (int x = 0; x < m.w; x++) {
            left += x < 195 && m.px[(size_t)y * m.w + x];
            right += x >= 205 && m.px[(size_t)y * m.w + x];
        }
    CHECK_MSG(left > 0.9 * 195 * 240, "skin found: %zu of %d", left, 195 * 240);
    CHECK_MSG(right == 0, "cloth taken for skin: %zu px", right);
    st_mask_free(&m);
    /* Nothing skin-like at all: the whole frame, with a note. */
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++)
                st_image_row(img, c, y)[x] = cloth[c];
    CHECK_EQ_INT(st_skin_mask(img, &m, &note, 1, &err), ST_OK);
    CHECK(note != NULL && st_mask_count(&m) == 320u * 240u);
    st_mask_free(&m);
    st_image_free(img);
    skingen_skin_free(skin);
}

/* Tiles: a tilted plane plus a ±a checkerboard has Σz²/n = a² in every
 * tile once the plane is removed; detections land in the tile of their
 * centre. */
static void test_tiles(void)
{
    enum { W = 128, H = 96 };
    static float z[W * H];
    static unsigned char mask[W * H];
    const double a = 0.25;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            z[y * W + x] = (float)(3.0 + 0.01 * x - 0.02 * y + (((x + y) & 1) ? a : -a));
            mask[y * W + x] = 1;
        }
    st_pore pores[3] = {{10 + 5, 20 + 5, 0.2, 0, 0}, {10 + 40, 20 + 5, 0.3, 0, 0}, {10 + 45, 20 + 10, 0.1, 0, 0}};
    st_scar scars[1] = {{.x = 10 + 100, .y = 20 + 70, .area_mm2 = 2.0, .mean_depth = 0.5, .volume_mm3 = 0}};
    st_wrinkle wr[1] = {{.x0 = 10 + 0, .y0 = 20 + 0, .x1 = 10 + 60, .y1 = 20 + 0, .length_mm = 6.0, .depth = 2.0}};
    st_detections d = {.pores = pores, .n_pores = 3, .scars = scars, .n_scars = 1, .wrinkles = wr, .n_wrinkles = 1};
    st_tile_sums t;
    st_err err = {0};
    /* pixel 0.0625 mm: 2 mm tiles are 32 px -> 4 x 3 tiles */
    CHECK_EQ_INT(st_tiles_compute(z, W, mask, W, H, 10, 20, 0.0625, &d, 1, &t, &err), ST_OK);
    CHECK_EQ_INT(t.tile_px, 32);
    CHECK_EQ_INT(t.cols, 4);
    CHECK_EQ_INT(t.rows, 3);
    for (size_t i = 0; i < t.n; i++) {
        CHECK(t.valid[i]);
        CHECK_NEAR(t.fam_num[ST_FAM_ROUGHNESS][i] / t.fam_den[ST_FAM_ROUGHNESS][i], a * a, 1e-6);
        CHECK_NEAR(t.fam_den[ST_FAM_WRINKLES][i], 4.0, 1e-12); /* 2 mm x 2 mm */
    }
    CHECK_NEAR(t.fam_num[ST_FAM_PORES][0], 0.2, 1e-12);
    CHECK_NEAR(t.fam_den[ST_FAM_PORES][0], 1, 0);
    CHECK_NEAR(t.fam_num[ST_FAM_PORES][1], 0.4, 1e-12);
    CHECK_NEAR(t.fam_den[ST_FAM_PORES][1], 2, 0);
    CHECK_NEAR(t.fam_num[ST_FAM_SCARS][2 * 4 + 3], 1.0, 1e-12); /* area × mean depth */
    CHECK_NEAR(t.fam_num[ST_FAM_WRINKLES][0], 12.0, 1e-12);    /* midpoint (40, 0): tile 1 */
    st_tile_maps g;
    CHECK_EQ_INT(st_tiles_to_grid(&t, "rel", "rel.mm2", &g, &err), ST_OK);
    CHECK(g.n_maps == 3 && !strcmp(g.maps[0].name, "roughness.sq"));
    CHECK_NEAR(g.maps[0].values[5], a, 1e-6);
    for (size_t k = 0; k < g.n_maps; k++)
        free(g.maps[k].values);
    free(g.maps);
    st_tiles_free(&t);

    /* Half the mask empty: tiles less than half inside are left out. */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            mask[y * W + x] = x < 48;
    CHECK_EQ_INT(st_tiles_compute(z, W, mask, W, H, 0, 0, 0.0625, &d, 0, &t, &err), ST_OK);
    CHECK(t.valid[0] && t.valid[1] && !t.valid[2] && !t.valid[3]);
    st_tiles_free(&t);
}

int main(void)
{
    test_rect_and_cut();
    test_skin_mask();
    test_tiles();
    return test_summary();
}
