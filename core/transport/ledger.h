/* ledger — who owns each pool slot. Kept by the supervisor only.
 *
 * Every slot has exactly one owner: FREE, the supervisor, or one stage
 * instance (a non-negative instance id). Every change of owner goes through
 * here, and a change that names the wrong current owner is refused: that is
 * how a buggy plugin's release of a slot it does not hold is caught.
 */
#ifndef FP_LEDGER_H
#define FP_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#define FP_OWNER_FREE	    (-1)
#define FP_OWNER_SUPERVISOR (-2)

typedef struct fp_ledger {
	uint32_t slot_count;
	int32_t *owner;	     /* per slot */
	uint32_t *free_list; /* stack of free slots */
	uint32_t free_count;
} fp_ledger;

int fp__ledger_init(fp_ledger *ledger, uint32_t slot_count);
void fp__ledger_release(fp_ledger *ledger);

/* Take a free slot for new_owner. Returns -EAGAIN when none is free (an
 * empty pool is not a protocol violation: the caller waits). */
int fp__ledger_take(fp_ledger *ledger, int32_t new_owner, uint32_t *slot);

/* Move slot from `from` to `to` (FP_OWNER_FREE frees it). FP_EPROTOCOL if
 * slot is out of range or not owned by `from`; nothing changes then. */
int fp__ledger_move(fp_ledger *ledger, uint32_t slot, int32_t from, int32_t to);

/* Give every slot of owner to the supervisor; writes up to max of them to
 * slots and returns how many there were. */
uint32_t fp__ledger_reclaim(fp_ledger *ledger, int32_t owner, uint32_t *slots,
			    uint32_t max);

bool fp__ledger_is_owner(const fp_ledger *ledger, uint32_t slot, int32_t owner);
uint32_t fp__ledger_count_owned(const fp_ledger *ledger, int32_t owner);

#endif
