/* framepipe/framepipe.h — error texts for programs that embed the core. */
#ifndef FRAMEPIPE_FRAMEPIPE_H
#define FRAMEPIPE_FRAMEPIPE_H

#include "framepipe/error.h"

/* Text for an error: framework codes from FP_ERRNO_MAP, -errno from the C
 * library. Never NULL; the string is static. */
const char *fp_strerror(int code);

#endif
