/*
 * xmlsafe_int.h - private to the intake files: the hardened read, parse
 * and validate path shared by the case and policy loaders.
 */
#ifndef RNPACK_XMLSAFE_INT_H
#define RNPACK_XMLSAFE_INT_H

#include <stdbool.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

struct load_error;

/*
 * Read path, parse it without entities, DTDs or network, check the root
 * element's name and namespace, validate it against schema.  Returns the
 * document (free with xmlFreeDoc) or NULL with *err filled in.  On
 * failure after the root was read, err->case_id gets a well-formed id
 * when the root has one.  When sha256 is not NULL it receives the
 * digest (lowercase hex, DIGEST_HEX_SIZE bytes) of the very bytes that
 * were parsed, once they are read.
 */
xmlDocPtr	xmlsafe_load(const char *path, xmlSchemaPtr schema,
		    const char *root_name, const char *ns,
		    struct load_error *err, char *sha256);

/* Compile an XSD from a file we ship; NULL with *msg on failure. */
xmlSchemaPtr	xmlsafe_schema(const char *path, char **msg);

/* Set err->line and a formatted message (replacing any earlier one). */
void	xmlsafe_fail(struct load_error *, unsigned line, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A clerk's sentence (caller frees) for one schema validation error or
 * one parse error, from libxml2's error code and fields (str1..str3,
 * int1, the element node); libxml2's own words only for codes case
 * files are not expected to meet.
 */
char	*xmlsafe_schema_message(const xmlError *);
char	*xmlsafe_parse_message(const xmlError *);

/* The clerk-readable description of a field's expected value. */
const char	*xmlsafe_describe(const char *field);

/* Line of a node, BIG_LINES aware. */
unsigned	xmlsafe_line(xmlNodePtr);

/* True when id is 1-64 of [A-Za-z0-9._-] starting with a letter/digit. */
bool	xmlsafe_is_case_id(const char *);

#endif
