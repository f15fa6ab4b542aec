/*
 * Basic VM types and constants shared by every vm/ file.
 */
#ifndef VM_VM_H
#define VM_VM_H

#include "kern/types.h"

typedef uint64_t vm_pindex_t;	/* page index within an object */
typedef uint64_t vm_ooffset_t;	/* byte offset within an object */
typedef uint8_t vm_prot_t;

#define VM_PROT_NONE	0x0
#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXECUTE	0x4
#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

/* What a map entry becomes in a child at fork. */
#define VM_INHERIT_SHARE	0	/* child shares the object */
#define VM_INHERIT_COPY		1	/* child gets a copy-on-write copy */
#define VM_INHERIT_NONE		2	/* child gets nothing */

/* Access pattern advice (madvise), honoured by prefault and read-ahead. */
#define VM_ADVICE_NORMAL	0
#define VM_ADVICE_RANDOM	1
#define VM_ADVICE_SEQUENTIAL	2
#define VM_ADVICE_WILLNEED	3	/* requests, never stored in an entry */
#define VM_ADVICE_DONTNEED	4

/* Mach-style return codes of the map and fault layers. */
#define KERN_SUCCESS		0
#define KERN_INVALID_ADDRESS	1	/* no entry maps the address */
#define KERN_PROTECTION_FAILURE	2	/* entry forbids the access */
#define KERN_NO_SPACE		3	/* no room in the map */
#define KERN_INVALID_ARGUMENT	4
#define KERN_FAILURE		5
#define KERN_RESOURCE_SHORTAGE	6	/* out of memory */
#define KERN_OUT_OF_BOUNDS	7	/* beyond the end of a file */

struct vm_page;
struct vm_object;
struct vm_map;
struct vm_map_entry;
struct vmspace;

#endif
