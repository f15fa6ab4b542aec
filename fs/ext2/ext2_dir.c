/*
 * ext2 directories: a file of variable-length entries (inode, rec_len,
 * name_len, file_type, name) that never cross a block; a deleted entry is
 * absorbed into its predecessor's rec_len, or has inode 0 if first in its
 * block.  Directory blocks go through the buffer cache.
 *
 * Every entry is checked before use (rec_len and name_len inside the
 * block, inode number in range): a damaged directory gives EIO and a log
 * line.  Hashed (dir_index) directories are read and written linearly;
 * a change clears their index flag, as the format allows.
 *
 * Callers hold the directory's vnode lock exclusive.
 */
#include "fs/buf.h"
#include "fs/ext2/ext2.h"

struct dirblock {
	struct buf *bp;
	uint64_t lblk;
};

static int
dir_corrupt(struct ext2_inode *dp, uint64_t lblk, uint32_t off)
{
	kprintf("ext2 %s: directory inode %u: bad entry in block %lu at %u\n",
	    dp->i_e2->e2_dev->name, dp->i_ino, lblk, off);
	return EIO;
}

/* Read directory block lblk (which must be mapped). */
static int
dir_read(struct ext2_inode *dp, uint64_t lblk, struct buf **bpp)
{
	uint64_t pblk;
	int error;

	sx_slock(&dp->i_bmap_lock);
	error = ext2_bmap(dp, lblk, false, &pblk);
	sx_sunlock(&dp->i_bmap_lock);
	if (error == 0 && pblk == 0)
		error = dir_corrupt(dp, lblk, 0);	/* directories have no holes */
	if (error != 0)
		return error;
	return bread(dp->i_e2->e2_dev, pblk, dp->i_e2->e2_bsize, bpp);
}

/* Is the entry at off in a block of size bsize well formed? */
static bool
dirent_ok(const struct ext2_inode *dp, const uint8_t *block, uint32_t off,
    uint32_t bsize)
{
	const struct ext2_dirent *de = (const struct ext2_dirent *)(block + off);

	return off + 8 <= bsize && de->rec_len >= 8 && de->rec_len % 4 == 0 &&
	    de->rec_len <= bsize - off && (uint32_t)de->name_len + 8 <= de->rec_len &&
	    de->inode <= dp->i_e2->e2_sb.s_inodes_count;
}

static uint64_t
dir_nblocks(struct ext2_inode *dp)
{
	return ext2_isize(&dp->i_din) / dp->i_e2->e2_bsize;
}

/*
 * Call fn for each entry (live or not) until it returns nonzero; returns
 * that value, 0 after the last entry, or an error (as a negative value).
 */
typedef int (*dirent_visit)(struct ext2_dirent *de, struct ext2_dirent *prev,
    struct buf *bp, uint64_t lblk, uint32_t off, void *arg);

static int
dir_walk(struct ext2_inode *dp, dirent_visit fn, void *arg)
{
	uint32_t bsize = dp->i_e2->e2_bsize;

	for (uint64_t lblk = 0; lblk < dir_nblocks(dp); lblk++) {
		struct ext2_dirent *prev = NULL;
		struct buf *bp;
		int error = dir_read(dp, lblk, &bp);

		if (error != 0)
			return -error;
		for (uint32_t off = 0; off < bsize;) {
			struct ext2_dirent *de;
			int rv;

			if (!dirent_ok(dp, bp->b_data, off, bsize)) {
				brelse(bp);
				return -dir_corrupt(dp, lblk, off);
			}
			de = (struct ext2_dirent *)(bp->b_data + off);
			rv = fn(de, prev, bp, lblk, off, arg);
			if (rv != 0)
				return rv;	/* fn released or kept bp */
			prev = de;
			off += de->rec_len;
		}
		brelse(bp);
	}
	return 0;
}

/* Is de a live entry called name (len bytes)? */
static bool
dirent_named(const struct ext2_dirent *de, const char *name, size_t len)
{
	return de->inode != 0 && de->name_len == len &&
	    memcmp(de->name, name, len) == 0;
}

struct find_arg {
	const char *name;
	size_t len;
	uint32_t ino;
	uint64_t offset;
};

static int
find_visit(struct ext2_dirent *de, struct ext2_dirent *prev, struct buf *bp,
    uint64_t lblk, uint32_t off, void *arg)
{
	struct find_arg *fa = arg;

	if (!dirent_named(de, fa->name, fa->len))
		return 0;
	fa->ino = de->inode;
	fa->offset = lblk * bp->b_size + off;
	brelse(bp);
	return 1;
}

/* Find name in dp: 0 with *ino (and *offset if not NULL), ENOENT, or EIO. */
int
ext2_dir_lookup(struct ext2_inode *dp, const char *name, size_t len,
    uint32_t *ino, uint64_t *offset)
{
	struct find_arg fa = { .name = name, .len = len };
	int rv = dir_walk(dp, find_visit, &fa);

	if (rv < 0)
		return -rv;
	if (rv == 0)
		return ENOENT;
	if (fa.ino == 0 || fa.ino > dp->i_e2->e2_sb.s_inodes_count)
		return EIO;
	*ino = fa.ino;
	if (offset != NULL)
		*offset = fa.offset;
	return 0;
}

static void
dir_changed(struct ext2_inode *dp)
{
	dp->i_din.i_flags &= ~EXT2_INDEX_FL;
	dp->i_din.i_mtime = dp->i_din.i_ctime = ext2_now();
	dp->i_dirty = true;
}

struct add_arg {
	const char *name;
	size_t len;
	uint32_t ino;
	uint8_t type;
};

static void
fill_dirent(struct ext2_dirent *de, const struct add_arg *aa, uint16_t rec_len)
{
	de->inode = aa->ino;
	de->rec_len = rec_len;
	de->name_len = (uint8_t)aa->len;
	de->file_type = aa->type;
	memcpy(de->name, aa->name, aa->len);
}

static int
add_visit(struct ext2_dirent *de, struct ext2_dirent *prev, struct buf *bp,
    uint64_t lblk, uint32_t off, void *arg)
{
	struct add_arg *aa = arg;
	uint16_t need = (uint16_t)EXT2_DIRENT_SIZE(aa->len);
	uint16_t used = de->inode == 0 ? 0 : (uint16_t)EXT2_DIRENT_SIZE(de->name_len);

	if (de->rec_len - used < need)
		return 0;
	if (de->inode == 0) {
		fill_dirent(de, aa, de->rec_len);
	} else {
		struct ext2_dirent *nde = (struct ext2_dirent *)((uint8_t *)de + used);

		fill_dirent(nde, aa, (uint16_t)(de->rec_len - used));
		de->rec_len = used;
	}
	bdwrite(bp);
	return 1;
}

/* Add entry name -> ino; the caller checked the name is not there. */
int
ext2_dir_add(struct ext2_inode *dp, const char *name, size_t len, uint32_t ino,
    uint8_t type)
{
	struct ext2_mount *e2 = dp->i_e2;
	struct add_arg aa = { name, len, ino, e2->e2_filetype ? type : 0 };
	uint64_t lblk = dir_nblocks(dp), pblk;
	struct buf *bp;
	int rv, error;

	if (len == 0 || len > NAME_MAX)
		return len == 0 ? ENOENT : ENAMETOOLONG;
	rv = dir_walk(dp, add_visit, &aa);
	if (rv < 0)
		return -rv;
	if (rv == 0) {
		/* No room: append a block holding just this entry. */
		sx_xlock(&dp->i_bmap_lock);
		error = ext2_bmap(dp, lblk, true, &pblk);
		sx_xunlock(&dp->i_bmap_lock);
		if (error != 0)
			return error;
		bp = bget_zero(e2->e2_dev, pblk, e2->e2_bsize);
		if (bp == NULL)
			return ENOMEM;
		fill_dirent((struct ext2_dirent *)bp->b_data, &aa,
		    (uint16_t)e2->e2_bsize);
		bdwrite(bp);
		ext2_set_isize(&dp->i_din, (lblk + 1) * e2->e2_bsize);
		dp->i_vnode->v_size = (lblk + 1) * e2->e2_bsize;
	}
	dir_changed(dp);
	return 0;
}

/*
 * Walk dp with fn, which changes the entry it looks for and returns 1:
 * 0, ENOENT if no entry was found, or the walk's error.
 */
static int
dir_change_entry(struct ext2_inode *dp, dirent_visit fn, void *arg)
{
	int rv = dir_walk(dp, fn, arg);

	if (rv < 0)
		return -rv;
	if (rv == 0)
		return ENOENT;
	dir_changed(dp);
	return 0;
}

static int
remove_visit(struct ext2_dirent *de, struct ext2_dirent *prev, struct buf *bp,
    uint64_t lblk, uint32_t off, void *arg)
{
	struct find_arg *fa = arg;

	if (!dirent_named(de, fa->name, fa->len))
		return 0;
	if (prev != NULL)
		prev->rec_len = (uint16_t)(prev->rec_len + de->rec_len);
	else
		de->inode = 0;
	bdwrite(bp);
	return 1;
}

/* Remove the entry called name: 0, ENOENT or EIO. */
int
ext2_dir_remove(struct ext2_inode *dp, const char *name, size_t len)
{
	struct find_arg fa = { .name = name, .len = len };

	return dir_change_entry(dp, remove_visit, &fa);
}

static int
set_visit(struct ext2_dirent *de, struct ext2_dirent *prev, struct buf *bp,
    uint64_t lblk, uint32_t off, void *arg)
{
	struct add_arg *aa = arg;

	if (!dirent_named(de, aa->name, aa->len))
		return 0;
	de->inode = aa->ino;
	de->file_type = aa->type;
	bdwrite(bp);
	return 1;
}

/* Point the existing entry name at ino (rename over, or ".." moves). */
int
ext2_dir_set(struct ext2_inode *dp, const char *name, size_t len, uint32_t ino,
    uint8_t type)
{
	struct add_arg aa = { name, len, ino, dp->i_e2->e2_filetype ? type : 0 };

	return dir_change_entry(dp, set_visit, &aa);
}

static int
empty_visit(struct ext2_dirent *de, struct ext2_dirent *prev, struct buf *bp,
    uint64_t lblk, uint32_t off, void *arg)
{
	if (de->inode == 0 || name_is_dot_or_dotdot(de->name, de->name_len))
		return 0;
	brelse(bp);
	return 1;
}

/* Does dp hold nothing but "." and ".."? */
int
ext2_dir_isempty(struct ext2_inode *dp, bool *empty)
{
	int rv = dir_walk(dp, empty_visit, NULL);

	if (rv < 0)
		return -rv;
	*empty = rv == 0;
	return 0;
}

/* Give a new directory its first block, with "." and "..". */
int
ext2_dir_init(struct ext2_inode *dp, uint32_t parent_ino)
{
	struct ext2_mount *e2 = dp->i_e2;
	struct add_arg dot = { ".", 1, dp->i_ino, EXT2_FT_DIR };
	struct add_arg dotdot = { "..", 2, parent_ino, EXT2_FT_DIR };
	uint64_t pblk;
	struct buf *bp;
	int error;

	if (!e2->e2_filetype)
		dot.type = dotdot.type = 0;
	sx_xlock(&dp->i_bmap_lock);
	error = ext2_bmap(dp, 0, true, &pblk);
	sx_xunlock(&dp->i_bmap_lock);
	if (error != 0)
		return error;
	bp = bget_zero(e2->e2_dev, pblk, e2->e2_bsize);
	if (bp == NULL)
		return ENOMEM;
	fill_dirent((struct ext2_dirent *)bp->b_data, &dot, 12);
	fill_dirent((struct ext2_dirent *)(bp->b_data + 12), &dotdot,
	    (uint16_t)(e2->e2_bsize - 12));
	bdwrite(bp);
	ext2_set_isize(&dp->i_din, e2->e2_bsize);
	dp->i_vnode->v_size = e2->e2_bsize;
	dp->i_dirty = true;
	return 0;
}

static enum vtype
ft_to_vtype(uint8_t ft)
{
	switch (ft) {
	case EXT2_FT_REG_FILE:
		return VREG;
	case EXT2_FT_DIR:
		return VDIR;
	case EXT2_FT_SYMLINK:
		return VLNK;
	case EXT2_FT_CHRDEV:
		return VCHR;
	case EXT2_FT_BLKDEV:
		return VBLK;
	case EXT2_FT_FIFO:
		return VFIFO;
	case EXT2_FT_SOCK:
		return VSOCK;
	default:
		return VNON;
	}
}

/*
 * List entries from byte offset *cookie on, calling fn for each live one
 * until it returns nonzero; *cookie ends at the offset to resume from.
 */
int
ext2_dir_readdir(struct ext2_inode *dp, uint64_t *cookie, readdir_fn fn,
    void *arg)
{
	uint32_t bsize = dp->i_e2->e2_bsize;

	while (*cookie < dir_nblocks(dp) * bsize) {
		uint64_t lblk = *cookie / bsize;
		uint32_t off = (uint32_t)(*cookie % bsize);
		struct buf *bp;
		int error = dir_read(dp, lblk, &bp);

		if (error != 0)
			return error;
		while (off < bsize) {
			struct ext2_dirent *de;
			uint64_t next;

			if (!dirent_ok(dp, bp->b_data, off, bsize)) {
				brelse(bp);
				return dir_corrupt(dp, lblk, off);
			}
			de = (struct ext2_dirent *)(bp->b_data + off);
			next = lblk * bsize + off + de->rec_len;
			if (de->inode != 0 && fn(arg, de->name, de->name_len,
			    de->inode, ft_to_vtype(de->file_type), next) != 0) {
				brelse(bp);
				return 0;
			}
			off += de->rec_len;
			*cookie = next;
		}
		brelse(bp);
	}
	return 0;
}
