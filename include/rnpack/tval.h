/*
 * tval.h - the document data a template sees: a small tree of maps,
 * lists, strings, booleans and dates, built per case by docmodel.c.
 *
 * Templates name values by dotted paths ("subject.familyName").  The
 * tree owns every node and string; tval_free() on the root frees all.
 */
#ifndef RNPACK_TVAL_H
#define RNPACK_TVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tval_kind {
	TVAL_NULL,
	TVAL_STR,
	TVAL_BOOL,
	TVAL_DATE,
	TVAL_LIST,
	TVAL_MAP
};

struct tval;

struct tval	*tval_new_map(void);
void		 tval_free(struct tval *);

/* Setters on a map; key is copied; a NULL string stores TVAL_NULL. */
void		 tval_set_str(struct tval *map, const char *key, const char *s);
/*
 * A name: a string, marked own_lang when it is written in its bearer's
 * language (namelang.h), which the documents then tag with that
 * language.  tval_set_own_lang() marks a map (a person, for the name
 * formatter); tval_own_lang() reads the mark (false for NULL).
 */
void		 tval_set_name(struct tval *map, const char *key,
		    const char *s, bool own_lang);
void		 tval_set_own_lang(struct tval *, bool own_lang);
bool		 tval_own_lang(const struct tval *);
void		 tval_set_bool(struct tval *map, const char *key, bool b);
void		 tval_set_date(struct tval *map, const char *key, int32_t day);
void		 tval_set_int(struct tval *map, const char *key, long v);
/* New child map or list under key; owned by the parent. */
struct tval	*tval_set_map(struct tval *map, const char *key);
struct tval	*tval_set_list(struct tval *map, const char *key);
/* New map appended to a list. */
struct tval	*tval_list_add_map(struct tval *list);

enum tval_kind	 tval_kind(const struct tval *);	/* NULL -> TVAL_NULL */
const char	*tval_str(const struct tval *);	/* "" unless TVAL_STR */
bool		 tval_bool(const struct tval *);
int32_t		 tval_date(const struct tval *);	/* DATE_NONE unless date */
size_t		 tval_len(const struct tval *);	/* list length, else 0 */
const struct tval *tval_at(const struct tval *, size_t);
/* Children of a map or list in order: count, key (NULL in a list), value. */
size_t		 tval_count(const struct tval *);
const char	*tval_key_at(const struct tval *, size_t);
const struct tval *tval_value_at(const struct tval *, size_t);
/* Child of a map by one key, or NULL. */
const struct tval *tval_child(const struct tval *, const char *key);
/* Follow a dotted path from a map; NULL when any step is missing. */
const struct tval *tval_path(const struct tval *, const char *path);
/* Template truth: non-empty string or list, true, a date, a map. */
bool		 tval_truthy(const struct tval *);

#endif
