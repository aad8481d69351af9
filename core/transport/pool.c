#include "pool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "framepipe/error.h"
#include "framepipe/stage.h"
#include "task_limits.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older headers lack it */
#endif
static size_t page_round(size_t n, size_t page)
{
	return (n + page - 1) / page * page;
}

/* Whether transparent huge pages for shared memory may be asked for with
 * madvise: the selected word of shmem_enabled is always, within_size,
 * advise or force (not never or deny). */
static int thp_shmem_allowed(void)
{
	FILE *f =
		fopen("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "r");
	if (f == NULL)
		return 0;
	char text[160] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *open = strchr(text, '[');
	return open != NULL && strncmp(open, "[never]", 7) != 0 &&
	       strncmp(open, "[deny]", 6) != 0;
}

int fp__pool_create(fp_pool *pool, uint32_t slot_count, size_t slot_bytes,
		    size_t meta_bytes, char *err, size_t err_size)
{
	memset(pool, 0, sizeof *pool);
	pool->shmid = -1;
	if (slot_count == 0 || slot_bytes == 0) {
		snprintf(err, err_size,
			 "pool needs at least one slot of at "
			 "least one byte");
		return FP_ECONFIG;
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t header_bytes =
		page_round((size_t)slot_count * sizeof(fp_slot_header), page);
	size_t meta_stride = page_round(sizeof(fp_meta) + meta_bytes, page);
	/* One guard page after each slot's pixels: never accessible, so a
	 * write past a frame faults in the process that made it. */
	size_t slot_stride = meta_stride + page_round(slot_bytes, page) + page;
	if (meta_bytes > UINT32_MAX / 2 || slot_stride < slot_bytes ||
	    slot_stride > (SIZE_MAX - header_bytes) / slot_count) {
		snprintf(err, err_size,
			 "pool of %u slots of %zu bytes "
			 "overflows the address space",
			 slot_count, slot_bytes);
		return FP_ECONFIG;
	}
	size_t total = header_bytes + slot_stride * slot_count;
	/* Within the task's memory (Slurm --mem, a cgroup limit), or the
	 * kernel would kill the run part-way instead of this line now. */
	const fp_mem_limit *mem = fp__memory();
	uint64_t budget = fp__pool_budget(UINT64_MAX);
	if (mem->bytes != 0 && (uint64_t)slot_count * slot_bytes > budget) {
		uint64_t need = (uint64_t)slot_count * slot_bytes;
		snprintf(err, err_size,
			 "the pool needs %llu MiB (%u slots of %zu bytes), "
			 "more than 3/4 of the %llu MiB this task may use "
			 "(%s): lower [pipeline] slots or slot_size, or ask "
			 "for more memory (sbatch --mem)",
			 (unsigned long long)((need + (1u << 20) - 1) >> 20),
			 slot_count, slot_bytes,
			 (unsigned long long)(mem->bytes >> 20), mem->by);
		return FP_ECONFIG;
	}

	/* Not SHM_HUGETLB: hugetlb mappings take mprotect in whole huge
	 * pages only, and each slot has a 4 KiB guard page and is opened and
	 * closed per frame (fp__pool_protect). */
	int shmid = shmget(IPC_PRIVATE, total, IPC_CREAT | IPC_EXCL | 0600);
	if (shmid < 0) {
		int e = errno;
		snprintf(err, err_size,
			 "cannot create a shared-memory pool of "
			 "%zu bytes (%u slots): %s%s",
			 total, slot_count, strerror(e),
			 e == EINVAL || e == ENOMEM || e == ENOSPC
				 ? " (lower [pipeline] slots or slot_size, "
				   "or raise kernel.shmmax/shmall)"
				 : "");
		return -e;
	}
	void *base = shmat(shmid, NULL, 0);
	int attach_errno = errno;
	/* Mark for removal at once: from here the kernel frees the segment
	 * when the last attached process goes, however it goes. */
	shmctl(shmid, IPC_RMID, NULL);
	if (base == (void *)-1) {
		snprintf(err, err_size,
			 "cannot attach the shared-memory pool: "
			 "%s",
			 strerror(attach_errno));
		return -attach_errno;
	}
	/* Transparent huge pages where the system lets shared memory have
	 * them; nothing to say when it does not. */
	if (thp_shmem_allowed())
		(void)madvise(base, total, MADV_HUGEPAGE);
	pool->shmid = shmid;
	pool->base = base;
	pool->total_bytes = total;
	pool->slot_count = slot_count;
	pool->slot_bytes = slot_bytes;
	pool->meta_bytes = meta_bytes;
	pool->meta_stride = meta_stride;
	pool->slot_stride = slot_stride;
	pool->header_bytes = header_bytes;
	pool->page = page;
	for (uint32_t i = 0; i < slot_count; i++) {
		uint8_t *guard =
			fp__pool_pixels(pool, i) + page_round(slot_bytes, page);
		if (mprotect(guard, page, PROT_NONE) != 0) {
			int e = errno;
			snprintf(err, err_size,
				 "cannot protect the pool's guard pages: %s",
				 strerror(e));
			fp__pool_release(pool);
			return -e;
		}
	}
	return 0;
}

int fp__pool_protect(const fp_pool *pool, uint32_t slot, bool writable)
{
	if (slot >= pool->slot_count)
		return -EINVAL;
	size_t len = pool->slot_stride - pool->page; /* not the guard */
	int prot = writable ? PROT_READ | PROT_WRITE : PROT_NONE;
	return mprotect(fp__pool_meta(pool, slot), len, prot) == 0 ? 0 : -errno;
}

int fp__pool_protect_all(const fp_pool *pool)
{
	void *slots = pool->base + pool->header_bytes;
	size_t len = pool->slot_stride * pool->slot_count;
	return mprotect(slots, len, PROT_NONE) == 0 ? 0 : -errno;
}

void fp__pool_release(fp_pool *pool)
{
	if (pool->base != NULL)
		shmdt(pool->base);
	pool->base = NULL;
	pool->shmid = -1;
}

/* Touch one byte per page without changing it: an atomic add of 0, so a
 * concurrent write by another process is never undone. */
static void touch_pages(uint8_t *p, size_t n, size_t page)
{
	for (size_t i = 0; i < n; i += page)
		__atomic_fetch_add(p + i, 0, __ATOMIC_RELAXED);
}

static void populate(uint8_t *p, size_t n, size_t page, int *use_madvise)
{
	if (*use_madvise) {
		if (madvise(p, n, MADV_POPULATE_WRITE) == 0 || errno != EINVAL)
			return; /* done, or not writable: a touch would fault */
		*use_madvise = 0; /* EINVAL: before Linux 5.14 */
	}
	touch_pages(p, n, page);
}

void fp__pool_prefault(const fp_pool *pool)
{
	if (pool->base == NULL)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int use_madvise = 1;
	populate(pool->base, pool->header_bytes, page, &use_madvise);
	for (uint32_t s = 0; s < pool->slot_count; s++) {
		/* the metadata area's first page (fp_meta and the first
		 * records: most frames have none or a few) and every pixel
		 * page; the rest of a large metadata area stays lazy */
		uint8_t *meta = (uint8_t *)fp__pool_meta(pool, s);
		populate(meta, page, page, &use_madvise);
		populate(fp__pool_pixels(pool, s),
			 pool->slot_stride - pool->meta_stride - pool->page,
			 page, &use_madvise); /* not the guard page */
	}
}

fp_slot_header *fp__pool_header(const fp_pool *pool, uint32_t slot)
{
	return (fp_slot_header *)pool->base + slot;
}

fp_meta *fp__pool_meta(const fp_pool *pool, uint32_t slot)
{
	return (fp_meta *)(void *)(pool->base + pool->header_bytes +
				   (size_t)slot * pool->slot_stride);
}

uint8_t *fp__pool_pixels(const fp_pool *pool, uint32_t slot)
{
	return (uint8_t *)fp__pool_meta(pool, slot) + pool->meta_stride;
}

fp_meta *fp__pool_meta_reset(const fp_pool *pool, uint32_t slot, int clear)
{
	fp_meta *m = fp__pool_meta(pool, slot);
	m->capacity = (uint32_t)pool->meta_bytes;
	if (clear || m->used > m->capacity)
		m->used = 0;
	return m;
}
