#include "slot_gate.h" /* _GNU_SOURCE (the build): pkey_alloc and co. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void free_keys(fp_gate *g)
{
	for (unsigned i = 0; i < g->keys; i++)
		pkey_free(g->key[i]);
	g->keys = 0;
}

/* Allocate keys (each denied to this thread from the start) for the
 * first slots and tag those slots' pages with them, readable and
 * writable. Nothing changes when the system has no keys. */
static void take_keys(fp_gate *g)
{
	const fp_pool *p = g->pool;
	unsigned n = 0;
	while (n < FP_GATE_MAX_KEYS && n < p->slot_count) {
		int k = pkey_alloc(0, PKEY_DISABLE_ACCESS);
		if (k < 0)
			break;
		g->key[n++] = k;
	}
	g->keys = n;
	size_t len = p->slot_stride - p->page; /* not the guard page */
	for (uint32_t s = 0; s < n; s++)
		if (pkey_mprotect(fp__pool_meta(p, s), len,
				  PROT_READ | PROT_WRITE, g->key[s]) != 0) {
			/* Back to key 0 and closed, as if none were given. */
			for (uint32_t t = 0; t <= s; t++)
				(void)pkey_mprotect(fp__pool_meta(p, t), len,
						    PROT_NONE, 0);
			free_keys(g);
			return;
		}
}

static bool keys_allowed(void)
{
	const char *v = getenv("FP_POOL_PKEYS");
	return v == NULL || strcmp(v, "0") != 0;
}

bool fp__gate_has_keys(void)
{
	if (!keys_allowed())
		return false;
	int k = pkey_alloc(0, PKEY_DISABLE_ACCESS);
	if (k < 0)
		return false;
	pkey_free(k);
	return true;
}

int fp__gate_init(fp_gate *gate, const fp_pool *pool, bool use_keys)
{
	gate->pool = pool;
	gate->keys = 0;
	int rc = fp__pool_protect_all(pool);
	if (rc == 0 && use_keys && keys_allowed())
		take_keys(gate);
	return rc;
}

bool fp__gate_is_keyed(const fp_gate *gate, uint32_t slot)
{
	return slot < gate->keys;
}

int fp__gate_set(const fp_gate *gate, uint32_t slot, bool open)
{
	if (!fp__gate_is_keyed(gate, slot))
		return fp__pool_protect(gate->pool, slot, open);
	return pkey_set(gate->key[slot], open ? 0 : PKEY_DISABLE_ACCESS) == 0
		       ? 0
		       : -errno;
}
