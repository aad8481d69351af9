#define _GNU_SOURCE /* mkostemp */

#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int fp__codec_error(char *err, size_t err_size, int code, const char *fmt, ...)
{
	if (err != NULL && err_size > 0) {
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return code;
}

int fp__codec_errno(void)
{
	int e = errno;
	return e > 0 ? e : EIO;
}

static const char *file_type(mode_t mode)
{
	return S_ISDIR(mode)	? "a folder"
	       : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISSOCK(mode) ? "a socket"
	       : S_ISCHR(mode)	? "a character device"
	       : S_ISBLK(mode)	? "a block device"
				: "not a regular file";
}

/* The stream decode handed on, and its path (a copy). */
static FILE *handed_file;
static char *handed_path;

static void drop_handed(void)
{
	if (handed_file != NULL)
		(void)fclose(handed_file); /* read only: nothing to lose */
	free(handed_path);
	handed_file = NULL;
	handed_path = NULL;
}

void fp__codec_input_hand_on(const char *path, FILE *file)
{
	drop_handed();
	if (fseek(file, 0, SEEK_SET) != 0) {
		(void)fclose(file);
		return;
	}
	handed_path = strdup(path);
	if (handed_path == NULL) {
		(void)fclose(file);
		return;
	}
	handed_file = file;
}

int fp__codec_open_input(const char *path, FILE **file, char *err,
			 size_t err_size)
{
	if (handed_file != NULL) {
		FILE *handed = handed_file;
		bool same = strcmp(handed_path, path) == 0;
		if (same)
			handed_file = NULL; /* taken */
		drop_handed();
		if (same) {
			*file = handed;
			return 0;
		}
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = fp__codec_errno();
		if (e == ENOENT && access(path, F_OK) != 0 &&
		    faccessat(AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return fp__codec_error(
				err, err_size, -e,
				"cannot open: dangling symbolic link");
		return fp__codec_error(err, err_size, -e, "cannot open: %s",
				       strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = fp__codec_errno();
		(void)close(fd);
		return fp__codec_error(err, err_size, -e, "cannot stat: %s",
				       strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		(void)close(fd);
		return fp__codec_error(err, err_size, -e, "cannot read: is %s",
				       file_type(st.st_mode));
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	*file = fdopen(fd, "rb");
	if (*file == NULL) {
		int e = fp__codec_errno();
		(void)close(fd);
		return fp__codec_error(err, err_size, -e, "cannot open: %s",
				       strerror(e));
	}
	return 0;
}

/* This run's id (FP_RUN_ID_ENV, stage.h), or one made up once per process
 * when the instance was not started by a run (the test harness): NULL when
 * no random bytes can be had. */
static const char *run_id(void)
{
	static char id[FP_RUN_ID_LEN + 1];
	if (id[0] != '\0')
		return id;
	const char *env = getenv(FP_RUN_ID_ENV);
	if (fp_run_id_valid(env)) {
		memcpy(id, env, sizeof id);
		return id;
	}
	unsigned char bytes[FP_RUN_ID_LEN / 2];
	if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
		return NULL;
	for (size_t i = 0; i < sizeof bytes; i++)
		snprintf(id + 2 * i, 3, "%02x", bytes[i]);
	return id;
}

/* A new "DIR/.NAME.fp-tmp-RUNID-XXXXXX" template for path (free it); NAME
 * cut short when the whole would pass NAME_MAX. */
static char *temp_template(const char *path)
{
	const char *id = run_id();
	if (id == NULL)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	int dir_len = (int)(name - path);
	size_t room = NAME_MAX - 1 - strlen(FP_TEMP_MARK) - FP_RUN_ID_LEN - 7;
	int name_len = (int)(strlen(name) < room ? strlen(name) : room);
	int len = snprintf(NULL, 0, "%.*s.%.*s" FP_TEMP_MARK "%s-XXXXXX",
			   dir_len, path, name_len, name, id);
	if (len < 0)
		return NULL;
	char *tmpl = malloc((size_t)len + 1);
	if (tmpl != NULL)
		(void)snprintf(tmpl, (size_t)len + 1,
			       "%.*s.%.*s" FP_TEMP_MARK "%s-XXXXXX", dir_len,
			       path, name_len, name, id);
	return tmpl;
}

/* 0644 less the umask; the only way to read the umask is to set it, so it
 * is read once per process (instances are single-threaded). */
static mode_t file_mode(void)
{
	static mode_t mode;
	static int known;
	if (!known) {
		mode_t mask = umask(022);
		umask(mask);
		mode = 0644 & ~mask;
		known = 1;
	}
	return mode;
}

int fp__outfile_open(fp_outfile *out, fp_frame *in)
{
	out->file = NULL;
	out->tmp_path = NULL;
	if (in->output_path == NULL || in->output_path[0] == '\0')
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (this sink writes files: "
				     "give the run an output folder with -o)");
	char *path = temp_template(in->output_path);
	if (path == NULL)
		return fp_frame_fail(in, -ENOMEM,
				     "out of memory (or no random bytes for a "
				     "temporary file name)");
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		int e = fp__codec_errno();
		free(path);
		return fp_frame_fail(
			in, -e, "cannot create a temporary file next to %s: %s",
			in->output_path, strerror(e));
	}
	if (fchmod(fd, file_mode()) < 0 ||
	    (out->file = fdopen(fd, "wb")) == NULL) {
		int e = fp__codec_errno();
		(void)close(fd);
		(void)unlink(path);
		int rc = fp_frame_fail(in, -e, "cannot open %s: %s", path,
				       strerror(e));
		free(path);
		return rc;
	}
	out->tmp_path = path;
	return 0;
}

int fp__outfile_finish(fp_outfile *out, fp_frame *in, int ret)
{
	if (out->file != NULL && fclose(out->file) != 0 && ret == 0) {
		int e = fp__codec_errno();
		ret = fp_frame_fail(in, -e, "cannot write %s: %s",
				    in->output_path, strerror(e));
	}
	out->file = NULL;
	if (out->tmp_path == NULL)
		return ret;
	if (ret == 0 && rename(out->tmp_path, in->output_path) != 0) {
		int e = fp__codec_errno();
		ret = fp_frame_fail(
			in, -e, "cannot rename the temporary file to %s: %s",
			in->output_path, strerror(e));
	}
	if (ret < 0)
		(void)unlink(out->tmp_path);
	free(out->tmp_path);
	out->tmp_path = NULL;
	return ret;
}
