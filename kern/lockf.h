/*
 * Advisory file locks (kern_lockf.c): fcntl's record locks and flock(2).
 */
#ifndef KERN_LOCKF_H
#define KERN_LOCKF_H

#include "kern/kernel.h"

struct file;
struct proc;

/* fcntl commands (Linux's values) */
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

/* flock(2) operations */
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

int lockf_fcntl(struct file *fp, unsigned int cmd, uaddr_t uflock);
int lockf_flock(struct file *fp, unsigned int op);
void lockf_fd_closed(struct file *fp, struct proc *p);
void lockf_proc_exit(struct proc *p);
void lockf_file_gone(struct file *fp);

#endif
