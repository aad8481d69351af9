/* framepipe/error.h — error codes shared by the core and stage plugins.
 *
 * Convention: 0 is success, a negative value is an error. A failed system
 * call is reported as -errno unchanged; framework codes live far from errno,
 * from -1000 down, and are listed once in FP_ERRNO_MAP, which generates the
 * enum here and fp_strerror() in the core. Codes cross pipes
 * between processes, so an existing code is never renumbered: append only.
 */
#ifndef FRAMEPIPE_ERROR_H
#define FRAMEPIPE_ERROR_H

#define FP_ERRNO_MAP(XX)                                                \
	XX(END, -1000, "no more frames")                                \
	XX(FORMAT, -1001, "pixel format not supported by this stage")   \
	XX(NOFIT, -1002, "frame does not fit in a pool slot")           \
	XX(LIMIT, -1003, "image exceeds a configured limit")            \
	XX(CORRUPT, -1004, "malformed input file")                      \
	XX(PROTOCOL, -1005, "protocol violation")                       \
	XX(ABI, -1006, "incompatible plugin ABI")                       \
	XX(CONFIG, -1007, "invalid configuration")                      \
	XX(PARAM, -1008, "invalid parameter value")                     \
	XX(NOSTAGE, -1009, "stage not found")                           \
	XX(GEOMETRY, -1010, "stage produced an invalid frame geometry") \
	XX(IO, -1011, "input/output error")                             \
	XX(CRASHED, -1012, "stage instance died")

enum fp_errno {
#define FP__ERR_ENUM(name, value, text) FP_E##name = (value),
	FP_ERRNO_MAP(FP__ERR_ENUM)
#undef FP__ERR_ENUM
};

#endif
