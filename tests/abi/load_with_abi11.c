/* load_with_abi11 PLUGIN... — load each plugin with framepipe 1.1's own
 * loader (tests/abi/1.1/loader.c, compiled against the 1.1 headers) and
 * print "PATH: loaded NAME (ABI 1.MINOR)", or the loader's refusal.
 * Exit 0 when every plugin loaded, 1 otherwise. */
#include <stdio.h>

#include "loader.h"

int main(int argc, char **argv)
{
	int status = 0;
	for (int i = 1; i < argc; i++) {
		fp_plugin plugin;
		char err[512];
		if (fp__plugin_open(&plugin, argv[i], err, sizeof err) != 0) {
			printf("%s: refused: %s\n", argv[i], err);
			status = 1;
			continue;
		}
		printf("%s: loaded %s (ABI %u.%u)\n", argv[i],
		       plugin.desc->name, (unsigned)plugin.desc->abi_major,
		       (unsigned)plugin.desc->abi_minor);
		fp__plugin_close(&plugin);
	}
	return status;
}
