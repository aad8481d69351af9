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

const char *fp_err_name(int code)
{
	switch (code) {
#define FP__ERR_NAME(name, value, text) \
	case FP_E##name: return "FP_E" #name;
		FP_ERRNO_MAP(FP__ERR_NAME)
#undef FP__ERR_NAME
	}
	if (code < 0 && code > -1000) {
		const char *name = strerrorname_np(-code);
		return name != NULL ? name : "EUNKNOWN";
	}
	return code == 0 ? "OK" : "UNKNOWN";
}
