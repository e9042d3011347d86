// SPDX-License-Identifier: GPL-2.0
/*
 * finit: load a module with exactly one finit_module() call.
 *
 * busybox insmod retries with init_module() after any failure, so a
 * module that rejects its parameters runs its init twice; the bad-input
 * tests need one attempt to judge its one error line.
 *
 * Usage: finit MODULE.ko [PARAM=VALUE]...
 * Exit status: 0 if loaded, 1 if not (the reason is printed), 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: finit MODULE.ko [PARAM=VALUE]...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (strlen(params) + strlen(argv[i]) + 2 > sizeof(params)) {
			fprintf(stderr, "finit: parameters too long\n");
			return 2;
		}
		if (i > 2)
			strcat(params, " ");
		strcat(params, argv[i]);
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "finit: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
