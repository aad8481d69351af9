/* text — writing untrusted text (file names, config values, plugin
 * messages) to a terminal. */
#ifndef FP_TEXT_H
#define FP_TEXT_H

#include <stdio.h>

/* Write text with control bytes escaped (\n, \t, \xNN), so that a name or
 * a config value can never move the cursor, recolour the terminal or
 * split one message into several lines. */
void fp__put_escaped(FILE *f, const char *text);

#endif
