/*
 * In-kernel tests of the VFS, ext2 and the vnode pager, through the same
 * path-level calls the system calls use.  The root file system (vda) and
 * the test images (vdc: 1 KiB blocks, vdd: 2 KiB blocks, vde: bad magic,
 * vdf: out-of-range block pointers, vdg: a ".." loop) are made by
 * scripts/mkfsimages.sh; every tree holds README, dir/sub/file.txt,
 * big.bin (300 KiB, each 8-byte word its own offset), hole.bin (a 200 KiB
 * hole between "start" and "end"), link -> dir/sub/file.txt, and a
 * dangling symlink.  Tests that change a tree undo their changes.
 */
#include "fs/ext2/ext2.h"
#include "fs/vnode.h"
#include "kern/fcntl.h"
#include "kern/ktest.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"

#define R	rootvnode

/* Read up to len bytes of path from offset into buf; returns bytes or -errno. */
static long
read_file(struct vnode *root, const char *path, uint64_t off, void *buf,
    size_t len)
{
	struct vnode *vp;
	struct uio uio = { .uio_base = buf, .uio_resid = len, .uio_offset = off };
	int error = vfs_open(root, root, path, O_RDONLY, 0, &vp);

	if (error != 0)
		return -error;
	error = vn_read(vp, &uio);
	vrele(vp);
	return error != 0 ? -error : (long)(len - uio.uio_resid);
}

static long
write_file(struct vnode *root, const char *path, int flags, uint64_t off,
    const void *buf, size_t len)
{
	struct vnode *vp;
	struct uio uio = { .uio_base = (void *)buf, .uio_resid = len,
	    .uio_offset = off };
	int error = vfs_open(root, root, path, O_WRONLY | flags, 0644, &vp);

	if (error != 0)
		return -error;
	error = vn_write(vp, &uio, (flags & O_APPEND) != 0);
	vrele(vp);
	return error != 0 ? -error : (long)(len - uio.uio_resid);
}

static bool
big_ok(const uint64_t *words, uint64_t off, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		if (words[i] != off + 8 * i)
			return false;
	return true;
}

/* The common checks of a test tree mounted at root. */
static void
tree_reads_ok(struct vnode *root, struct ktest_ctx *kt)
{
	char buf[64];
	uint64_t *words = kmalloc(300 * 1024, 0);

	KT_ASSERT(words != NULL);
	memset(buf, 0, sizeof(buf));
	KT_EQ(read_file(root, "/README", 0, buf, sizeof(buf)), 21);
	KT_ASSERT(strcmp(buf, "vmk test file system\n") == 0);
	KT_EQ(read_file(root, "/big.bin", 0, words, 300 * 1024), 300 * 1024);
	KT_ASSERT(big_ok(words, 0, 300 * 1024 / 8));
	KT_EQ(read_file(root, "/big.bin", 300 * 1024 - 8, buf, 64), 8);
	KT_EQ(read_file(root, "/link", 0, buf, sizeof(buf)), 26);
	KT_ASSERT(memcmp(buf, "hello from a subdirectory\n", 26) == 0);
	kfree(words);
}

KTEST(fs_root_reads, 0)
{
	struct vattr va;

	KT_ASSERT(rootvnode != NULL);
	KT_EQ(vfs_stat(R, R, "/", true, &va), 0);
	KT_EQ(va.va_mode & S_IFMT, S_IFDIR);
	tree_reads_ok(R, kt);
	if (kt->failed)
		return;
	KT_EQ(vfs_stat(R, R, "/big.bin", true, &va), 0);
	KT_EQ(va.va_size, 300 * 1024);
	KT_EQ(va.va_mode & S_IFMT, S_IFREG);
}

KTEST(fs_holes_read_as_zeros, 0)
{
	uint8_t *buf = kmalloc(200 * 1024 + 8, 0);

	KT_ASSERT(buf != NULL);
	KT_EQ(read_file(R, "/hole.bin", 0, buf, 200 * 1024 + 8), 200 * 1024 + 3);
	KT_ASSERT(memcmp(buf, "start", 5) == 0);
	for (int i = 5; i < 200 * 1024; i++)
		KT_EQ(buf[i], 0);
	KT_ASSERT(memcmp(buf + 200 * 1024, "end", 3) == 0);
	kfree(buf);
}

KTEST(fs_lookup_errors, 0)
{
	struct vattr va;
	char name[300];

	KT_EQ(vfs_stat(R, R, "/nope", true, &va), ENOENT);
	KT_EQ(vfs_stat(R, R, "/README/x", true, &va), ENOTDIR);
	KT_EQ(vfs_stat(R, R, "/README/", true, &va), ENOTDIR);
	KT_EQ(vfs_stat(R, R, "", true, &va), ENOENT);
	KT_EQ(vfs_stat(R, R, "/dangling", true, &va), ENOENT);
	KT_EQ(vfs_stat(R, R, "/dangling", false, &va), 0);
	KT_EQ(va.va_mode & S_IFMT, S_IFLNK);
	memset(name, 'a', sizeof(name));
	name[0] = '/';
	name[sizeof(name) - 1] = '\0';
	KT_EQ(vfs_stat(R, R, name, true, &va), ENAMETOOLONG);
	KT_EQ(vfs_stat(R, R, "/dir/sub/../../README", true, &va), 0);
	KT_EQ(vfs_stat(R, R, "/../../README", true, &va), 0);
	KT_EQ(vfs_stat(R, R, "dir/./sub//file.txt", true, &va), 0);
}

KTEST(fs_symlink_loops, 0)
{
	struct vattr va;
	char buf[32];
	size_t len;

	KT_EQ(vfs_symlink(R, R, "/tmp/loop2", "/tmp/loop1"), 0);
	KT_EQ(vfs_symlink(R, R, "/tmp/loop1", "/tmp/loop2"), 0);
	KT_EQ(vfs_stat(R, R, "/tmp/loop1", true, &va), ELOOP);
	KT_EQ(vfs_readlink(R, R, "/tmp/loop1", buf, sizeof(buf), &len), 0);
	KT_EQ(len, 10);
	KT_ASSERT(memcmp(buf, "/tmp/loop2", 10) == 0);
	KT_EQ(vfs_symlink(R, R, "x", "/tmp/loop1"), EEXIST);
	KT_EQ(vfs_readlink(R, R, "/README", buf, sizeof(buf), &len), EINVAL);
	KT_EQ(vfs_remove(R, R, "/tmp/loop1", false), 0);
	KT_EQ(vfs_remove(R, R, "/tmp/loop2", false), 0);
}

KTEST(fs_create_write_read_unlink, 0)
{
	uint8_t *data = kmalloc(20000, 0), *back = kmalloc(20000, 0);
	struct vattr va;

	KT_ASSERT(data != NULL && back != NULL);
	for (int i = 0; i < 20000; i++)
		data[i] = (uint8_t)(i * 31);
	KT_EQ(write_file(R, "/tmp/new", O_CREAT | O_EXCL, 0, data, 20000), 20000);
	KT_EQ(write_file(R, "/tmp/new", O_CREAT | O_EXCL, 0, data, 1), -EEXIST);
	KT_EQ(read_file(R, "/tmp/new", 0, back, 20000), 20000);
	KT_ASSERT(memcmp(data, back, 20000) == 0);
	/* Overwrite in the middle, across a page boundary. */
	KT_EQ(write_file(R, "/tmp/new", 0, 4090, "ABCDEFGHIJKL", 12), 12);
	KT_EQ(read_file(R, "/tmp/new", 4088, back, 16), 16);
	KT_ASSERT(memcmp(back + 2, "ABCDEFGHIJKL", 12) == 0);
	KT_EQ(back[0], data[4088]);
	/* Append. */
	KT_EQ(write_file(R, "/tmp/new", O_APPEND, 0, "tail", 4), 4);
	KT_EQ(vfs_stat(R, R, "/tmp/new", true, &va), 0);
	KT_EQ(va.va_size, 20004);
	KT_ASSERT(va.va_mtime.tv_sec > 0);
	KT_EQ(vfs_remove(R, R, "/tmp/new", false), 0);
	KT_EQ(vfs_stat(R, R, "/tmp/new", true, &va), ENOENT);
	KT_EQ(vfs_remove(R, R, "/tmp/new", false), ENOENT);
	kfree(data);
	kfree(back);
}

KTEST(fs_truncate, 0)
{
	char buf[16];

	KT_EQ(write_file(R, "/tmp/t", O_CREAT, 0, "0123456789", 10), 10);
	KT_EQ(write_file(R, "/tmp/t", O_TRUNC, 0, "ab", 2), 2);
	KT_EQ(read_file(R, "/tmp/t", 0, buf, 16), 2);
	KT_EQ(write_file(R, "/tmp/t", 0, 8, "z", 1), 1);	/* hole 2..8 */
	KT_EQ(read_file(R, "/tmp/t", 0, buf, 16), 9);
	KT_ASSERT(memcmp(buf, "ab\0\0\0\0\0\0z", 9) == 0);
	KT_EQ(vfs_remove(R, R, "/tmp/t", false), 0);
}

KTEST(fs_mkdir_rmdir, 0)
{
	struct vattr va;

	KT_EQ(vfs_mkdir(R, R, "/tmp/d", 0755), 0);
	KT_EQ(vfs_mkdir(R, R, "/tmp/d", 0755), EEXIST);
	KT_EQ(vfs_mkdir(R, R, "/tmp/nope/d", 0755), ENOENT);
	KT_EQ(write_file(R, "/tmp/d/f", O_CREAT, 0, "x", 1), 1);
	KT_EQ(vfs_remove(R, R, "/tmp/d", true), ENOTEMPTY);
	KT_EQ(vfs_remove(R, R, "/tmp/d", false), EISDIR);
	KT_EQ(vfs_remove(R, R, "/tmp/d/f", true), ENOTDIR);
	KT_EQ(vfs_stat(R, R, "/tmp/d", true, &va), 0);
	KT_EQ(va.va_nlink, 2);
	KT_EQ(vfs_remove(R, R, "/tmp/d/f", false), 0);
	KT_EQ(vfs_remove(R, R, "/tmp/d", true), 0);
	KT_EQ(vfs_remove(R, R, "/tmp/d", true), ENOENT);
	KT_EQ(vfs_remove(R, R, "/", true), EBUSY);
}

KTEST(fs_rename, 0)
{
	char buf[8];

	KT_EQ(vfs_mkdir(R, R, "/tmp/a", 0755), 0);
	KT_EQ(vfs_mkdir(R, R, "/tmp/a/b", 0755), 0);
	KT_EQ(write_file(R, "/tmp/f", O_CREAT, 0, "one", 3), 3);
	KT_EQ(write_file(R, "/tmp/g", O_CREAT, 0, "two", 3), 3);
	KT_EQ(vfs_rename(R, R, "/tmp/f", R, "/tmp/g", true), EEXIST);
	KT_EQ(vfs_rename(R, R, "/tmp/f", R, "/tmp/g", false), 0);	/* over g */
	KT_EQ(read_file(R, "/tmp/g", 0, buf, 8), 3);
	KT_ASSERT(memcmp(buf, "one", 3) == 0);
	KT_EQ(read_file(R, "/tmp/f", 0, buf, 8), -ENOENT);
	KT_EQ(vfs_rename(R, R, "/tmp/g", R, "/tmp/a/b/g", false), 0);	/* across */
	KT_EQ(vfs_rename(R, R, "/tmp/a", R, "/tmp/a/b/c", false), EINVAL);
	KT_EQ(vfs_rename(R, R, "/tmp/a/b", R, "/tmp/b2", false), 0);	/* a dir */
	KT_EQ(read_file(R, "/tmp/b2/g", 0, buf, 8), 3);
	KT_EQ(vfs_rename(R, R, "/tmp/a", R, "/tmp/b2", false), ENOTEMPTY);
	KT_EQ(vfs_remove(R, R, "/tmp/b2/g", false), 0);
	KT_EQ(vfs_rename(R, R, "/tmp/b2", R, "/tmp/a", false), 0);	/* over empty dir */
	KT_EQ(vfs_remove(R, R, "/tmp/a", true), 0);
	KT_EQ(vfs_rename(R, R, "/tmp/none", R, "/tmp/x", false), ENOENT);
}

struct listing {
	int n;
	bool saw_sub, saw_dot;
};

static int
list_one(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, uint64_t next)
{
	struct listing *l = arg;

	l->n++;
	if (len == 3 && memcmp(name, "sub", 3) == 0 && type == VDIR)
		l->saw_sub = true;
	if (len == 1 && name[0] == '.')
		l->saw_dot = true;
	return 0;
}

KTEST(fs_readdir, 0)
{
	struct vnode *vp;
	struct listing l = { 0 };
	uint64_t cookie = 0;

	KT_EQ(vfs_open(R, R, "/dir", O_RDONLY | O_DIRECTORY, 0, &vp), 0);
	sx_xlock(&vp->v_lock);
	KT_EQ(vp->v_ops->readdir(vp, &cookie, list_one, &l), 0);
	sx_xunlock(&vp->v_lock);
	vrele(vp);
	KT_EQ(l.n, 3);
	KT_ASSERT(l.saw_sub && l.saw_dot);
	KT_EQ(vfs_open(R, R, "/README", O_RDONLY | O_DIRECTORY, 0, &vp), ENOTDIR);
	KT_EQ(vfs_open(R, R, "/dir", O_WRONLY, 0, &vp), EISDIR);
}

/* Other block sizes: 1 KiB (double indirect blocks for big.bin) and 2 KiB. */
static void
check_block_size(struct ktest_ctx *kt, const char *dev, uint32_t bsize)
{
	struct mount *mp;
	struct vnode *r;
	uint8_t *data = kmalloc(100000, 0), *back = kmalloc(100000, 0);

	KT_ASSERT(data != NULL && back != NULL);
	KT_EQ(vfs_mount(dev, "ext2", false, &mp), 0);
	KT_EQ(mp->mnt_bsize, bsize);
	r = mp->mnt_root;
	tree_reads_ok(r, kt);
	if (kt->failed)
		return;
	for (int i = 0; i < 100000; i++)
		data[i] = (uint8_t)(i ^ (i >> 8));
	KT_EQ(write_file(r, "/tmp/w", O_CREAT, 0, data, 100000), 100000);
	KT_EQ(vfs_unmount(mp), 0);
	/* Back from disk after a remount. */
	KT_EQ(vfs_mount(dev, "ext2", false, &mp), 0);
	r = mp->mnt_root;
	KT_EQ(read_file(r, "/tmp/w", 0, back, 100000), 100000);
	KT_ASSERT(memcmp(data, back, 100000) == 0);
	KT_EQ(vfs_remove(r, r, "/tmp/w", false), 0);
	KT_EQ(vfs_unmount(mp), 0);
	kfree(data);
	kfree(back);
}

KTEST(fs_block_size_1k, 0)
{
	check_block_size(kt, "vdc", 1024);
}

KTEST(fs_block_size_2k, 0)
{
	check_block_size(kt, "vdd", 2048);
}

KTEST(fs_damaged_images, 0)
{
	struct mount *mp;
	struct vattr va;
	char buf[8];
	struct vnode *r;

	KT_EQ(vfs_mount("vde", "ext2", false, &mp), EINVAL);	/* bad magic */
	KT_EQ(vfs_mount("vdz", "ext2", false, &mp), ENODEV);
	KT_EQ(vfs_mount("vdf", "ext2", false, &mp), 0);	/* bad block pointers */
	r = mp->mnt_root;
	KT_EQ(read_file(r, "/README", 0, buf, sizeof(buf)), -EIO);
	KT_EQ(vfs_stat(r, r, "/dir/sub/file.txt", true, &va), EIO);
	KT_EQ(vfs_unmount(mp), 0);
	KT_EQ(vfs_mount("vdg", "ext2", false, &mp), 0);	/* ".." loop */
	r = mp->mnt_root;
	KT_EQ(vfs_mkdir(r, r, "/x", 0755), 0);
	KT_EQ(vfs_rename(r, r, "/x", r, "/dir/sub/x", false), EIO);
	KT_EQ(vfs_remove(r, r, "/x", true), 0);
	KT_EQ(vfs_unmount(mp), 0);
}

/*
 * read()/write() and mmap share the same pages: a write through one is
 * seen through the other at once, a private mapping's writes never reach
 * the file, and a shared mapping's writes reach the disk on fsync.
 */
#include "kern/uaccess.h"
#include "vm/vm_map.h"
#include "vm/vm_param.h"

#define MAPBASE	0x20000000UL

static struct vmspace *
map_file(struct vnode *vp, size_t len, bool shared)
{
	struct vmspace *vm = vmspace_alloc(PAGE_SIZE, VM_MAXUSER_ADDRESS);
	struct vm_object *object = vn_object(vp);
	vaddr_t addr = MAPBASE;

	if (vm == NULL || object == NULL)
		return NULL;
	vm_object_reference(object);
	if (vm_map_find(&vm->vm_map, object, 0, &addr, round_page(len), true,
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
	    shared ? MAP_INHERIT_SHARE : MAP_COPY_ON_WRITE | MAP_NEEDS_COPY) !=
	    KERN_SUCCESS) {
		vm_object_deallocate(object);
		vmspace_free(vm);
		return NULL;
	}
	vmspace_activate(vm);
	return vm;
}

static void
unmap_file(struct vmspace *vm)
{
	vmspace_activate(NULL);
	vmspace_free(vm);
}

KTEST(fs_mmap_shares_pages_with_read_write, 0)
{
	struct vnode *vp;
	struct vmspace *vm;
	char buf[8];
	struct vmmeter before, after;

	KT_EQ(write_file(R, "/tmp/m", O_CREAT, 0, "abcdefgh", 8), 8);
	KT_EQ(write_file(R, "/tmp/m", 0, 8192, "Z", 1), 1);	/* 3 pages */
	KT_EQ(vfs_open(R, R, "/tmp/m", O_RDWR, 0, &vp), 0);
	vm = map_file(vp, 8193, true);
	KT_ASSERT(vm != NULL);
	vm_meter_sum(&before);
	KT_EQ(copyin((void *)MAPBASE, buf, 8), 0);		/* read fault */
	KT_ASSERT(memcmp(buf, "abcdefgh", 8) == 0);
	KT_EQ(write_file(R, "/tmp/m", 0, 2, "XY", 2), 2);	/* write(), then */
	KT_EQ(copyin((void *)MAPBASE, buf, 8), 0);		/* seen in the map */
	KT_ASSERT(memcmp(buf, "abXYefgh", 8) == 0);
	KT_EQ(copyout("mm", (void *)(MAPBASE + 4), 2), 0);	/* store, then */
	KT_EQ(read_file(R, "/tmp/m", 0, buf, 8), 8);		/* seen by read() */
	KT_ASSERT(memcmp(buf, "abXYmmgh", 8) == 0);
	KT_EQ(copyin((void *)(MAPBASE + 8192), buf, 1), 0);
	KT_EQ(buf[0], 'Z');
	/* Past the end of the file, but inside the mapping: SIGBUS territory. */
	KT_EQ(copyin((void *)(MAPBASE + 3 * PAGE_SIZE), buf, 1), EFAULT);
	vm_meter_sum(&after);
	KT_ASSERT(after.v_vm_faults > before.v_vm_faults);
	KT_EQ(after.v_cow_faults, before.v_cow_faults);
	/* Shrinking the file unmaps the pages past the new end. */
	KT_EQ(vn_truncate(vp, 100), 0);
	KT_EQ(copyin((void *)(MAPBASE + 8192), buf, 1), EFAULT);
	KT_EQ(copyin((void *)(MAPBASE + 100), buf, 1), 0);
	KT_EQ(buf[0], 0);					/* zeroed tail */
	unmap_file(vm);
	vrele(vp);
	KT_EQ(vfs_remove(R, R, "/tmp/m", false), 0);
}

KTEST(fs_private_mapping_leaves_file_unchanged, 0)
{
	struct vnode *vp;
	struct vmspace *vm;
	char buf[8];
	struct vmmeter before, after;

	KT_EQ(write_file(R, "/tmp/p", O_CREAT, 0, "original", 8), 8);
	KT_EQ(vfs_open(R, R, "/tmp/p", O_RDONLY, 0, &vp), 0);
	vm = map_file(vp, 8, false);
	KT_ASSERT(vm != NULL);
	vm_meter_sum(&before);
	KT_EQ(copyout("COPY", (void *)MAPBASE, 4), 0);	/* COW off the file */
	vm_meter_sum(&after);
	KT_EQ(after.v_cow_faults - before.v_cow_faults, 1);
	KT_EQ(after.v_cow_optim - before.v_cow_optim, 0);	/* never rename a file page */
	KT_EQ(copyin((void *)MAPBASE, buf, 8), 0);
	KT_ASSERT(memcmp(buf, "COPYinal", 8) == 0);
	KT_EQ(read_file(R, "/tmp/p", 0, buf, 8), 8);
	KT_ASSERT(memcmp(buf, "original", 8) == 0);
	unmap_file(vm);
	vrele(vp);
	KT_EQ(read_file(R, "/tmp/p", 0, buf, 8), 8);
	KT_ASSERT(memcmp(buf, "original", 8) == 0);
	KT_EQ(vfs_remove(R, R, "/tmp/p", false), 0);
}

/* A shared mapping's stores reach the disk: check after a remount. */
KTEST(fs_shared_mapping_written_back, 0)
{
	struct mount *mp;
	struct vnode *vp, *r;
	struct vmspace *vm;
	char buf[8];
	struct vmmeter before, after;

	KT_EQ(vfs_mount("vdc", "ext2", false, &mp), 0);
	r = mp->mnt_root;
	KT_EQ(write_file(r, "/tmp/s", O_CREAT, 0, "........", 8), 8);
	KT_EQ(vfs_open(r, r, "/tmp/s", O_RDWR, 0, &vp), 0);
	vm = map_file(vp, 8, true);
	KT_ASSERT(vm != NULL);
	KT_EQ(copyout("shared!", (void *)MAPBASE, 7), 0);
	vm_meter_sum(&before);
	KT_EQ(vn_fsync(vp), 0);
	vm_meter_sum(&after);
	KT_EQ(after.v_vnodepgsout - before.v_vnodepgsout, 1);
	unmap_file(vm);
	vrele(vp);
	KT_EQ(vfs_unmount(mp), 0);
	KT_EQ(vfs_mount("vdc", "ext2", false, &mp), 0);
	r = mp->mnt_root;
	vm_meter_sum(&before);
	KT_EQ(read_file(r, "/tmp/s", 0, buf, 8), 8);
	vm_meter_sum(&after);
	KT_ASSERT(memcmp(buf, "shared!.", 8) == 0);
	KT_EQ(after.v_vnodein - before.v_vnodein, 1);
	KT_EQ(vfs_remove(r, r, "/tmp/s", false), 0);
	KT_EQ(vfs_unmount(mp), 0);
}

/*
 * The largest file ext2 holds for each block size: Linux's s_maxbytes
 * (fs/ext2/super.c ext2_max_size gives these), and 2 GiB - 1 on a
 * revision 0 file system.
 */
KTEST(fs_ext2_max_file_size, 0)
{
	struct mount *mp;

	KT_EQ(ext2_max_file_size(1024, 1), 17247252480ULL);
	KT_EQ(ext2_max_file_size(2048, 1), 275415851008ULL);
	KT_EQ(ext2_max_file_size(4096, 1), 2196873666560ULL);
	KT_EQ(ext2_max_file_size(4096, 0), 0x7fffffffULL);
	KT_EQ(rootmount->mnt_maxsize, 2196873666560ULL);
	KT_EQ(vfs_mount("vdc", "ext2", false, &mp), 0);
	KT_EQ(mp->mnt_maxsize, 17247252480ULL);
	KT_EQ(vfs_unmount(mp), 0);
}

/*
 * Sizes up to the limit and not past it; a write is cut short there.  A
 * file of 2 GiB or more sets the large-file flag if the file system lacks
 * it (here cleared by hand in memory).
 */
KTEST(fs_file_size_limit, 0)
{
	struct mount *mp;
	struct ext2_mount *e2;
	struct vnode *vp;
	uint64_t max;

	KT_EQ(vfs_mount("vdc", "ext2", false, &mp), 0);
	e2 = mp->mnt_data;
	max = mp->mnt_maxsize;
	KT_EQ(vfs_open(mp->mnt_root, mp->mnt_root, "/tmp/big", O_RDWR | O_CREAT,
	    0644, &vp), 0);
	KT_EQ(vn_truncate(vp, max + 1), EFBIG);
	KT_EQ(vn_truncate(vp, 1ULL << 62), EFBIG);
	KT_EQ(vp->v_size, 0);
	e2->e2_sb.s_feature_ro_compat &= ~EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	KT_EQ(vn_truncate(vp, EXT2_MAX_SMALL_FILE), 0);
	KT_ASSERT(!(e2->e2_sb.s_feature_ro_compat &
	    EXT2_FEATURE_RO_COMPAT_LARGE_FILE));
	KT_EQ(vn_truncate(vp, max), 0);
	KT_ASSERT(e2->e2_sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
	KT_EQ(vn_truncate(vp, 0), 0);
	vrele(vp);
	KT_EQ(write_file(mp->mnt_root, "/tmp/big", 0, max - 1, "ab", 2), 1);
	KT_EQ(write_file(mp->mnt_root, "/tmp/big", 0, max, "ab", 2), -EFBIG);
	KT_EQ(vfs_remove(mp->mnt_root, mp->mnt_root, "/tmp/big", false), 0);
	KT_EQ(vfs_unmount(mp), 0);
}

/* The vnode path names, referenced (NULL if the lookup fails). */
static struct vnode *
lookup_path(const char *path)
{
	struct nameidata nd;

	return namei(R, R, path, LOOKUP_FOLLOW, &nd) == 0 ? nd.ni_vp : NULL;
}

/*
 * Mount points: the scratch image vdc mounted on /mnt_kt.  Lookup
 * crosses into its root and ".." back out, getcwd names paths across the
 * mount, and a busy, covered or foreign name gets Linux's errors.
 */
KTEST(fs_mount_points, 0)
{
	struct vnode *dir, *vp, *sub;
	struct vattr va;
	char buf[64];
	size_t len;

	KT_EQ(vfs_mkdir(R, R, "/mnt_kt", 0755), 0);
	dir = lookup_path("/mnt_kt");
	KT_ASSERT(dir != NULL);
	KT_EQ(vfs_mount_at(dir, "vdc", "nosuchfs", 0, NULL), ENODEV);
	KT_EQ(vfs_mount_at(dir, "vdz", "ext2", 0, NULL), ENOENT);
	KT_EQ(vfs_mount_at(dir, "vda", "ext2", 0, NULL), EBUSY);	/* root's */
	vp = lookup_path("/README");
	KT_EQ(vfs_mount_at(vp, "vdc", "ext2", 0, NULL), ENOTDIR);
	vrele(vp);
	KT_EQ(vfs_mount_at(dir, "vdc", "ext2", 0, NULL), 0);	/* takes dir */
	KT_EQ(vfs_stat(R, R, "/mnt_kt", true, &va), 0);
	KT_EQ(va.va_ino, EXT2_ROOT_INO);
	KT_EQ(va.va_dev, MKDEV(254, 32));
	KT_EQ(vfs_stat(R, R, "/mnt_kt/dir/sub/../../README", true, &va), 0);
	vp = lookup_path("/mnt_kt/dir/../..");
	KT_ASSERT(vp == R);
	vrele(vp);
	sub = lookup_path("/mnt_kt/dir/sub");
	KT_ASSERT(sub != NULL);
	KT_EQ(vfs_getcwd(R, sub, buf, sizeof(buf), &len), 0);
	KT_ASSERT(strcmp(buf, "/mnt_kt/dir/sub") == 0);
	vp = lookup_path("/mnt_kt");
	KT_EQ(vfs_unmount_at(vp, false), EBUSY);	/* sub is held */
	vrele(sub);
	vp = lookup_path("/mnt_kt");
	KT_EQ(vfs_mount_at(vp, "vdd", "ext2", 0, NULL), EBUSY);
	vrele(vp);
	vp = lookup_path("/mnt_kt/dir");
	KT_EQ(vfs_unmount_at(vp, false), EINVAL);	/* not a mount's root */
	KT_EQ(vfs_remove(R, R, "/mnt_kt", true), EBUSY);
	KT_EQ(vfs_rename(R, R, "/mnt_kt", R, "/mnt_kt2", false), EBUSY);
	KT_EQ(vfs_rename(R, R, "/mnt_kt/README", R, "/README.kt", false), EXDEV);
	vp = lookup_path("/");
	KT_EQ(vfs_unmount_at(vp, false), EBUSY);	/* the root */
	vp = lookup_path("/mnt_kt");
	KT_EQ(vfs_unmount_at(vp, false), 0);
	KT_EQ(vfs_stat(R, R, "/mnt_kt/README", true, &va), ENOENT);
	KT_EQ(vfs_remove(R, R, "/mnt_kt", true), 0);
}
