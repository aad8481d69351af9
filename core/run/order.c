#include "order.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool is_resolved(const fp_order *o, uint64_t seq)
{
	if (seq < o->base)
		return false;
	uint64_t bit = seq - o->base;
	return bit / 8 < o->bytes && (o->resolved[bit / 8] >> (bit % 8) & 1);
}

int fp__order_resolve(fp_order *o, uint64_t seq)
{
	if (seq < o->next)
		return 0; /* already behind the sink: nothing waits on it */
	uint64_t bit = seq - o->base;
	if (bit / 8 >= o->bytes) {
		size_t bytes = o->bytes ? o->bytes : 64;
		while (bit / 8 >= bytes)
			bytes *= 2;
		uint8_t *grown = realloc(o->resolved, bytes);
		if (grown == NULL)
			return -ENOMEM;
		memset(grown + o->bytes, 0, bytes - o->bytes);
		o->resolved = grown;
		o->bytes = bytes;
	}
	o->resolved[bit / 8] |= (uint8_t)(1u << (bit % 8));
	return 0;
}

/* Frames the sink holds at once at most (FP_MAX_DEPTH): a dead sink's
 * frames can send next back this far, so their bits are kept. */
#define REWIND_MARGIN 64

/* Drop whole bytes of bits that next has passed, but the margin. */
static void compact(fp_order *o)
{
	uint64_t behind = o->next - o->base;
	if (behind <= REWIND_MARGIN || o->bytes == 0)
		return;
	uint64_t passed = (behind - REWIND_MARGIN) / 8;
	if (passed == 0)
		return;
	if (passed >= o->bytes) {
		memset(o->resolved, 0, o->bytes);
	} else {
		memmove(o->resolved, o->resolved + passed, o->bytes - passed);
		memset(o->resolved + o->bytes - passed, 0, passed);
	}
	o->base += passed * 8;
}

void fp__order_advance(fp_order *o, const uint8_t *skip, uint64_t skip_count)
{
	while (is_resolved(o, o->next) ||
	       (skip != NULL && o->next < skip_count && skip[o->next]))
		o->next++;
	if (o->next - o->base >= (uint64_t)o->bytes * 4)
		compact(o);
}

void fp__order_rewind(fp_order *o, uint64_t seq)
{
	/* seq >= base: at most REWIND_MARGIN frames are behind next. */
	if (seq < o->next)
		o->next = seq >= o->base ? seq : o->base;
}

void fp__order_release(fp_order *o)
{
	free(o->resolved);
	memset(o, 0, sizeof *o);
}
