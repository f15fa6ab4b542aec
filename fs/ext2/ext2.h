/*
 * ext2, revision 1 (the "Second Extended Filesystem" layout as documented
 * by its authors and in e2fsprogs): on-disk structures, little-endian like
 * RISC-V, and the in-memory state of a mounted file system and its inodes.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include "dev/blk.h"
#include "fs/vnode.h"

#define EXT2_SUPER_OFFSET	1024
#define EXT2_MAGIC		0xef53
#define EXT2_ROOT_INO		2
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_MAX_DIR_DEPTH	64	/* ".." walks longer than this are loops */

/* s_feature_incompat */
#define EXT2_FEATURE_INCOMPAT_FILETYPE	0x0002
/* s_feature_ro_compat */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR	0x0004
#define EXT2_RO_COMPAT_SUPPORTED	0x0007

/* i_flags */
#define EXT2_INDEX_FL		0x00001000	/* hashed directory index */

/* dir entry file_type */
#define EXT2_FT_UNKNOWN		0
#define EXT2_FT_REG_FILE	1
#define EXT2_FT_DIR		2
#define EXT2_FT_CHRDEV		3
#define EXT2_FT_BLKDEV		4
#define EXT2_FT_FIFO		5
#define EXT2_FT_SOCK		6
#define EXT2_FT_SYMLINK		7

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algo_usage_bitmap;
	uint8_t s_pad[820];
};

_Static_assert(sizeof(struct ext2_super) == 1024, "superblock size");

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
};

_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor size");

struct ext2_dinode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte units */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;		/* i_dir_acl in revision 0 */
	uint32_t i_faddr;
	uint8_t i_osd2[12];
};

_Static_assert(sizeof(struct ext2_dinode) == 128, "inode size");

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
};

#define EXT2_DIRENT_SIZE(namelen)	roundup2(8 + (namelen), 4)

/*
 * A mounted ext2 file system.
 * Lock legend: (a) e2_alloc_lock (an sx: allocation may do I/O);
 * (c) constant after mount.
 */
struct ext2_mount {
	struct mount *e2_mp;		/* (c) */
	struct blkdev *e2_dev;		/* (c) */
	struct sx e2_alloc_lock;
	struct ext2_super e2_sb;	/* (a) in-memory copy */
	struct ext2_group_desc *e2_gd;	/* (a) all group descriptors */
	uint32_t e2_ngroups;		/* (c) */
	uint32_t e2_bsize;		/* (c) block size */
	uint32_t e2_isize;		/* (c) on-disk inode size */
	uint32_t e2_first_ino;		/* (c) */
	uint32_t e2_gd_blocks;		/* (c) blocks of group descriptors */
	uint32_t e2_ptrs;		/* (c) block numbers per block */
	bool e2_filetype;		/* (c) dirents carry a file type */
	bool e2_dirty_super;		/* (a) superblock/descriptors need writing */
};

/*
 * An in-memory inode, the v_data of its vnode.
 * Lock legend: (l) the vnode's v_lock; (b) i_bmap_lock, guarding i_block
 * and i_blocks (taken by the pager, which may not take v_lock).
 */
struct ext2_inode {
	struct vnode *i_vnode;
	struct ext2_mount *i_e2;
	uint32_t i_ino;
	struct sx i_bmap_lock;
	struct ext2_dinode i_din;	/* (l) and (b), see above */
	bool i_dirty;			/* (l) i_din must be written */
};

static inline struct ext2_inode *
VTOI(struct vnode *vp)
{
	return vp->v_data;
}

/* Files of 2 GiB and more need the large-file flag (and revision 1). */
#define EXT2_MAX_SMALL_FILE	0x7fffffffULL

/* ext2_vfsops.c */
uint64_t ext2_max_file_size(uint32_t bsize, uint32_t rev_level);

/* ext2_subr.c */
int ext2_read_inode(struct ext2_mount *e2, uint32_t ino, struct ext2_dinode *din);
int ext2_write_inode(struct ext2_inode *ip);
uint64_t ext2_isize(const struct ext2_dinode *din);
void ext2_set_isize(struct ext2_dinode *din, uint64_t size);
int ext2_bmap(struct ext2_inode *ip, uint64_t lblk, bool alloc, uint64_t *pblk);
int ext2_truncate_blocks(struct ext2_inode *ip, uint64_t size);
int ext2_balloc(struct ext2_mount *e2, uint32_t goal, uint32_t *bno);
void ext2_bfree(struct ext2_mount *e2, uint32_t bno);
int ext2_ialloc(struct ext2_mount *e2, uint32_t dir_ino, bool isdir,
    uint32_t *ino);
void ext2_ifree(struct ext2_mount *e2, uint32_t ino, bool isdir);
int ext2_write_super(struct ext2_mount *e2);
int ext2_note_file_size(struct ext2_mount *e2, uint64_t size);
bool ext2_block_ok(const struct ext2_mount *e2, uint32_t bno);
uint32_t ext2_now(void);

/* ext2_dir.c */
int ext2_dir_lookup(struct ext2_inode *dp, const char *name, size_t len,
    uint32_t *ino, uint64_t *offset);
int ext2_dir_add(struct ext2_inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t type);
int ext2_dir_remove(struct ext2_inode *dp, const char *name, size_t len);
int ext2_dir_set(struct ext2_inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t type);
int ext2_dir_isempty(struct ext2_inode *dp, bool *empty);
int ext2_dir_init(struct ext2_inode *dp, uint32_t parent_ino);
int ext2_dir_readdir(struct ext2_inode *dp, uint64_t *cookie, readdir_fn fn,
    void *arg);

int ext2_vget(struct mount *mp, uint64_t ino, struct vnode *vp);

extern const struct vnode_ops ext2_vnode_ops;
extern const struct vfs_ops ext2_vfs_ops;

#endif
