/* codec_util — what the codec tests share: a scratch folder, running the
 * reference tools, reading their raw outputs, and calling a codec's decode
 * and encode directly (with a shrink hint and a metadata area, which the
 * harness does not give yet). */
#ifndef FP_TEST_CODEC_UTIL_H
#define FP_TEST_CODEC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/* A new scratch folder under $TMPDIR (removed by scratch_remove). */
char *scratch_new(const char *tag);
void scratch_remove(char *dir);

/* "DIR/NAME" in a static ring of buffers (valid for 8 more calls). */
const char *scratch_path(const char *dir, const char *name);

/* Run a shell command (printf-style); its exit status (0 = success). */
int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole file (malloc'ed, *size bytes), or NULL. */
uint8_t *slurp(const char *path, size_t *size);
bool spit(const char *path, const void *data, size_t size);

/* A PNM/PAM file (P5, P6, P7): its geometry and a pointer to its samples
 * inside *file (free *file). depth: channels. maxval > 255: 16-bit
 * big-endian samples. */
typedef struct pnm {
	uint8_t *file;
	uint32_t width, height, depth, maxval;
	const uint8_t *samples;
	size_t size; /* bytes of samples */
} pnm;
bool pnm_read(const char *path, pnm *out);

/* A codec side's config with its defaults, then name=value settings
 * (NULL-terminated list of pairs); free(). Fails the test on error. */
void *codec_config(const fp_codec_side *side, const char *const *settings);

/* A frame over a buffer of capacity bytes and a metadata area of
 * meta_capacity bytes (0: meta = NULL); free with test_frame_free. */
fp_frame *test_frame_new(size_t capacity, uint32_t meta_capacity);
void test_frame_free(fp_frame *f);

/* decode path with the codec's decoder (config from settings), with hint;
 * returns the codec's code, the frame in f. */
int codec_decode(const fp_codec *codec, const char *const *settings,
		 const char *path, uint32_t hint_w, uint32_t hint_h,
		 fp_frame *f);

/* encode f to path with the codec's encoder. */
int codec_encode(const fp_codec *codec, const char *const *settings,
		 fp_frame *f, const char *path);

/* True when there is no '\n' in text and it is not empty. */
bool one_line(const char *text);

#endif
