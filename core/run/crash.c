/* crash — the fault record of a dying stage instance (crash.h). */
#include "crash.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static const int FAULTS[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};

/* This process's record, once armed. */
static fp_crash_record *armed;

static fp_crash_record *record(const fp_crash_table *t, size_t i)
{
	return (fp_crash_record *)(void *)(t->base + i * t->page);
}

int fp__crash_table_map(fp_crash_table *t, size_t count)
{
	t->page = (size_t)sysconf(_SC_PAGESIZE);
	t->count = count;
	void *p = mmap(NULL, count * t->page, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		t->base = NULL;
		return -errno;
	}
	t->base = p;
	return 0;
}

void fp__crash_table_unmap(fp_crash_table *t)
{
	if (t->base != NULL)
		munmap(t->base, t->count * t->page);
	t->base = NULL;
}

/* x86-64: the page-fault error code says whether the access was a write
 * (bit 1). Elsewhere: unknown. */
static uint32_t access_of(int signo, const void *context)
{
#if defined(__x86_64__)
	const ucontext_t *uc = context;
	if (signo == SIGSEGV)
		return uc->uc_mcontext.gregs[REG_ERR] & 2 ? FP_CRASH_WRITE
							  : FP_CRASH_READ;
#else
	(void)signo;
	(void)context;
#endif
	return 0;
}

static uint64_t pc_of(const void *context)
{
	const ucontext_t *uc = context;
#if defined(__x86_64__)
	return (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uint64_t)uc->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

/* Async-signal-safe: plain stores, getpid() and raise(). */
static void on_fault(int signo, siginfo_t *si, void *context)
{
	fp_crash_record *r = armed;
	if (r != NULL) {
		r->signo = signo;
		r->code = si->si_code;
		r->sender = si->si_code <= 0 ? (int32_t)si->si_pid : 0;
		r->addr =
			si->si_code > 0 ? (uint64_t)(uintptr_t)si->si_addr : 0;
		r->pc = si->si_code > 0 ? pc_of(context) : 0;
		r->access = si->si_code > 0 ? access_of(signo, context) : 0;
		__atomic_store_n(&r->pid, (int32_t)getpid(), __ATOMIC_RELEASE);
	}
	/* SA_RESETHAND restored SIG_DFL; the signal, blocked while we run,
	 * is delivered again as we return: a real death by signo. */
	raise(signo);
}

int fp__crash_arm(const fp_crash_table *t, size_t i)
{
	if (t->base == NULL || i >= t->count)
		return -EINVAL;
	fp_crash_record *mine = record(t, i);
	if (i > 0 && mprotect(t->base, i * t->page, PROT_NONE) != 0)
		return -errno;
	if (i + 1 < t->count &&
	    mprotect(t->base + (i + 1) * t->page, (t->count - i - 1) * t->page,
		     PROT_NONE) != 0)
		return -errno;
	memset(mine, 0, sizeof *mine);
	/* Never freed: the handler may run until the process ends. Held in
	 * a static so that leak checkers see it reachable (the kernel's copy
	 * of the pointer is invisible to them). */
	static void *alt_stack;
	size_t size = (size_t)SIGSTKSZ * 4;
	if (alt_stack == NULL)
		alt_stack = malloc(size);
	stack_t ss = {.ss_sp = alt_stack, .ss_size = size};
	if (ss.ss_sp == NULL || sigaltstack(&ss, NULL) != 0)
		return ss.ss_sp == NULL ? -ENOMEM : -errno;
	armed = mine;
	struct sigaction sa = {.sa_sigaction = on_fault,
			       .sa_flags =
				       SA_SIGINFO | SA_ONSTACK | SA_RESETHAND};
	sigemptyset(&sa.sa_mask);
	for (size_t k = 0; k < sizeof FAULTS / sizeof *FAULTS; k++)
		if (sigaction(FAULTS[k], &sa, NULL) != 0)
			return -errno;
	return 0;
}

bool fp__crash_take(const fp_crash_table *t, size_t i, pid_t pid, int signo,
		    fp_crash_record *out)
{
	if (t->base == NULL || i >= t->count)
		return false;
	fp_crash_record *r = record(t, i);
	int32_t who = __atomic_load_n(&r->pid, __ATOMIC_ACQUIRE);
	*out = *r;
	memset(r, 0, sizeof *r);
	return who == (int32_t)pid && out->signo == signo;
}

/* Where in the pool addr lies, or false when it is not in the pool. */
static bool pool_place(const fp_pool *pool, uint64_t addr, char *buf,
		       size_t size)
{
	if (pool == NULL || pool->base == NULL)
		return false;
	uint64_t base = (uint64_t)(uintptr_t)pool->base;
	uint64_t end = base + pool->total_bytes;
	if (addr >= end && addr - end < pool->slot_stride) {
		/* past the last guard page: an overrun all the same */
		snprintf(buf, size, "past the end of the pool");
		return true;
	}
	if (addr < base || addr >= end)
		return false;
	uint64_t at = addr - base;
	if (at < pool->header_bytes) {
		snprintf(buf, size, "the slot headers");
		return true;
	}
	at -= pool->header_bytes;
	uint64_t slot = at / pool->slot_stride, in = at % pool->slot_stride;
	const char *part = in < pool->meta_stride ? "the metadata of"
			   : in >= pool->slot_stride - pool->page
				   ? "the guard page after"
				   : "the pixels of";
	snprintf(buf, size, "%s slot %llu", part, (unsigned long long)slot);
	return true;
}

void fp__crash_describe(const fp_crash_record *r, const fp_pool *pool,
			char *buf, size_t size)
{
	buf[0] = '\0';
	if (r->code <= 0) {
		if (r->sender > 0 && r->sender != r->pid)
			snprintf(buf, size, " (sent by pid %d)",
				 (int)r->sender);
		else if (r->sender == r->pid)
			snprintf(buf, size, " (raised by the stage itself)");
		return;
	}
	char place[96], code[600] = "";
	Dl_info info;
	if (r->pc != 0 && dladdr((void *)(uintptr_t)r->pc, &info) != 0 &&
	    info.dli_fname != NULL)
		snprintf(code, sizeof code, ", code %s+0x%llx", info.dli_fname,
			 (unsigned long long)(r->pc - (uint64_t)(uintptr_t)
							      info.dli_fbase));
	else if (r->pc != 0)
		snprintf(code, sizeof code, ", code at 0x%llx",
			 (unsigned long long)r->pc);
	if ((r->signo == SIGSEGV || r->signo == SIGBUS) &&
	    pool_place(pool, r->addr, place, sizeof place))
		snprintf(buf, size,
			 ": %s outside its frame (address 0x%llx, %s%s)",
			 r->access == FP_CRASH_WRITE  ? "wrote"
			 : r->access == FP_CRASH_READ ? "read"
						      : "touched memory",
			 (unsigned long long)r->addr, place, code);
	else
		snprintf(buf, size, " at address 0x%llx%s",
			 (unsigned long long)r->addr, code);
}
