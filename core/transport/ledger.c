#include "ledger.h"

#include <errno.h>
#include <stdlib.h>

#include "framepipe/error.h"

int fp__ledger_init(fp_ledger *ledger, uint32_t slot_count)
{
	ledger->slot_count = slot_count;
	ledger->owner = calloc(slot_count, sizeof *ledger->owner);
	ledger->free_list = calloc(slot_count, sizeof *ledger->free_list);
	if (ledger->owner == NULL || ledger->free_list == NULL) {
		fp__ledger_release(ledger);
		return -ENOMEM;
	}
	/* Pushed in reverse so slot 0 is handed out first. */
	for (uint32_t i = 0; i < slot_count; i++) {
		ledger->owner[i] = FP_OWNER_FREE;
		ledger->free_list[i] = slot_count - 1 - i;
	}
	ledger->free_count = slot_count;
	return 0;
}

void fp__ledger_release(fp_ledger *ledger)
{
	free(ledger->owner);
	free(ledger->free_list);
	ledger->owner = NULL;
	ledger->free_list = NULL;
	ledger->slot_count = 0;
	ledger->free_count = 0;
}

int fp__ledger_take(fp_ledger *ledger, int32_t new_owner, uint32_t *slot)
{
	if (ledger->free_count == 0 || new_owner == FP_OWNER_FREE)
		return -EAGAIN;
	uint32_t s = ledger->free_list[--ledger->free_count];
	ledger->owner[s] = new_owner;
	*slot = s;
	return 0;
}

int fp__ledger_move(fp_ledger *ledger, uint32_t slot, int32_t from, int32_t to)
{
	if (slot >= ledger->slot_count || ledger->owner[slot] != from ||
	    from == FP_OWNER_FREE)
		return FP_EPROTOCOL;
	ledger->owner[slot] = to;
	if (to == FP_OWNER_FREE)
		ledger->free_list[ledger->free_count++] = slot;
	return 0;
}

uint32_t fp__ledger_reclaim(fp_ledger *ledger, int32_t owner, uint32_t *slots,
			    uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t s = 0; s < ledger->slot_count; s++) {
		if (ledger->owner[s] != owner)
			continue;
		ledger->owner[s] = FP_OWNER_SUPERVISOR;
		if (n < max)
			slots[n] = s;
		n++;
	}
	return n;
}

bool fp__ledger_is_owner(const fp_ledger *ledger, uint32_t slot, int32_t owner)
{
	return slot < ledger->slot_count && ledger->owner[slot] == owner;
}

uint32_t fp__ledger_count_owned(const fp_ledger *ledger, int32_t owner)
{
	uint32_t n = 0;
	for (uint32_t s = 0; s < ledger->slot_count; s++)
		n += ledger->owner[s] == owner;
	return n;
}
