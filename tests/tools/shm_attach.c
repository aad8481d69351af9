/* shm_attach ID: try to attach System V segment ID read-write, then read
 * only, as whoever runs it. Prints what each attempt gave; exits 0 when
 * both were refused (EACCES or EINVAL), 1 when either attached, 2 on a
 * usage error. For the test that another user cannot reach a run's pool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

int main(int argc, char **argv)
{
	char *end;
	long id = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *end != '\0' || id < 0) {
		fprintf(stderr, "usage: shm_attach SHMID\n");
		return 2;
	}
	static const struct {
		int flags;
		const char *what;
	} tries[] = {{0, "read-write"}, {SHM_RDONLY, "read-only"}};
	int code = 0;
	for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
		void *at = shmat((int)id, NULL, tries[i].flags);
		if (at != (void *)-1) {
			printf("%s: attached\n", tries[i].what);
			shmdt(at);
			code = 1;
			continue;
		}
		int e = errno;
		printf("%s: %s\n", tries[i].what, strerror(e));
		if (e != EACCES && e != EINVAL)
			code = 1;
	}
	return code;
}
