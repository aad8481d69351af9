/* cores — core files of stage instances, named per process.
 *
 * Where the user asked for cores (RLIMIT_CORE > 0, `ulimit -c unlimited`),
 * an instance makes itself dumpable and leaves the pool (shared memory,
 * up to a GiB) out of its core (/proc/self/coredump_filter 0x31). When an
 * instance dumped core, the supervisor says where it went, from
 * kernel.core_pattern and kernel.core_uses_pid; under the kernel's
 * default pattern, a plain `core` that every instance would write in the
 * same folder, it renames the file to core.LABEL.INDEX.PID so that the
 * next crash cannot overwrite it. Two instances dumping core at the same
 * moment under that pattern can still overwrite each other's: set
 * kernel.core_pattern (e.g. core.%e.%p) for certainty. */
#ifndef FP_CORES_H
#define FP_CORES_H

#include <stddef.h>
#include <sys/types.h>

/* In an instance, before init. */
void fp__cores_prepare(void);

/* In the supervisor, after pid (the instance label#index, process name
 * comm) died of signo with a core: ", core dumped: PATH" or ", core
 * piped to PROGRAM" into buf. */
void fp__cores_where(pid_t pid, const char *label, unsigned index,
		     const char *comm, int signo, char *buf, size_t size);

#endif
