/* files — how every codec stage opens its input and writes its output.
 *
 * Inputs: only regular files are read (a FIFO among the inputs cannot block
 * a decoder; folders and devices are refused by name). Outputs are written
 * to a temporary name in the output's folder, ".NAME.fp-tmp-RUNID-XXXXXX"
 * (the run's id, framepipe/stage.h), and renamed onto NAME only once
 * complete and closed: a failed or killed run never leaves a half-written
 * image under the final name, and the run (or a later one, once this one
 * is gone) removes what a crashed instance left. New files
 * get mode 0644 less the umask.
 */
#ifndef FP_CODEC_FILES_H
#define FP_CODEC_FILES_H

#include <stdio.h>

#include "framepipe/stage.h"

/* Open path for reading; 0, or -errno with the reason in err. A stream
 * handed on for path (fp__codec_input_hand_on) is taken instead of opening
 * the file again. */
int fp__codec_open_input(const char *path, FILE **file, char *err,
			 size_t err_size);

/* The generic decode has opened path to read its first bytes: keep file
 * (owned from here, rewound) for the codec's fp__codec_open_input of the
 * same path, which comes next in this process, so that each input is
 * opened once. One stream at a time: handing on another closes this one.
 * On a failure to rewind, file is closed and the codec opens path again. */
void fp__codec_input_hand_on(const char *path, FILE *file);

/* Format a message into err (when not NULL) and return code. */
int fp__codec_error(char *err, size_t err_size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* errno after a failed call, never 0. */
int fp__codec_errno(void);

/* An output file being written: open it, write to ->file, commit it. */
typedef struct fp_outfile {
	FILE *file;
	char *tmp_path;
} fp_outfile;

/* Create the temporary file for in->output_path. 0, or an error already
 * recorded in the frame with fp_frame_fail. A missing output path fails
 * the frame with "no output path (...needs -o)". */
int fp__outfile_open(fp_outfile *out, fp_frame *in);

/* Finish: with ret == 0, close and rename onto in->output_path (a failure
 * there fails the frame); otherwise close and remove the temporary file.
 * Returns the frame's final code. */
int fp__outfile_finish(fp_outfile *out, fp_frame *in, int ret);

#endif
