/*
 * ext2 vnode operations.  The vfs layer holds the vnode locks these
 * functions need (see fs/vnode.h); file data is read and written by the
 * vnode pager through ext2_vop_bmap.
 */
#include "fs/buf.h"
#include "fs/ext2/ext2.h"

#define EXT2_FAST_SYMLINK_MAX	(EXT2_N_BLOCKS * 4)

static enum vtype
mode_to_vtype(uint16_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return VREG;
	case S_IFDIR:
		return VDIR;
	case S_IFLNK:
		return VLNK;
	case S_IFCHR:
		return VCHR;
	case S_IFBLK:
		return VBLK;
	case S_IFIFO:
		return VFIFO;
	case S_IFSOCK:
		return VSOCK;
	default:
		return VNON;
	}
}

static uint8_t
mode_to_ft(uint16_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG_FILE;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFLNK:
		return EXT2_FT_SYMLINK;
	case S_IFCHR:
		return EXT2_FT_CHRDEV;
	case S_IFBLK:
		return EXT2_FT_BLKDEV;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

/*
 * Fill vp (fresh, not yet visible to anyone) from inode ino.  Called by
 * vget through the vfs ops.  Returns 0, EIO, or ENOMEM.
 */
int
ext2_vget(struct mount *mp, uint64_t ino, struct vnode *vp)
{
	struct ext2_mount *e2 = mp->mnt_data;
	struct ext2_inode *ip = kmalloc(sizeof(*ip), M_ZERO);
	int error;

	if (ip == NULL)
		return ENOMEM;
	if (ino > UINT32_MAX || (error = ext2_read_inode(e2, (uint32_t)ino,
	    &ip->i_din)) != 0) {
		kfree(ip);
		return ino > UINT32_MAX ? EIO : error;
	}
	if (ip->i_din.i_links_count == 0 || mode_to_vtype(ip->i_din.i_mode) == VNON) {
		kprintf("ext2 %s: inode %lu is not in use (mode %#o links %u)\n",
		    e2->e2_dev->name, ino, ip->i_din.i_mode, ip->i_din.i_links_count);
		kfree(ip);
		return EIO;
	}
	ip->i_e2 = e2;
	ip->i_ino = (uint32_t)ino;
	ip->i_vnode = vp;
	sx_init(&ip->i_bmap_lock, "ext2_bmap");
	vp->v_data = ip;
	vp->v_type = mode_to_vtype(ip->i_din.i_mode);
	vp->v_size = ext2_isize(&ip->i_din);
	vp->v_ops = &ext2_vnode_ops;
	return 0;
}

static int
ext2_vop_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	uint32_t ino;
	int error = ext2_dir_lookup(VTOI(dvp), name, len, &ino, NULL);

	if (error != 0)
		return error;
	return vget(dvp->v_mount, ino, vpp);
}

/*
 * Make a new inode of `mode` with one link and its vnode, without a
 * directory entry yet.  Returns 0 with *vpp referenced.
 */
static int
ext2_make_inode(struct vnode *dvp, uint32_t mode, struct vnode **vpp)
{
	struct ext2_inode *dp = VTOI(dvp), *ip;
	struct ext2_mount *e2 = dp->i_e2;
	struct ext2_dinode din;
	uint32_t ino, now = ext2_now();
	int error;

	if (dvp->v_mount->mnt_rdonly)
		return EROFS;
	error = ext2_ialloc(e2, dp->i_ino, (mode & S_IFMT) == S_IFDIR, &ino);
	if (error != 0)
		return error;
	memset(&din, 0, sizeof(din));
	din.i_mode = (uint16_t)mode;
	din.i_links_count = 1;
	din.i_atime = din.i_ctime = din.i_mtime = now;
	/* Write the new inode out so that vget finds it. */
	{
		struct ext2_inode tmp = { .i_e2 = e2, .i_ino = ino, .i_din = din };

		error = ext2_write_inode(&tmp);
	}
	if (error == 0)
		error = vget(dvp->v_mount, ino, vpp);
	if (error != 0) {
		ext2_ifree(e2, ino, (mode & S_IFMT) == S_IFDIR);
		return error;
	}
	ip = VTOI(*vpp);
	ip->i_dirty = true;
	return 0;
}

/* Undo ext2_make_inode after a later step failed. */
static void
ext2_unmake_inode(struct vnode *vp)
{
	VTOI(vp)->i_din.i_links_count = 0;
	vrele(vp);
}

static int
ext2_vop_create(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	int error = ext2_make_inode(dvp, S_IFREG | (mode & 07777), vpp);

	if (error != 0)
		return error;
	error = ext2_dir_add(VTOI(dvp), name, len, VTOI(*vpp)->i_ino,
	    EXT2_FT_REG_FILE);
	if (error == 0)
		error = ext2_write_inode(VTOI(*vpp));
	if (error != 0)
		ext2_unmake_inode(*vpp);
	return error;
}

static int
ext2_vop_mkdir(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	struct ext2_inode *dp = VTOI(dvp), *ip;
	int error;

	if (dp->i_din.i_links_count >= 32000)
		return EMLINK;
	error = ext2_make_inode(dvp, S_IFDIR | (mode & 07777), vpp);
	if (error != 0)
		return error;
	ip = VTOI(*vpp);
	ip->i_din.i_links_count = 2;		/* its entry and its "." */
	error = ext2_dir_init(ip, dp->i_ino);
	if (error == 0)
		error = ext2_dir_add(dp, name, len, ip->i_ino, EXT2_FT_DIR);
	if (error != 0) {
		sx_xlock(&ip->i_bmap_lock);
		ext2_truncate_blocks(ip, 0);
		sx_xunlock(&ip->i_bmap_lock);
		ext2_unmake_inode(*vpp);
		return error;
	}
	dp->i_din.i_links_count++;		/* the new ".." */
	dp->i_dirty = true;
	ext2_write_inode(ip);
	return ext2_write_inode(dp);
}

static int
ext2_vop_symlink(struct vnode *dvp, const char *name, size_t len,
    const char *target, struct vnode **vpp)
{
	size_t tlen = strlen(target);
	struct ext2_inode *ip;
	int error;

	if (tlen == 0 || tlen >= PATH_MAX)
		return tlen == 0 ? ENOENT : ENAMETOOLONG;
	error = ext2_make_inode(dvp, S_IFLNK | 0777, vpp);
	if (error != 0)
		return error;
	ip = VTOI(*vpp);
	if (tlen < EXT2_FAST_SYMLINK_MAX) {
		memcpy(ip->i_din.i_block, target, tlen);
	} else {
		uint64_t pblk;
		struct buf *bp;

		sx_xlock(&ip->i_bmap_lock);
		error = ext2_bmap(ip, 0, true, &pblk);
		sx_xunlock(&ip->i_bmap_lock);
		if (error == 0 && tlen > ip->i_e2->e2_bsize)
			error = ENAMETOOLONG;
		if (error == 0 && (bp = bget_zero(ip->i_e2->e2_dev, pblk,
		    ip->i_e2->e2_bsize)) != NULL) {
			memcpy(bp->b_data, target, tlen);
			bdwrite(bp);
		} else if (error == 0) {
			error = ENOMEM;
		}
	}
	ext2_set_isize(&ip->i_din, tlen);
	(*vpp)->v_size = tlen;
	if (error == 0)
		error = ext2_dir_add(VTOI(dvp), name, len, ip->i_ino,
		    EXT2_FT_SYMLINK);
	if (error == 0)
		error = ext2_write_inode(ip);
	if (error != 0)
		ext2_unmake_inode(*vpp);
	return error;
}

/* The owner's and group's high 16 bits, in Linux's osd2 layout. */
#define OSD2_UID_HIGH	4
#define OSD2_GID_HIGH	6

static uint32_t
ext2_id(uint16_t low, const uint8_t *osd2, int at)
{
	return low | (uint32_t)(osd2[at] | osd2[at + 1] << 8) << 16;
}

static void
ext2_set_id(uint16_t *low, uint8_t *osd2, int at, uint32_t id)
{
	*low = (uint16_t)id;
	osd2[at] = (uint8_t)(id >> 16);
	osd2[at + 1] = (uint8_t)(id >> 24);
}

/*
 * A device node keeps its number in i_block as Linux's ext2 does: in the
 * old 16-bit form in i_block[0] when major and minor fit in a byte each,
 * else in the new form in i_block[1] (i_block[0] zero).  The new form is
 * the user-space encoding (MKDEV) truncated to 32 bits.
 */
static void
ext2_set_rdev(struct ext2_dinode *din, uint32_t rdev)
{
	uint32_t major = DEV_MAJOR(rdev), minor = DEV_MINOR(rdev);

	if (major < 256 && minor < 256)
		din->i_block[0] = major << 8 | minor;
	else
		din->i_block[1] = rdev;
}

static uint32_t
ext2_rdev(const struct ext2_dinode *din)
{
	if (din->i_block[0] != 0)
		return MKDEV((din->i_block[0] >> 8) & 0xff, din->i_block[0] & 0xff);
	return din->i_block[1];
}

static bool
is_device(uint32_t mode)
{
	return (mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK;
}

static int
ext2_vop_mknod(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    uint32_t rdev, struct vnode **vpp)
{
	int error = ext2_make_inode(dvp, mode & (S_IFMT | 07777), vpp);

	if (error != 0)
		return error;
	if (is_device(mode))
		ext2_set_rdev(&VTOI(*vpp)->i_din, rdev);
	error = ext2_dir_add(VTOI(dvp), name, len, VTOI(*vpp)->i_ino,
	    mode_to_ft((uint16_t)mode));
	if (error == 0)
		error = ext2_write_inode(VTOI(*vpp));
	if (error != 0)
		ext2_unmake_inode(*vpp);
	return error;
}

static int
ext2_vop_readlink(struct vnode *vp, char *buf, size_t size, size_t *len)
{
	struct ext2_inode *ip = VTOI(vp);
	uint64_t tlen = ext2_isize(&ip->i_din), pblk;
	struct buf *bp;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	*len = MIN(tlen, size);
	if (tlen < EXT2_FAST_SYMLINK_MAX && ip->i_din.i_blocks == 0) {
		memcpy(buf, ip->i_din.i_block, *len);
		return 0;
	}
	if (tlen > ip->i_e2->e2_bsize)
		return EIO;
	sx_slock(&ip->i_bmap_lock);
	error = ext2_bmap(ip, 0, false, &pblk);
	sx_sunlock(&ip->i_bmap_lock);
	if (error == 0 && pblk == 0)
		error = EIO;
	if (error == 0)
		error = bread(ip->i_e2->e2_dev, pblk, ip->i_e2->e2_bsize, &bp);
	if (error != 0)
		return error;
	memcpy(buf, bp->b_data, *len);
	brelse(bp);
	return 0;
}

/* Drop one link of vp (its entry is gone); the inode dies at inactive. */
static void
drop_link(struct vnode *vp)
{
	struct ext2_inode *ip = VTOI(vp);

	if (ip->i_din.i_links_count > 0)
		ip->i_din.i_links_count--;
	ip->i_din.i_ctime = ext2_now();
	ip->i_dirty = true;
	ext2_write_inode(ip);
}

static int
ext2_vop_unlink(struct vnode *dvp, const char *name, size_t len)
{
	struct vnode *vp;
	int error = ext2_vop_lookup(dvp, name, len, &vp);

	if (error != 0)
		return error;
	if (vp->v_type == VDIR) {
		vrele(vp);
		return EISDIR;
	}
	error = ext2_dir_remove(VTOI(dvp), name, len);
	if (error == 0)
		drop_link(vp);
	vrele(vp);
	return error;
}

static int
ext2_vop_rmdir(struct vnode *dvp, const char *name, size_t len)
{
	struct ext2_inode *dp = VTOI(dvp);
	struct vnode *vp;
	bool empty;
	int error;

	if (name_is_dot_or_dotdot(name, len))
		return len == 1 ? EINVAL : ENOTEMPTY;
	error = ext2_vop_lookup(dvp, name, len, &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else if (vp == vp->v_mount->mnt_root)
		error = EBUSY;
	if (error == 0)
		error = ext2_dir_isempty(VTOI(vp), &empty);
	if (error == 0 && !empty)
		error = ENOTEMPTY;
	if (error == 0)
		error = ext2_dir_remove(dp, name, len);
	if (error == 0) {
		VTOI(vp)->i_din.i_links_count = 0;
		VTOI(vp)->i_dirty = true;
		ext2_write_inode(VTOI(vp));
		dp->i_din.i_links_count--;	/* its ".." */
		dp->i_dirty = true;
		ext2_write_inode(dp);
	}
	vrele(vp);
	return error;
}

/*
 * Is directory ancestor the directory dvp or above it?  Walks ".." up to
 * the root, at most EXT2_MAX_DIR_DEPTH steps: a longer walk means the
 * tree has a loop, reported as EIO.
 */
static int
ext2_is_ancestor(struct vnode *ancestor, struct vnode *dvp, bool *result)
{
	struct ext2_mount *e2 = VTOI(dvp)->i_e2;
	uint32_t ino = VTOI(dvp)->i_ino;

	*result = false;
	for (int depth = 0; depth < EXT2_MAX_DIR_DEPTH; depth++) {
		struct ext2_inode tmp = { .i_e2 = e2 };
		uint32_t parent;
		int error;

		if (ino == VTOI(ancestor)->i_ino) {
			*result = true;
			return 0;
		}
		if (ino == EXT2_ROOT_INO)
			return 0;
		tmp.i_ino = ino;
		sx_init(&tmp.i_bmap_lock, "ext2_walk");
		error = ext2_read_inode(e2, ino, &tmp.i_din);
		if (error == 0)
			error = ext2_dir_lookup(&tmp, "..", 2, &parent, NULL);
		if (error != 0)
			return error;
		ino = parent;
	}
	kprintf("ext2 %s: directory loop above inode %u\n", e2->e2_dev->name,
	    VTOI(dvp)->i_ino);
	return EIO;
}

/* Checks before renaming fvp over tvp (which may be NULL). */
static int
rename_check(struct vnode *fvp, struct vnode *tvp, struct vnode *tdvp)
{
	bool inside, empty;
	int error;

	if (fvp->v_type == VDIR) {
		error = ext2_is_ancestor(fvp, tdvp, &inside);
		if (error != 0)
			return error;
		if (inside)
			return EINVAL;	/* into its own subtree */
	}
	if (tvp == NULL)
		return 0;
	if (fvp->v_type == VDIR && tvp->v_type != VDIR)
		return ENOTDIR;
	if (fvp->v_type != VDIR && tvp->v_type == VDIR)
		return EISDIR;
	if (tvp->v_type == VDIR) {
		error = ext2_dir_isempty(VTOI(tvp), &empty);
		if (error == 0 && !empty)
			error = ENOTEMPTY;
		return error;
	}
	return 0;
}

/*
 * Rename fdvp/fname to tdvp/tname, replacing an existing target.  The vfs
 * layer holds both directory locks (one if they are the same).
 */
static int
ext2_vop_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *tdvp, const char *tname, size_t tlen)
{
	struct vnode *fvp, *tvp = NULL;
	struct ext2_inode *fip;
	uint8_t ft;
	int error = ext2_vop_lookup(fdvp, fname, flen, &fvp);

	if (error != 0)
		return error;
	error = ext2_vop_lookup(tdvp, tname, tlen, &tvp);
	if (error == ENOENT) {
		tvp = NULL;
		error = 0;
	}
	if (error == 0 && fvp == tvp)
		goto out;		/* same file: nothing to do */
	if (error == 0)
		error = rename_check(fvp, tvp, tdvp);
	if (error != 0)
		goto out;
	fip = VTOI(fvp);
	ft = mode_to_ft(fip->i_din.i_mode);
	if (tvp != NULL) {
		error = ext2_dir_set(VTOI(tdvp), tname, tlen, fip->i_ino, ft);
		if (error == 0) {
			if (tvp->v_type == VDIR) {
				VTOI(tvp)->i_din.i_links_count = 0;
				VTOI(tvp)->i_dirty = true;
				ext2_write_inode(VTOI(tvp));
				VTOI(tdvp)->i_din.i_links_count--;
			} else {
				drop_link(tvp);
			}
		}
	} else {
		error = ext2_dir_add(VTOI(tdvp), tname, tlen, fip->i_ino, ft);
	}
	if (error == 0)
		error = ext2_dir_remove(VTOI(fdvp), fname, flen);
	if (error == 0 && fvp->v_type == VDIR && fdvp != tdvp) {
		error = ext2_dir_set(fip, "..", 2, VTOI(tdvp)->i_ino, EXT2_FT_DIR);
		VTOI(fdvp)->i_din.i_links_count--;
		VTOI(tdvp)->i_din.i_links_count++;
	}
	if (error == 0) {
		fip->i_din.i_ctime = ext2_now();
		fip->i_dirty = true;
		ext2_write_inode(fip);
		VTOI(fdvp)->i_dirty = VTOI(tdvp)->i_dirty = true;
		ext2_write_inode(VTOI(fdvp));
		error = ext2_write_inode(VTOI(tdvp));
	}
out:
	if (tvp != NULL)
		vrele(tvp);
	vrele(fvp);
	return error;
}

static int
ext2_vop_readdir(struct vnode *vp, uint64_t *cookie, readdir_fn fn, void *arg)
{
	if (vp->v_type != VDIR)
		return ENOTDIR;
	return ext2_dir_readdir(VTOI(vp), cookie, fn, arg);
}

static int
ext2_vop_getattr(struct vnode *vp, struct vattr *va)
{
	struct ext2_inode *ip = VTOI(vp);
	const struct ext2_dinode *din = &ip->i_din;

	memset(va, 0, sizeof(*va));
	va->va_mode = din->i_mode;
	va->va_nlink = din->i_links_count;
	va->va_uid = ext2_id(din->i_uid, din->i_osd2, OSD2_UID_HIGH);
	va->va_gid = ext2_id(din->i_gid, din->i_osd2, OSD2_GID_HIGH);
	va->va_size = vp->v_size;
	va->va_blocks = din->i_blocks;
	va->va_ino = ip->i_ino;
	if (is_device(din->i_mode))
		va->va_rdev = ext2_rdev(din);
	va->va_blksize = ip->i_e2->e2_bsize;
	va->va_atime.tv_sec = din->i_atime;
	va->va_mtime.tv_sec = din->i_mtime;
	va->va_ctime.tv_sec = din->i_ctime;
	return 0;
}

/*
 * Set the file's size.  A size not above the current one frees the blocks
 * past it (shrinking, or a write that allocated blocks its data did not
 * reach); the vfs layer has already dropped the cached pages there.
 */
static int
ext2_vop_setsize(struct vnode *vp, uint64_t size)
{
	struct ext2_inode *ip = VTOI(vp);
	int error = 0;

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	KASSERT(size <= vp->v_mount->mnt_maxsize, "size %#lx past the limit",
	    size);
	if (vp->v_type == VREG) {
		error = ext2_note_file_size(ip->i_e2, size);
		if (error != 0)
			return error;
	}
	if (size <= vp->v_size) {
		sx_xlock(&ip->i_bmap_lock);
		error = ext2_truncate_blocks(ip, size);
		sx_xunlock(&ip->i_bmap_lock);
	}
	ext2_set_isize(&ip->i_din, size);
	vp->v_size = size;
	ip->i_din.i_mtime = ip->i_din.i_ctime = ext2_now();
	ip->i_dirty = true;
	if (error == 0)
		error = ext2_write_inode(ip);
	return error;
}

/*
 * Times in whole seconds.  When they stay as they are (every write within
 * one second sets them: vnode_pager_file_modified), the inode is not
 * written again.
 */
static int
ext2_vop_settimes(struct vnode *vp, const struct timespec64 *atime,
    const struct timespec64 *mtime)
{
	struct ext2_dinode *din = &VTOI(vp)->i_din;
	uint32_t at = atime != NULL ? (uint32_t)atime->tv_sec : din->i_atime;
	uint32_t mt = mtime != NULL ? (uint32_t)mtime->tv_sec : din->i_mtime;
	uint32_t now = ext2_now();

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	if (at == din->i_atime && mt == din->i_mtime && now == din->i_ctime)
		return 0;
	din->i_atime = at;
	din->i_mtime = mt;
	din->i_ctime = now;
	VTOI(vp)->i_dirty = true;
	return ext2_write_inode(VTOI(vp));
}

static int
ext2_vop_setmode(struct vnode *vp, uint32_t mode)
{
	struct ext2_inode *ip = VTOI(vp);

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	ip->i_din.i_mode = (uint16_t)((ip->i_din.i_mode & S_IFMT) | (mode & 07777));
	ip->i_din.i_ctime = ext2_now();
	ip->i_dirty = true;
	return ext2_write_inode(ip);
}

static int
ext2_vop_setowner(struct vnode *vp, uint32_t uid, uint32_t gid)
{
	struct ext2_inode *ip = VTOI(vp);

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	if (uid != VNOVAL)
		ext2_set_id(&ip->i_din.i_uid, ip->i_din.i_osd2, OSD2_UID_HIGH, uid);
	if (gid != VNOVAL)
		ext2_set_id(&ip->i_din.i_gid, ip->i_din.i_osd2, OSD2_GID_HIGH, gid);
	ip->i_din.i_ctime = ext2_now();
	ip->i_dirty = true;
	return ext2_write_inode(ip);
}

#define EXT2_LINK_MAX	32000

static int
ext2_vop_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct ext2_inode *ip = VTOI(vp);
	int error;

	if (ip->i_din.i_links_count >= EXT2_LINK_MAX)
		return EMLINK;
	error = ext2_dir_add(VTOI(dvp), name, len, ip->i_ino,
	    mode_to_ft(ip->i_din.i_mode));
	if (error != 0)
		return error;
	ip->i_din.i_links_count++;
	ip->i_din.i_ctime = ext2_now();
	ip->i_dirty = true;
	return ext2_write_inode(ip);
}

static int
ext2_vop_bmap(struct vnode *vp, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct ext2_inode *ip = VTOI(vp);
	int error;

	if (alloc && vp->v_mount->mnt_rdonly)
		return EROFS;
	if (alloc)
		sx_xlock(&ip->i_bmap_lock);
	else
		sx_slock(&ip->i_bmap_lock);
	error = ext2_bmap(ip, lblk, alloc, pblk);
	if (alloc) {
		if (ip->i_dirty)
			ext2_write_inode(ip);
		sx_xunlock(&ip->i_bmap_lock);
	} else {
		sx_sunlock(&ip->i_bmap_lock);
	}
	return error;
}

static int
ext2_vop_fsync_meta(struct vnode *vp)
{
	struct ext2_inode *ip = VTOI(vp);

	return ip->i_dirty ? ext2_write_inode(ip) : 0;
}

/*
 * The last reference is gone.  An inode with no links left dies now:
 * its blocks and the inode itself are freed, and the vnode must be
 * reclaimed at once (returns true).
 */
static bool
ext2_vop_inactive(struct vnode *vp)
{
	struct ext2_inode *ip = VTOI(vp);

	if (ip->i_din.i_links_count != 0 || vp->v_mount->mnt_rdonly)
		return false;
	sx_xlock(&ip->i_bmap_lock);
	ext2_truncate_blocks(ip, 0);
	sx_xunlock(&ip->i_bmap_lock);
	ip->i_din.i_dtime = ext2_now();
	ext2_set_isize(&ip->i_din, 0);
	ip->i_din.i_mode = 0;
	ext2_write_inode(ip);
	ext2_ifree(ip->i_e2, ip->i_ino, vp->v_type == VDIR);
	return true;
}

static void
ext2_vop_reclaim(struct vnode *vp)
{
	struct ext2_inode *ip = VTOI(vp);

	if (ip->i_dirty && ip->i_din.i_links_count != 0)
		ext2_write_inode(ip);
	kfree(ip);
	vp->v_data = NULL;
}

const struct vnode_ops ext2_vnode_ops = {
	.lookup = ext2_vop_lookup,
	.create = ext2_vop_create,
	.mkdir = ext2_vop_mkdir,
	.symlink = ext2_vop_symlink,
	.unlink = ext2_vop_unlink,
	.rmdir = ext2_vop_rmdir,
	.rename = ext2_vop_rename,
	.readdir = ext2_vop_readdir,
	.readlink = ext2_vop_readlink,
	.getattr = ext2_vop_getattr,
	.mknod = ext2_vop_mknod,
	.setowner = ext2_vop_setowner,
	.link = ext2_vop_link,
	.setsize = ext2_vop_setsize,
	.settimes = ext2_vop_settimes,
	.setmode = ext2_vop_setmode,
	.bmap = ext2_vop_bmap,
	.fsync_meta = ext2_vop_fsync_meta,
	.inactive = ext2_vop_inactive,
	.reclaim = ext2_vop_reclaim,
};
