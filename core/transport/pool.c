#include "pool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "framepipe/error.h"

static size_t page_round(size_t n, size_t page)
{
	return (n + page - 1) / page * page;
}

int fp__pool_create(fp_pool *pool, uint32_t slot_count, size_t slot_bytes,
		    char *err, size_t err_size)
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
	size_t pixel_stride = page_round(slot_bytes, page);
	size_t header_bytes =
		page_round((size_t)slot_count * sizeof(fp_slot_header), page);
	if (pixel_stride < slot_bytes ||
	    pixel_stride > (SIZE_MAX - header_bytes) / slot_count) {
		snprintf(err, err_size,
			 "pool of %u slots of %zu bytes "
			 "overflows the address space",
			 slot_count, slot_bytes);
		return FP_ECONFIG;
	}
	size_t total = header_bytes + pixel_stride * slot_count;

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
	pool->shmid = shmid;
	pool->base = base;
	pool->slot_count = slot_count;
	pool->slot_bytes = slot_bytes;
	pool->pixel_stride = pixel_stride;
	pool->header_bytes = header_bytes;
	pool->total_bytes = total;
	return 0;
}

void fp__pool_release(fp_pool *pool)
{
	if (pool->base != NULL)
		shmdt(pool->base);
	pool->base = NULL;
	pool->shmid = -1;
}

fp_slot_header *fp__pool_header(const fp_pool *pool, uint32_t slot)
{
	return (fp_slot_header *)pool->base + slot;
}

uint8_t *fp__pool_pixels(const fp_pool *pool, uint32_t slot)
{
	return pool->base + pool->header_bytes +
	       (size_t)slot * pool->pixel_stride;
}
