/*
 * ext2 inodes, block maps and allocation.
 *
 * Every block number read from disk is checked against the file system's
 * size before use: a damaged image yields EIO and a log line, never a
 * wild read or write.
 *
 * Locking: an inode's block map (i_block, i_blocks) is guarded by its
 * i_bmap_lock; the bitmaps, group descriptors and superblock counts by the
 * mount's e2_alloc_lock.  Order: i_bmap_lock -> e2_alloc_lock -> buffers.
 */
#include "dev/blk.h"
#include "fs/buf.h"
#include "fs/ext2/ext2.h"
#include "kern/clock.h"

/* Is bno a block inside the file system, past the boot block? */
bool
ext2_block_ok(const struct ext2_mount *e2, uint32_t bno)
{
	return bno > e2->e2_sb.s_first_data_block &&
	    bno < e2->e2_sb.s_blocks_count;
}

static int
bad_block(const struct ext2_mount *e2, uint32_t ino, uint32_t bno)
{
	kprintf("ext2 %s: inode %u: block %u out of range, I/O error\n",
	    e2->e2_dev->name, ino, bno);
	return EIO;
}

uint32_t
ext2_now(void)
{
	return (uint32_t)(clock_realtime_ns() / 1000000000UL);
}

uint64_t
ext2_isize(const struct ext2_dinode *din)
{
	uint64_t size = din->i_size;

	if ((din->i_mode & S_IFMT) == S_IFREG)
		size |= (uint64_t)din->i_size_high << 32;
	return size;
}

void
ext2_set_isize(struct ext2_dinode *din, uint64_t size)
{
	din->i_size = (uint32_t)size;
	if ((din->i_mode & S_IFMT) == S_IFREG)
		din->i_size_high = (uint32_t)(size >> 32);
}

/* Where inode ino lives: block and byte offset.  EIO if ino is bad. */
static int
inode_location(struct ext2_mount *e2, uint32_t ino, uint32_t *bno,
    uint32_t *off)
{
	uint32_t group, index;
	uint64_t byte;

	if (ino == 0 || ino > e2->e2_sb.s_inodes_count) {
		kprintf("ext2 %s: inode number %u out of range\n",
		    e2->e2_dev->name, ino);
		return EIO;
	}
	group = (ino - 1) / e2->e2_sb.s_inodes_per_group;
	index = (ino - 1) % e2->e2_sb.s_inodes_per_group;
	byte = (uint64_t)index * e2->e2_isize;
	*bno = e2->e2_gd[group].bg_inode_table + (uint32_t)(byte / e2->e2_bsize);
	*off = (uint32_t)(byte % e2->e2_bsize);
	if (!ext2_block_ok(e2, *bno))
		return bad_block(e2, ino, *bno);
	return 0;
}

int
ext2_read_inode(struct ext2_mount *e2, uint32_t ino, struct ext2_dinode *din)
{
	uint32_t bno, off;
	struct buf *bp;
	int error = inode_location(e2, ino, &bno, &off);

	if (error == 0)
		error = bread(e2->e2_dev, bno, e2->e2_bsize, &bp);
	if (error != 0)
		return error;
	memcpy(din, bp->b_data + off, sizeof(*din));
	brelse(bp);
	return 0;
}

/* Write ip's on-disk inode into its buffer (written back later). */
int
ext2_write_inode(struct ext2_inode *ip)
{
	struct ext2_mount *e2 = ip->i_e2;
	uint32_t bno, off;
	struct buf *bp;
	int error = inode_location(e2, ip->i_ino, &bno, &off);

	if (error == 0)
		error = bread(e2->e2_dev, bno, e2->e2_bsize, &bp);
	if (error != 0)
		return error;
	memcpy(bp->b_data + off, &ip->i_din, sizeof(ip->i_din));
	bdwrite(bp);
	ip->i_dirty = false;
	return 0;
}

/* Write the superblock and group descriptors if they changed.  (a) held. */
int
ext2_write_super(struct ext2_mount *e2)
{
	uint32_t sb_block = EXT2_SUPER_OFFSET / e2->e2_bsize;
	uint32_t sb_off = EXT2_SUPER_OFFSET % e2->e2_bsize;
	uint32_t gd_bytes = e2->e2_ngroups * sizeof(struct ext2_group_desc);
	struct buf *bp;
	int error;

	if (!e2->e2_dirty_super)
		return 0;
	e2->e2_sb.s_wtime = ext2_now();
	error = bread(e2->e2_dev, sb_block, e2->e2_bsize, &bp);
	if (error != 0)
		return error;
	memcpy(bp->b_data + sb_off, &e2->e2_sb, sizeof(e2->e2_sb));
	bdwrite(bp);
	for (uint32_t i = 0; i < e2->e2_gd_blocks; i++) {
		uint32_t done = i * e2->e2_bsize;

		error = bread(e2->e2_dev, e2->e2_sb.s_first_data_block + 1 + i,
		    e2->e2_bsize, &bp);
		if (error != 0)
			return error;
		memcpy(bp->b_data, (uint8_t *)e2->e2_gd + done,
		    MIN(e2->e2_bsize, gd_bytes - done));
		bdwrite(bp);
	}
	e2->e2_dirty_super = false;
	return 0;
}

/*
 * A regular file is to be `size` bytes: from 2 GiB on, the file system
 * must say it has large files (e2fsck insists), so set the flag the first
 * time, as Linux does.  Takes e2_alloc_lock.  0 or an I/O error.
 */
int
ext2_note_file_size(struct ext2_mount *e2, uint64_t size)
{
	int error = 0;

	if (size <= EXT2_MAX_SMALL_FILE)
		return 0;
	sx_xlock(&e2->e2_alloc_lock);
	if (!(e2->e2_sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		e2->e2_sb.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		e2->e2_dirty_super = true;
		error = ext2_write_super(e2);
	}
	sx_xunlock(&e2->e2_alloc_lock);
	return error;
}

/* Find and set a clear bit in a bitmap block, starting near `from`. */
static int
bitmap_take(uint8_t *map, uint32_t nbits, uint32_t from)
{
	for (uint32_t n = 0; n < nbits; n++) {
		uint32_t bit = (from + n) % nbits;

		if (!(map[bit / 8] & (1 << (bit % 8)))) {
			map[bit / 8] |= (uint8_t)(1 << (bit % 8));
			return (int)bit;
		}
	}
	return -1;
}

/* The group of block bno. */
static uint32_t
block_group(const struct ext2_mount *e2, uint32_t bno)
{
	return (bno - e2->e2_sb.s_first_data_block) / e2->e2_sb.s_blocks_per_group;
}

/*
 * Allocate a block, preferably near goal (0: anywhere).  Returns 0 with
 * *bno set, ENOSPC, or EIO.
 */
int
ext2_balloc(struct ext2_mount *e2, uint32_t goal, uint32_t *bno)
{
	uint32_t start = ext2_block_ok(e2, goal) ? block_group(e2, goal) : 0;
	int error = ENOSPC;

	sx_xlock(&e2->e2_alloc_lock);
	for (uint32_t n = 0; n < e2->e2_ngroups && error == ENOSPC; n++) {
		uint32_t g = (start + n) % e2->e2_ngroups;
		struct ext2_group_desc *gd = &e2->e2_gd[g];
		uint32_t first = e2->e2_sb.s_first_data_block +
		    g * e2->e2_sb.s_blocks_per_group;
		uint32_t nbits = MIN(e2->e2_sb.s_blocks_per_group,
		    e2->e2_sb.s_blocks_count - first);
		struct buf *bp;
		int bit;

		if (gd->bg_free_blocks_count == 0)
			continue;
		if (!ext2_block_ok(e2, gd->bg_block_bitmap)) {
			error = bad_block(e2, 0, gd->bg_block_bitmap);
			break;
		}
		error = bread(e2->e2_dev, gd->bg_block_bitmap, e2->e2_bsize, &bp);
		if (error != 0)
			break;
		bit = bitmap_take(bp->b_data, nbits,
		    g == start && goal > first ? goal - first : 0);
		if (bit < 0) {
			brelse(bp);
			error = ENOSPC;
			continue;
		}
		bdwrite(bp);
		gd->bg_free_blocks_count--;
		e2->e2_sb.s_free_blocks_count--;
		e2->e2_dirty_super = true;
		*bno = first + (uint32_t)bit;
		error = 0;
	}
	sx_xunlock(&e2->e2_alloc_lock);
	return error;
}

void
ext2_bfree(struct ext2_mount *e2, uint32_t bno)
{
	uint32_t g, bit;
	struct buf *bp;

	if (!ext2_block_ok(e2, bno)) {
		bad_block(e2, 0, bno);
		return;
	}
	g = block_group(e2, bno);
	bit = bno - e2->e2_sb.s_first_data_block - g * e2->e2_sb.s_blocks_per_group;
	bforget(e2->e2_dev, bno, e2->e2_bsize);
	sx_xlock(&e2->e2_alloc_lock);
	if (bread(e2->e2_dev, e2->e2_gd[g].bg_block_bitmap, e2->e2_bsize, &bp) == 0) {
		if (bp->b_data[bit / 8] & (1 << (bit % 8))) {
			bp->b_data[bit / 8] &= (uint8_t)~(1 << (bit % 8));
			e2->e2_gd[g].bg_free_blocks_count++;
			e2->e2_sb.s_free_blocks_count++;
			e2->e2_dirty_super = true;
		} else {
			kprintf("ext2 %s: freeing free block %u\n",
			    e2->e2_dev->name, bno);
		}
		bdwrite(bp);
	}
	sx_xunlock(&e2->e2_alloc_lock);
}

/*
 * Allocate an inode, in the parent directory's group if it has room.
 * Returns 0 with *ino set, ENOSPC, or EIO.
 */
int
ext2_ialloc(struct ext2_mount *e2, uint32_t dir_ino, bool isdir, uint32_t *ino)
{
	uint32_t ipg = e2->e2_sb.s_inodes_per_group;
	uint32_t start = (dir_ino - 1) / ipg;
	int error = ENOSPC;

	sx_xlock(&e2->e2_alloc_lock);
	for (uint32_t n = 0; n < e2->e2_ngroups && error == ENOSPC; n++) {
		uint32_t g = (start + n) % e2->e2_ngroups;
		struct ext2_group_desc *gd = &e2->e2_gd[g];
		uint32_t from = g == 0 ? e2->e2_first_ino - 1 : 0;
		struct buf *bp;
		int bit;

		if (gd->bg_free_inodes_count == 0)
			continue;
		if (!ext2_block_ok(e2, gd->bg_inode_bitmap)) {
			error = bad_block(e2, 0, gd->bg_inode_bitmap);
			break;
		}
		error = bread(e2->e2_dev, gd->bg_inode_bitmap, e2->e2_bsize, &bp);
		if (error != 0)
			break;
		bit = bitmap_take(bp->b_data, ipg, from);
		if (bit < 0 || (g == 0 && (uint32_t)bit < from)) {
			brelse(bp);
			error = ENOSPC;
			continue;
		}
		bdwrite(bp);
		gd->bg_free_inodes_count--;
		if (isdir)
			gd->bg_used_dirs_count++;
		e2->e2_sb.s_free_inodes_count--;
		e2->e2_dirty_super = true;
		*ino = g * ipg + (uint32_t)bit + 1;
		error = 0;
	}
	sx_xunlock(&e2->e2_alloc_lock);
	return error;
}

void
ext2_ifree(struct ext2_mount *e2, uint32_t ino, bool isdir)
{
	uint32_t ipg = e2->e2_sb.s_inodes_per_group;
	uint32_t g = (ino - 1) / ipg, bit = (ino - 1) % ipg;
	struct buf *bp;

	sx_xlock(&e2->e2_alloc_lock);
	if (bread(e2->e2_dev, e2->e2_gd[g].bg_inode_bitmap, e2->e2_bsize, &bp) == 0) {
		bp->b_data[bit / 8] &= (uint8_t)~(1 << (bit % 8));
		bdwrite(bp);
		e2->e2_gd[g].bg_free_inodes_count++;
		if (isdir)
			e2->e2_gd[g].bg_used_dirs_count--;
		e2->e2_sb.s_free_inodes_count++;
		e2->e2_dirty_super = true;
	}
	sx_xunlock(&e2->e2_alloc_lock);
}

/*
 * Split file block lblk into a path through the block map: *depth levels
 * of indirection (0 = direct) and the index at each level.  EFBIG if lblk
 * is beyond what triple indirection reaches.
 */
static int
bmap_path(const struct ext2_mount *e2, uint64_t lblk, int *depth,
    uint32_t idx[4])
{
	uint64_t p = e2->e2_ptrs;

	if (lblk < EXT2_NDIR_BLOCKS) {
		*depth = 0;
		idx[0] = (uint32_t)lblk;
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	for (int d = 1; d <= 3; d++) {
		uint64_t span = d == 1 ? p : d == 2 ? p * p : p * p * p;

		if (lblk < span) {
			*depth = d;
			idx[0] = EXT2_IND_BLOCK + d - 1;
			for (int l = d; l >= 1; l--) {
				idx[l] = (uint32_t)(lblk % p);
				lblk /= p;
			}
			return 0;
		}
		lblk -= span;
	}
	return EFBIG;
}

/* A new block for ip, zeroed on disk if it will hold block numbers. */
static int
alloc_for(struct ext2_inode *ip, uint32_t goal, bool zero, uint32_t *bno)
{
	int error = ext2_balloc(ip->i_e2, goal, bno);

	if (error != 0)
		return error;
	ip->i_din.i_blocks += ip->i_e2->e2_bsize / BLK_SECTOR_SIZE;
	ip->i_dirty = true;
	if (zero) {
		struct buf *bp = bget_zero(ip->i_e2->e2_dev, *bno, ip->i_e2->e2_bsize);

		if (bp == NULL)
			return ENOMEM;
		bdwrite(bp);
	}
	return 0;
}

/*
 * The disk block holding file block lblk of ip (0 for a hole), allocating
 * it and any missing indirect blocks when alloc is set.  Caller holds
 * ip->i_bmap_lock (exclusive if alloc).  Returns 0, EFBIG, ENOSPC or EIO.
 */
int
ext2_bmap(struct ext2_inode *ip, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct ext2_mount *e2 = ip->i_e2;
	uint32_t idx[4], cur;
	int depth, error = bmap_path(e2, lblk, &depth, idx);

	*pblk = 0;
	if (error != 0)
		return error;
	cur = ip->i_din.i_block[idx[0]];
	if (cur == 0) {
		if (!alloc)
			return 0;
		error = alloc_for(ip, 0, depth > 0, &cur);
		if (error != 0)
			return error;
		ip->i_din.i_block[idx[0]] = cur;
	}
	if (!ext2_block_ok(e2, cur))
		return bad_block(e2, ip->i_ino, cur);
	for (int level = 1; level <= depth; level++) {
		struct buf *bp;
		uint32_t *slots, next;

		error = bread(e2->e2_dev, cur, e2->e2_bsize, &bp);
		if (error != 0)
			return error;
		slots = (uint32_t *)bp->b_data;
		next = slots[idx[level]];
		if (next == 0 && alloc) {
			error = alloc_for(ip, cur, level < depth, &next);
			if (error != 0) {
				brelse(bp);
				return error;
			}
			slots[idx[level]] = next;
			bdwrite(bp);
		} else {
			brelse(bp);
		}
		if (next == 0)
			return 0;
		if (!ext2_block_ok(e2, next))
			return bad_block(e2, ip->i_ino, next);
		cur = next;
	}
	*pblk = cur;
	return 0;
}

static uint64_t
tree_span(const struct ext2_mount *e2, int depth)
{
	uint64_t span = 1;

	for (int i = 0; i < depth; i++)
		span *= e2->e2_ptrs;
	return span;
}

static void
free_one(struct ext2_inode *ip, uint32_t bno)
{
	ext2_bfree(ip->i_e2, bno);
	ip->i_din.i_blocks -= ip->i_e2->e2_bsize / BLK_SECTOR_SIZE;
	ip->i_dirty = true;
}

/*
 * In the tree rooted at bno (depth levels of indirection above the data
 * blocks), free every block that maps file blocks >= keep (counted from
 * the tree's first block).  Sets *emptied if bno itself was freed.
 */
static int
trunc_tree(struct ext2_inode *ip, uint32_t bno, int depth, uint64_t keep,
    bool *emptied)
{
	struct ext2_mount *e2 = ip->i_e2;
	uint64_t child_span = tree_span(e2, depth - 1);
	struct buf *bp;
	uint32_t *slots;
	bool changed = false;
	int error;

	*emptied = false;
	if (!ext2_block_ok(e2, bno))
		return bad_block(e2, ip->i_ino, bno);
	if (depth == 0) {
		if (keep == 0) {
			free_one(ip, bno);
			*emptied = true;
		}
		return 0;
	}
	error = bread(e2->e2_dev, bno, e2->e2_bsize, &bp);
	if (error != 0)
		return error;
	slots = (uint32_t *)bp->b_data;
	for (uint32_t i = 0; i < e2->e2_ptrs && error == 0; i++) {
		uint64_t first = i * child_span;
		bool child_emptied;

		if (slots[i] == 0 || keep >= first + child_span)
			continue;
		error = trunc_tree(ip, slots[i], depth - 1,
		    keep > first ? keep - first : 0, &child_emptied);
		if (child_emptied) {
			slots[i] = 0;
			changed = true;
		}
	}
	if (changed)
		bdwrite(bp);
	else
		brelse(bp);
	if (error == 0 && keep == 0) {
		free_one(ip, bno);
		*emptied = true;
	}
	return error;
}

/*
 * Free the blocks of ip beyond `size` bytes.  Caller holds i_bmap_lock
 * exclusive.  A fast symlink's i_block holds its target, and a device
 * node's its number, not blocks.
 */
int
ext2_truncate_blocks(struct ext2_inode *ip, uint64_t size)
{
	struct ext2_mount *e2 = ip->i_e2;
	uint64_t keep = (size + e2->e2_bsize - 1) / e2->e2_bsize;
	uint64_t base = EXT2_NDIR_BLOCKS;
	int error = 0;

	if ((ip->i_din.i_mode & S_IFMT) == S_IFLNK && ip->i_din.i_blocks == 0)
		return 0;
	if ((ip->i_din.i_mode & S_IFMT) == S_IFCHR ||
	    (ip->i_din.i_mode & S_IFMT) == S_IFBLK)
		return 0;
	for (uint32_t i = keep; i < EXT2_NDIR_BLOCKS; i++) {
		if (ip->i_din.i_block[i] != 0) {
			bool emptied;

			error = trunc_tree(ip, ip->i_din.i_block[i], 0, 0, &emptied);
			ip->i_din.i_block[i] = 0;
		}
	}
	for (int d = 1; d <= 3 && error == 0; d++) {
		uint32_t *root = &ip->i_din.i_block[EXT2_IND_BLOCK + d - 1];
		uint64_t span = tree_span(e2, d);
		bool emptied;

		if (*root != 0 && keep < base + span) {
			error = trunc_tree(ip, *root, d, keep > base ? keep - base : 0,
			    &emptied);
			if (emptied)
				*root = 0;
		}
		base += span;
	}
	ip->i_dirty = true;
	return error;
}
