/*
 * File-related flags and constants with Linux's values (the riscv64 ABI
 * uses the asm-generic definitions).
 */
#ifndef KERN_FCNTL_H
#define KERN_FCNTL_H

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define FASYNC		00020000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000	/* open() sets it on 64-bit systems */
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define O_PATH		010000000
#define O_SYNC		04010000
#define O_TMPFILE_BIT	020000000	/* Linux's __O_TMPFILE */

/* The flags open() knows; it drops the others (Linux's VALID_OPEN_FLAGS). */
#define O_VALID		(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
    O_APPEND | O_NONBLOCK | O_SYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
    O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE_BIT)

#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_EMPTY_PATH		0x1000

#define RENAME_NOREPLACE	1

/* faccessat modes */
#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

#endif
