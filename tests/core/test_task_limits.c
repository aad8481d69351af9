/* task_limits: the CPUs and memory a run may use, from fake /proc and cgroup
 * trees and a fake environment: each source alone, the smallest winning,
 * the walk up the cgroup tree, v1 and v2, and malformed values ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "task_limits.h"

static char root[64];

/* Write text to root/path, making the folders on the way. */
static void put(const char *path, const char *text)
{
	char full[512];
	snprintf(full, sizeof full, "%s%s", root, path);
	for (char *p = full + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(full, 0755);
			*p = '/';
		}
	FILE *f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/fp_limits.XXXXXX");
	return mkdtemp(root) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* A cgroup v2 host: one unified mount at /sys/fs/cgroup. */
static const char v2_mounts[] =
	"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
	"30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev shared:9 - cgroup2 "
	"cgroup2 rw,nsdelegate\n";

static const char *const no_env[] = {NULL};

static fp_cpu_limit cpus(int affinity, const char *const *env)
{
	fp_limit_sources src = {root, env, affinity};
	fp_cpu_limit out;
	fp__cpu_limit(&src, &out);
	return out;
}

static void test_affinity_alone(void **state)
{
	(void)state;
	fp_cpu_limit c = cpus(6, no_env);
	assert_int_equal(c.cpus, 6);
	assert_int_equal(c.cgroup, 0);
	assert_int_equal(c.slurm, 0);
	assert_string_equal(c.by, "affinity mask");
	/* Nothing known at all: one. */
	c = cpus(0, no_env);
	assert_int_equal(c.cpus, 1);
}

static void test_slurm_cpus_per_task(void **state)
{
	(void)state;
	static const char *const env[] = {"SLURM_CPUS_PER_TASK=1", NULL};
	fp_cpu_limit c = cpus(2, env);
	assert_int_equal(c.cpus, 1);
	assert_int_equal(c.slurm, 1);
	assert_string_equal(c.by, "SLURM_CPUS_PER_TASK");
	/* More than the mask: the mask wins. */
	static const char *const many[] = {"SLURM_CPUS_PER_TASK=8", NULL};
	c = cpus(2, many);
	assert_int_equal(c.cpus, 2);
	assert_int_equal(c.slurm, 8);
	assert_string_equal(c.by, "affinity mask");
	/* Not a number: as if unset. */
	static const char *const bad[][2] = {{"SLURM_CPUS_PER_TASK=", NULL},
					     {"SLURM_CPUS_PER_TASK=x2", NULL},
					     {"SLURM_CPUS_PER_TASK=2x", NULL},
					     {"SLURM_CPUS_PER_TASK=-1", NULL},
					     {"SLURM_CPUS_PER_TASK=0", NULL},
					     {"SLURM_CPUS_PER_TASKS=1", NULL}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		c = cpus(3, bad[i]);
		assert_int_equal(c.cpus, 3);
		assert_int_equal(c.slurm, 0);
	}
}

static void test_cgroup_v2_quota(void **state)
{
	(void)state;
	put("/proc/self/mountinfo", v2_mounts);
	put("/proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
	/* 1.5 CPUs at the pod, none in the container: rounded up, 2. */
	put("/sys/fs/cgroup/kubepods/pod1/cpu.max", "150000 100000\n");
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "max 100000\n");
	put("/sys/fs/cgroup/kubepods/cpu.max", "max 100000\n");
	fp_cpu_limit c = cpus(8, no_env);
	assert_int_equal(c.cgroup, 2);
	assert_int_equal(c.cpus, 2);
	assert_string_equal(c.by, "cgroup cpu.max");
	/* The container's own, smaller, wins; half a CPU is one. */
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "50000 100000\n");
	c = cpus(8, no_env);
	assert_int_equal(c.cpus, 1);
	/* SLURM_CPUS_PER_TASK and the mask still count: the smallest. */
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "400000 100000\n");
	static const char *const env[] = {"SLURM_CPUS_PER_TASK=3", NULL};
	c = cpus(8, env);
	assert_int_equal(c.cgroup, 2);
	assert_int_equal(c.cpus, 2);
	put("/sys/fs/cgroup/kubepods/pod1/cpu.max", "max 100000\n");
	c = cpus(8, env);
	assert_int_equal(c.cgroup, 4);
	assert_int_equal(c.cpus, 3);
	assert_string_equal(c.by, "SLURM_CPUS_PER_TASK");
	/* Malformed files: no limit. */
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "lots 100000\n");
	assert_int_equal(cpus(8, no_env).cgroup, 0);
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "100000 0\n");
	assert_int_equal(cpus(8, no_env).cgroup, 0);
	put("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "100000\n");
	assert_int_equal(cpus(8, no_env).cgroup, 0);
}

/* In a container the mount shows the hierarchy from our cgroup down
 * (ROOT field), or (cgroup namespace) our path is "/". */
static void test_cgroup_v2_container(void **state)
{
	(void)state;
	put("/proc/self/mountinfo",
	    "30 22 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup rw\n");
	put("/proc/self/cgroup", "0::/docker/abc\n");
	put("/sys/fs/cgroup/cpu.max", "200000 100000\n");
	assert_int_equal(cpus(16, no_env).cpus, 2);
	put("/proc/self/cgroup", "0::/\n");
	put("/proc/self/mountinfo",
	    "30 22 0:26 / /sys/fs/cgroup ro - cgroup2 cgroup rw\n");
	assert_int_equal(cpus(16, no_env).cpus, 2);
}

/* A v1 (or hybrid) host: the cpu controller's own hierarchy. */
static void test_cgroup_v1_quota(void **state)
{
	(void)state;
	put("/proc/self/mountinfo",
	    "30 22 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
	    "31 22 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
	    "rw,cpu,cpuacct\n"
	    "32 22 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup "
	    "rw,memory\n");
	put("/proc/self/cgroup", "0::/\n4:memory:/job\n2:cpu,cpuacct:/job\n"
				 "1:cpuset:/\n");
	put("/sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "250000\n");
	put("/sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
	put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
	put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
	fp_cpu_limit c = cpus(4, no_env);
	assert_int_equal(c.cgroup, 3);
	assert_int_equal(c.cpus, 3);
	assert_string_equal(c.by, "cgroup cpu.cfs_quota_us");
	put("/sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
	assert_int_equal(cpus(4, no_env).cgroup, 0);

	/* Memory, v1: "unlimited" is a huge number. */
	put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes",
	    "9223372036854771712\n");
	fp_limit_sources src = {root, no_env, 4};
	fp_mem_limit m;
	fp__mem_limit(&src, 4, &m);
	assert_true(m.bytes == 0);
	assert_null(m.by);
	put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes", "536870912\n");
	fp__mem_limit(&src, 4, &m);
	assert_true(m.bytes == 536870912u);
	assert_string_equal(m.by, "cgroup memory.limit_in_bytes");
}

static void test_memory(void **state)
{
	(void)state;
	put("/proc/self/mountinfo", v2_mounts);
	put("/proc/self/cgroup", "0::/slurm/job7\n");
	put("/sys/fs/cgroup/slurm/job7/memory.max", "max\n");
	put("/sys/fs/cgroup/slurm/memory.max", "1073741824\n");
	fp_limit_sources src = {root, no_env, 2};
	fp_mem_limit m;
	fp__mem_limit(&src, 2, &m);
	assert_true(m.bytes == 1073741824u);
	assert_string_equal(m.by, "cgroup memory.max");

	static const char *const node[] = {"SLURM_MEM_PER_NODE=300", NULL};
	src.env = node;
	fp__mem_limit(&src, 2, &m);
	assert_true(m.bytes == 300u << 20);
	assert_string_equal(m.by, "SLURM_MEM_PER_NODE");

	/* Per CPU: times the CPUs. */
	static const char *const per_cpu[] = {"SLURM_MEM_PER_CPU=200", NULL};
	src.env = per_cpu;
	fp__mem_limit(&src, 2, &m);
	assert_true(m.bytes == 400u << 20);
	assert_string_equal(m.by, "SLURM_MEM_PER_CPU");
	fp__mem_limit(&src, 8, &m); /* 1600 MB: the cgroup's 1 GiB wins */
	assert_true(m.bytes == 1073741824u);

	/* --mem=0 (the whole node) and nonsense: no limit from Slurm. */
	static const char *const zero[] = {"SLURM_MEM_PER_NODE=0",
					   "SLURM_MEM_PER_CPU=lots", NULL};
	src.env = zero;
	put("/sys/fs/cgroup/slurm/memory.max", "max\n");
	fp__mem_limit(&src, 2, &m);
	assert_true(m.bytes == 0);
}

/* No /proc files at all (not Linux-like, or hidden): the mask only. */
static void test_nothing_readable(void **state)
{
	(void)state;
	char sub[128];
	snprintf(sub, sizeof sub, "%s/empty", root);
	mkdir(sub, 0755);
	fp_limit_sources src = {sub, no_env, 5};
	fp_cpu_limit c;
	fp__cpu_limit(&src, &c);
	assert_int_equal(c.cpus, 5);
	fp_mem_limit m;
	fp__mem_limit(&src, 5, &m);
	assert_true(m.bytes == 0);
}

/* The real system: never more than the affinity mask, at least one. */
static void test_real_system(void **state)
{
	(void)state;
	const fp_cpu_limit *c = fp__cpus();
	assert_true(c->cpus >= 1);
	assert_true(c->affinity == 0 || c->cpus <= c->affinity);
	assert_true(fp__pool_budget(1000) <= 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_affinity_alone),
		cmocka_unit_test(test_slurm_cpus_per_task),
		cmocka_unit_test(test_cgroup_v2_quota),
		cmocka_unit_test(test_cgroup_v2_container),
		cmocka_unit_test(test_cgroup_v1_quota),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_nothing_readable),
		cmocka_unit_test(test_real_system),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
