/*
 * Basic kernel types shared by machine-independent code and the host test
 * build.  Only the compiler's freestanding headers are used here.
 */
#ifndef KERN_TYPES_H
#define KERN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint64_t paddr_t;	/* physical address */
typedef uint64_t vaddr_t;	/* virtual address */
typedef uint64_t uaddr_t;	/* user address: reached only by copyin/copyout */
typedef uint64_t vsize_t;	/* size of a virtual range */
typedef uint64_t psize_t;	/* size of a physical range */

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define roundup2(x, y)	(((x) + ((y) - 1)) & ~((__typeof__(x))(y) - 1))
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __printflike(f, a) __attribute__((format(printf, f, a)))
#define __aligned(n)	__attribute__((aligned(n)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __packed	__attribute__((packed))

#endif
