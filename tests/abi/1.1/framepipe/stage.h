/* framepipe/stage.h — the one header a stage plugin includes.
 *
 * A stage is a shared object that exports one descriptor under the symbol
 * FP_STAGE_SYMBOL (use FP_STAGE_EXPORT). The core loads it, checks its ABI,
 * parses and validates its parameters from the declarative table, forks one
 * process per instance and calls init() once, process() once per frame and
 * fini() at the end, all in that instance's process. A plugin links against
 * no framepipe library: everything it needs is in this header. Build it with
 * -fvisibility=hidden so that the descriptor is all it exports (the CMake
 * helper framepipe_add_stage() does). The tutorial is docs/writing-a-stage.md.
 *
 * The contract of process(). Stages never see pipes or the shared-memory
 * pool: they get frames. A frame handed to process() is borrowed: its pixels
 * live in a pool slot that the instance owns only until process() returns.
 *  - Never keep a pointer to a frame, its pixels or its strings past the
 *    return: the slot then belongs to the next stage, which reads it in place.
 *  - Never write outside [pixels, pixels + capacity): the bytes after it are
 *    another slot's header and another frame.
 *  - Never call into the pool, the pipes or the supervisor, and never fork
 *    or start threads that outlive the call with a frame in hand.
 *  - To fail a frame, return fp_frame_fail(frame, code, "why ...") : the
 *    frame is reported as "input: label: why", the batch goes on and the
 *    instance keeps running. Crashing is also survived (the instance is
 *    replaced and the frame retried once) but is slower and ends with a
 *    signal name instead of your message.
 *
 * ABI policy.
 *  - FP_ABI_MAJOR changes only when an existing field, type or meaning
 *    changes; the loader refuses any other major than its own.
 *  - FP_ABI_MINOR grows when fields are appended to fp_stage_descriptor
 *    (made by the plugin), or to fp_frame and fp_stage_env (made by the core:
 *    an older plugin simply does not read the new fields). Structures only
 *    ever grow by appending; a field is never removed, moved or reused.
 *    struct_size records, in each plugin, how much of the descriptor it was
 *    built with (FP_STAGE_HEADER fills it in).
 *  - The loader accepts a plugin built against an older or equal minor and
 *    treats every field past its struct_size as absent (NULL / 0): it never
 *    reads past struct_size. It refuses a newer minor, since the plugin may
 *    rely on fields this framepipe does not know.
 *  - Refusals, each prefixed with the file's path (FP_EABI):
 *      "PATH: built for framepipe ABI 2.0, this framepipe loads ABI 1.x
 *       (rebuild the plugin)"
 *      "PATH: built for framepipe ABI 1.9, newer than this framepipe's 1.1
 *       (upgrade framepipe)"
 *      "PATH: descriptor is 24 bytes, ABI 1.1 needs at least N
 *       (truncated descriptor)"   (struct_size, or the exported object,
 *       is shorter than the fields of the minor it declares)
 *      "PATH: 'framepipe_stage' is a 4-byte object, not a stage descriptor
 *       (truncated descriptor)"
 *      "PATH: not a framepipe stage (no 'framepipe_stage' symbol; export
 *       one with FP_STAGE_EXPORT)"
 *      "PATH: descriptor has no process function" (or "... has no name")
 *      "PATH: stage name 'a b' is not a name (letters, digits, '_' and '-')"
 *      "PATH: stage NAME has unknown kind K"
 *      "PATH: stage NAME declares N parameters but no table"
 *      "PATH: stage 'NAME' has the name of the built-in stage BUILTIN_PATH
 *       (rename the plugin's stage)"
 *    and a file dlopen cannot load: "PATH: cannot load: DLERROR"
 *    (FP_ENOSTAGE).
 *  - Names: a built-in stage's name is reserved. `stage = NAME` loads the
 *    built-in; a plugin that declares a built-in's name is refused wherever
 *    it is found (`plugin = PATH` or FRAMEPIPE_PLUGIN_PATH), so a same-named
 *    file can never silently shadow, or be shadowed by, a built-in.
 *  - New flag bits (FP_STAGE_*) and enum values also come with a new minor:
 *    an older framepipe would silently ignore them.
 *
 * History: 1.0 first release. 1.1 appended fp_stage_descriptor.description
 * and added the flags FP_STAGE_ORDERED and FP_STAGE_SINGLE_INSTANCE.
 */
#ifndef FRAMEPIPE_STAGE_H
#define FRAMEPIPE_STAGE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "framepipe/error.h"

#define FP_ABI_MAJOR 1
#define FP_ABI_MINOR 1

/* ---- pixel formats ------------------------------------------------------ */

typedef enum fp_format {
	FP_FORMAT_G8 = 1,
	FP_FORMAT_GA8 = 2,
	FP_FORMAT_RGB8 = 3,
	FP_FORMAT_RGBA8 = 4,
} fp_format;

#define FP_FORMAT_BIT(fmt) (1u << (fmt))
#define FP_FORMATS_8BIT                                               \
	(FP_FORMAT_BIT(FP_FORMAT_G8) | FP_FORMAT_BIT(FP_FORMAT_GA8) | \
	 FP_FORMAT_BIT(FP_FORMAT_RGB8) | FP_FORMAT_BIT(FP_FORMAT_RGBA8))

/* Channels per pixel (bytes per pixel for the 8-bit formats); 0 if unknown. */
static inline unsigned fp_format_channels(fp_format format)
{
	switch (format) {
	case FP_FORMAT_G8: return 1;
	case FP_FORMAT_GA8: return 2;
	case FP_FORMAT_RGB8: return 3;
	case FP_FORMAT_RGBA8: return 4;
	}
	return 0;
}

static inline const char *fp_format_name(fp_format format)
{
	switch (format) {
	case FP_FORMAT_G8: return "G8";
	case FP_FORMAT_GA8: return "GA8";
	case FP_FORMAT_RGB8: return "RGB8";
	case FP_FORMAT_RGBA8: return "RGBA8";
	}
	return "unknown";
}

/* ---- frames ------------------------------------------------------------- */

/* A view of one pool slot, valid only during one process() call. */
typedef struct fp_frame {
	uint32_t width;
	uint32_t height;
	uint32_t stride; /* bytes per row, >= width * channels */
	fp_format format;
	uint8_t *pixels;	 /* borrowed: the slot's pixel area */
	size_t capacity;	 /* bytes writable at pixels (the slot size) */
	uint64_t sequence;	 /* position in the stream, from 0 */
	uint32_t input_index;	 /* index into the run's input list */
	const char *input_path;	 /* NULL when the source reads no files */
	const char *output_path; /* for sinks: the final path to write */
	char *error;		 /* where a failing process() explains */
	size_t error_size;
} fp_frame;

/* Record why this frame failed and return code, for
 *   return fp_frame_fail(frame, FP_EFORMAT, "cannot handle %s", name);
 * The text is shown to the user after the input's name and stage. */
static inline int fp_frame_fail(fp_frame *frame, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int fp_frame_fail(fp_frame *frame, int code, const char *fmt, ...)
{
	if (frame != NULL && frame->error != NULL && frame->error_size > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(frame->error, frame->error_size, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* ---- parameters ---------------------------------------------------------- */

/* The C type the core stores at fp_param.offset for each parameter type. */
typedef enum fp_param_type {
	FP_PARAM_INT = 1,   /* int64_t, decimal */
	FP_PARAM_FLOAT = 2, /* double */
	FP_PARAM_BOOL = 3,  /* bool: true/false, yes/no, on/off, 1/0 */
	FP_PARAM_STRING =
		4, /* const char *, owned by the core, valid until fini */
	FP_PARAM_CHOICE = 5, /* int: index into the '|'-separated choices */
	FP_PARAM_SIZE =
		6, /* uint64_t bytes; K, M, G suffixes (powers of 1024) */
} fp_param_type;

typedef struct fp_param {
	const char *name;
	fp_param_type type;
	size_t offset; /* offsetof() into the stage's config struct */
	const char *default_value; /* as it would be written in a config */
	double min;		   /* INT, FLOAT, SIZE: inclusive bounds */
	double max;
	const char *choices; /* CHOICE: "keep|rgba|rgb|gray" */
	const char *help;    /* one line */
} fp_param;

#define FP_PARAM_INT_(cfg, field, def, lo, hi, help_)                          \
	{                                                                      \
#field, FP_PARAM_INT, offsetof(cfg, field), def, lo, hi, NULL, \
			help_                                                  \
	}
#define FP_PARAM_FLOAT_(cfg, field, def, lo, hi, help_)                    \
	{                                                                  \
#field, FP_PARAM_FLOAT, offsetof(cfg, field), def, lo, hi, \
			NULL, help_                                        \
	}
#define FP_PARAM_SIZE_(cfg, field, def, lo, hi, help_)                    \
	{                                                                 \
#field, FP_PARAM_SIZE, offsetof(cfg, field), def, lo, hi, \
			NULL, help_                                       \
	}
#define FP_PARAM_BOOL_(cfg, field, def, help_)                                \
	{                                                                     \
#field, FP_PARAM_BOOL, offsetof(cfg, field), def, 0, 1, NULL, \
			help_                                                 \
	}
#define FP_PARAM_STRING_(cfg, field, def, help_)                          \
	{                                                                 \
#field, FP_PARAM_STRING, offsetof(cfg, field), def, 0, 0, \
			NULL, help_                                       \
	}
#define FP_PARAM_CHOICE_(cfg, field, def, choices_, help_)                \
	{                                                                 \
#field, FP_PARAM_CHOICE, offsetof(cfg, field), def, 0, 0, \
			choices_, help_                                   \
	}

/* ---- the descriptor ------------------------------------------------------ */

typedef enum fp_stage_kind {
	FP_STAGE_SOURCE = 1, /* makes frames: process(state, NULL, out) */
	FP_STAGE_FILTER = 2, /* process(state, in, out); in == out in place */
	FP_STAGE_SINK = 3,   /* consumes frames: process(state, in, NULL) */
} fp_stage_kind;

/* Descriptor flags. */
#define FP_STAGE_OUT_OF_PLACE	 0x1u /* filter writes a second, granted slot */
#define FP_STAGE_READS_INPUTS	 0x2u /* source reads the run's input files */
#define FP_STAGE_WRITES_OUTPUTS	 0x4u /* sink writes files: the run needs -o */
/* Sink: frames arrive in sequence order (a stream writer), whatever the
 * workers of the stages before it. Frames that failed leave no gap. */
#define FP_STAGE_ORDERED	 0x8u
/* Exactly one instance (a source reading stdin, a sink writing stdout):
 * a config asking for more workers is refused. */
#define FP_STAGE_SINGLE_INSTANCE 0x10u

/* What an instance knows about its run; borrowed, valid until fini(). */
typedef struct fp_stage_env {
	size_t struct_size;
	const char *label; /* the config section naming this stage */
	unsigned instance; /* 0 .. workers-1 */
	size_t input_count;
	const char *const *inputs; /* the run's input files, in order */
	const char *output_dir;	   /* NULL when the run has none */
} fp_stage_env;

typedef struct fp_stage_descriptor {
	uint16_t abi_major; /* FP_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;
	uint32_t struct_size; /* sizeof(fp_stage_descriptor) when built */
	const char *name;     /* what a config writes after stage = */
	const char *summary;  /* one line */
	fp_stage_kind kind;
	uint32_t flags;	  /* FP_STAGE_* */
	uint32_t formats; /* FP_FORMAT_BIT()s this stage accepts as input */
	const fp_param *params;
	size_t param_count;
	size_t config_size; /* size of the struct the params are stored into */

	/* In the instance's process, once. config is the parsed parameter
	 * struct (borrowed, valid until fini). Set *state to anything; on
	 * failure return an error and explain in err. May be NULL. */
	int (*init)(void **state, const void *config, const fp_stage_env *env,
		    char *err, size_t err_size);
	/* Once per frame, see fp_stage_kind. Return 0, FP_EEND (sources: no
	 * more frames), or an error after fp_frame_fail(). Required. */
	int (*process)(void *state, fp_frame *in, fp_frame *out);
	/* Once, at the end. May be NULL. */
	void (*fini)(void *state);

	/* Sources, optional, called in the supervisor before the run: the
	 * largest frame in bytes this source will make for input_path (NULL
	 * when it reads no files); used to size pool slots (slot_size = auto).
	 * Return an error and explain in err when the input is unusable. */
	int (*frame_bound)(const void *config, const char *input_path,
			   uint64_t *bytes, char *err, size_t err_size);
	/* Sources, optional: how many frames the run will make, or -1 when
	 * unknown (the source then ends the stream by returning FP_EEND). */
	int64_t (*frame_count)(const void *config, size_t input_count);

	/* ---- ABI 1.1 ---- */

	/* Optional: what `framepipe stages NAME` prints under the summary:
	 * several lines on what the stage does, how its parameters combine,
	 * which formats it keeps or changes. Lines are separated by '\n'. */
	const char *description;

	/* New fields go here, and only here (see the ABI policy above). */
} fp_stage_descriptor;

#define FP_STAGE_SYMBOL	     framepipe_stage
#define FP_STAGE_SYMBOL_NAME "framepipe_stage"

/* Export a stage:  FP_STAGE_EXPORT = { .name = "invert", ... };
 * abi_major, abi_minor and struct_size are filled in by FP_STAGE_HEADER. */
#define FP_STAGE_HEADER                                       \
	.abi_major = FP_ABI_MAJOR, .abi_minor = FP_ABI_MINOR, \
	.struct_size = sizeof(fp_stage_descriptor)
#define FP_STAGE_EXPORT                                                        \
	__attribute__((visibility(                                             \
		"default"))) extern const fp_stage_descriptor FP_STAGE_SYMBOL; \
	const fp_stage_descriptor FP_STAGE_SYMBOL

#define FP_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
