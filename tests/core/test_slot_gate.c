/* The slot gate: while one frame's slots are open, every other slot and
 * every guard page faults, whether a slot is opened by its key or by
 * mprotect; a closed slot faults again. Each touch runs in a forked child,
 * which must die of SIGSEGV (or live, for the frame's own slots). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool.h"
#include "slot_gate.h"

#define SLOTS	   24 /* more than FP_GATE_MAX_KEYS: keyed and not */
#define KEYED	   2
#define UNKEYED	   20
#define SLOT_BYTES 10000

enum touch { PIXELS, META, GUARD };

typedef struct gate_case {
	bool keys;
	uint32_t open[2]; /* the frame's slots; UINT32_MAX for none */
	bool close_first; /* close them again before the touch */
	uint32_t slot;	  /* what is touched */
	enum touch where;
} gate_case;

static fp_pool pool;

/* The status of a child that opens the case's slots and writes once. */
static int run_case(const gate_case *c)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL); /* not cmocka's handler */
		fp_gate g;
		if (fp__gate_init(&g, &pool, c->keys) != 0)
			_exit(10);
		if (c->keys != (g.keys > 0))
			_exit(11);
		for (int i = 0; i < 2; i++)
			if (c->open[i] != UINT32_MAX &&
			    fp__gate_set(&g, c->open[i], true) != 0)
				_exit(12);
		if (c->close_first)
			for (int i = 0; i < 2; i++)
				if (c->open[i] != UINT32_MAX &&
				    fp__gate_set(&g, c->open[i], false) != 0)
					_exit(13);
		uint8_t *p = c->where == META
				     ? (uint8_t *)fp__pool_meta(&pool, c->slot)
				     : fp__pool_pixels(&pool, c->slot);
		if (c->where == GUARD) /* the first byte after the pixels */
			p += (SLOT_BYTES + pool.page - 1) / pool.page *
			     pool.page;
		*(volatile uint8_t *)p = 0x5a;
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void expect_ok(const gate_case *c)
{
	int status = run_case(c);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_fault(const gate_case *c)
{
	int status = run_case(c);
	if (!WIFSIGNALED(status))
		fail_msg("slot %u (%d) reachable with %u,%u open (keys %d): "
			 "exit %d",
			 c->slot, c->where, c->open[0], c->open[1], c->keys,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static void check_gate(bool keys)
{
	const uint32_t none = UINT32_MAX;
	/* A keyed and an unkeyed frame, and one of each (an out-of-place
	 * filter's input and output): their own pixels and metadata. */
	uint32_t frames[][2] = {
		{KEYED, none}, {UNKEYED, none}, {KEYED, UNKEYED}};
	for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++) {
		uint32_t *o = frames[f];
		for (int i = 0; i < 2 && o[i] != none; i++) {
			expect_ok(&(gate_case){
				keys, {o[0], o[1]}, false, o[i], PIXELS});
			expect_ok(&(gate_case){
				keys, {o[0], o[1]}, false, o[i], META});
			/* Past the end: the guard page. */
			expect_fault(&(gate_case){
				keys, {o[0], o[1]}, false, o[i], GUARD});
			/* Closed again. */
			expect_fault(&(gate_case){
				keys, {o[0], o[1]}, true, o[i], PIXELS});
		}
		/* Every other slot, keyed or not, its neighbours first. */
		uint32_t others[] = {
			KEYED - 1,	  KEYED + 1, UNKEYED - 1,
			UNKEYED + 1,	  0,	     FP_GATE_MAX_KEYS - 1,
			FP_GATE_MAX_KEYS, SLOTS - 1};
		for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
			uint32_t s = others[i];
			if (s == o[0] || s == o[1])
				continue;
			expect_fault(&(gate_case){
				keys, {o[0], o[1]}, false, s, PIXELS});
			expect_fault(&(gate_case){
				keys, {o[0], o[1]}, false, s, META});
		}
	}
	/* Nothing open: nothing reachable. */
	expect_fault(&(gate_case){keys, {none, none}, false, KEYED, PIXELS});
	expect_fault(&(gate_case){keys, {none, none}, false, UNKEYED, META});
}

static bool has_keys(void)
{
	fp_gate g;
	pid_t pid = fork();
	if (pid == 0) /* in a child: the keys stay out of this process */
		_exit(fp__gate_init(&g, &pool, true) == 0 && g.keys > 0 ? 0
									: 1);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_by_mprotect(void **state)
{
	(void)state;
	check_gate(false);
}

static void test_by_keys(void **state)
{
	(void)state;
	if (!has_keys()) {
		printf("no memory protection keys here (PKU): skipped\n");
		skip();
	}
	check_gate(true);
}

static int setup(void **state)
{
	(void)state;
	char err[256];
	return fp__pool_create(&pool, SLOTS, SLOT_BYTES, 100, err, sizeof err);
}

static int teardown(void **state)
{
	(void)state;
	fp__pool_release(&pool);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_mprotect),
		cmocka_unit_test(test_by_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
