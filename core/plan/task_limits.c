#include "task_limits.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_PATH_MAX  4096
#define TEXT_MAX     (1u << 20) /* mountinfo of a busy host stays under */
#define CPU_LIMIT    4096	/* more is taken as "no limit" */
#define ONE_MB	     ((uint64_t)1 << 20)
#define NO_LIMIT_MEM ((uint64_t)1 << 60) /* v1's "unlimited" is ~2^63 */

/* The whole of a small file, NUL-ended, or NULL. */
static char *read_text(const char *root, const char *path)
{
	char full[FP_PATH_MAX];
	if ((size_t)snprintf(full, sizeof full, "%s%s", root, path) >=
	    sizeof full)
		return NULL;
	FILE *f = fopen(full, "re");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, len = 0;
	char *text = malloc(cap);
	while (text != NULL) {
		len += fread(text + len, 1, cap - 1 - len, f);
		if (len < cap - 1 || cap >= TEXT_MAX)
			break;
		char *bigger = realloc(text, cap * 2);
		if (bigger == NULL) {
			free(text);
			text = NULL;
		} else {
			text = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (text != NULL)
		text[len] = '\0';
	return text;
}

/* A decimal number alone (but for a trailing newline); false if not. */
static bool parse_u64(const char *text, uint64_t *out)
{
	if (text == NULL || text[0] < '0' || text[0] > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || (*end != '\0' && strcmp(end, "\n") != 0))
		return false;
	*out = v;
	return true;
}

static const char *env_get(const fp_limit_sources *src, const char *name)
{
	if (src->env == NULL)
		return getenv(name);
	size_t n = strlen(name);
	for (const char *const *e = src->env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* Is word one of the comma-separated items of list (which ends at the
 * first blank)? */
static bool has_item(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p && *p != ' ' && *p != '\n';) {
		size_t len = strcspn(p, ", \n");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* The mount of the cgroup hierarchy that has controller (NULL: the v2
 * one), from a line of /proc/self/mountinfo:
 *   ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE
 *   SUPEROPTIONS
 * Sets root and point (pointers into line, not NUL-ended) and lengths. */
static bool cgroup_mount(const char *line, const char *controller,
			 const char **root, size_t *root_len,
			 const char **point, size_t *point_len)
{
	const char *field[5];
	size_t len[5];
	const char *p = line;
	for (int i = 0; i < 5; i++) {
		field[i] = p;
		len[i] = strcspn(p, " \n");
		if (p[len[i]] != ' ')
			return false;
		p += len[i] + 1;
	}
	const char *dash = strstr(p, " - ");
	if (dash == NULL)
		return false;
	const char *type = dash + 3;
	const char *want = controller ? "cgroup " : "cgroup2 ";
	if (strncmp(type, want, strlen(want)) != 0)
		return false;
	if (controller != NULL) {
		const char *opts = strchr(type + strlen(want), ' ');
		if (opts == NULL || !has_item(opts + 1, controller))
			return false;
	}
	*root = field[3];
	*root_len = len[3];
	*point = field[4];
	*point_len = len[4];
	return true;
}

/* Our cgroup's path in the hierarchy that has controller (NULL: v2),
 * from /proc/self/cgroup ("ID:CONTROLLERS:PATH" lines; v2's is "0::PATH"). */
static bool own_cgroup(const char *text, const char *controller,
		       const char **path, size_t *path_len)
{
	for (const char *line = text; line && *line;) {
		const char *next = strchr(line, '\n');
		const char *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 != NULL && (next == NULL || c2 < next)) {
			char list[256];
			size_t n = (size_t)(c2 - c1 - 1);
			bool match = false;
			if (controller == NULL)
				match = n == 0 && c1 == line + 1 &&
					line[0] == '0';
			else if (n > 0 && n < sizeof list) {
				memcpy(list, c1 + 1, n);
				list[n] = '\0';
				match = has_item(list, controller);
			}
			if (match) {
				*path = c2 + 1;
				*path_len = next ? (size_t)(next - *path)
						 : strlen(*path);
				return true;
			}
		}
		line = next ? next + 1 : NULL;
	}
	return false;
}

/* The folder of our own cgroup in the hierarchy of controller (NULL: v2)
 * into dir, and in *top the length of its mount point's path: the walk up
 * stops there. */
static bool cgroup_dir(const fp_limit_sources *src, const char *controller,
		       char *dir, size_t dir_size, size_t *top)
{
	char *cgroups = read_text(src->root, "/proc/self/cgroup");
	char *mounts = read_text(src->root, "/proc/self/mountinfo");
	const char *path = NULL, *root = NULL, *point = NULL;
	size_t path_len = 0, root_len = 0, point_len = 0;
	bool found = false;
	if (cgroups != NULL && mounts != NULL &&
	    own_cgroup(cgroups, controller, &path, &path_len)) {
		for (const char *line = mounts; line && *line;) {
			if (cgroup_mount(line, controller, &root, &root_len,
					 &point, &point_len)) {
				found = true;
				break;
			}
			line = strchr(line, '\n');
			line = line ? line + 1 : NULL;
		}
	}
	if (found) {
		/* The mount shows the hierarchy from ROOT down: our path
		 * below it. In a container whose path lies outside the
		 * mount, only the mount's own folder can be read. */
		if (root_len == 1 && root[0] == '/')
			root_len = 0;
		bool below = path_len >= root_len &&
			     strncmp(path, root, root_len) == 0 &&
			     (path_len == root_len || path[root_len] == '/');
		if (!below) {
			path = "";
			path_len = 0;
		} else {
			path += root_len;
			path_len -= root_len;
		}
		while (path_len > 0 && path[path_len - 1] == '/')
			path_len--;
		int n = snprintf(dir, dir_size, "%s%.*s", src->root,
				 (int)point_len, point);
		*top = n > 0 ? (size_t)n : 0;
		found = n > 0 && (size_t)n < dir_size &&
			(size_t)snprintf(dir + n, dir_size - (size_t)n, "%.*s",
					 (int)path_len,
					 path) < dir_size - (size_t)n;
	}
	free(cgroups);
	free(mounts);
	return found;
}

/* A file of a cgroup folder (a full path, not under src->root again). */
static char *cgroup_file(const char *dir, const char *name)
{
	char path[FP_PATH_MAX];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path)
		return NULL;
	return read_text("", path);
}

/* The limit one cgroup folder sets, 0 for none; v2 is controller NULL. */
typedef uint64_t (*level_limit)(const char *dir, bool v2);

static uint64_t cpu_level(const char *dir, bool v2)
{
	uint64_t quota = 0, period = 0;
	if (v2) {
		/* cpu.max: "QUOTA PERIOD" or "max PERIOD". */
		char *text = cgroup_file(dir, "cpu.max");
		char *space = text ? strchr(text, ' ') : NULL;
		if (space != NULL) {
			*space = '\0';
			if (!parse_u64(text, &quota) ||
			    !parse_u64(space + 1, &period))
				quota = 0;
		}
		free(text);
	} else {
		char *q = cgroup_file(dir, "cpu.cfs_quota_us"); /* -1: none */
		char *p = cgroup_file(dir, "cpu.cfs_period_us");
		if (!parse_u64(q, &quota) || !parse_u64(p, &period))
			quota = 0;
		free(q);
		free(p);
	}
	if (quota == 0 || period == 0)
		return 0;
	uint64_t cpus = quota / period + (quota % period != 0);
	return cpus > CPU_LIMIT ? 0 : cpus;
}

static uint64_t mem_level(const char *dir, bool v2)
{
	char *text = cgroup_file(dir, v2 ? "memory.max" : /* "max": none */
					      "memory.limit_in_bytes");
	uint64_t bytes = 0;
	if (!parse_u64(text, &bytes) || bytes >= NO_LIMIT_MEM)
		bytes = 0;
	free(text);
	return bytes;
}

/* The smallest limit set by our cgroup or one above it, in the v2
 * hierarchy and else in the v1 one of controller; 0 for none. */
static uint64_t cgroup_limit(const fp_limit_sources *src,
			     const char *controller, level_limit level,
			     bool *v2_out)
{
	uint64_t best = 0;
	for (int v2 = 1; v2 >= 0 && best == 0; v2--) {
		char dir[FP_PATH_MAX];
		size_t top;
		if (!cgroup_dir(src, v2 ? NULL : controller, dir, sizeof dir,
				&top))
			continue;
		for (size_t len = strlen(dir);;) {
			dir[len] = '\0';
			uint64_t v = level(dir, v2);
			if (v != 0 && (best == 0 || v < best)) {
				best = v;
				*v2_out = v2;
			}
			if (len <= top)
				break;
			while (len > top && dir[len - 1] != '/')
				len--;
			if (len > top)
				len--; /* the '/' too */
		}
	}
	return best;
}

static unsigned affinity_cpus(const fp_limit_sources *src)
{
	if (src->affinity >= 0)
		return (unsigned)src->affinity;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 0;
	int n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 0;
}

static uint64_t env_number(const fp_limit_sources *src, const char *name)
{
	uint64_t v = 0;
	return parse_u64(env_get(src, name), &v) ? v : 0;
}

void fp__cpu_limit(const fp_limit_sources *src, fp_cpu_limit *out)
{
	memset(out, 0, sizeof *out);
	bool v2 = true;
	out->affinity = affinity_cpus(src);
	uint64_t quota = cgroup_limit(src, "cpu", cpu_level, &v2);
	out->cgroup = (unsigned)quota;
	uint64_t slurm = env_number(src, "SLURM_CPUS_PER_TASK");
	out->slurm = slurm <= CPU_LIMIT ? (unsigned)slurm : 0;
	out->cpus = 1;
	out->by = "default";
	struct {
		unsigned n;
		const char *by;
	} const each[] = {
		{out->affinity, "affinity mask"},
		{out->cgroup,
		 v2 ? "cgroup cpu.max" : "cgroup cpu.cfs_quota_us"},
		{out->slurm, "SLURM_CPUS_PER_TASK"},
	};
	unsigned best = 0;
	for (size_t i = 0; i < sizeof each / sizeof each[0]; i++)
		if (each[i].n != 0 && (best == 0 || each[i].n < best)) {
			best = each[i].n;
			out->by = each[i].by;
		}
	if (best != 0)
		out->cpus = best;
}

void fp__mem_limit(const fp_limit_sources *src, unsigned cpus,
		   fp_mem_limit *out)
{
	memset(out, 0, sizeof *out);
	bool v2 = true;
	uint64_t cgroup = cgroup_limit(src, "memory", mem_level, &v2);
	/* Slurm gives MB (MiB); 0 means the whole node's memory. */
	uint64_t node = env_number(src, "SLURM_MEM_PER_NODE");
	uint64_t per_cpu = env_number(src, "SLURM_MEM_PER_CPU");
	uint64_t mb_max = UINT64_MAX / ONE_MB / (cpus ? cpus : 1);
	struct {
		uint64_t bytes;
		const char *by;
	} const each[] = {
		{node < mb_max ? node * ONE_MB : 0, "SLURM_MEM_PER_NODE"},
		{per_cpu < mb_max ? per_cpu * ONE_MB * (cpus ? cpus : 1) : 0,
		 "SLURM_MEM_PER_CPU"},
		{cgroup,
		 v2 ? "cgroup memory.max" : "cgroup memory.limit_in_bytes"},
	};
	for (size_t i = 0; i < sizeof each / sizeof each[0]; i++)
		if (each[i].bytes != 0 &&
		    (out->bytes == 0 || each[i].bytes < out->bytes)) {
			out->bytes = each[i].bytes;
			out->by = each[i].by;
		}
}

static const fp_limit_sources real_system = {"", NULL, -1};

const fp_cpu_limit *fp__cpus(void)
{
	static fp_cpu_limit limit;
	static bool done;
	if (!done) {
		fp__cpu_limit(&real_system, &limit);
		done = true;
	}
	return &limit;
}

const fp_mem_limit *fp__memory(void)
{
	static fp_mem_limit limit;
	static bool done;
	if (!done) {
		fp__mem_limit(&real_system, fp__cpus()->cpus, &limit);
		done = true;
	}
	return &limit;
}

uint64_t fp__pool_budget(uint64_t cap)
{
	uint64_t mem = fp__memory()->bytes;
	uint64_t budget = mem / 4 * 3;
	return mem != 0 && budget < cap ? budget : cap;
}
