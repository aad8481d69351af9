/* slot_gate — which pool slots this process can reach, and what changing
 * it costs.
 *
 * A stage process may reach only the slots of the frame it works on
 * (README, "Memory isolation"). Page protection alone costs two mprotect
 * calls per slot per frame, open and close: ~2.5 us each for a small slot
 * (with the default 1 MiB metadata area) on this kind of VM, and growing
 * with the slot (the kernel walks every page-table entry of the range:
 * ~5.5 us for a 64 MiB slot), more than everything else a frame costs
 * when no stage touches its pixels.
 *
 * Where the CPU has memory protection keys (x86 PKU) and the kernel gives
 * them out, the gate gives up to 15 slots, slots 0..14, a key each, once,
 * at start-up, and leaves their pages readable and writable: the thread's
 * PKRU register, not the page tables, then keeps them out of reach, and
 * opening or closing one is an unprivileged register write (tens of ns,
 * whatever the slot's size). Guard pages stay PROT_NONE. The other slots
 * are opened and closed with mprotect as before. A pool of at most 15
 * slots then moves frames with no system call for protection at all:
 * slots = auto gives one to small frames, and to any frames through a
 * few instances (supervisor.c).
 *
 * While a frame is processed, only its slots' keys are allowed, and every
 * slot without a key but its own is PROT_NONE: what a stage can reach is
 * the same as with page protection alone. Without keys (no PKU, a kernel
 * without pkey_alloc, FP_POOL_PKEYS=0, or a stage whose process() runs
 * threads: the register is per thread, and threads started before a frame
 * would keep it closed) every slot is opened and closed with mprotect.
 */
#ifndef FP_SLOT_GATE_H
#define FP_SLOT_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "pool.h"

#define FP_GATE_MAX_KEYS 15

typedef struct fp_gate {
	const fp_pool *pool;
	unsigned keys; /* slots 0..keys-1 have key[slot]; 0: none */
	int key[FP_GATE_MAX_KEYS];
} fp_gate;

/* Whether this process could key slots: the CPU and kernel have keys to
 * give, and FP_POOL_PKEYS is not 0. (The supervisor asks, to size the
 * pool; it keys nothing.) */
bool fp__gate_has_keys(void);

/* Make every slot of the pool unreachable to this process and, when
 * use_keys and fp__gate_has_keys, key the first slots. 0 or -errno
 * (the process is then not isolated: it must end). */
int fp__gate_init(fp_gate *gate, const fp_pool *pool, bool use_keys);

/* Let this process (thread, for a keyed slot) reach slot, or no longer.
 * 0 or -errno. */
int fp__gate_set(const fp_gate *gate, uint32_t slot, bool open);

/* Whether slot is opened and closed by its key (no system call). */
bool fp__gate_is_keyed(const fp_gate *gate, uint32_t slot);

#endif
