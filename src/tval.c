/*
 * tval.c - the template data tree (see tval.h).  Maps keep insertion
 * order in a small array: documents have a few dozen keys per map, so a
 * linear search is as fast as anything else and keeps output stable.
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/date.h"
#include "rnpack/tval.h"
#include "rnpack/xalloc.h"

struct tval {
	enum tval_kind	 kind;
	char		*str;		/* TVAL_STR */
	bool		 b;		/* TVAL_BOOL */
	int32_t		 day;		/* TVAL_DATE */
	bool		 own_lang;	/* in its bearer's language */
	char		**keys;		/* TVAL_MAP: keys[i] names kids[i] */
	struct tval	**kids;		/* TVAL_MAP, TVAL_LIST */
	size_t		 n;
	size_t		 cap;
};

static struct tval *
node(enum tval_kind k)
{
	struct tval *v = xcalloc(1, sizeof(*v));

	v->kind = k;
	return v;
}

struct tval *
tval_new_map(void)
{
	return node(TVAL_MAP);
}

void
tval_free(struct tval *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys != NULL)
			free(v->keys[i]);
		tval_free(v->kids[i]);
	}
	free(v->keys);
	free(v->kids);
	free(v->str);
	free(v);
}

/* Attach kid under key (replacing an old value) or at the list's end. */
static struct tval *
attach(struct tval *parent, const char *key, struct tval *kid)
{
	if (key != NULL)
		for (size_t i = 0; i < parent->n; i++)
			if (strcmp(parent->keys[i], key) == 0) {
				tval_free(parent->kids[i]);
				parent->kids[i] = kid;
				return kid;
			}
	if (parent->n == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->kids = xreallocarray(parent->kids, parent->cap,
		    sizeof(*parent->kids));
		if (parent->kind == TVAL_MAP)
			parent->keys = xreallocarray(parent->keys, parent->cap,
			    sizeof(*parent->keys));
	}
	if (parent->kind == TVAL_MAP)
		parent->keys[parent->n] = xstrdup(key);
	parent->kids[parent->n++] = kid;
	return kid;
}

void
tval_set_str(struct tval *map, const char *key, const char *s)
{
	tval_set_name(map, key, s, false);
}

void
tval_set_name(struct tval *map, const char *key, const char *s,
    bool own_lang)
{
	struct tval *v = node(s ? TVAL_STR : TVAL_NULL);

	if (s != NULL)
		v->str = xstrdup(s);
	v->own_lang = own_lang;
	attach(map, key, v);
}

void
tval_set_own_lang(struct tval *v, bool own_lang)
{
	v->own_lang = own_lang;
}

bool
tval_own_lang(const struct tval *v)
{
	return v != NULL && v->own_lang;
}

void
tval_set_bool(struct tval *map, const char *key, bool b)
{
	struct tval *v = node(TVAL_BOOL);

	v->b = b;
	attach(map, key, v);
}

void
tval_set_date(struct tval *map, const char *key, int32_t day)
{
	struct tval *v = node(day == DATE_NONE ? TVAL_NULL : TVAL_DATE);

	v->day = day;
	attach(map, key, v);
}

void
tval_set_int(struct tval *map, const char *key, long n)
{
	char *s = xasprintf("%ld", n);

	tval_set_str(map, key, s);
	free(s);
}

struct tval *
tval_set_map(struct tval *map, const char *key)
{
	return attach(map, key, node(TVAL_MAP));
}

struct tval *
tval_set_list(struct tval *map, const char *key)
{
	return attach(map, key, node(TVAL_LIST));
}

struct tval *
tval_list_add_map(struct tval *list)
{
	return attach(list, NULL, node(TVAL_MAP));
}

enum tval_kind
tval_kind(const struct tval *v)
{
	return v ? v->kind : TVAL_NULL;
}

const char *
tval_str(const struct tval *v)
{
	return v && v->kind == TVAL_STR ? v->str : "";
}

bool
tval_bool(const struct tval *v)
{
	return v && v->kind == TVAL_BOOL && v->b;
}

int32_t
tval_date(const struct tval *v)
{
	return v && v->kind == TVAL_DATE ? v->day : DATE_NONE;
}

size_t
tval_len(const struct tval *v)
{
	return v && v->kind == TVAL_LIST ? v->n : 0;
}

const struct tval *
tval_at(const struct tval *v, size_t i)
{
	return v && v->kind == TVAL_LIST && i < v->n ? v->kids[i] : NULL;
}

size_t
tval_count(const struct tval *v)
{
	return v && (v->kind == TVAL_MAP || v->kind == TVAL_LIST) ? v->n : 0;
}

const char *
tval_key_at(const struct tval *v, size_t i)
{
	return v && v->kind == TVAL_MAP && i < v->n ? v->keys[i] : NULL;
}

const struct tval *
tval_value_at(const struct tval *v, size_t i)
{
	return i < tval_count(v) ? v->kids[i] : NULL;
}

const struct tval *
tval_child(const struct tval *v, const char *key)
{
	if (v == NULL || v->kind != TVAL_MAP)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->kids[i];
	return NULL;
}

const struct tval *
tval_path(const struct tval *v, const char *path)
{
	char key[128];

	while (v != NULL && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = tval_child(v, key);
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}

bool
tval_truthy(const struct tval *v)
{
	switch (tval_kind(v)) {
	case TVAL_STR:
		return v->str[0] != '\0';
	case TVAL_BOOL:
		return v->b;
	case TVAL_DATE:
	case TVAL_MAP:
		return true;
	case TVAL_LIST:
		return v->n > 0;
	default:
		return false;
	}
}
