/* The EXIF date of an image file without decoding its pixels: a folder scan
 * dates undated file names by it before any photo is decoded. */
#ifndef ST_IO_EXIF_DATE_H
#define ST_IO_EXIF_DATE_H

/* DateTimeOriginal ("YYYY:MM:DD HH:MM:SS") of a JPEG (APP1), PNG (eXIf) or
 * HEIF (Exif item) file into out: 0, or -1 when the file cannot be read or
 * carries no valid date. */
int st_image_exif_datetime(const char *path, char out[20]);

#endif
