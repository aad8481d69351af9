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
 *      "PATH: stage NAME: parameter P (integer, 8 bytes at offset 8) lies
 *       outside its 12-byte config struct (...)"   (a row whose value
 *       would not fit config_size; also: no name, an unknown type, a
 *       choice with no choices)
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
 * 1.2 added the 16-bit formats (FP_FORMAT_G16..RGBA16), the frame metadata
 * area (fp_frame.meta) and the shrink hint (hint_width, hint_height), the
 * logging function and thread budget in fp_stage_env, the descriptor's
 * check, shape, probe, threads and output_extension, the flag
 * FP_STAGE_WRITES_STDOUT, and FP_ABI_TARGET_MINOR. A plugin built for 1.1
 * is only ever handed frames of the formats it declared.
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
/* Build for an older 1.x on purpose: define FP_ABI_TARGET_MINOR (e.g. 1)
 * before including this header. FP_STAGE_HEADER then stamps that minor and
 * that minor's descriptor size, and the loader of any framepipe 1.x at or
 * above it accepts the plugin; the fields of later minors must stay unset
 * (they are not part of the plugin's descriptor). */
#define FP_ABI_MINOR 2

/* ---- pixel formats ------------------------------------------------------ */

/* Names: the layout (G gray, GA gray+alpha, RGB, RGBA) then the bits per
 * sample. Parameters spell them in lower case (g8, rgba16); `keep` means
 * "leave it as it is". Samples are interleaved; 16-bit samples are
 * uint16_t in native byte order, 0..65535. Alpha is straight (not
 * premultiplied) unless a stage says otherwise. */
typedef enum fp_format {
	FP_FORMAT_G8 = 1,
	FP_FORMAT_GA8 = 2,
	FP_FORMAT_RGB8 = 3,
	FP_FORMAT_RGBA8 = 4,
	/* ABI 1.2 */
	FP_FORMAT_G16 = 5,
	FP_FORMAT_GA16 = 6,
	FP_FORMAT_RGB16 = 7,
	FP_FORMAT_RGBA16 = 8,
} fp_format;

#define FP_FORMAT_FIRST 1
#define FP_FORMAT_LAST	8

#define FP_FORMAT_BIT(fmt) (1u << (fmt))
#define FP_FORMATS_8BIT                                               \
	(FP_FORMAT_BIT(FP_FORMAT_G8) | FP_FORMAT_BIT(FP_FORMAT_GA8) | \
	 FP_FORMAT_BIT(FP_FORMAT_RGB8) | FP_FORMAT_BIT(FP_FORMAT_RGBA8))
#define FP_FORMATS_16BIT                                                \
	(FP_FORMAT_BIT(FP_FORMAT_G16) | FP_FORMAT_BIT(FP_FORMAT_GA16) | \
	 FP_FORMAT_BIT(FP_FORMAT_RGB16) | FP_FORMAT_BIT(FP_FORMAT_RGBA16))
#define FP_FORMATS_ALL (FP_FORMATS_8BIT | FP_FORMATS_16BIT)

/* Channels per pixel; 0 if unknown. */
static inline unsigned fp_format_channels(fp_format format)
{
	switch (format) {
	case FP_FORMAT_G8:
	case FP_FORMAT_G16: return 1;
	case FP_FORMAT_GA8:
	case FP_FORMAT_GA16: return 2;
	case FP_FORMAT_RGB8:
	case FP_FORMAT_RGB16: return 3;
	case FP_FORMAT_RGBA8:
	case FP_FORMAT_RGBA16: return 4;
	}
	return 0;
}

/* Bytes per sample: 1 or 2; 0 if unknown. */
static inline unsigned fp_format_sample_bytes(fp_format format)
{
	if (format >= FP_FORMAT_G8 && format <= FP_FORMAT_RGBA8)
		return 1;
	if (format >= FP_FORMAT_G16 && format <= FP_FORMAT_RGBA16)
		return 2;
	return 0;
}

/* Bytes per pixel (channels x sample bytes); 0 if unknown. */
static inline unsigned fp_format_pixel_bytes(fp_format format)
{
	return fp_format_channels(format) * fp_format_sample_bytes(format);
}

/* Bytes per pixel of the widest format in formats (FP_FORMAT_BIT()s); 0 for
 * none. */
static inline unsigned fp_formats_max_pixel_bytes(uint32_t formats)
{
	unsigned widest = 0;
	for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
		if ((formats & FP_FORMAT_BIT(f)) &&
		    fp_format_pixel_bytes((fp_format)f) > widest)
			widest = fp_format_pixel_bytes((fp_format)f);
	return widest;
}

static inline bool fp_format_has_alpha(fp_format format)
{
	unsigned c = fp_format_channels(format);
	return c == 2 || c == 4;
}

/* The format with `channels` channels (1..4) of `sample_bytes` (1 or 2)
 * bytes each; 0 if there is none. */
static inline fp_format fp_format_of(unsigned channels, unsigned sample_bytes)
{
	if (channels < 1 || channels > 4 ||
	    (sample_bytes != 1 && sample_bytes != 2))
		return (fp_format)0;
	return (fp_format)(channels + (sample_bytes == 2 ? 4u : 0u));
}

static inline const char *fp_format_name(fp_format format)
{
	switch (format) {
	case FP_FORMAT_G8: return "G8";
	case FP_FORMAT_GA8: return "GA8";
	case FP_FORMAT_RGB8: return "RGB8";
	case FP_FORMAT_RGBA8: return "RGBA8";
	case FP_FORMAT_G16: return "G16";
	case FP_FORMAT_GA16: return "GA16";
	case FP_FORMAT_RGB16: return "RGB16";
	case FP_FORMAT_RGBA16: return "RGBA16";
	}
	return "unknown";
}

/* ---- frame metadata (ABI 1.2) ------------------------------------------- */

/* Every pool slot carries, beside its pixels, a bounded metadata area
 * ([pipeline] metadata_size): a list of entries, each a kind, kind-specific
 * flags, a key (a NUL-ended string, "" when the kind has none) and a value.
 * Decoders fill it, filters keep it (the core copies it to the output slot
 * of an out-of-place filter before process(); an in-place filter keeps it
 * by doing nothing), encoders write it. Ownership and lifetime are the
 * frame's: fp_frame.meta is borrowed for one process() call, like the
 * pixels, and an entry pointer is valid only until the next change to the
 * area. The area lives in shared memory: the functions below check every
 * length against the capacity and never read or write past it, whatever an
 * earlier stage left there. A source's frames start with an empty area. */
typedef enum fp_meta_kind {
	FP_META_ICC = 1,  /* key: profile name; value: the ICC profile */
	FP_META_EXIF = 2, /* value: TIFF-structured EXIF ("II*\0"/"MM\0*") */
	FP_META_XMP = 3,  /* value: the XMP packet, UTF-8 */
	FP_META_TEXT = 4, /* key: keyword; value: see fp_meta_text */
	FP_META_RESOLUTION = 5,	 /* value: fp_meta_resolution */
	FP_META_ORIENTATION = 6, /* value: uint32_t, EXIF orientation 1..8 */
	FP_META_GAMMA = 7,  /* value: uint32_t, PNG gAMA (gamma x 100000) */
	FP_META_CHROMA = 8, /* value: uint32_t[8], PNG cHRM x 100000:
			     * white x,y, red x,y, green x,y, blue x,y */
	FP_META_SRGB = 9,   /* value: uint32_t, rendering intent 0..3 */
	FP_META_FRAME_RATE =
		10,		/* value: uint32_t[2], numerator, denominator */
	FP_META_TIMESTAMP = 11, /* value: int64_t, in 1/frame-rate units */
	FP_META_COMMENT = 12,	/* value: text (JPEG COM, GIF comment) */
	FP_META_USER = 1000,	/* key: the plugin's own name; any value */
} fp_meta_kind;

/* FP_META_TEXT flags: how the text was (and will be) stored. */
#define FP_META_TEXT_COMPRESSED 0x1u /* zTXt, or compressed iTXt */
#define FP_META_TEXT_UTF8	0x2u /* iTXt: UTF-8, language, translated key */

/* FP_META_RESOLUTION's value. */
typedef struct fp_meta_resolution {
	uint32_t x, y; /* pixels per unit */
	uint32_t unit; /* FP_RES_* */
	uint32_t reserved;
} fp_meta_resolution;
#define FP_RES_UNKNOWN	 0 /* x:y is the pixel aspect ratio only */
#define FP_RES_PER_METRE 1
#define FP_RES_PER_INCH	 2

typedef struct fp_meta {
	uint32_t capacity; /* bytes of data[] */
	uint32_t used;	   /* bytes of data[] holding entries */
	uint8_t data[];
} fp_meta;

/* One entry as stored: this header, then key (key_size bytes, NUL
 * included), then the value (value_size bytes), then padding to 8. */
typedef struct fp_meta_entry {
	uint16_t kind;
	uint16_t flags;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t reserved;
} fp_meta_entry;

static inline size_t fp__meta_entry_span(const fp_meta_entry *e)
{
	return (sizeof *e + (size_t)e->key_size + e->value_size + 7u) &
	       ~(size_t)7u;
}

/* The first entry (prev NULL) or the one after prev; NULL at the end or
 * at the first entry that does not fit the area (a damaged area reads as
 * ending there). */
static inline const fp_meta_entry *fp_meta_next(const fp_meta *m,
						const fp_meta_entry *prev)
{
	if (m == NULL)
		return NULL;
	size_t used = m->used < m->capacity ? m->used : m->capacity;
	size_t at = prev == NULL ? 0
				 : (size_t)((const uint8_t *)prev - m->data) +
					   fp__meta_entry_span(prev);
	if (at + sizeof(fp_meta_entry) > used)
		return NULL;
	const fp_meta_entry *e = (const fp_meta_entry *)(m->data + at);
	if (e->key_size == 0 || e->key_size > used || e->value_size > used ||
	    at + sizeof *e + (size_t)e->key_size + e->value_size > used)
		return NULL;
	return e;
}

static inline const char *fp_meta_key(const fp_meta_entry *e)
{
	const char *key = (const char *)(e + 1);
	return key[e->key_size - 1] == '\0' ? key : "";
}

static inline const void *fp_meta_value(const fp_meta_entry *e)
{
	return (const uint8_t *)(e + 1) + e->key_size;
}

/* The first entry of kind (and key, unless key is NULL), or NULL. */
static inline const fp_meta_entry *
fp_meta_find(const fp_meta *m, fp_meta_kind kind, const char *key)
{
	for (const fp_meta_entry *e = fp_meta_next(m, NULL); e != NULL;
	     e = fp_meta_next(m, e)) {
		if (e->kind != kind)
			continue;
		if (key == NULL)
			return e;
		const char *k = fp_meta_key(e);
		size_t i = 0;
		while (k[i] != '\0' && k[i] == key[i])
			i++;
		if (k[i] == key[i])
			return e;
	}
	return NULL;
}

/* Remove every entry of kind (and key, unless NULL). Returns how many. */
static inline int fp_meta_remove(fp_meta *m, fp_meta_kind kind, const char *key)
{
	int removed = 0;
	const fp_meta_entry *e;
	while (m != NULL && (e = fp_meta_find(m, kind, key)) != NULL) {
		uint8_t *at = (uint8_t *)e;
		size_t span = fp__meta_entry_span(e);
		size_t end = (size_t)(at - m->data) + span;
		if (end > m->used) /* the padding of the last entry */
			span = m->used - (size_t)(at - m->data), end = m->used;
		for (size_t i = 0; end + i < m->used; i++)
			at[i] = at[span + i];
		m->used -= (uint32_t)span;
		removed++;
	}
	return removed;
}

/* Remove every entry. */
static inline void fp_meta_clear(fp_meta *m)
{
	if (m != NULL)
		m->used = 0;
}

/* Append an entry. key may be NULL (stored as ""). Returns 0, or FP_ENOFIT
 * when the area is too small (nothing is changed then). */
static inline int fp_meta_add(fp_meta *m, fp_meta_kind kind, uint32_t flags,
			      const char *key, const void *value,
			      size_t value_size)
{
	if (m == NULL)
		return FP_ENOFIT;
	size_t key_size = 1;
	if (key != NULL)
		while (key[key_size - 1] != '\0')
			key_size++;
	/* Find the real end: a damaged tail is dropped, not kept. */
	size_t used = 0;
	for (const fp_meta_entry *e = fp_meta_next(m, NULL); e != NULL;
	     e = fp_meta_next(m, e)) {
		size_t end = (size_t)((const uint8_t *)e - m->data) +
			     fp__meta_entry_span(e);
		used = end;
	}
	if (used > m->capacity)
		used = m->capacity;
	size_t need = (sizeof(fp_meta_entry) + key_size + value_size + 7u) &
		      ~(size_t)7u;
	if (value_size > m->capacity || key_size > m->capacity ||
	    need > m->capacity - used)
		return FP_ENOFIT;
	fp_meta_entry *e = (fp_meta_entry *)(m->data + used);
	e->kind = (uint16_t)kind;
	e->flags = (uint16_t)flags;
	e->key_size = (uint32_t)key_size;
	e->value_size = (uint32_t)value_size;
	e->reserved = 0;
	uint8_t *p = (uint8_t *)(e + 1);
	for (size_t i = 0; i + 1 < key_size; i++)
		p[i] = (uint8_t)key[i];
	p[key_size - 1] = 0;
	const uint8_t *v = (const uint8_t *)value;
	for (size_t i = 0; i < value_size; i++)
		p[key_size + i] = v[i];
	for (size_t i = key_size + value_size; sizeof *e + i < need; i++)
		p[i] = 0;
	m->used = (uint32_t)(used + need);
	return 0;
}

/* Replace: remove kind+key, then add. Returns 0 or FP_ENOFIT (the old
 * entries are gone either way). */
static inline int fp_meta_set(fp_meta *m, fp_meta_kind kind, uint32_t flags,
			      const char *key, const void *value,
			      size_t value_size)
{
	fp_meta_remove(m, kind, key == NULL ? "" : key);
	return fp_meta_add(m, kind, flags, key, value, value_size);
}

/* A uint32_t entry (orientation, gamma, sRGB intent): the value, or dflt
 * when there is none or it has the wrong size. */
static inline uint32_t fp_meta_u32(const fp_meta *m, fp_meta_kind kind,
				   uint32_t dflt)
{
	const fp_meta_entry *e = fp_meta_find(m, kind, NULL);
	if (e == NULL || e->value_size != sizeof(uint32_t))
		return dflt;
	const uint8_t *v = (const uint8_t *)fp_meta_value(e);
	uint32_t x;
	uint8_t *px = (uint8_t *)&x;
	for (size_t i = 0; i < sizeof x; i++)
		px[i] = v[i];
	return x;
}

/* An FP_META_TEXT value is: language tag, NUL, translated keyword, NUL,
 * then the text (no NUL; the rest of the value). Latin-1 unless
 * FP_META_TEXT_UTF8; language and translated keyword are "" then. */
typedef struct fp_meta_text {
	const char *language;
	const char *translated_key;
	const char *text;
	size_t text_size;
} fp_meta_text;

/* Split a TEXT entry's value; returns false when it is malformed. */
static inline bool fp_meta_text_parts(const fp_meta_entry *e, fp_meta_text *t)
{
	const char *v = (const char *)fp_meta_value(e);
	size_t n = e->value_size, i = 0, j;
	while (i < n && v[i] != '\0')
		i++;
	if (i == n)
		return false;
	j = i + 1;
	while (j < n && v[j] != '\0')
		j++;
	if (j == n)
		return false;
	t->language = v;
	t->translated_key = v + i + 1;
	t->text = v + j + 1;
	t->text_size = n - j - 1;
	return true;
}

/* ---- frames ------------------------------------------------------------- */

/* The largest width and height of a frame, the same for every stage: size
 * parameters (resize, pad, crop, testsrc) stop here, decoders refuse a
 * larger image from its header (max_width/max_height go no higher), and
 * the core fails a frame a stage makes past it. 65535 keeps every row of
 * every format (8 bytes a pixel at most) far inside the uint32_t stride
 * and a whole frame's bytes inside 35 bits, so no size sum can overflow;
 * file formats with a smaller limit (JPEG 65500, WebP 16383) keep theirs. */
#define FP_MAX_DIMENSION      65535
#define FP__TEXT_(x)	      #x
#define FP__TEXT(x)	      FP__TEXT_(x)
#define FP_MAX_DIMENSION_TEXT FP__TEXT(FP_MAX_DIMENSION) /* for defaults */

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

	/* ---- ABI 1.2 ---- */

	/* The slot's metadata area (see above); borrowed like the pixels.
	 * NULL only when a stage is run by a 1.1 harness. */
	fp_meta *meta;
	/* Sources: the smallest frame the stages after this one need, or 0
	 * when they did not say. A decoder that can decode smaller for free
	 * (JPEG DCT scaling, WebP scaled decode) may make a frame down to
	 * hint_width wide and hint_height tall (each when non-zero), never
	 * smaller; the stage after it finishes the job. */
	uint32_t hint_width;
	uint32_t hint_height;
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
/* INT and SIZE: a default_value of "auto" makes `auto` a value too,
 * stored as 0 (the stage then decides), whatever min says. */
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

/* One row of a stage's parameter table. Rows are frozen: the layout below
 * is part of ABI 1.x, has no size field and never grows (a new kind of
 * parameter is a new fp_param_type, not a new field). */
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

/* Write rows with these macros: each checks at compile time that the field
 * has the C type the core stores for its parameter type (an `int` field
 * under FP_PARAM_INT_ is an error, not an overflow), and stays a constant
 * initializer for a static const table. The loader also refuses, whatever
 * the table says, a row whose value would not fit inside config_size. In
 * C++ the type check is not made (no _Generic); the loader's still is. */
#ifdef __cplusplus
#define FP__PARAM_OFFSET(cfg, field, ok, what) offsetof(cfg, field)
#else
#define FP__PARAM_OFFSET(cfg, field, ok, what)                                \
	(offsetof(cfg, field) + 0 * sizeof(struct {                           \
					_Static_assert(ok,                    \
						       #cfg "." #field what); \
					int fp__unused;                       \
				}))
#endif
/* On the field's address, so that an array never passes for a pointer. */
#define FP__PARAM_IS(cfg, field, type) \
	_Generic(&(((cfg *)0)->field), type * : 1, default : 0)
#define FP__PARAM_IS_STRING(cfg, field)                                \
	_Generic(&(((cfg *)0)->field), const char ** : 1, char ** : 1, \
		 default : 0)

#define FP_PARAM_INT_(cfg, field, def, lo, hi, help_)                         \
	{                                                                     \
#field, FP_PARAM_INT,                                         \
			FP__PARAM_OFFSET(cfg, field,                          \
					 FP__PARAM_IS(cfg, field, int64_t),   \
					 ": FP_PARAM_INT_ needs an int64_t"), \
			def, lo, hi, NULL, help_                              \
	}
#define FP_PARAM_FLOAT_(cfg, field, def, lo, hi, help_)                       \
	{                                                                     \
#field, FP_PARAM_FLOAT,                                       \
			FP__PARAM_OFFSET(cfg, field,                          \
					 FP__PARAM_IS(cfg, field, double),    \
					 ": FP_PARAM_FLOAT_ needs a double"), \
			def, lo, hi, NULL, help_                              \
	}
#define FP_PARAM_SIZE_(cfg, field, def, lo, hi, help_)                         \
	{                                                                      \
#field, FP_PARAM_SIZE,                                         \
			FP__PARAM_OFFSET(cfg, field,                           \
					 FP__PARAM_IS(cfg, field, uint64_t),   \
					 ": FP_PARAM_SIZE_ needs a uint64_t"), \
			def, lo, hi, NULL, help_                               \
	}
#define FP_PARAM_BOOL_(cfg, field, def, help_)                             \
	{                                                                  \
#field, FP_PARAM_BOOL,                                     \
			FP__PARAM_OFFSET(cfg, field,                       \
					 FP__PARAM_IS(cfg, field, bool),   \
					 ": FP_PARAM_BOOL_ needs a bool"), \
			def, 0, 1, NULL, help_                             \
	}
#define FP_PARAM_STRING_(cfg, field, def, help_)                             \
	{                                                                    \
#field, FP_PARAM_STRING,                                     \
			FP__PARAM_OFFSET(                                    \
				cfg, field, FP__PARAM_IS_STRING(cfg, field), \
				": FP_PARAM_STRING_ needs a const char *"),  \
			def, 0, 0, NULL, help_                               \
	}
#define FP_PARAM_CHOICE_(cfg, field, def, choices_, help_)                   \
	{                                                                    \
#field, FP_PARAM_CHOICE,                                     \
			FP__PARAM_OFFSET(cfg, field,                         \
					 FP__PARAM_IS(cfg, field, int),      \
					 ": FP_PARAM_CHOICE_ needs an int"), \
			def, 0, 0, choices_, help_                           \
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
/* ABI 1.2. The stage writes a stream to the run's stdout (y4m_write): its
 * stdout is the run's. Without this flag an instance's stdout is a pipe to
 * the run, which prints each line of it on stderr as "label#instance:
 * line" (above the progress line; a line longer than 1024 bytes in
 * pieces, a last line without its newline too), so that a plugin's printf
 * can never land inside a stream. */
#define FP_STAGE_WRITES_STDOUT	 0x20u
/* ABI 1.2. A filter whose output is its input resampled to a size set by
 * its parameters (resize width=256): the same frame at a smaller size, of
 * the same aspect, gives the same result for less work. The planner then
 * lets a decoder before it shrink on load (fp_frame.hint_width). */
#define FP_STAGE_RESAMPLES	 0x40u

/* ---- temporary files of a run ---------------------------------------------
 *
 * A sink that writes DIR/NAME through a temporary file in DIR and renames it
 * into place (as the built-in codecs do) names it
 * "DIR/.NAME.fp-tmp-RUNID-XXXXXX": RUNID is the environment variable
 * FP_RUN_ID_ENV of the instance (FP_RUN_ID_LEN lowercase hex digits,
 * random per run), XXXXXX what mkstemp makes. The run removes its own such
 * files when it ends, even those of an instance that crashed, and a later
 * run removes them only once no process of that run is left (it holds a
 * lock while it lives). NAME may be cut short to fit NAME_MAX. Nothing
 * else is ever matched: the name is checked from its end, character by
 * character. Without the variable (a stage run by the test harness), make
 * up a RUNID of your own: such files are never removed by a run. */
#define FP_RUN_ID_ENV "FRAMEPIPE_RUN_ID"
#define FP_RUN_ID_LEN 32
#define FP_TEMP_MARK  ".fp-tmp-"

/* Is s a run id: exactly FP_RUN_ID_LEN of 0-9a-f, then the end? */
static inline bool fp_run_id_valid(const char *s)
{
	size_t n = 0;
	while (s != NULL && n < FP_RUN_ID_LEN &&
	       ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
		n++;
	return s != NULL && n == FP_RUN_ID_LEN && s[n] == '\0';
}

/* ---- logging (ABI 1.2) ----------------------------------------------------
 */

/* ERROR and WARN are never silenced, and are counted: the summary names
 * the instances that logged any, --stats-json has them per stage. An
 * instance killed (a crash, a timeout) may take the count of its last
 * frame with it. Neither fails a frame: process() returning an error
 * does. */
typedef enum fp_log_level {
	FP_LOG_ERROR = 1,
	FP_LOG_WARN = 2,
	FP_LOG_INFO = 3, /* silenced by -q */
	/* shown only when the environment variable FRAMEPIPE_DEBUG is set
	 * (to anything) */
	FP_LOG_DEBUG = 4
} fp_log_level;

struct fp_stage_env;
typedef void (*fp_log_fn)(const struct fp_stage_env *env, fp_log_level level,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- shapes (ABI 1.2) ------------------------------------------------------
 */

/* What the planner knows of the frames at one point of the pipeline,
 * before the run: the largest size (0 = unknown) and the set of formats
 * (FP_FORMAT_BIT()s) that may arrive there. */
typedef struct fp_shape {
	uint32_t width;
	uint32_t height;
	uint32_t formats;
	uint32_t reserved; /* 0 */
} fp_shape;

/* Bytes of the largest frame of shape (width x height x its widest
 * format's pixel); 0 when a side is unknown. */
static inline uint64_t fp_shape_max_bytes(const fp_shape *shape)
{
	uint64_t area = (uint64_t)shape->width * shape->height;
	uint64_t pixel = fp_formats_max_pixel_bytes(shape->formats);
	/* saturates: a header of 2^31 x 2^31 is no small slot */
	return pixel != 0 && area > UINT64_MAX / pixel ? UINT64_MAX
						       : area * pixel;
}

/* What an instance knows about its run; borrowed, valid until fini(). */
typedef struct fp_stage_env {
	size_t struct_size;
	const char *label; /* the config section naming this stage */
	unsigned instance; /* 0 .. workers-1 */
	size_t input_count;
	const char *const *inputs; /* the run's input files, in order */
	const char *output_dir;	   /* NULL when the run has none */

	/* ---- ABI 1.2 ---- */

	/* Print one line, "label#instance: text" ("label#instance:
	 * warning: text" for WARN, "error: " for ERROR), on stderr above
	 * the progress line; INFO is silenced by -q, DEBUG needs
	 * FRAMEPIPE_DEBUG, ERROR and WARN are counted in the summary (see
	 * fp_log_level). Any thread of the instance may call it. Never NULL
	 * from a 1.2 core. */
	fp_log_fn log;
	/* Threads this instance may run inside process(): the stage's
	 * descriptor `threads`, cut to the CPUs the run may use divided by
	 * the instances. At least 1. */
	unsigned threads;
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

	/* ---- ABI 1.2 ---- */

	/* Optional, called by `check` and `run` in the supervisor before any
	 * process is forked, with the parsed parameters: the checks a
	 * parameter table cannot say (a colour, a kernel, "scale or width,
	 * not both"). Return 0, or FP_EPARAM with err saying what is wrong
	 * as "param: why" (the core prefixes the file, line and section). */
	int (*check)(const void *config, char *err, size_t err_size);
	/* Optional: what the stage makes from what it gets, for the planner
	 * (slot_size = auto, the format checks of `check`, `framepipe
	 * stages`). Filters: `in` is the largest frame and the formats that
	 * may arrive, already cut to `formats`; fill `out`. Sources: `in` is
	 * NULL; give the formats the source may make (sizes 0). NULL means:
	 * a filter makes what it gets (same size, same format); a source
	 * makes any of FP_FORMATS_8BIT. Return 0 or an error with err. */
	int (*shape)(const void *config, const fp_shape *in, fp_shape *out,
		     char *err, size_t err_size);
	/* Sources that read files, optional: the size and format of the
	 * frame this input will give (read from its header, never
	 * decoding). Preferred over frame_bound when present; an error
	 * fails the input before the run, named, with err. */
	int (*probe)(const void *config, const char *input_path, fp_shape *out,
		     char *err, size_t err_size);
	/* Threads process() runs (0 or 1: single-threaded; FP_THREADS_ANY:
	 * as many as it is given in fp_stage_env.threads). workers = auto
	 * counts them against the CPUs. */
	uint32_t threads;
	/* Sinks that write files: the extension of the file written at
	 * output_path (".json"), for the default output name
	 * ({dir}/{stem}.json) and the output planning; ".{ext}" keeps each
	 * input's own extension (the generic `encode`); NULL: ".png". */
	const char *output_extension;

	/* New fields go here, and only here (see the ABI policy above). */
} fp_stage_descriptor;

#define FP_THREADS_ANY UINT32_MAX

#define FP_STAGE_SYMBOL	     framepipe_stage
#define FP_STAGE_SYMBOL_NAME "framepipe_stage"

/* Export a stage:  FP_STAGE_EXPORT = { .name = "invert", ... };
 * abi_major, abi_minor and struct_size are filled in by FP_STAGE_HEADER. */
#define FP__DESCRIPTOR_END(field)               \
	(offsetof(fp_stage_descriptor, field) + \
	 sizeof(((fp_stage_descriptor *)0)->field))
#if defined(FP_ABI_TARGET_MINOR) && FP_ABI_TARGET_MINOR == 0
#define FP__TARGET_MINOR 0
#define FP__TARGET_SIZE	 FP__DESCRIPTOR_END(frame_count)
#elif defined(FP_ABI_TARGET_MINOR) && FP_ABI_TARGET_MINOR == 1
#define FP__TARGET_MINOR 1
#define FP__TARGET_SIZE	 FP__DESCRIPTOR_END(description)
#elif defined(FP_ABI_TARGET_MINOR) && FP_ABI_TARGET_MINOR != FP_ABI_MINOR
#error "FP_ABI_TARGET_MINOR: this framepipe/stage.h builds for 1.0, 1.1 or 1.2"
#else
#define FP__TARGET_MINOR FP_ABI_MINOR
#define FP__TARGET_SIZE	 sizeof(fp_stage_descriptor)
#endif
#define FP_STAGE_HEADER                                           \
	.abi_major = FP_ABI_MAJOR, .abi_minor = FP__TARGET_MINOR, \
	.struct_size = (uint32_t)(FP__TARGET_SIZE)
#define FP_STAGE_EXPORT                                                        \
	__attribute__((visibility(                                             \
		"default"))) extern const fp_stage_descriptor FP_STAGE_SYMBOL; \
	const fp_stage_descriptor FP_STAGE_SYMBOL

#define FP_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
