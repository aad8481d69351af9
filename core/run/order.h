/* order — sequence bookkeeping for an ordered sink (FP_STAGE_ORDERED): the
 * sink is handed frames strictly by sequence, so the supervisor must know
 * which sequences will never arrive (failed on the way, or skipped). */
#ifndef FP_ORDER_H
#define FP_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fp_order {
	uint64_t next;	   /* the sequence the sink is handed next */
	uint64_t base;	   /* bit 0 of resolved[0] is this sequence */
	uint8_t *resolved; /* 1 bit per sequence: failed, no frame will come */
	size_t bytes;
} fp_order;

/* Sequence seq failed before reaching the sink. 0 or -ENOMEM. */
int fp__order_resolve(fp_order *order, uint64_t seq);

/* Move next past sequences that failed or were skipped (skip may be NULL,
 * else it has skip_count entries). */
void fp__order_advance(fp_order *order, const uint8_t *skip,
		       uint64_t skip_count);

/* A frame of sequence seq is waiting again (its sink instance died). */
void fp__order_rewind(fp_order *order, uint64_t seq);

void fp__order_release(fp_order *order);

#endif
