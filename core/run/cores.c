/* cores — core files of stage instances, named per process (cores.h). */
#include "cores.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

void fp__cores_prepare(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_cur == 0)
		return;
	prctl(PR_SET_DUMPABLE, 1);
	/* Private anonymous memory, ELF headers, private huge pages: not
	 * the shared pool, which may be a GiB. */
	FILE *f = fopen("/proc/self/coredump_filter", "w");
	if (f != NULL) {
		fputs("0x31", f);
		fclose(f);
	}
}

static void read_line(const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	if (fgets(buf, (int)size, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* The file name pattern gives pid, or false when it holds a specifier
 * that cannot be known here (%t, %c, ...). */
static bool expand(const char *pattern, pid_t pid, const char *comm, int signo,
		   char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = pattern; *p != '\0' && n + 1 < size; p++) {
		char piece[64];
		const char *add = piece;
		if (*p != '%') {
			piece[0] = *p;
			piece[1] = '\0';
		} else {
			switch (*++p) {
			case '%': add = "%"; break;
			case 'p':
			case 'P':
			case 'i':
			case 'I':
				snprintf(piece, sizeof piece, "%d", (int)pid);
				break;
			case 'e': add = comm; break;
			case 's':
				snprintf(piece, sizeof piece, "%d", signo);
				break;
			case 'u':
				snprintf(piece, sizeof piece, "%u",
					 (unsigned)getuid());
				break;
			case 'g':
				snprintf(piece, sizeof piece, "%u",
					 (unsigned)getgid());
				break;
			case 'h':
				if (gethostname(piece, sizeof piece) != 0)
					return false;
				piece[sizeof piece - 1] = '\0';
				break;
			default: return false;
			}
		}
		size_t len = strlen(add);
		if (n + len >= size)
			return false;
		memcpy(out + n, add, len);
		n += len;
	}
	out[n] = '\0';
	return true;
}

void fp__cores_where(pid_t pid, const char *label, unsigned index,
		     const char *comm, int signo, char *buf, size_t size)
{
	char pattern[512], uses_pid[16];
	read_line("/proc/sys/kernel/core_pattern", pattern, sizeof pattern);
	read_line("/proc/sys/kernel/core_uses_pid", uses_pid, sizeof uses_pid);
	if (pattern[0] == '|') {
		snprintf(buf, size, ", core piped to '%s'%s", pattern + 1,
			 strstr(pattern, "systemd-coredump")
				 ? " (coredumpctl gdb PID)"
				 : "");
		return;
	}
	char name[PATH_MAX], cwd[PATH_MAX] = "";
	if (pattern[0] == '\0' ||
	    !expand(pattern, pid, comm, signo, name, sizeof name)) {
		snprintf(buf, size, ", core dumped (kernel.core_pattern '%s')",
			 pattern);
		return;
	}
	bool has_pid = strstr(pattern, "%p") || strstr(pattern, "%P");
	if (strcmp(uses_pid, "1") == 0 && !has_pid) {
		size_t n = strlen(name);
		snprintf(name + n, sizeof name - n, ".%d", (int)pid);
		has_pid = true;
	}
	if (name[0] != '/' && getcwd(cwd, sizeof cwd) == NULL)
		cwd[0] = '\0';
	char path[PATH_MAX * 2 + 2];
	snprintf(path, sizeof path, "%s%s%s", cwd, cwd[0] ? "/" : "", name);
	if (!has_pid) {
		/* Every instance would write this one file: give it a name
		 * of its own (the kernel wrote it before we reaped). */
		char named[sizeof path + 64];
		snprintf(named, sizeof named, "%s.%s.%u.%d", path, label, index,
			 (int)pid);
		if (rename(path, named) == 0) {
			snprintf(buf, size, ", core dumped: %s", named);
			return;
		}
	}
	snprintf(buf, size, ", core dumped: %s", path);
}
