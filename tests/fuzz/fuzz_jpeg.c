/* libFuzzer target: the JPEG loader (marker walk, EXIF, TurboJPEG decode,
 * orientation). Seeds: tests/fuzz/corpus/jpeg/. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Keep to JPEG: the format sniffing is covered by every target. */
    if (size < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
        return 0;
    st_fuzz_load(data, size, "fuzz.jpg", 0);
    return 0;
}
