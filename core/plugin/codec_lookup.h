/* codec_lookup — what the built-in codecs will make of a file, asked
 * before the run: the decoder a source will use for an input (the
 * generic decode's sniffing; a codec's own decoder given another format),
 * and whether a sink can write an output name (encode's choice by
 * extension; a codec's own encoder given another format's extension).
 * The answers come from the built-in decode and encode modules (symbols
 * outside the stage ABI), loaded here when the pipeline's own stages are
 * not they. Any other source or sink is not judged. */
#ifndef FP_CODEC_LOOKUP_H
#define FP_CODEC_LOOKUP_H

#include <stddef.h>

#include "loader.h"

typedef int fp_input_decoder_fn(const char *reader, const char *path,
				char *name, size_t name_size, char *err,
				size_t err_size);
typedef int fp_output_encoder_fn(const char *writer, const char *path,
				 char *err, size_t err_size);

typedef struct fp_codec_lookup {
	const char *source, *sink; /* the stages' names (borrowed) */
	fp_input_decoder_fn *decoder;
	fp_output_encoder_fn *encoder;
	fp_plugin decode, encode; /* loaded here (desc NULL: not loaded) */
} fp_codec_lookup;

/* For the pipeline's source and sink (either may be NULL: not asked);
 * both borrowed, and must outlive l. Never fails: a lookup whose module
 * cannot be loaded answers as for a source or sink it does not judge. */
void fp__codec_lookup_init(fp_codec_lookup *l, const fp_plugin *source,
			   const fp_plugin *sink);

/* The stage that will decode path: the generic decode's choice from the
 * file's first bytes ("jpeg_decode"), a codec's own decoder's own name,
 * any other source's name. 0 with the name in name, or an error code with
 * the reason in err (a file no codec reads, one of a format the source's
 * codec does not read, one that cannot be opened). */
int fp__codec_lookup_decoder(const fp_codec_lookup *l, const char *path,
			     char *name, size_t name_size, char *err,
			     size_t err_size);

/* Whether the sink writes path as its name says: 0, or FP_ECONFIG with
 * the reason and what to do in err. */
int fp__codec_lookup_writes(const fp_codec_lookup *l, const char *path,
			    char *err, size_t err_size);

void fp__codec_lookup_release(fp_codec_lookup *l);

#endif
