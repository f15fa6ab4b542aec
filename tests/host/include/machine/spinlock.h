/*
 * Host tests: spin locks are plain functions (tests/host/kernel_host.c)
 * that check nesting; there are no interrupts to turn off.
 */
#ifndef MACHINE_SPINLOCK_H
#define MACHINE_SPINLOCK_H

void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_owned(const struct spinlock *lk);

#endif
