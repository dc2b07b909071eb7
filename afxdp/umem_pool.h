/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The free frames of one umem: a LIFO array of frame addresses. LIFO so
 * that the frame just freed, still warm in the cache, is the next one
 * used. Owned by one poll thread, so no locks. Batch get/put move many
 * addresses with one bounds check.
 */
#ifndef FP_AFXDP_UMEM_POOL_H
#define FP_AFXDP_UMEM_POOL_H

#include <linux/types.h>
#include <string.h>

struct fp_umem_pool {
	__u64 *addrs; /* addrs[0..n_free) are free */
	__u32 n_free;
	__u32 size; /* frames in the umem */
};

/* Every frame of a umem of @size frames of @frame_size bytes free. */
int fp_umem_pool_init(struct fp_umem_pool *p, __u32 size, __u32 frame_size);
void fp_umem_pool_fini(struct fp_umem_pool *p);

/* Up to @n free frames into @out; returns how many (fewer if the pool
 * runs short). */
static inline __u32 fp_umem_pool_get(struct fp_umem_pool *p, __u64 *out,
				     __u32 n)
{
	if (n > p->n_free)
		n = p->n_free;
	p->n_free -= n;
	memcpy(out, &p->addrs[p->n_free], n * sizeof(*out));
	return n;
}

/* One frame, or -1 if none is free. */
static inline long long fp_umem_pool_get1(struct fp_umem_pool *p)
{
	return p->n_free ? (long long)p->addrs[--p->n_free] : -1;
}

/* Give back @n frames. A pool never holds more than its umem's frames:
 * every address put was got before (callers keep that true). */
static inline void fp_umem_pool_put(struct fp_umem_pool *p, const __u64 *in,
				    __u32 n)
{
	memcpy(&p->addrs[p->n_free], in, n * sizeof(*in));
	p->n_free += n;
}

static inline void fp_umem_pool_put1(struct fp_umem_pool *p, __u64 addr)
{
	p->addrs[p->n_free++] = addr;
}

#endif
