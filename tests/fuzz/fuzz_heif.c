/* libFuzzer target: the HEIC loader (brand sniffing, top-level box walk,
 * size checks, libheif's parser and decoder, the Exif item, orientation by
 * irot/imir). Seeds: tests/fuzz/corpus/heif/. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Keep to ISO media files: the format sniffing is covered by every target. */
    if (size < 12 || memcmp(data + 4, "ftyp", 4) != 0)
        return 0;
    st_fuzz_load(data, size, "fuzz.heic", 0);
    return 0;
}
