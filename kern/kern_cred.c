/*
 * Credentials: each process's real, effective, saved and file-system
 * user and group ids and its supplementary groups (struct ucred,
 * p_cred), with Linux's rules for the set*id calls.  A process is
 * privileged (has CAP_SETUID, CAP_SETGID and CAP_KILL, in Linux's terms)
 * while its effective uid is 0; one that has dropped root may only move
 * its ids among the values it holds, and may signal only processes of
 * its own (kill_permitted).  Files are checked against the file-system
 * ids and the groups by fs/vfs_access.c.
 *
 * Locking: p_cred is written under proc_lock, by the process's own
 * threads; other processes read it under proc_lock, and the process
 * reads its own without it (a word at a time).
 */
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define ID_NONE		((uint32_t)-1)	/* "leave it", and never a valid id */
#define NGROUPS_LINUX	65536		/* Linux's NGROUPS_MAX */

static bool
privileged(const struct ucred *cr)
{
	return cr->cr_euid == 0;
}

/*
 * The four ids of one kind, user or group, of a credential: the set*id
 * rules are the same for both (privilege is always the euid's).
 */
struct idset {
	uint32_t *r, *e, *s, *fs;	/* real, effective, saved, file system */
};

static struct idset
uids_of(struct ucred *cr)
{
	return (struct idset){ &cr->cr_ruid, &cr->cr_euid, &cr->cr_suid,
	    &cr->cr_fsuid };
}

static struct idset
gids_of(struct ucred *cr)
{
	return (struct idset){ &cr->cr_rgid, &cr->cr_egid, &cr->cr_sgid,
	    &cr->cr_fsgid };
}

/* Is id one of the real, effective and saved ids of the set? */
static bool
id_held(struct idset ids, uint32_t id)
{
	return id == *ids.r || id == *ids.e || id == *ids.s;
}

/* Are all three of a real/effective/saved triple id? */
static bool
id_all(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r && id == e && id == s;
}

/*
 * Make cr the current process's credentials.  As on Linux, a process
 * whose effective or file-system ids change is no longer dumpable
 * (fs.suid_dumpable 0).  Takes proc_lock.
 */
static void
cred_commit(const struct ucred *cr)
{
	struct proc *p = curproc();
	const struct ucred *old = &p->p_cred;

	spin_lock(&proc_lock);
	if (old->cr_euid != cr->cr_euid || old->cr_egid != cr->cr_egid ||
	    old->cr_fsuid != cr->cr_fsuid || old->cr_fsgid != cr->cr_fsgid)
		p->p_dumpable = 0;
	p->p_cred = *cr;
	spin_unlock(&proc_lock);
}

/*
 * May the current process send sig to p (kill, tkill, tgkill, sigqueue)?
 * As on Linux: its own, or while privileged, or when its real or
 * effective uid is p's real or saved uid; SIGCONT within the session.
 * proc_lock held.
 */
bool
kill_permitted(struct proc *p, int sig)
{
	struct proc *self = curproc();
	const struct ucred *cr = &self->p_cred, *tc = &p->p_cred;

	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	if (p == self || privileged(cr))
		return true;
	if (cr->cr_euid == tc->cr_suid || cr->cr_euid == tc->cr_ruid ||
	    cr->cr_ruid == tc->cr_suid || cr->cr_ruid == tc->cr_ruid)
		return true;
	return sig == SIGCONT && p->p_sid == self->p_sid;
}

/* Is gid one of cr's supplementary groups (kept sorted: a binary search)? */
bool
cred_in_groups(const struct ucred *cr, uint32_t gid)
{
	int lo = 0, hi = cr->cr_ngroups;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cr->cr_groups[mid] == gid)
			return true;
		if (cr->cr_groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * May the current process look into p's memory and open files through
 * /proc (Linux's ptrace_may_access for PTRACE_MODE_READ_FSCREDS, no
 * security module)?  Its own threads may.  Another process may while it
 * is privileged (CAP_SYS_PTRACE), or when its file-system uid is p's
 * real, effective and saved uid and its file-system gid p's three gids,
 * and then only if p is dumpable or has no memory left (a zombie).  The
 * kernel's own work may.  proc_lock held.
 */
bool
ptrace_read_permitted(struct proc *p)
{
	struct proc *self = curproc();
	const struct ucred *cr, *tc = &p->p_cred;

	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	if (self == NULL || p == self)
		return true;
	cr = &self->p_cred;
	if (privileged(cr))
		return true;
	if (!id_all(cr->cr_fsuid, tc->cr_ruid, tc->cr_euid, tc->cr_suid) ||
	    !id_all(cr->cr_fsgid, tc->cr_rgid, tc->cr_egid, tc->cr_sgid))
		return false;
	return p->p_vmspace == NULL || p->p_dumpable == 1; /* SUID_DUMP_USER */
}

/*
 * Apply new real/effective/saved ids (ID_NONE: keep) of the kind `of`
 * gives to cr, by the rules of setresuid/setresgid.  0 or EPERM.
 */
static int
ids_change(struct ucred *cr, struct idset (*of)(struct ucred *), uint32_t r,
    uint32_t e, uint32_t s)
{
	struct idset ids = of(cr);

	if (!privileged(cr) && ((r != ID_NONE && !id_held(ids, r)) ||
	    (e != ID_NONE && !id_held(ids, e)) ||
	    (s != ID_NONE && !id_held(ids, s))))
		return EPERM;
	if (r != ID_NONE)
		*ids.r = r;
	if (e != ID_NONE)
		*ids.e = e;
	if (s != ID_NONE)
		*ids.s = s;
	*ids.fs = *ids.e;
	return 0;
}

/* Commit cr if error is 0; the system call's return value. */
static int64_t
cred_commit_if(const struct ucred *cr, int error)
{
	if (error == 0)
		cred_commit(cr);
	return -error;
}

int64_t
sys_setresuid(unsigned int ruid, unsigned int euid, unsigned int suid)
{
	struct ucred cr = curproc()->p_cred;

	return cred_commit_if(&cr, ids_change(&cr, uids_of, ruid, euid, suid));
}

int64_t
sys_setresgid(unsigned int rgid, unsigned int egid, unsigned int sgid)
{
	struct ucred cr = curproc()->p_cred;

	return cred_commit_if(&cr, ids_change(&cr, gids_of, rgid, egid, sgid));
}

/*
 * setuid/setgid: privileged, all three ids; else the effective one, to
 * the real or saved id.  EINVAL for -1 (no such id), EPERM.
 */
static int64_t
set_id(struct idset (*of)(struct ucred *), uint32_t id)
{
	struct ucred cr = curproc()->p_cred;
	struct idset ids = of(&cr);
	int error;

	if (id == ID_NONE)
		return -EINVAL;
	if (privileged(&cr))
		error = ids_change(&cr, of, id, id, id);
	else if (id == *ids.r || id == *ids.s)
		error = ids_change(&cr, of, ID_NONE, id, ID_NONE);
	else
		error = EPERM;
	return cred_commit_if(&cr, error);
}

int64_t
sys_setuid(unsigned int uid)
{
	return set_id(uids_of, uid);
}

int64_t
sys_setgid(unsigned int gid)
{
	return set_id(gids_of, gid);
}

/*
 * setreuid/setregid, Linux's rules: unprivileged, the real id may become
 * the effective one, the effective id the real or saved one; the saved
 * id follows the new effective one when the real id is set, or the
 * effective one set to other than the old real id.
 */
static int64_t
set_re_ids(struct idset (*of)(struct ucred *), uint32_t r, uint32_t e)
{
	struct ucred cr = curproc()->p_cred;
	struct idset ids = of(&cr);
	uint32_t old_r = *ids.r;

	if (!privileged(&cr) &&
	    ((r != ID_NONE && r != *ids.r && r != *ids.e) ||
	    (e != ID_NONE && !id_held(ids, e))))
		return -EPERM;
	if (r != ID_NONE)
		*ids.r = r;
	if (e != ID_NONE)
		*ids.e = e;
	if (r != ID_NONE || (e != ID_NONE && e != old_r))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
	return cred_commit_if(&cr, 0);
}

int64_t
sys_setreuid(unsigned int ruid, unsigned int euid)
{
	return set_re_ids(uids_of, ruid, euid);
}

int64_t
sys_setregid(unsigned int rgid, unsigned int egid)
{
	return set_re_ids(gids_of, rgid, egid);
}

/*
 * setfsuid/setfsgid: always return the old file-system id; change it if
 * privileged or to one of the ids held (never to -1).
 */
static int64_t
set_fs_id(struct idset (*of)(struct ucred *), uint32_t id)
{
	struct ucred cr = curproc()->p_cred;
	struct idset ids = of(&cr);
	uint32_t old = *ids.fs;

	if (id != ID_NONE && (privileged(&cr) || id == *ids.fs ||
	    id_held(ids, id))) {
		*ids.fs = id;
		cred_commit(&cr);
	}
	return old;
}

int64_t
sys_setfsuid(unsigned int uid)
{
	return set_fs_id(uids_of, uid);
}

int64_t
sys_setfsgid(unsigned int gid)
{
	return set_fs_id(gids_of, gid);
}

/* Sort a group list, as Linux keeps it (getgroups returns it so). */
static void
groups_sort(uint32_t *g, int n)
{
	for (int i = 1; i < n; i++) {
		uint32_t v = g[i];
		int j = i;

		for (; j > 0 && g[j - 1] > v; j--)
			g[j] = g[j - 1];
		g[j] = v;
	}
}

/*
 * setgroups: privileged only (EPERM first, as Linux), then EINVAL for a
 * count past NGROUPS_MAX, EFAULT for an unreadable list.  This kernel
 * keeps at most NGROUPS_VMK groups: more is EINVAL too.
 */
int64_t
sys_setgroups(int size, uaddr_t list)
{
	struct ucred cr = curproc()->p_cred;

	if (!privileged(&cr))
		return -EPERM;
	if ((unsigned int)size > NGROUPS_LINUX || size > NGROUPS_VMK)
		return -EINVAL;
	if (size > 0 && copyin((void *)list, cr.cr_groups,
	    (size_t)size * sizeof(cr.cr_groups[0])) != 0)
		return -EFAULT;
	cr.cr_ngroups = size;
	groups_sort(cr.cr_groups, size);
	cred_commit(&cr);
	return 0;
}

/* getgroups: with size 0 the count alone; EINVAL for a negative size or
 * one too small for the list. */
int64_t
sys_getgroups(int size, uaddr_t list)
{
	const struct ucred *cr = &curproc()->p_cred;
	int n = cr->cr_ngroups;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if (size < n)
		return -EINVAL;
	if (n > 0 && copyout(cr->cr_groups, (void *)list,
	    (size_t)n * sizeof(cr->cr_groups[0])) != 0)
		return -EFAULT;
	return n;
}

int64_t
sys_getuid(void)
{
	return curproc()->p_cred.cr_ruid;
}

int64_t
sys_geteuid(void)
{
	return curproc()->p_cred.cr_euid;
}

int64_t
sys_getgid(void)
{
	return curproc()->p_cred.cr_rgid;
}

int64_t
sys_getegid(void)
{
	return curproc()->p_cred.cr_egid;
}

/* Store three ids; EFAULT if any pointer is bad. */
static int64_t
three_ids_out(uaddr_t a, uaddr_t b, uaddr_t c, const uint32_t id[3])
{
	if (copyout(&id[0], (void *)a, sizeof(id[0])) != 0 ||
	    copyout(&id[1], (void *)b, sizeof(id[1])) != 0 ||
	    copyout(&id[2], (void *)c, sizeof(id[2])) != 0)
		return -EFAULT;
	return 0;
}

int64_t
sys_getresuid(uaddr_t ruid, uaddr_t euid, uaddr_t suid)
{
	const struct ucred *cr = &curproc()->p_cred;
	const uint32_t id[3] = { cr->cr_ruid, cr->cr_euid, cr->cr_suid };

	return three_ids_out(ruid, euid, suid, id);
}

int64_t
sys_getresgid(uaddr_t rgid, uaddr_t egid, uaddr_t sgid)
{
	const struct ucred *cr = &curproc()->p_cred;
	const uint32_t id[3] = { cr->cr_rgid, cr->cr_egid, cr->cr_sgid };

	return three_ids_out(rgid, egid, sgid, id);
}
