/*
 * arena.c: a region allocator, one per fetched document, released at once.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

struct block {
  struct block *next;
  size_t size, used;
  max_align_t data[]; /* keeps every allocation aligned */
};

struct mw_arena {
  struct block *head;
  size_t block_size;
  size_t max;  /* 0 = unbounded */
  size_t used; /* bytes handed out */
};

struct mw_arena *mw_arena_new(size_t block_size, size_t max) {
  struct mw_arena *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->block_size = block_size ? block_size : 16384;
  a->max = max;
  return a;
}

void mw_arena_free(struct mw_arena *a) {
  if (!a) return;
  struct block *b = a->head;
  while (b) {
    struct block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void *mw_arena_alloc(struct mw_arena *a, size_t n) {
  const size_t align = _Alignof(max_align_t);
  if (n == 0) n = 1;
  if (n > SIZE_MAX - align) return NULL;
  n = (n + align - 1) / align * align;
  if (a->max && (n > a->max || a->used > a->max - n)) return NULL;
  struct block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > a->block_size ? n : a->block_size;
    b = malloc(sizeof *b + size);
    if (!b) return NULL;
    b->size = size;
    b->used = 0;
    /* A big allocation gets a block of its own behind the current one so
     * the current block's free space is not wasted. */
    if (a->head && size > a->block_size) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  a->used += n;
  return p;
}

char *mw_arena_strndup(struct mw_arena *a, const char *s, size_t n) {
  char *p = mw_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *mw_arena_strdup(struct mw_arena *a, const char *s) {
  return s ? mw_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t mw_arena_used(const struct mw_arena *a) { return a->used; }
