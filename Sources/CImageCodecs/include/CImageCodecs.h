// C shims over libjpeg-turbo and libspng (filled in by VisionCore's image decoding work).
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>
int vl_codecs_version(void);
#endif
