// SPDX-License-Identifier: GPL-2.0-only
/*
 * init: PID 1 of the test initramfs.
 *
 * Mounts the pseudo file systems, runs each line of the plan named by the
 * "plan=" kernel parameter (/plans/NAME) with its own timeout, prints one
 * TAP line per test, and reboots, which ends QEMU (-no-reboot).
 *
 * A plan line is "TIMEOUT COMMAND [ARGS...]"; COMMAND is looked up in /bin.
 * A test passes when it exits 0 and the kernel taint did not change while it
 * ran (a WARN or BUG taints the kernel); exit 4 (KSFT_SKIP) is a skip.
 * In kernels with kmemleak, a last test after the plan's fails if KVM leaked.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kmemleak.h"

#define KSFT_SKIP	4
#define MAX_ARGS	32
#define MAX_TESTS	256

struct test {
	unsigned int timeout;
	char *argv[MAX_ARGS + 1];
	char name[256];
};

static struct test tests[MAX_TESTS];

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		say("# init: mounting %s on %s: %s\n", type, dir, strerror(errno));
}

static unsigned long read_taint(void)
{
	unsigned long taint = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (f) {
		if (fscanf(f, "%lu", &taint) != 1)
			taint = 0;
		fclose(f);
	}
	return taint;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Parse the plan into tests[]; returns the number of tests. */
static int read_plan(const char *path)
{
	static char buf[64 * 1024];
	char *line, *save, *tok, *arg_save;
	int n = 0, fd;
	ssize_t len;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		say("# init: cannot open plan %s: %s\n", path, strerror(errno));
		return -1;
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';

	for (line = strtok_r(buf, "\n", &save); line && n < MAX_TESTS;
	     line = strtok_r(NULL, "\n", &save)) {
		struct test *t = &tests[n];
		int argc = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\0')
			continue;

		tok = strtok_r(line, " \t", &arg_save);
		t->timeout = strtoul(tok, NULL, 10);
		while ((tok = strtok_r(NULL, " \t", &arg_save)) && argc < MAX_ARGS)
			t->argv[argc++] = tok;
		t->argv[argc] = NULL;
		if (!t->timeout || !argc) {
			say("# init: bad plan line in %s\n", path);
			continue;
		}

		t->name[0] = '\0';
		for (int i = 0; i < argc; i++) {
			strncat(t->name, i ? " " : "", sizeof(t->name) - strlen(t->name) - 1);
			strncat(t->name, t->argv[i], sizeof(t->name) - strlen(t->name) - 1);
		}
		n++;
	}
	return n;
}

/*
 * Copy what the test printed to the console, indented as a KTAP subtest so
 * that its own TAP lines are not taken for the plan's.
 */
static void relay(int fd, char *line, size_t *len, size_t size)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && *len < size - 1) {
			line[(*len)++] = buf[i];
			continue;
		}
		line[*len] = '\0';
		say("    %s\n", line);
		*len = 0;
	}
}

/*
 * Run one test; returns its wait status, -1 if it timed out, or -2 if it
 * could not be started.
 */
static int run(struct test *t)
{
	double deadline = now() + t->timeout;
	char path[512], line[1024];
	struct pollfd pfd;
	int status, fds[2];
	size_t len = 0;
	pid_t pid;

	if (pipe(fds))
		return -2;
	snprintf(path, sizeof(path), "/bin/%s", t->argv[0]);
	pid = fork();
	if (pid < 0)
		return -2;
	if (!pid) {
		setsid();
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		/* The selftests load themselves as the guest's ELF image. */
		t->argv[0] = path;
		execv(path, t->argv);
		fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };

	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (now() > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		if (poll(&pfd, 1, 100) > 0)
			relay(fds[0], line, &len, sizeof(line));
	}
	/* Whatever is still buffered in the pipe, without waiting for more. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN))
		relay(fds[0], line, &len, sizeof(line));
	if (len) {
		line[len] = '\0';
		say("    %s\n", line);
	}
	close(fds[0]);
	/* Reap whatever the test left behind: init inherits orphans. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return status;
}

int main(void)
{
	int n, leaks, pass = 0, fail = 0, skip = 0;
	const char *plan = getenv("plan");
	char path[256];

	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	/* Kernels with DEBUG_FS only (the check kernels). */
	if (!access("/sys/kernel/debug", F_OK))
		mount_fs("debugfs", "/sys/kernel/debug", "debugfs");
	mount_fs("devtmpfs", "/dev", "devtmpfs");
	mount_fs("tmpfs", "/tmp", "tmpfs");
	mount_fs("hugetlbfs", "/dev/hugepages", "hugetlbfs");
	setenv("PATH", "/bin", 1);
	setenv("HOME", "/tmp", 1);
	chdir("/tmp");

	snprintf(path, sizeof(path), "/plans/%s", plan ? plan : "check");
	n = read_plan(path);
	say("TAP version 13\n1..%d\n", n < 0 ? 0 : n + kmemleak_present());

	for (int i = 0; i < n; i++) {
		struct test *t = &tests[i];
		unsigned long taint = read_taint();
		double start = now();
		int status;

		say("# ===== START %s =====\n", t->name);
		status = run(t);
		say("# ===== END %s (%.1fs) =====\n", t->name, now() - start);

		if (status == -2) {
			say("not ok %d %s # could not start: %s\n", i + 1, t->name,
			    strerror(errno));
			fail++;
		} else if (status == -1) {
			say("not ok %d %s # TIMEOUT after %us\n", i + 1, t->name, t->timeout);
			fail++;
		} else if (read_taint() != taint) {
			say("not ok %d %s # kernel tainted %lu -> %lu\n", i + 1,
			    t->name, taint, read_taint());
			fail++;
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			say("ok %d %s\n", i + 1, t->name);
			pass++;
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP) {
			say("ok %d %s # SKIP\n", i + 1, t->name);
			skip++;
		} else if (WIFEXITED(status)) {
			say("not ok %d %s # exit status %d\n", i + 1, t->name,
			    WEXITSTATUS(status));
			fail++;
		} else {
			say("not ok %d %s # killed by signal %d\n", i + 1, t->name,
			    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
			fail++;
		}
	}

	if (n >= 0 && kmemleak_present()) {
		say("# ===== START kmemleak =====\n");
		leaks = kmemleak_check();
		if (leaks < 0) {
			say("not ok %d kmemleak # cannot read kmemleak\n", n + 1);
			fail++;
		} else if (leaks) {
			say("not ok %d kmemleak # %d leaks from KVM\n", n + 1, leaks);
			fail++;
		} else {
			say("ok %d kmemleak\n", n + 1);
			pass++;
		}
	}

	say("# init: %d passed, %d failed, %d skipped\n", pass, fail, skip);
	say("# all tests done\n");
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
