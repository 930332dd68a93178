/* LeakSanitizer hook (read only in -DSKINTRACK_SANITIZE=ON builds): cairo's
 * toy font API asks fontconfig for a font once and fontconfig keeps those
 * patterns for the life of the process (about 1 KB, once, in
 * libfontconfig's own cache), which LSan reports as a leak at exit. Our own
 * allocations stay fully checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }
