/* The pool: one private segment, removed as soon as it exists, shared
 * with forked children, page-aligned pixel areas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "framepipe/stage.h"
#include "pool.h"

/* The segment's line in /proc/sysvipc/shm: 1 if listed, 0 if not. */
static int shm_listed(int shmid, unsigned *mode)
{
	FILE *f = fopen("/proc/sysvipc/shm", "r");
	assert_non_null(f);
	char line[512];
	int found = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		int key, id;
		unsigned perms;
		if (sscanf(line, "%d %d %o", &key, &id, &perms) == 3 &&
		    id == shmid) {
			found = 1;
			*mode = perms;
		}
	}
	fclose(f);
	return found;
}

/* Pages of [p, p + n) present in this process's page tables (bit 63 of
 * /proc/self/pagemap; mincore would tell the shared page cache instead). */
static size_t resident(const uint8_t *p, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), count = 0;
	FILE *f = fopen("/proc/self/pagemap", "rb");
	assert_non_null(f);
	for (size_t i = 0; i < n / page; i++) {
		uint64_t entry = 0;
		long at = (long)(((uintptr_t)p / page + i) * sizeof entry);
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		assert_int_equal(fread(&entry, sizeof entry, 1, f), 1);
		count += entry >> 63;
	}
	fclose(f);
	return count;
}

/* Prefault maps every pixel page and each metadata area's first page,
 * keeps what was written, leaves the rest of a metadata area lazy; in a
 * child too (its page tables are its own). */
static void test_prefault(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	assert_int_equal(fp__pool_create(&pool, 3, 5 * page + 1, 4 * page, err,
					 sizeof err),
			 0);
	size_t pixels = pool.slot_stride - pool.meta_stride - pool.page;
	for (uint32_t s = 0; s < 3; s++)
		assert_int_equal(resident(fp__pool_pixels(&pool, s), pixels),
				 0);
	fp__pool_pixels(&pool, 1)[3 * page + 7] = 0x5a;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* before: only what the parent wrote exists, nothing mapped */
		int ok = resident(fp__pool_pixels(&pool, 1), pixels) == 0;
		fp__pool_prefault(&pool);
		for (uint32_t s = 0; s < 3; s++) {
			uint8_t *meta = (uint8_t *)fp__pool_meta(&pool, s);
			ok = ok && resident(fp__pool_pixels(&pool, s),
					    pixels) == pixels / page;
			ok = ok && resident(meta, page) == 1;
			ok = ok && resident(meta + page,
					    pool.meta_stride - page) == 0;
		}
		ok = ok && fp__pool_pixels(&pool, 1)[3 * page + 7] == 0x5a;
		_exit(ok ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	fp__pool_release(&pool);
}

static void test_layout(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	assert_int_equal(fp__pool_create(&pool, 5, 1000, 0, err, sizeof err),
			 0);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	for (uint32_t s = 0; s < 5; s++) {
		uint8_t *px = fp__pool_pixels(&pool, s);
		assert_int_equal((uintptr_t)px % page, 0);
		memset(px, (int)s, 1000); /* writable to the last byte */
		if (s > 0)
			assert_true(px >= fp__pool_pixels(&pool, s - 1) + 1000);
		assert_true((uint8_t *)(fp__pool_header(&pool, s) + 1) <=
			    fp__pool_pixels(&pool, 0));
	}
	fp__pool_release(&pool);
}

/* Each slot's metadata area lies before its pixels, never overlapping a
 * neighbour, and gets its capacity back from the core whatever a stage
 * wrote there. */
static void test_metadata_areas(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	assert_int_equal(
		fp__pool_create(&pool, 3, 5000, 10000, err, sizeof err), 0);
	for (uint32_t s = 0; s < 3; s++) {
		fp_meta *m = fp__pool_meta_reset(&pool, s, 1);
		assert_int_equal(m->capacity, 10000);
		assert_int_equal(m->used, 0);
		memset(m->data, 0xee, 10000);
		assert_true(m->data + 10000 <= fp__pool_pixels(&pool, s));
		if (s > 0)
			assert_true((uint8_t *)m >=
				    fp__pool_pixels(&pool, s - 1) + 5000);
		m->capacity = 0xffffffffu; /* a stage lies */
		m->used = 0xfffffff0u;
		m = fp__pool_meta_reset(&pool, s, 0);
		assert_int_equal(m->capacity, 10000);
		assert_int_equal(m->used, 0);
	}
	fp__pool_release(&pool);
}

static void test_removed_at_once_and_gone_after(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	assert_int_equal(fp__pool_create(&pool, 2, 4096, 0, err, sizeof err),
			 0);
	int shmid = pool.shmid;
	unsigned mode = 0;
	assert_int_equal(shm_listed(shmid, &mode), 1);
	assert_int_equal(mode & 0777, 0600);
	assert_true(mode & 01000); /* SHM_DEST: marked for removal */
	fp__pool_release(&pool);
	assert_int_equal(shm_listed(shmid, &mode), 0);
}

static void test_shared_with_children(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	assert_int_equal(fp__pool_create(&pool, 3, 64, 0, err, sizeof err), 0);
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(fp__pool_pixels(&pool, 2), "from child", 11);
		fp__pool_header(&pool, 2)->width = 77;
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_string_equal((char *)fp__pool_pixels(&pool, 2), "from child");
	assert_int_equal(fp__pool_header(&pool, 2)->width, 77);
	fp__pool_release(&pool);
}

static void test_refuses_nonsense(void **state)
{
	(void)state;
	fp_pool pool;
	char err[256];
	assert_true(fp__pool_create(&pool, 0, 4096, 0, err, sizeof err) < 0);
	assert_true(fp__pool_create(&pool, 4, 0, 0, err, sizeof err) < 0);
	/* Far beyond any machine: refused with a message, not a crash. */
	assert_true(fp__pool_create(&pool, 4096, (size_t)1 << 62, 0, err,
				    sizeof err) < 0);
	assert_non_null(strstr(err, "pool"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_removed_at_once_and_gone_after),
		cmocka_unit_test(test_metadata_areas),
		cmocka_unit_test(test_shared_with_children),
		cmocka_unit_test(test_refuses_nonsense),
		cmocka_unit_test(test_prefault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
