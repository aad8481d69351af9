/* any — the generic `decode` and `encode` stages: every codec behind one
 * stage, each file's codec chosen per frame.
 *
 * The config of a generic stage holds every codec's own config side by side
 * (one block each); its parameter table is every codec's table with names
 * prefixed by the codec ("jpeg.quality") and offsets moved into its block,
 * built when the module is loaded. */
#ifndef FP_CODEC_ANY_H
#define FP_CODEC_ANY_H

#include <stdalign.h>
#include <stddef.h>

#include "codec.h"

/* The codecs, in the order decode tries their sniff functions. */
extern const fp_codec *const fp_codecs[];
extern const size_t fp_codec_count;

#define FP_ANY_CONFIG_BYTES 2048
#define FP_ANY_MAX_PARAMS   96

typedef struct fp_any_config {
	alignas(max_align_t) unsigned char block[FP_ANY_CONFIG_BYTES];
} fp_any_config;

typedef struct fp_any_table {
	fp_param params[FP_ANY_MAX_PARAMS];
	size_t count;
	size_t offsets[16]; /* each codec's block in fp_any_config */
	char names[FP_ANY_MAX_PARAMS][48];
} fp_any_table;

/* Fill table from each codec's decoder (decoder = 1) or encoder side.
 * Returns 0, or -1 when the tables do not fit (a build mistake). */
int fp__any_table_build(fp_any_table *table, int decoder);

/* Codec i's config block within config. */
static inline const void *fp__any_block(const fp_any_table *table,
					const void *config, size_t i)
{
	return (const unsigned char *)config + table->offsets[i];
}

/* Every codec's check() of its decoder (decoder = 1) or encoder side on
 * its block of config: the generic stage's check(). The first refusal,
 * its parameter prefixed ("quality: ..." becomes "jpeg.quality: ..."). */
int fp__any_check(const fp_any_table *table, int decoder, const void *config,
		  char *err, size_t err_size);

/* The codec whose sniff accepts head, or NULL. */
const fp_codec *fp__any_sniff(const unsigned char *head, size_t size,
			      size_t *index);

/* The codec whose own stage is stage: its name followed by suffix
 * ("png" and "_decode" for png_decode), or NULL. */
const fp_codec *fp__any_by_stage(const char *stage, const char *suffix);

/* The codec that writes files with path's extension, or NULL. */
const fp_codec *fp__any_by_extension(const char *path, size_t *index);

/* "png, jpg, webp or tiff": the first extension of every codec that can
 * decode (decoder = 1) or encode. */
const char *fp__any_names(int decoder, char *buf, size_t size);

#endif
