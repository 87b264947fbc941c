/* WalkMask: what a partial walk covers. Its own header so that analyze.h can name it without
 * pulling in the walk's internals. */
#ifndef NODEHINT_ANALYSIS_WALK_MASK_H
#define NODEHINT_ANALYSIS_WALK_MASK_H

#include <stdint.h>

/* Which statements a partial walk covers (units.h): of the children of the node whose id is
 * `container` (the root, or the body of a wrapper the whole file is in), only those i with
 * units[i] != 0 are walked; everything outside the container is walked. */
typedef struct WalkMask {
  const void *container;    /* TSNode.id, in the tree being walked */
  uint32_t container_start; /* its start byte */
  const uint8_t *units;     /* per child of the container; NULL: all */
} WalkMask;

#endif
