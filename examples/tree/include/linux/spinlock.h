/* Spinlocks and the read/write lock guarding a mapping's page tree. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

typedef struct {
	volatile int locked;
} spinlock_t;

typedef struct {
	volatile int readers;
	volatile int writer;
} rwlock_t;

extern void spin_lock(spinlock_t *lock);
extern void spin_unlock(spinlock_t *lock);
extern void write_lock_irq(rwlock_t *lock);
extern void write_unlock_irq(rwlock_t *lock);

#endif
