/* kit/simd.c — which instruction set the filters' hot loops use.
 *
 * Hot loops are written once in plain C and compiled twice: for the
 * baseline (x86-64: SSE2, vectorised by the compiler; any other machine:
 * its own baseline) and, on x86, for AVX2 (FP_KIT_AVX2 functions). The
 * AVX2 copies run when the CPU has AVX2, unless FP_SIMD=generic is set in
 * the environment: the tests run every filter both ways, and both give
 * the same bytes (same operations in the same order; no FMA contraction
 * in ISO C mode; tests/stages/test_simd_paths.c compares them). */
#include "kit.h"

#include <stdlib.h>
#include <string.h>

bool fp__kit_avx2(void)
{
#if FP_KIT_HAVE_AVX2
	static int cpu = -1;
	if (cpu < 0) {
		__builtin_cpu_init();
		cpu = __builtin_cpu_supports("avx2") ? 1 : 0;
	}
	/* read per call (once a frame): a test flips it between frames */
	const char *v = getenv("FP_SIMD");
	return cpu == 1 && !(v != NULL && strcmp(v, "generic") == 0);
#else
	return false;
#endif
}
