/* framepipe/framepipe.h — error names for programs that embed the core. */
#ifndef FRAMEPIPE_FRAMEPIPE_H
#define FRAMEPIPE_FRAMEPIPE_H

#include "framepipe/error.h"

/* Text for an error: framework codes from FP_ERRNO_MAP, -errno from the C
 * library. Never NULL; the string is static. */
const char *fp_strerror(int code);
/* The code's symbolic name ("FP_ENOFIT", "ENOENT"…). Static string. */
const char *fp_err_name(int code);

#endif
