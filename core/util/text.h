/* text — writing untrusted text (file names, config values, plugin
 * messages) to a terminal. */
#ifndef FP_TEXT_H
#define FP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Write text with control bytes escaped (\n, \t, \xNN), so that a name or
 * a config value can never move the cursor, recolour the terminal or
 * split one message into several lines. */
void fp__put_escaped(FILE *f, const char *text);
/* The same into buf (cut short at size); returns the length written. */
size_t fp__escape(char *buf, size_t size, const char *text);
/* The same for len bytes, a NUL among them included ("\x00"). */
size_t fp__escape_n(char *buf, size_t size, const char *text, size_t len);

/* text (already escaped) on lines of at most width columns, broken at
 * spaces (a word longer than a line is cut), each line after the first
 * starting with indent; a newline after the last. */
void fp__put_wrapped(FILE *f, const char *text, size_t width,
		     const char *indent);

/* text in at most width columns: whole when it fits, else its start and
 * its end around "...", so a long path keeps the folder it starts in and
 * the file it names. */
void fp__shorten_middle(char *buf, size_t size, const char *text, size_t width);

#endif
