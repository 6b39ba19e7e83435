/* Atomic counters, written as plain C; the race simulator gives them their atomic meaning. */
#ifndef _ASM_GENERIC_ATOMIC_H
#define _ASM_GENERIC_ATOMIC_H

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	return v->counter;
}

static inline void atomic_set(atomic_t *v, int i)
{
	v->counter = i;
}

static inline void atomic_inc(atomic_t *v)
{
	v->counter++;
}

static inline void atomic_dec(atomic_t *v)
{
	v->counter--;
}

static inline int atomic_dec_and_test(atomic_t *v)
{
	return --v->counter == 0;
}

/* Barriers are no-ops here; the simulator treats each atomic step as sequentially consistent. */
#define smp_mb__before_atomic_dec()	do { } while (0)
#define smp_mb__after_atomic_dec()	do { } while (0)
#define smp_mb__before_clear_bit()	do { } while (0)
#define smp_mb__after_clear_bit()	do { } while (0)

#endif
