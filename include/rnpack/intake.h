/*
 * intake.h - reading untrusted XML (case files, the policy file) safely,
 * validating it against the shipped XSD, and loading it into the typed
 * models of case.h and policy.h.
 *
 * Only the intake files (src/xmlsafe.c, src/case_xml.c, src/policy_xml.c)
 * see libxml2.  Nothing here expands entities, loads a DTD, follows a
 * catalogue or touches the network; a DOCTYPE is refused outright.
 *
 * Threads: call intake_init() once in the main thread before anything
 * else, intake_thread_init() at the start of every thread that loads, and
 * intake_new() before workers start; a struct intake is then shared
 * read-only by all threads.
 */
#ifndef RNPACK_INTAKE_H
#define RNPACK_INTAKE_H

#include <stdbool.h>
#include <stdint.h>

struct case_doc;
struct policy;
struct intake;

/* Why a file could not be loaded. */
struct load_error {
	unsigned	 line;		/* 0 = the file as a whole */
	char		*message;	/* clerk-readable, input escaped */
	char		*case_id;	/* the id, when it was readable */
	bool		 plain;		/* message quotes nothing of the
					 * file's contents (it could not be
					 * read): safe on a console */
};

#define INTAKE_MAX_BYTES	(8u * 1024 * 1024)	/* per input file */

void	intake_init(void);
void	intake_thread_init(void);
void	intake_cleanup(void);

/*
 * Compile the case schema.  On failure returns NULL and sets *err to a
 * message the caller frees.
 */
struct intake	*intake_new(const char *case_xsd, char **err);
void		 intake_free(struct intake *);

/*
 * Load and check one case file.  as_of bounds the date of birth.
 * Returns the case (free with case_free()) and leaves *err empty, or
 * NULL with *err filled in (free with load_error_free()).
 */
struct case_doc	*intake_load_case(const struct intake *, const char *path,
		    int32_t as_of, struct load_error *err);

/*
 * Load a policy file over the values already in *p (usually the
 * defaults).  Returns false with *err filled in on any problem.
 */
bool	intake_load_policy(const char *policy_xsd, const char *path,
	    struct policy *p, struct load_error *err);

void	load_error_free(struct load_error *);

#endif
