#include "CImageCodecs.h"
int vl_codecs_version(void) { return 1; }
