/* median: removes isolated noise, equals a brute-force median (edges
 * clamped) for every radius and format, keeps alpha. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

#include "neighbourhood.h"

static int cmp_u8(const void *a, const void *b)
{
	return *(const uint8_t *)a - *(const uint8_t *)b;
}

static uint8_t brute(const fp_frame *f, int x, int y, unsigned c, int r)
{
	uint8_t v[49];
	int n = 0;
	for (int dy = -r; dy <= r; dy++)
		for (int dx = -r; dx <= r; dx++) {
			int xx = x + dx, yy = y + dy;
			xx = xx < 0		   ? 0
			     : xx >= (int)f->width ? (int)f->width - 1
						   : xx;
			yy = yy < 0		    ? 0
			     : yy >= (int)f->height ? (int)f->height - 1
						    : yy;
			v[n++] = ft_at(f, (uint32_t)xx, (uint32_t)yy, c);
		}
	qsort(v, (size_t)n, 1, cmp_u8);
	return v[n / 2];
}

static void test_constant(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("median", "radius", "2", NULL);
	constant_stays_constant(h);
	fp_harness_free(h);
}

static void test_salt_and_pepper(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_G8, 5, 5, 0, NULL), out;
	memset(f.pixels, 100, 25);
	f.pixels[6] = 255;
	f.pixels[18] = 0;
	fp_harness *h = ft_harness("median", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	for (int i = 0; i < 25; i++)
		assert_int_equal(out.pixels[i], 100);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_matches_brute_force(void **state)
{
	(void)state;
	for (int r = 1; r <= 3; r++)
		for (size_t k = 0; k < 4; k++) {
			fp_format fmt = ft_formats[k];
			unsigned ch = fp_format_channels(fmt);
			fp_frame f = ft_frame(fmt, 23, 9, 3, NULL), out;
			uint32_t s = 12345u + (uint32_t)r;
			for (size_t i = 0; i < (size_t)f.stride * 9; i++) {
				s = s * 1103515245u + 12345u;
				if (i % f.stride < 23 * ch)
					f.pixels[i] = (uint8_t)(s >> 24);
			}
			char radius[2] = {(char)('0' + r), 0};
			fp_harness *h =
				ft_harness("median", "radius", radius, NULL);
			assert_int_equal(fp_harness_filter(h, &f, &out), 0);
			bool alpha = ch == 2 || ch == 4;
			for (int y = 0; y < 9; y++)
				for (int x = 0; x < 23; x++)
					for (unsigned c = 0; c < ch; c++) {
						uint8_t want =
							alpha && c == ch - 1
								? ft_at(&f,
									(uint32_t)
										x,
									(uint32_t)
										y,
									c)
								: brute(&f, x,
									y, c,
									r);
						assert_int_equal(
							ft_at(&out, (uint32_t)x,
							      (uint32_t)y, c),
							want);
					}
			fp_harness_free(h);
			ft_free(&f);
		}
}

static int cmp_u16(const void *a, const void *b)
{
	return *(const uint16_t *)a - *(const uint16_t *)b;
}

static unsigned brute16(const fp_frame *f, int x, int y, unsigned c, int r)
{
	uint16_t v[49];
	int n = 0;
	for (int dy = -r; dy <= r; dy++)
		for (int dx = -r; dx <= r; dx++) {
			int xx = x + dx, yy = y + dy;
			xx = xx < 0		   ? 0
			     : xx >= (int)f->width ? (int)f->width - 1
						   : xx;
			yy = yy < 0		    ? 0
			     : yy >= (int)f->height ? (int)f->height - 1
						    : yy;
			v[n++] = (uint16_t)ft_sample(f, (uint32_t)xx,
						     (uint32_t)yy, c);
		}
	qsort(v, (size_t)n, 2, cmp_u16);
	return v[n / 2];
}

/* 16 bits: the same brute-force median, on noise that uses every bit
 * (and on few distinct values, where selection meets many ties). */
static void test_matches_brute_force_16(void **state)
{
	(void)state;
	for (int r = 1; r <= 3; r++)
		for (size_t k = 0; k < 8; k++) {
			fp_format fmt = ft_formats16[k % 4];
			unsigned ch = fp_format_channels(fmt);
			uint16_t src[23 * 9 * 4];
			uint32_t s = 777u + (uint32_t)r;
			for (size_t i = 0; i < 23 * 9 * ch; i++) {
				s = s * 1103515245u + 12345u;
				src[i] =
					(uint16_t)(k < 4 ? s >> 16
							 : (s >> 16) % 3 * 300);
			}
			fp_frame f = ft_frame(fmt, 23, 9, 2,
					      (const uint8_t *)src),
				 out;
			char radius[2] = {(char)('0' + r), 0};
			fp_harness *h =
				ft_harness("median", "radius", radius, NULL);
			assert_int_equal(fp_harness_filter(h, &f, &out), 0);
			bool alpha = ch == 2 || ch == 4;
			for (int y = 0; y < 9; y++)
				for (int x = 0; x < 23; x++)
					for (unsigned c = 0; c < ch; c++) {
						unsigned want =
							alpha && c == ch - 1
								? ft_sample(
									  &f,
									  (uint32_t)
										  x,
									  (uint32_t)
										  y,
									  c)
								: brute16(&f, x,
									  y, c,
									  r);
						assert_int_equal(
							ft_sample(&out,
								  (uint32_t)x,
								  (uint32_t)y,
								  c),
							want);
					}
			fp_harness_free(h);
			ft_free(&f);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_salt_and_pepper),
		cmocka_unit_test(test_matches_brute_force),
		cmocka_unit_test(test_matches_brute_force_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
