/*
 * Intrusive doubly-linked circular lists.  A struct list is both the head
 * of a list and the link embedded in each element; an empty head points to
 * itself.  The caller provides whatever locking the list needs.
 */
#ifndef KERN_LIST_H
#define KERN_LIST_H

#include "kern/types.h"

struct list {
	struct list *next;
	struct list *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

static inline void
list_init(struct list *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool
list_empty(const struct list *head)
{
	return head->next == head;
}

static inline void
list_insert_after(struct list *pos, struct list *node)
{
	node->next = pos->next;
	node->prev = pos;
	pos->next->prev = node;
	pos->next = node;
}

static inline void
list_insert_tail(struct list *head, struct list *node)
{
	list_insert_after(head->prev, node);
}

static inline void
list_insert_head(struct list *head, struct list *node)
{
	list_insert_after(head, node);
}

static inline void
list_remove(struct list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->next = node->prev = NULL;
}

/* First element's link, or NULL if the list is empty. */
static inline struct list *
list_first(const struct list *head)
{
	return list_empty(head) ? NULL : head->next;
}

#endif
