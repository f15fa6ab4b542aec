/*
 * init: process 1.
 *
 * The kernel passes its command line to init as environment variables
 * (as Linux does).  init runs the program init= names if it is not init
 * itself, else /etc/rc with the shell if there is one, else the shell
 * (busybox ash) as a login shell: argv[0] "-sh", so that it reads
 * /etc/profile.
 * First it makes the device nodes of /dev that are missing (the kernel's
 * character devices, kern/kern_cdev.c, and a block device for each disk,
 * kern/kern_bdev.c) and mounts tmpfs on /tmp and on /dev/shm (where
 * glibc's shm_open makes POSIX shared memory).  It reaps every orphan.
 * When what it started exits, init powers the machine off, reporting
 * that program's exit status (so a test program run with init=...
 * decides QEMU's exit status).  busybox's halt and poweroff (SIGUSR1,
 * SIGUSR2) power it off with status 0, and reboot (SIGTERM) restarts it
 * (which ends QEMU too, run with -no-reboot), after ending every process
 * and syncing, as a System V init does for them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/reboot.h>

#include "vmksys.h"

/* Runs argv[0] with the arguments argv[1...] (argv[1] its own name). */
static pid_t
spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		pid_t self;

		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		/* Its own session, with the console as its controlling
		 * terminal and itself the foreground group, so that ^C and
		 * ^Z reach it and its children (and job control works). */
		self = setsid();
		ioctl(0, TIOCSCTTY, 0);
		ioctl(0, TIOCSPGRP, &self);
		execv(argv[0], argv + 1);
		fprintf(stderr, "init: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/*
 * Shut down with reboot(2) command cmd (and its argument): as a Linux or
 * BSD shutdown, every other process ends first, so that nothing writes
 * the file systems while they are synced, or after.
 */
static void
shut_down(unsigned int cmd, int arg)
{
	kill(-1, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, arg);
	fprintf(stderr, "init: cannot shut down\n");
	for (;;)
		pause();
}

static void
halt_with(int status)
{
	shut_down(VMK_REBOOT_CMD_HALT_STATUS, status);
}

static volatile sig_atomic_t shutdown_signal;	/* halt, poweroff, reboot */

static void
on_shutdown_signal(int sig)
{
	shutdown_signal = sig;
}

/* busybox halt, poweroff and reboot signal init (no SA_RESTART: the
 * signal ends init's wait, which then acts on it). */
static void
catch_shutdown_signals(void)
{
	struct sigaction sa = { .sa_handler = on_shutdown_signal };

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
make_node(const char *path, mode_t mode, dev_t dev)
{
	if (mknod(path, mode, dev) != 0 && errno != EEXIST)
		fprintf(stderr, "init: mknod %s: %s\n", path, strerror(errno));
}

/*
 * A block device node for each disk the kernel has (kern.disks: "vda
 * vdb"), with Linux's virtio-blk numbers: major 254, 16 minors a disk.
 */
static void
make_disk_nodes(void)
{
	size_t len;
	char *disks = vmk_sysctl_alloc("kern.disks", &len), *name, *save;
	char path[32];
	unsigned int unit = 0;

	if (disks == NULL) {
		perror("init: kern.disks");
		return;
	}
	for (name = strtok_r(disks, " ", &save); name != NULL;
	    name = strtok_r(NULL, " ", &save), unit++) {
		snprintf(path, sizeof(path), "/dev/%s", name);
		make_node(path, S_IFBLK | 0660, makedev(254, unit * 16));
	}
	free(disks);
}

/* /dev's nodes, with Linux's numbers and modes. */
static void
make_dev_nodes(void)
{
	static const struct {
		const char *path;
		mode_t mode;
		unsigned int major, minor;
	} nodes[] = {
		{ "/dev/null", 0666, 1, 3 },
		{ "/dev/zero", 0666, 1, 5 },
		{ "/dev/full", 0666, 1, 7 },
		{ "/dev/random", 0666, 1, 8 },
		{ "/dev/urandom", 0666, 1, 9 },
		{ "/dev/tty", 0666, 5, 0 },
		{ "/dev/console", 0600, 5, 1 },
	};
	mode_t old = umask(0);

	if (mkdir("/dev", 0755) != 0 && errno != EEXIST)
		fprintf(stderr, "init: mkdir /dev: %s\n", strerror(errno));
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		make_node(nodes[i].path, S_IFCHR | nodes[i].mode,
		    makedev(nodes[i].major, nodes[i].minor));
	make_disk_nodes();
	umask(old);
}

/* tmpfs on /tmp, and on /dev/shm (nosuid, nodev, as Linux systems have it). */
static void
mount_tmpfs(void)
{
	static const struct {
		const char *dir;
		unsigned long flags;
	} mounts[] = {
		{ "/tmp", 0 },
		{ "/dev/shm", MS_NOSUID | MS_NODEV },
	};

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		if (mkdir(mounts[i].dir, 01777) != 0 && errno != EEXIST)
			fprintf(stderr, "init: mkdir %s: %s\n", mounts[i].dir,
			    strerror(errno));
		if (mount("tmpfs", mounts[i].dir, "tmpfs", mounts[i].flags,
		    "mode=1777") != 0)
			fprintf(stderr, "init: mount tmpfs on %s: %s\n",
			    mounts[i].dir, strerror(errno));
	}
}

int
main(void)
{
	const char *what = getenv("init");
	char *sh[] = { "/bin/sh", "-sh", NULL };
	char *rc[] = { "/bin/sh", "sh", "/etc/rc", NULL };
	char *prog[] = { (char *)what, (char *)what, NULL };
	char *const *run = sh;
	pid_t child;
	int status;

	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	catch_shutdown_signals();
	make_dev_nodes();
	mount_tmpfs();
	if (what != NULL && strcmp(what, "/sbin/init") != 0)
		run = prog;
	else if (access("/etc/rc", R_OK) == 0)
		run = rc;
	child = spawn(run);
	if (child < 0)
		halt_with(1);
	for (;;) {
		pid_t pid = wait(&status);

		if (shutdown_signal == SIGTERM)
			shut_down(LINUX_REBOOT_CMD_RESTART, 0);
		if (shutdown_signal != 0)
			halt_with(0);
		if (pid < 0 && errno == ECHILD)
			halt_with(0);
		if (pid == child) {
			if (run == rc) {
				/* The start script is done: now a shell. */
				run = sh;
				child = spawn(run);
				continue;
			}
			halt_with(WIFEXITED(status) ? WEXITSTATUS(status) :
			    128 + WTERMSIG(status));
		}
	}
}
