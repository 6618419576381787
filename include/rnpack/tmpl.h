/*
 * tmpl.h - document templates: the wording and layout of a document as a
 * text file legal staff can edit (the language is described in
 * templates/README).  A template is compiled once per run into an op
 * tree and then evaluated against each case's data (tval.h) into a
 * document model (ddoc.h).  Evaluation never changes the template, so
 * one compiled template serves every thread.
 */
#ifndef RNPACK_TMPL_H
#define RNPACK_TMPL_H

#include <stdbool.h>
#include <stddef.h>

struct tmpl;
struct tval;
struct ddoc;

/*
 * Says whether a data path exists in the document data ("case.id",
 * "notice.offenses[].description" for fields of list items), so that a
 * misspelt placeholder is a template error when the run starts, not a
 * blank in a legal document.  NULL accepts every path.
 */
typedef bool (*tmpl_known_fn)(const char *path);

/*
 * Compile template text.  name is used in messages.  Returns NULL and
 * sets *err ("name:line: reason", caller frees) on any error.
 */
struct tmpl	*tmpl_parse(const char *name, const char *text, size_t len,
		    tmpl_known_fn known, char **err);
/* Read and compile a template file. */
struct tmpl	*tmpl_load(const char *path, tmpl_known_fn known, char **err);
/*
 * The same, and when sha256 is not NULL, the SHA-256 (lowercase hex,
 * DIGEST_HEX_SIZE bytes) of the bytes that were compiled.
 */
struct tmpl	*tmpl_load_hashed(const char *path, tmpl_known_fn known,
		    char *sha256, char **err);
void		 tmpl_free(struct tmpl *);
/* The @language of the template ("en" by default). */
const char	*tmpl_language(const struct tmpl *);

/* Evaluate against data; returns a new document (free with ddoc_free). */
struct ddoc	*tmpl_eval(const struct tmpl *, const struct tval *data);

#endif
