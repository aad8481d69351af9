/* rotate: 90/180/270 clockwise, exact, every format, padded input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

#include "geometry.h"

static void map90(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy)
{
	*ix = y, *iy = 2 - x; /* a 4x3 input: H - 1 = 2 */
}

static void test_hand_made_g8(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4, 5, 6}; /* 3x2 */
	static const uint8_t r90[] = {4, 1, 5, 2, 6, 3};
	static const uint8_t r180[] = {6, 5, 4, 3, 2, 1};
	static const uint8_t r270[] = {3, 6, 2, 5, 1, 4};
	fp_frame f = ft_frame(FP_FORMAT_G8, 3, 2, 2, src), out;
	fp_harness *h = ft_harness("rotate", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 2, 3, r90);
	fp_harness_free(h);
	h = ft_harness("rotate", "degrees", "180", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 2, r180);
	fp_harness_free(h);
	h = ft_harness("rotate", "degrees", "270", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 2, 3, r270);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_every_format(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("rotate", NULL);
	check_mapping(h, 4, 3, 3, 4, map90);
	fp_harness_free(h);
}

static void test_four_turns_are_identity(void **state)
{
	(void)state;
	/* larger than one tile, odd sizes */
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 70, 45, 1, NULL), a, b;
	for (size_t i = 0; i < (size_t)f.stride * f.height; i++)
		f.pixels[i] = (uint8_t)(i * 31 + i / 7);
	uint8_t *tight = malloc(70 * 45 * 3);
	for (uint32_t y = 0; y < 45; y++)
		memcpy(tight + y * 210, f.pixels + (size_t)y * f.stride, 210);
	fp_harness *r90 = ft_harness("rotate", NULL);
	fp_harness *r270 = ft_harness("rotate", "degrees", "270", NULL);
	fp_harness *r180 = ft_harness("rotate", "degrees", "180", NULL);
	assert_int_equal(fp_harness_filter(r90, &f, &a), 0);
	assert_int_equal(fp_harness_filter(r270, &a, &b), 0);
	ft_expect(&b, FP_FORMAT_RGB8, 70, 45, tight);
	fp_harness *r180b = ft_harness("rotate", "degrees", "180", NULL);
	assert_int_equal(fp_harness_filter(r180, &f, &a), 0);
	assert_int_equal(fp_harness_filter(r180b, &a, &b), 0);
	ft_expect(&b, FP_FORMAT_RGB8, 70, 45, tight);
	fp_harness_free(r180b);
	fp_harness_free(r90);
	fp_harness_free(r270);
	fp_harness_free(r180);
	free(tight);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_made_g8),
		cmocka_unit_test(test_every_format),
		cmocka_unit_test(test_four_turns_are_identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
