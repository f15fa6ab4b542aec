/*
 * File permissions: discretionary access control as Linux's
 * generic_permission, for the current process's file-system ids
 * (cr_fsuid, cr_fsgid and the supplementary groups; access(2) asks for
 * the real ids instead, for its whole path walk: td_access_real).  A
 * file's owner gets the owner bits, else a member of its group the group
 * bits, else everyone the other bits, and only that class counts (an
 * owner denied by the owner bits is denied even if the other bits would
 * allow).  A file-system uid of 0 is root
 * (CAP_DAC_OVERRIDE): it reads, writes and searches everything, and
 * executes a file that has at least one execute bit.
 *
 * The checks are made where Linux makes them: search (x) on each
 * directory a path walks through (namei), read or write on open as its
 * access mode and O_TRUNC ask, write and search on a directory whose
 * entries change (create, mkdir, mknod, symlink, link, unlink, rmdir,
 * rename), the sticky bit's owner rule for removing and renaming, owner
 * or root for chmod and explicit times, root for giving a file away
 * (chown).  Files are created owned by the creator's file-system ids, the
 * group being the directory's when it has the set-group-ID bit.  Without
 * root, a write or truncate drops the file's set-ID bits.  A file system
 * may have its own rule for a file (its access op, Linux's permission
 * op: procfs), which then decides for root too.
 *
 * The process's own credentials are read unlocked, a word at a time, as
 * kern_cred.c allows; a thread changing them meanwhile races the check
 * as it would on Linux without its RCU-protected creds.
 */
#include "fs/vnode.h"
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/proc.h"
#include "kern/thread.h"

/*
 * May (uid, gid, cr's groups) have the access `want' (a mask of R_OK,
 * W_OK, X_OK) to the file va describes?  0 or EACCES.
 */
static int
vaccess(const struct vattr *va, int want, uint32_t uid, uint32_t gid,
    const struct ucred *cr)
{
	uint32_t bits = va->va_mode;

	if (uid == 0)
		return !(want & X_OK) || vattr_root_may_exec(va) ? 0 : EACCES;
	if (va->va_uid == uid)
		bits >>= 6;
	else if (va->va_gid == gid || cred_in_groups(cr, va->va_gid))
		bits >>= 3;
	return ((uint32_t)want & ~bits & 7) == 0 ? 0 : EACCES;
}

/* Is gid cr's file-system gid or one of its groups (Linux's in_group_p)? */
static bool
fsgid_member(const struct ucred *cr, uint32_t gid)
{
	return gid == cr->cr_fsgid || cred_in_groups(cr, gid);
}

/* The current process's credentials; the kernel's own work (boot's
 * mounts, before any process) is root's. */
const struct ucred *
vfs_cred(void)
{
	static const struct ucred kernel_cred;	/* all ids 0 */
	struct proc *p = curproc();

	return p != NULL ? &p->p_cred : &kernel_cred;
}

/*
 * The ids files are checked for: the file-system ids, or the real ones
 * while the thread is in access(2) (td_access_real, as Linux's faccessat
 * overrides the credentials for its whole lookup).
 */
static void
cur_ids(const struct ucred *cr, uint32_t *uid, uint32_t *gid)
{
	struct thread *td = curthread();
	bool real = td != NULL && td->td_access_real;

	*uid = real ? cr->cr_ruid : cr->cr_fsuid;
	*gid = real ? cr->cr_rgid : cr->cr_fsgid;
}

/* Is the current process root for files (file-system uid 0)? */
bool
vfs_root_ids(void)
{
	uint32_t uid, gid;

	cur_ids(vfs_cred(), &uid, &gid);
	return uid == 0;
}

/*
 * vaccess for the current process's file-system ids on vp, whose lock
 * the caller holds, or the file system's own rule where it has one (its
 * access op: procfs).  Root reads and writes without a look at the file
 * where the generic rule holds.
 */
int
vn_access_locked(struct vnode *vp, int want)
{
	const struct ucred *cr = vfs_cred();
	struct vattr va;
	uint32_t uid, gid;
	int error;

	if (vp->v_ops->access != NULL)
		return vp->v_ops->access(vp, want);
	cur_ids(cr, &uid, &gid);
	if (uid == 0 && !(want & X_OK))
		return 0;
	error = vp->v_ops->getattr(vp, &va);
	return error != 0 ? error : vaccess(&va, want, uid, gid, cr);
}

/* The same with vp unlocked (taken and dropped here). */
int
vn_access(struct vnode *vp, int want)
{
	int error;

	if (vfs_root_ids() && !(want & X_OK) && vp->v_ops->access == NULL)
		return 0;
	sx_xlock(&vp->v_lock);
	error = vn_access_locked(vp, want);
	sx_xunlock(&vp->v_lock);
	return error;
}

/*
 * Search permission on the directory dvp (unlocked), for a path walk.
 * Root searches everything without a look at the directory (procfs's
 * own rule lets it too), so a privileged walk costs nothing more than it
 * did.
 */
int
vn_may_search(struct vnode *dvp)
{
	return vfs_root_ids() ? 0 : vn_access(dvp, X_OK);
}

/* vaccess for the current process's ids (cur_ids) on va. */
int
vattr_access(const struct vattr *va, int want)
{
	const struct ucred *cr = vfs_cred();
	uint32_t uid, gid;

	cur_ids(cr, &uid, &gid);
	return vaccess(va, want, uid, gid, cr);
}

/* May the current process change va's mode or set its times explicitly
 * (its owner, or root)?  0 or EPERM. */
int
vattr_may_own(const struct vattr *va)
{
	uint32_t uid = vfs_cred()->cr_fsuid;

	return uid == 0 || uid == va->va_uid ? 0 : EPERM;
}

/*
 * The mode a chmod to `mode' by the current process gives the file va
 * describes: as Linux's, without CAP_FSETID (root) the set-group-ID bit
 * is dropped unless the caller is in the file's group.
 */
uint32_t
vattr_chmod_mode(const struct vattr *va, uint32_t mode)
{
	const struct ucred *cr = vfs_cred();

	if (cr->cr_fsuid != 0 && !fsgid_member(cr, va->va_gid))
		mode &= ~(uint32_t)S_ISGID;
	return mode;
}

/*
 * The permission bits a change of owner or group leaves the file va
 * describes (not a directory), as Linux's chown: S_ISUID goes, and
 * S_ISGID with group execute (without it the bit means mandatory
 * locking, and stays).
 */
uint32_t
vattr_chown_mode(const struct vattr *va)
{
	uint32_t mode = va->va_mode & 07777 & ~(uint32_t)S_ISUID;

	if (va->va_mode & 0010)
		mode &= ~(uint32_t)S_ISGID;
	return mode;
}

/*
 * A write or truncate by the current process of the regular file vp
 * (locked), as Linux's file_remove_privs and do_truncate: unless it is
 * root (CAP_FSETID), the file loses its set-user-ID bit, and its
 * set-group-ID bit if group execute is set or the caller is not in the
 * file's group (Linux 6.2's setattr_should_drop_sgid; without group
 * execute the bit means mandatory locking to a member, and stays).
 */
int
vn_drop_privs_locked(struct vnode *vp)
{
	const struct ucred *cr = vfs_cred();
	struct vattr va;
	uint32_t mode;
	int error;

	if (cr->cr_fsuid == 0 || vp->v_type != VREG)
		return 0;
	error = vp->v_ops->getattr(vp, &va);
	if (error != 0)
		return error;
	mode = va.va_mode & 07777 & ~(uint32_t)S_ISUID;
	if ((va.va_mode & 0010) || !fsgid_member(cr, va.va_gid))
		mode &= ~(uint32_t)S_ISGID;
	return mode != (va.va_mode & 07777) ? vp->v_ops->setmode(vp, mode) : 0;
}

/* The same with vp unlocked (taken and dropped here). */
int
vn_drop_privs(struct vnode *vp)
{
	int error;

	if (vfs_cred()->cr_fsuid == 0)
		return 0;
	sx_xlock(&vp->v_lock);
	error = vn_drop_privs_locked(vp);
	sx_xunlock(&vp->v_lock);
	return error;
}

/*
 * May the current process give vp (locked; attributes va) the owner uid
 * and group gid (VNOVAL: unchanged)?  As Linux's chown_ok/chgrp_ok: root
 * may; the owner may keep its uid and give the file one of its own
 * groups.  0 or EPERM.
 */
int
vattr_may_chown(const struct vattr *va, uint32_t uid, uint32_t gid)
{
	const struct ucred *cr = vfs_cred();

	if (cr->cr_fsuid == 0)
		return 0;
	if (uid != VNOVAL && uid != va->va_uid)
		return EPERM;
	if (gid != VNOVAL && gid != va->va_gid && (va->va_uid != cr->cr_fsuid ||
	    !fsgid_member(cr, gid)))
		return EPERM;
	if (uid == VNOVAL && gid == VNOVAL)
		return 0;
	return va->va_uid == cr->cr_fsuid ? 0 : EPERM;
}

/*
 * May the entries of directory dvp (locked) change: write and search on
 * it.  With vp (the entry's file, or NULL), the sticky bit's rule too: in
 * a sticky directory only the file's owner, the directory's or root may
 * remove or rename it (EPERM).  0, EACCES or EPERM.
 */
int
vn_may_change_dir(struct vnode *dvp, struct vnode *vp)
{
	const struct ucred *cr = vfs_cred();
	struct vattr dva, va;
	int error;

	if (cr->cr_fsuid == 0)
		return 0;
	error = dvp->v_ops->getattr(dvp, &dva);
	if (error == 0)
		error = vaccess(&dva, W_OK | X_OK, cr->cr_fsuid, cr->cr_fsgid, cr);
	if (error != 0 || vp == NULL || !(dva.va_mode & S_ISVTX) ||
	    dva.va_uid == cr->cr_fsuid)
		return error;
	sx_xlock(&vp->v_lock);
	error = vp->v_ops->getattr(vp, &va);
	sx_xunlock(&vp->v_lock);
	if (error == 0 && va.va_uid != cr->cr_fsuid)
		error = EPERM;
	return error;
}

/*
 * vp (unlocked) was just made in directory dvp (locked) by the current
 * process: it belongs to the creator's file-system uid, and to its
 * file-system gid unless dvp has the set-group-ID bit, whose group it
 * takes then (and a new directory the bit, as on Linux).  File systems
 * create everything as root's, so root's own files need nothing more.
 */
int
vn_set_creator(struct vnode *dvp, struct vnode *vp)
{
	const struct ucred *cr = vfs_cred();
	struct vattr dva, va;
	uint32_t gid = cr->cr_fsgid;
	int error = dvp->v_ops->getattr(dvp, &dva);

	if (error != 0)
		return error;
	if (dva.va_mode & S_ISGID)
		gid = dva.va_gid;
	if (cr->cr_fsuid == 0 && gid == 0 && !(dva.va_mode & S_ISGID))
		return 0;
	sx_xlock(&vp->v_lock);
	error = vp->v_ops->setowner(vp, cr->cr_fsuid, gid);
	if (error == 0 && vp->v_type == VDIR && (dva.va_mode & S_ISGID) &&
	    (error = vp->v_ops->getattr(vp, &va)) == 0)
		error = vp->v_ops->setmode(vp, (va.va_mode & 07777) | S_ISGID);
	sx_xunlock(&vp->v_lock);
	return error;
}
