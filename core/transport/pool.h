/* pool — the System V shared-memory segment that holds every frame.
 *
 * Layout: a table of slot headers, then per slot a page-aligned metadata
 * area (fp_meta, framepipe/stage.h), its page-aligned pixel area and a
 * guard page (never accessible). The supervisor creates the pool before
 * forking; children inherit the attachment. The segment is marked IPC_RMID as
 * soon as it is attached, so the kernel frees it when the last process detaches
 * or dies: a kill -9 of anything leaks nothing.
 *
 * Who may write a slot: only its current owner in the ledger (ledger.h).
 * FREE and supervisor-owned slots are written by the supervisor only (it
 * stamps sequence and input index before handing a slot to a source); a
 * slot owned by a stage instance is written by that instance only, until
 * its DONE, FAIL or END record hands it back. The MMU enforces that for
 * the metadata and pixels (fp__pool_protect); the header table stays
 * writable to every process, so the supervisor checks what it reads there
 * against its own truth (broker.h).
 */
#ifndef FP_POOL_H
#define FP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP_SLOT_ERROR_SIZE 240

/* Per-slot metadata in shared memory. Plain data: no pointers. */
typedef struct fp_slot_header {
	uint32_t width;
	uint32_t height;
	uint32_t stride;
	uint32_t format; /* fp_format */
	uint64_t sequence;
	uint32_t input_index;
	uint32_t flags;
	/* The instance's answer for this frame (a protocol record type, 0
	 * until it has one) and the record's other slot, written just before
	 * the record is queued. If the instance dies with the record still
	 * unsent, the supervisor reads the answer here instead, so finished
	 * work is not redone or blamed for the death. */
	uint32_t answer;
	uint32_t answer_slot;
	/* When the instance began process() on this frame (uv_hrtime, the
	 * monotonic clock every process shares); 0 until then. The
	 * supervisor's watchdog reads it to enforce the stage's timeout. */
	uint64_t started_ns;
	char error[FP_SLOT_ERROR_SIZE]; /* why the frame failed, NUL-ended */
} fp_slot_header;

typedef struct fp_pool {
	int shmid;
	uint8_t *base;
	uint32_t slot_count;
	size_t slot_bytes;   /* usable pixel bytes per slot */
	size_t meta_bytes;   /* usable metadata bytes per slot */
	size_t meta_stride;  /* fp_meta + meta_bytes, rounded up to a page */
	size_t slot_stride;  /* meta_stride + slot_bytes rounded up to a
				page + the guard page */
	size_t header_bytes; /* the header table, rounded up to a page */
	size_t page;	     /* the guard page after each slot's pixels */
	size_t total_bytes;  /* the whole segment */
} fp_pool;

/* Create, attach and IPC_RMID a segment of slot_count slots of slot_bytes
 * pixel bytes and meta_bytes metadata bytes each. Returns 0 or -errno /
 * FP_ECONFIG, with err explaining. */
int fp__pool_create(fp_pool *pool, uint32_t slot_count, size_t slot_bytes,
		    size_t meta_bytes, char *err, size_t err_size);

/* Memory isolation, in the calling process only: a stage process makes
 * every slot inaccessible when it starts (fp__pool_protect_all), opens the
 * slots of a frame while it owns them and closes them again before it
 * answers. Guard pages stay inaccessible everywhere. 0 or -errno. */
int fp__pool_protect(const fp_pool *pool, uint32_t slot, bool writable);
int fp__pool_protect_all(const fp_pool *pool);

/* Detach. The segment goes away when every process has detached. */
void fp__pool_release(fp_pool *pool);

/* Map every pixel page of the pool (and each metadata area's first page)
 * into this process now, one madvise(MADV_POPULATE_WRITE) per area (a
 * touch loop before Linux 5.14), instead of a page fault per page later.
 * Each process has page tables of its own (fork does not copy those of a
 * shared mapping), so each would call it. It allocates every page and the
 * whole pool becomes resident, where lazy faults touch only the slots in
 * use: a loss on 4 KiB pages (tests/bench/README.md), so the stage host
 * calls it only when FP_POOL_PREFAULT=1. Contents are kept. */
void fp__pool_prefault(const fp_pool *pool);

fp_slot_header *fp__pool_header(const fp_pool *pool, uint32_t slot);
uint8_t *fp__pool_pixels(const fp_pool *pool, uint32_t slot);
/* The slot's metadata area. Its capacity field lives in shared memory: a
 * process that hands it to a stage sets it first (fp__pool_meta_reset). */
struct fp_meta *fp__pool_meta(const fp_pool *pool, uint32_t slot);
/* The area with its capacity restored; used is kept unless clear. */
struct fp_meta *fp__pool_meta_reset(const fp_pool *pool, uint32_t slot,
				    int clear);

#endif
