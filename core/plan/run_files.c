#include "run_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs.h"

#define LOCK_PREFIX   ".fp-run-"
#define LOCK_SUFFIX   ".lock"
#define TEMP_TAIL     7 /* "-XXXXXX" */
#define MANIFEST_MAX  ((size_t)64 << 20)
#define LOCK_TRIES    8
#define PARENTS_MAX   64 /* folders above one searched for a run's lock */
#define LOCK_NAME_LEN (sizeof LOCK_PREFIX - 1 + FP_RUN_ID_LEN + 5)

static int make_id(char id[FP_RUN_ID_LEN + 1])
{
	unsigned char bytes[FP_RUN_ID_LEN / 2];
	if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
		return errno != 0 ? -errno : -EIO;
	for (size_t i = 0; i < sizeof bytes; i++)
		snprintf(id + 2 * i, 3, "%02x", bytes[i]);
	return 0;
}

int fp__run_id_make(fp_run_lock *l)
{
	memset(l, 0, sizeof *l);
	l->dir_fd = l->fd = -1;
	return make_id(l->id);
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

bool fp__run_temp_id(const char *name, char id[FP_RUN_ID_LEN + 1])
{
	size_t n = strlen(name);
	size_t mark = strlen(FP_TEMP_MARK);
	size_t tail = mark + FP_RUN_ID_LEN + TEMP_TAIL;
	if (name[0] != '.' || n < tail + 2)
		return false;
	const char *p = name + n - tail;
	if (memcmp(p, FP_TEMP_MARK, mark) != 0 ||
	    p[mark + FP_RUN_ID_LEN] != '-')
		return false;
	for (const char *x = p + mark + FP_RUN_ID_LEN + 1; *x != '\0'; x++)
		if (!is_alnum(*x))
			return false;
	memcpy(id, p + mark, FP_RUN_ID_LEN);
	id[FP_RUN_ID_LEN] = '\0';
	return fp_run_id_valid(id);
}

/* The id of a lock file's name (".fp-run-RUNID.lock", exactly). */
static bool lock_id(const char *name, char id[FP_RUN_ID_LEN + 1])
{
	size_t pre = strlen(LOCK_PREFIX);
	if (strlen(name) != LOCK_NAME_LEN ||
	    strncmp(name, LOCK_PREFIX, pre) != 0 ||
	    strcmp(name + pre + FP_RUN_ID_LEN, LOCK_SUFFIX) != 0)
		return false;
	memcpy(id, name + pre, FP_RUN_ID_LEN);
	id[FP_RUN_ID_LEN] = '\0';
	return fp_run_id_valid(id);
}

static void lock_name(char name[LOCK_NAME_LEN + 1], const char *id)
{
	snprintf(name, LOCK_NAME_LEN + 1, LOCK_PREFIX "%s" LOCK_SUFFIX, id);
}

/* A listing of folder dir_fd from its start (a dup would share, and move,
 * dir_fd's offset). */
static DIR *list(int dir_fd)
{
	int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL && fd >= 0)
		close(fd);
	return d;
}

/* Remove run id's temporary files from folder dir_fd. */
static size_t remove_temps(int dir_fd, const char *id)
{
	DIR *d = list(dir_fd);
	if (d == NULL)
		return 0;
	size_t removed = 0;
	char found[FP_RUN_ID_LEN + 1];
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (fp__run_temp_id(de->d_name, found) &&
		    strcmp(found, id) == 0)
			removed += unlinkat(dirfd(d), de->d_name, 0) == 0;
	closedir(d);
	return removed;
}

/* Is fd still the file called name in dir_fd (not removed and made anew)? */
static bool still_there(int dir_fd, const char *name, int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 &&
	       fstatat(dir_fd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int write_manifest(int fd, char **folders, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *p = folders[i];
		size_t left = strlen(p) + 1; /* with its NUL */
		while (left > 0) {
			ssize_t n = write(fd, p, left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
			p += n;
			left -= (size_t)n;
		}
	}
	return 0;
}

/* Create, lock and fill the lock file of l->id in l->dir_fd. */
static int try_take(fp_run_lock *l, const char *name)
{
	int fd = openat(l->dir_fd, name,
			O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		int e = errno;
		/* No locks on this file system: go on without (nobody can
		 * take ours either). EWOULDBLOCK: another run is cleaning it
		 * up this very moment; try another id. */
		if (e != EWOULDBLOCK) {
			l->fd = fd;
			return write_manifest(fd, l->folders, l->folder_count);
		}
		close(fd);
		return -EAGAIN;
	}
	if (!still_there(l->dir_fd, name, fd)) {
		close(fd);
		return -EAGAIN;
	}
	l->fd = fd;
	return write_manifest(fd, l->folders, l->folder_count);
}

int fp__run_lock_take(fp_run_lock *l, const char *root, char **folders,
		      size_t folder_count, char *err, size_t err_size)
{
	l->folders = folders;
	l->folder_count = folder_count;
	l->dir_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = l->dir_fd < 0 ? -errno : -EAGAIN;
	char name[LOCK_NAME_LEN + 1];
	for (int i = 0; rc == -EAGAIN && i < LOCK_TRIES; i++) {
		if (i > 0 && (rc = make_id(l->id)) != 0)
			break;
		lock_name(name, l->id);
		rc = try_take(l, name);
		if (rc == -EEXIST)
			rc = -EAGAIN;
	}
	if (rc == 0) {
		size_t len = strlen(root) + 1 + LOCK_NAME_LEN + 1;
		l->path = malloc(len);
		if (l->path != NULL)
			snprintf(l->path, len, "%s/%s", root, name);
		else
			rc = -ENOMEM;
	}
	if (rc != 0) {
		snprintf(err, err_size,
			 "%s: cannot make this run's lock file: %s", root,
			 strerror(-rc));
		if (l->fd >= 0) {
			unlinkat(l->dir_fd, name, 0);
			close(l->fd);
		}
		if (l->dir_fd >= 0)
			close(l->dir_fd);
		l->fd = l->dir_fd = -1;
	}
	return rc;
}

void fp__run_lock_join(const fp_run_lock *l)
{
	if (l == NULL || l->path == NULL)
		return;
	int fd = open(l->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0)
		close(fd);
}

/* Remove id's temporary files from every folder its manifest (fd) names
 * below dir_fd. */
static size_t remove_listed(int dir_fd, int fd, const char *id)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size < 0)
		return 0;
	size_t size = (size_t)st.st_size < MANIFEST_MAX ? (size_t)st.st_size
							: MANIFEST_MAX;
	char *buf = malloc(size + 1);
	ssize_t n = buf != NULL ? pread(fd, buf, size, 0) : -1;
	size_t removed = 0;
	for (size_t at = 0; n > 0 && at < (size_t)n;) {
		char *end = memchr(buf + at, '\0', (size_t)n - at);
		if (end == NULL)
			break; /* cut short: the rest is unknown */
		int folder = fp__open_below_at(dir_fd, buf + at, false);
		if (folder >= 0) {
			removed += remove_temps(folder, id);
			close(folder);
		}
		at = (size_t)(end - buf) + 1;
	}
	free(buf);
	return removed;
}

/* Run id's lock, found in dir_fd or a folder above it: when it can be
 * taken exclusively (no process of that run holds it), remove id's
 * temporary files from dir_fd and from every folder the run listed, then
 * the lock. */
static size_t remove_if_gone(int dir_fd, const char *id)
{
	char name[LOCK_NAME_LEN + 1];
	lock_name(name, id);
	int at = dup(dir_fd), fd = -1;
	for (int up = 0; at >= 0 && up < PARENTS_MAX; up++) {
		fd = openat(at, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == EACCES)
			fd = openat(at, name,
				    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			break;
		int parent =
			openat(at, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat here, there;
		bool top = parent < 0 || fstat(at, &here) != 0 ||
			   fstat(parent, &there) != 0 ||
			   (here.st_dev == there.st_dev &&
			    here.st_ino == there.st_ino);
		close(at);
		at = top ? -1 : parent;
		if (top && parent >= 0)
			close(parent);
	}
	size_t removed = 0;
	/* Taken: nobody of that run holds it. Any error (a file system with
	 * no locks included) is no proof: leave everything. */
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	    still_there(at, name, fd)) {
		removed += remove_listed(at, fd, id);
		removed += remove_temps(dir_fd, id);
		unlinkat(at, name, 0);
	}
	if (fd >= 0)
		close(fd);
	if (at >= 0)
		close(at);
	return removed;
}

size_t fp__run_stale_remove(int dir_fd, const char *own)
{
	DIR *d = list(dir_fd);
	if (d == NULL)
		return 0;
	/* The other runs seen here, each tried once. */
	char(*ids)[FP_RUN_ID_LEN + 1] = NULL;
	size_t count = 0, capacity = 0;
	char id[FP_RUN_ID_LEN + 1];
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (de->d_name[0] != '.' || (!fp__run_temp_id(de->d_name, id) &&
					     !lock_id(de->d_name, id)))
			continue;
		if (own != NULL && strcmp(id, own) == 0)
			continue;
		bool seen = false;
		for (size_t i = 0; i < count && !seen; i++)
			seen = strcmp(ids[i], id) == 0;
		if (seen)
			continue;
		if (count == capacity) {
			size_t more = capacity ? 2 * capacity : 8;
			void *grown = realloc(ids, more * sizeof *ids);
			if (grown == NULL)
				break;
			ids = grown;
			capacity = more;
		}
		memcpy(ids[count++], id, sizeof id);
	}
	closedir(d);
	size_t removed = 0;
	for (size_t i = 0; i < count; i++)
		removed += remove_if_gone(dir_fd, ids[i]);
	free(ids);
	return removed;
}

size_t fp__run_lock_release(fp_run_lock *l)
{
	size_t removed = 0;
	if (l->dir_fd >= 0) {
		for (size_t i = 0; i < l->folder_count; i++) {
			int fd = fp__open_below_at(l->dir_fd, l->folders[i],
						   false);
			if (fd >= 0) {
				removed += remove_temps(fd, l->id);
				close(fd);
			}
		}
		char name[LOCK_NAME_LEN + 1];
		lock_name(name, l->id);
		if (l->fd >= 0 && still_there(l->dir_fd, name, l->fd))
			unlinkat(l->dir_fd, name, 0);
		close(l->dir_fd);
	}
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	l->path = NULL;
	l->fd = l->dir_fd = -1;
	return removed;
}
