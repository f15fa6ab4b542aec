/*
 * The file layer under vm/vnode_pager.c and vm/vm_mmap.c, faked for the
 * host tests (see file_host.c): regular files on an in-memory disk, found
 * through the vnode operations and block I/O the vnode pager uses (bmap,
 * blk_io), descriptors for mmap, and the current process the system calls
 * act on.
 *
 * What a test sees of a file: file_host_store() and file_host_load() read
 * and write the disk directly, as if the file had been written before (or
 * as fsck would look at it afterwards), bypassing the page cache.  Every
 * other access goes through the file's VM object, as in the kernel.
 */
#ifndef TESTS_HOST_FILE_HOST_H
#define TESTS_HOST_FILE_HOST_H

#include "fs/vnode.h"
#include "vm/vm_map.h"

/* Four blocks per page: a page's blocks may be partly holes, and need
 * not lie next to each other on the disk. */
#define FILE_HOST_BSIZE		1024
#define FILE_HOST_DISK_BLOCKS	2048

void file_host_disk_reset(uint64_t seed);
uint64_t file_host_blocks_used(void);

struct vnode *file_host_create(uint64_t size);
void file_host_store(struct vnode *vp, uint64_t off, const void *buf,
    size_t len);
void file_host_load(struct vnode *vp, uint64_t off, void *buf, size_t len);
void file_host_uncache(struct vnode *vp);
void file_host_fail_reads(struct vnode *vp, uint64_t off);
void file_host_destroy(struct vnode *vp);

int file_host_open(struct vnode *vp, int flags);
void file_host_name(int fd, const char *path);
void file_host_close(int fd);

void file_host_set_vmspace(struct vmspace *vm);
struct vmspace *file_host_new_vmspace(void);

#endif
