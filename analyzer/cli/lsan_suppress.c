/* LeakSanitizer hooks (read only in -DSKINTRACK_SANITIZE=ON builds), for
 * allocations that libraries keep for the life of the process and LSan
 * reports as leaks at exit; our own allocations stay fully checked:
 * - cairo's toy font API asks fontconfig for a font once and fontconfig
 *   keeps those patterns (about 1 KB, in libfontconfig's own cache);
 * - OpenCV 4.6 builds its 8-bit RGB->Lab lookup tables once on first use
 *   (cv::cvtColor inside the mcc colour-chart detector, ~2.7 MB whatever the
 *   input) and never frees them. That frame is only reached by full
 *   unwinding (the fast unwinder stops in libopencv_core), hence the
 *   ASan option. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:cv::hal::cvtBGRtoLab\n";
}
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }
/* The suppressions' statistics would be printed to stderr at exit, where
 * the CLI promises one line per error. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
