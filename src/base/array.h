/* Array(T): a growable array of T, in the style of tree-sitter's lib/src/array.h.
 *
 *   Array(int) xs = ARRAY_EMPTY;
 *   array_push(&xs, 42);
 *   array_delete(&xs);
 *
 * The array owns its buffer; array_delete frees it and leaves an empty array. Growth aborts on
 * out-of-memory (see xalloc.h): input size caps keep that out of an attacker's reach. */
#ifndef NODEHINT_BASE_ARRAY_H
#define NODEHINT_BASE_ARRAY_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define Array(T)         \
  struct {               \
    T *items;            \
    uint32_t size;       \
    uint32_t capacity;   \
  }

#define ARRAY_EMPTY {NULL, 0, 0}

#define array_init(a) ((a)->items = NULL, (a)->size = 0, (a)->capacity = 0)

#define array_reserve(a, n) \
  array__reserve((void **)&(a)->items, &(a)->capacity, (n), sizeof(*(a)->items))

#define array_grow_by(a, n)                                                                \
  (array__reserve((void **)&(a)->items, &(a)->capacity, (a)->size + (n), sizeof(*(a)->items)), \
   (a)->size += (n))

#define array_push(a, ...)                                                                 \
  (array__reserve((void **)&(a)->items, &(a)->capacity, (a)->size + 1, sizeof(*(a)->items)), \
   (a)->items[(a)->size++] = (__VA_ARGS__))

#define array_pop(a) ((a)->items[--(a)->size])
#define array_back(a) (&(a)->items[(a)->size - 1])
#define array_clear(a) ((a)->size = 0)
#define array_delete(a) (free((a)->items), array_init(a))

static inline void array__reserve(void **items, uint32_t *capacity, uint32_t wanted,
                                  size_t item_size) {
  if (wanted <= *capacity) return;
  uint32_t grown = *capacity ? *capacity * 2 : 8;
  if (grown < wanted) grown = wanted;
  *items = xrealloc(*items, (size_t)grown * item_size);
  *capacity = grown;
}

#endif
