/*
 * Mounting ext2: read and check the superblock and group descriptors,
 * refuse what we cannot handle safely, and write the counts back on sync
 * and unmount.
 *
 * A damaged image (bad magic, impossible geometry, descriptors pointing
 * outside the disk, unknown incompatible features) fails the mount with
 * EINVAL or EIO and a log line saying why.
 */
#include "dev/blk.h"
#include "fs/buf.h"
#include "fs/ext2/ext2.h"

#define EXT2_STATE_CLEAN	1

static int
mount_fail(struct ext2_mount *e2, const char *why, int error)
{
	kprintf("ext2 %s: cannot mount: %s\n", e2->e2_dev->name, why);
	return error;
}

/* Check the geometry of the superblock in e2->e2_sb. */
static int
check_super(struct ext2_mount *e2)
{
	struct ext2_super *sb = &e2->e2_sb;
	uint64_t dev_blocks;

	if (sb->s_magic != EXT2_MAGIC)
		return mount_fail(e2, "bad magic (not ext2)", EINVAL);
	if (sb->s_rev_level > 1)
		return mount_fail(e2, "unknown revision", EINVAL);
	if (sb->s_log_block_size > 2)
		return mount_fail(e2, "block size above 4 KiB", EINVAL);
	e2->e2_bsize = 1024U << sb->s_log_block_size;
	e2->e2_ptrs = e2->e2_bsize / 4;
	dev_blocks = e2->e2_dev->nsectors / (e2->e2_bsize / BLK_SECTOR_SIZE);
	if (sb->s_blocks_count == 0 || sb->s_blocks_count > dev_blocks)
		return mount_fail(e2, "more blocks than the device holds", EINVAL);
	if (sb->s_first_data_block != (e2->e2_bsize == 1024 ? 1U : 0U))
		return mount_fail(e2, "bad first data block", EINVAL);
	if (sb->s_blocks_per_group == 0 ||
	    sb->s_blocks_per_group > 8 * e2->e2_bsize ||
	    sb->s_inodes_per_group == 0 ||
	    sb->s_inodes_per_group > 8 * e2->e2_bsize)
		return mount_fail(e2, "bad group geometry", EINVAL);
	e2->e2_ngroups = (sb->s_blocks_count - sb->s_first_data_block +
	    sb->s_blocks_per_group - 1) / sb->s_blocks_per_group;
	if ((uint64_t)e2->e2_ngroups * sb->s_inodes_per_group < sb->s_inodes_count)
		return mount_fail(e2, "inode count exceeds the groups", EINVAL);
	e2->e2_isize = EXT2_GOOD_OLD_INODE_SIZE;
	e2->e2_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	if (sb->s_rev_level == 1) {
		e2->e2_isize = sb->s_inode_size;
		e2->e2_first_ino = sb->s_first_ino;
		if (sb->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE)
			return mount_fail(e2, "unsupported incompatible features",
			    EINVAL);
		e2->e2_filetype = sb->s_feature_incompat &
		    EXT2_FEATURE_INCOMPAT_FILETYPE;
	}
	if (e2->e2_isize < EXT2_GOOD_OLD_INODE_SIZE || e2->e2_isize > e2->e2_bsize ||
	    (e2->e2_isize & (e2->e2_isize - 1)) != 0 ||
	    e2->e2_first_ino < EXT2_ROOT_INO + 1 ||
	    e2->e2_first_ino > sb->s_inodes_count)
		return mount_fail(e2, "bad inode geometry", EINVAL);
	return 0;
}

/*
 * The largest file this ext2 can hold, computed as Linux computes its
 * s_maxbytes: the blocks the 12 direct pointers and the single, double
 * and triple indirect trees reach, unless those and their indirect
 * blocks would overflow i_blocks (a 32-bit count of 512-byte sectors,
 * the limit with 4 KiB blocks): then that count less the indirect blocks
 * addressing it needs.  Revision 0 has no large-file flag, and vmk does
 * not upgrade revisions (Linux does): 2 GiB - 1 there.
 */
uint64_t
ext2_max_file_size(uint32_t bsize, uint32_t rev_level)
{
	uint64_t ppb = bsize / 4, tree = EXT2_NDIR_BLOCKS + ppb + ppb * ppb +
	    ppb * ppb * ppb, tree_meta = 1 + (1 + ppb) + (1 + ppb + ppb * ppb);
	uint64_t limit = UINT32_MAX / (bsize / BLK_SECTOR_SIZE), rest, meta;

	if (rev_level == 0)
		return EXT2_MAX_SMALL_FILE;
	if (tree + tree_meta <= limit)
		return tree * bsize;
	/* Past the direct blocks and the single indirect tree (one block). */
	rest = limit - EXT2_NDIR_BLOCKS - ppb;
	meta = 1;
	if (rest < ppb * ppb) {
		meta += 1 + (rest + ppb - 1) / ppb;
	} else {
		rest -= ppb * ppb;
		meta += (1 + ppb) + 1 + (rest + ppb - 1) / ppb +
		    (rest + ppb * ppb - 1) / (ppb * ppb);
	}
	return (limit - meta) * bsize;
}

/* Read the group descriptors and check where they point. */
static int
read_groups(struct ext2_mount *e2)
{
	uint32_t bytes = e2->e2_ngroups * sizeof(struct ext2_group_desc);
	uint32_t itable_blocks = (e2->e2_sb.s_inodes_per_group * e2->e2_isize +
	    e2->e2_bsize - 1) / e2->e2_bsize;

	e2->e2_gd_blocks = (bytes + e2->e2_bsize - 1) / e2->e2_bsize;
	e2->e2_gd = kmalloc(e2->e2_gd_blocks * e2->e2_bsize, M_ZERO);
	if (e2->e2_gd == NULL)
		return ENOMEM;
	for (uint32_t i = 0; i < e2->e2_gd_blocks; i++) {
		struct buf *bp;
		int error = bread(e2->e2_dev, e2->e2_sb.s_first_data_block + 1 + i,
		    e2->e2_bsize, &bp);

		if (error != 0)
			return mount_fail(e2, "cannot read group descriptors", EIO);
		memcpy((uint8_t *)e2->e2_gd + i * e2->e2_bsize, bp->b_data,
		    e2->e2_bsize);
		brelse(bp);
	}
	for (uint32_t g = 0; g < e2->e2_ngroups; g++) {
		struct ext2_group_desc *gd = &e2->e2_gd[g];

		if (!ext2_block_ok(e2, gd->bg_block_bitmap) ||
		    !ext2_block_ok(e2, gd->bg_inode_bitmap) ||
		    !ext2_block_ok(e2, gd->bg_inode_table) ||
		    gd->bg_inode_table + itable_blocks > e2->e2_sb.s_blocks_count)
			return mount_fail(e2, "group descriptor points outside "
			    "the file system", EIO);
	}
	return 0;
}

static int
ext2_mount(struct mount *mp, const char *data)
{
	struct ext2_mount *e2 = kmalloc(sizeof(*e2), M_ZERO);
	struct buf *bp;
	int error;

	if (e2 == NULL)
		return ENOMEM;
	e2->e2_mp = mp;
	e2->e2_dev = mp->mnt_dev;
	sx_init(&e2->e2_alloc_lock, "ext2_alloc");
	error = bread(mp->mnt_dev, 1, 1024, &bp);	/* the superblock */
	if (error != 0) {
		kfree(e2);
		return error;
	}
	memcpy(&e2->e2_sb, bp->b_data, sizeof(e2->e2_sb));
	bp->b_flags &= ~B_VALID;	/* the fs reads it in its own block size */
	brelse(bp);
	error = check_super(e2);
	if (error == 0)
		error = read_groups(e2);
	if (error != 0) {
		kfree(e2->e2_gd);
		kfree(e2);
		return error;
	}
	if (e2->e2_sb.s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED) {
		kprintf("ext2 %s: unknown read-only features: mounting read-only\n",
		    mp->mnt_dev->name);
		mp->mnt_rdonly = true;
	}
	if (e2->e2_sb.s_state != EXT2_STATE_CLEAN)
		kprintf("ext2 %s: not cleanly unmounted; run e2fsck\n",
		    mp->mnt_dev->name);
	mp->mnt_data = e2;
	mp->mnt_bsize = e2->e2_bsize;
	mp->mnt_maxsize = ext2_max_file_size(e2->e2_bsize, e2->e2_sb.s_rev_level);
	if (!mp->mnt_rdonly) {
		sx_xlock(&e2->e2_alloc_lock);
		e2->e2_sb.s_mnt_count++;
		e2->e2_sb.s_mtime = ext2_now();
		e2->e2_dirty_super = true;
		ext2_write_super(e2);
		sx_xunlock(&e2->e2_alloc_lock);
	}
	kprintf("ext2 %s: %u blocks of %u bytes, %u inodes, %u groups%s\n",
	    mp->mnt_dev->name, e2->e2_sb.s_blocks_count, e2->e2_bsize,
	    e2->e2_sb.s_inodes_count, e2->e2_ngroups,
	    mp->mnt_rdonly ? ", read-only" : "");
	return 0;
}

static int
ext2_sync(struct mount *mp)
{
	struct ext2_mount *e2 = mp->mnt_data;
	int error;

	sx_xlock(&e2->e2_alloc_lock);
	error = ext2_write_super(e2);
	sx_xunlock(&e2->e2_alloc_lock);
	return error;
}

static int
ext2_unmount(struct mount *mp)
{
	struct ext2_mount *e2 = mp->mnt_data;

	kfree(e2->e2_gd);
	kfree(e2);
	mp->mnt_data = NULL;
	return 0;
}

static int
ext2_statfs(struct mount *mp, struct statfs_info *si)
{
	struct ext2_mount *e2 = mp->mnt_data;
	uint32_t uuid[4];

	sx_slock(&e2->e2_alloc_lock);
	/* All blocks, as Linux's "minixdf" option counts them (the default
	 * "bsddf" leaves out the groups' metadata). */
	si->blocks = e2->e2_sb.s_blocks_count;
	si->bfree = e2->e2_sb.s_free_blocks_count;
	si->bavail = si->bfree > e2->e2_sb.s_r_blocks_count ?
	    si->bfree - e2->e2_sb.s_r_blocks_count : 0;
	si->files = e2->e2_sb.s_inodes_count;
	si->ffree = e2->e2_sb.s_free_inodes_count;
	si->bsize = e2->e2_bsize;
	sx_sunlock(&e2->e2_alloc_lock);
	memcpy(uuid, e2->e2_sb.s_uuid, sizeof(uuid));
	/* Linux's ext2: the two halves of the UUID xor'ed, word by word. */
	si->fsid = (uint64_t)(uuid[0] ^ uuid[2]) | (uint64_t)(uuid[1] ^ uuid[3]) << 32;
	return 0;
}

const struct vfs_ops ext2_vfs_ops = {
	.name = "ext2",
	.magic = EXT2_MAGIC,
	.root_ino = EXT2_ROOT_INO,
	.mount = ext2_mount,
	.unmount = ext2_unmount,
	.vget = ext2_vget,
	.sync = ext2_sync,
	.statfs = ext2_statfs,
};
