// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "umem_pool.h"

int fp_umem_pool_init(struct fp_umem_pool *p, __u32 size, __u32 frame_size)
{
	__u32 i;

	p->addrs = calloc(size, sizeof(*p->addrs));
	if (!p->addrs)
		return -ENOMEM;
	/* Lowest address on top: the first frames used are the first. */
	for (i = 0; i < size; i++)
		p->addrs[i] = (__u64)(size - 1 - i) * frame_size;
	p->n_free = size;
	p->size = size;
	return 0;
}

void fp_umem_pool_fini(struct fp_umem_pool *p)
{
	free(p->addrs);
	p->addrs = NULL;
	p->n_free = p->size = 0;
}
