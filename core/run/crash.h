/* crash — what a stage instance can say of its own death by a fault.
 *
 * waitpid() gives the supervisor the signal only. Before the plugin's
 * init, each instance arms handlers for SIGSEGV, SIGBUS, SIGFPE and SIGILL
 * (on an alternate stack, so a stack overflow is caught too) that write
 * the signal's si_code, si_addr and the faulting instruction into the
 * instance's own page of a shared record table, then restore SIG_DFL and
 * raise the signal again: the death stays a real signal death (core file,
 * wait status). The supervisor reads the record when it reaps that pid.
 *
 * The table is MAP_SHARED anonymous memory mapped by the supervisor before
 * the first fork, one page per instance; each instance makes every page
 * but its own inaccessible, so it can only ever write its own record.
 */
#ifndef FP_CRASH_H
#define FP_CRASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pool.h"

typedef struct fp_crash_record {
	int32_t pid; /* written last; 0: no record */
	int32_t signo;
	int32_t code;	 /* si_code: > 0 from the kernel (a fault) */
	int32_t sender;	 /* si_pid, when code <= 0 (kill, raise) */
	uint32_t access; /* FP_CRASH_READ, _WRITE, or 0: unknown */
	uint32_t reserved;
	uint64_t addr; /* si_addr, when code > 0 */
	uint64_t pc;   /* the faulting instruction; 0: unknown */
} fp_crash_record;

#define FP_CRASH_READ  1
#define FP_CRASH_WRITE 2

typedef struct fp_crash_table {
	uint8_t *base;
	size_t count;
	size_t page;
} fp_crash_table;

/* Map count records (the supervisor, before any fork). 0 or -errno. */
int fp__crash_table_map(fp_crash_table *t, size_t count);
void fp__crash_table_unmap(fp_crash_table *t);

/* In instance i's process: its page only stays reachable, and the
 * handlers are armed. 0 or -errno (the instance then runs unarmed). */
int fp__crash_arm(const fp_crash_table *t, size_t i);

/* In the supervisor: the record pid wrote before it died of signo, taken
 * (the page is cleared for the next incarnation). false if none. */
bool fp__crash_take(const fp_crash_table *t, size_t i, pid_t pid, int signo,
		    fp_crash_record *out);

/* " at address 0x10, code PLUGIN+0x11d9" for a fault, " sent by pid N"
 * for a kill, "" when nothing is known. An address inside the pool
 * (pool may be NULL) is said as such: ": wrote outside its frame (address
 * 0x..., the guard page after slot 3)" ("read", or "touched" when the
 * kind of access is not known). */
void fp__crash_describe(const fp_crash_record *r, const fp_pool *pool,
			char *buf, size_t size);

#endif
