/* task_limits — the CPUs and the memory this run may actually use, which on a
 * cluster or in a container is less than the machine has.
 *
 * CPUs: the smallest of
 *   - the affinity mask (sched_getaffinity: taskset, cpusets, Slurm's
 *     task/affinity),
 *   - the cgroup CPU quota, quota/period rounded up, of our own cgroup and
 *     every one above it (v2 cpu.max; v1 cpu.cfs_quota_us/cfs_period_us):
 *     Kubernetes CPU limits, docker --cpus, systemd CPUQuota,
 *   - SLURM_CPUS_PER_TASK: with TaskPlugin=task/none Slurm sets no
 *     affinity and no cgroup, and this is all that says what was asked.
 * Memory: the smallest of SLURM_MEM_PER_NODE, SLURM_MEM_PER_CPU times the
 * CPUs (both in MB, as Slurm gives them) and the cgroup memory limit of
 * our cgroup and those above it (v2 memory.max, v1 memory.limit_in_bytes).
 * A value that does not parse is ignored, as if unset.
 */
#ifndef FP_TASK_LIMITS_H
#define FP_TASK_LIMITS_H

#include <stdint.h>

/* Where the limits are read from. The real system is {"", NULL, -1};
 * tests give a fake tree and environment. */
typedef struct fp_limit_sources {
	const char *root; /* prefix of /proc/self/{cgroup,mountinfo} and of
			     the cgroup mount points found there */
	const char *const *env; /* "NAME=value", NULL-ended; NULL: getenv */
	int affinity;		/* CPUs in the mask; -1: sched_getaffinity */
} fp_limit_sources;

typedef struct fp_cpu_limit {
	unsigned cpus;	   /* the smallest of those below that is set, >= 1 */
	unsigned affinity; /* 0: unknown */
	unsigned cgroup;   /* 0: no quota */
	unsigned slurm;	   /* 0: SLURM_CPUS_PER_TASK unset */
	const char *by;	   /* which one gave cpus, e.g. "SLURM_CPUS_PER_TASK" */
} fp_cpu_limit;

typedef struct fp_mem_limit {
	uint64_t bytes; /* 0: no limit found */
	const char *by; /* "SLURM_MEM_PER_NODE", "SLURM_MEM_PER_CPU",
			   "cgroup memory.max", ... ; NULL when bytes is 0 */
} fp_mem_limit;

void fp__cpu_limit(const fp_limit_sources *src, fp_cpu_limit *out);

/* cpus: what SLURM_MEM_PER_CPU is multiplied by. */
void fp__mem_limit(const fp_limit_sources *src, unsigned cpus,
		   fp_mem_limit *out);

/* The real system's limits, read once per process. */
const fp_cpu_limit *fp__cpus(void);
const fp_mem_limit *fp__memory(void);

/* The most the shared-memory pool may take: cap, or 3/4 of the memory
 * limit when that is less (the rest is for the stage processes' own
 * buffers and code). */
uint64_t fp__pool_budget(uint64_t cap);

#endif
