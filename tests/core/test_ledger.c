/* The ledger: one owner per slot, wrong-owner moves refused and harmless. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>

#include "framepipe/error.h"
#include "ledger.h"

static void test_take_move_free(void **state)
{
	(void)state;
	fp_ledger l;
	assert_int_equal(fp__ledger_init(&l, 3), 0);
	uint32_t a, b, c, d;
	assert_int_equal(fp__ledger_take(&l, 7, &a), 0);
	assert_int_equal(a, 0); /* lowest first */
	assert_int_equal(fp__ledger_take(&l, 7, &b), 0);
	assert_int_equal(fp__ledger_take(&l, 8, &c), 0);
	assert_int_equal(fp__ledger_take(&l, 8, &d), -EAGAIN);
	assert_int_equal(l.free_count, 0);
	assert_true(fp__ledger_is_owner(&l, c, 8));
	assert_int_equal(fp__ledger_move(&l, c, 8, FP_OWNER_SUPERVISOR), 0);
	assert_int_equal(fp__ledger_move(&l, c, FP_OWNER_SUPERVISOR, 9), 0);
	assert_int_equal(fp__ledger_move(&l, c, 9, FP_OWNER_FREE), 0);
	assert_int_equal(l.free_count, 1);
	assert_int_equal(fp__ledger_take(&l, 1, &d), 0);
	assert_int_equal(d, c);
	fp__ledger_release(&l);
}

static void test_wrong_owner_changes_nothing(void **state)
{
	(void)state;
	fp_ledger l;
	assert_int_equal(fp__ledger_init(&l, 4), 0);
	uint32_t s;
	assert_int_equal(fp__ledger_take(&l, 1, &s), 0);
	/* Releasing a slot someone else owns, a free slot, a forged index. */
	assert_int_equal(fp__ledger_move(&l, s, 2, FP_OWNER_FREE),
			 FP_EPROTOCOL);
	assert_int_equal(fp__ledger_move(&l, 3, 1, FP_OWNER_FREE),
			 FP_EPROTOCOL);
	assert_int_equal(fp__ledger_move(&l, 4, 1, FP_OWNER_FREE),
			 FP_EPROTOCOL);
	assert_int_equal(fp__ledger_move(&l, UINT32_MAX, 1, FP_OWNER_FREE),
			 FP_EPROTOCOL);
	assert_true(fp__ledger_is_owner(&l, s, 1));
	assert_int_equal(l.free_count, 3);
	/* Double release: the second one is refused. */
	assert_int_equal(fp__ledger_move(&l, s, 1, FP_OWNER_FREE), 0);
	assert_int_equal(fp__ledger_move(&l, s, 1, FP_OWNER_FREE),
			 FP_EPROTOCOL);
	assert_int_equal(l.free_count, 4);
	fp__ledger_release(&l);
}

static void test_reclaim_after_death(void **state)
{
	(void)state;
	fp_ledger l;
	assert_int_equal(fp__ledger_init(&l, 6), 0);
	uint32_t s;
	for (int i = 0; i < 6; i++)
		assert_int_equal(fp__ledger_take(&l, i % 2 ? 5 : 6, &s), 0);
	uint32_t got[6];
	assert_int_equal(fp__ledger_reclaim(&l, 5, got, 6), 3);
	assert_int_equal(fp__ledger_count_owned(&l, 5), 0);
	assert_int_equal(fp__ledger_count_owned(&l, FP_OWNER_SUPERVISOR), 3);
	assert_int_equal(fp__ledger_count_owned(&l, 6), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(fp__ledger_move(&l, got[i],
						 FP_OWNER_SUPERVISOR,
						 FP_OWNER_FREE),
				 0);
	assert_int_equal(l.free_count, 3);
	fp__ledger_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_move_free),
		cmocka_unit_test(test_wrong_owner_changes_nothing),
		cmocka_unit_test(test_reclaim_after_death),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
