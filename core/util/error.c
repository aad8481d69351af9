#include "framepipe/framepipe.h"

#include <string.h>

const char *fp_strerror(int code)
{
	switch (code) {
#define FP__ERR_TEXT(name, value, text) \
	case FP_E##name: return text;
		FP_ERRNO_MAP(FP__ERR_TEXT)
#undef FP__ERR_TEXT
	}
	if (code < 0 && code > -1000)
		return strerror(-code);
	return code == 0 ? "success" : "unknown error";
}
