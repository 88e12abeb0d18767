/* vec: growable arrays. See vec.h. */
#include "vec.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vec_grow(void *pv, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return 0;
	if (!size)
		return -ENOMEM;
	size_t nc = *cap ? *cap : (first ? first : 1);
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return -ENOMEM;
		nc *= 2;
	}
	if (nc > SIZE_MAX / size)
		return -ENOMEM;
	void *v;
	memcpy(&v, pv, sizeof v);
	void *nv = realloc(v, nc * size);
	if (!nv)
		return -ENOMEM;
	memcpy(pv, &nv, sizeof nv);
	*cap = nc;
	return 0;
}
