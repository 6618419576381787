/*
 * entry_fixture.h - a run_entry (report.h) as the batch makes one, for
 * the unit tests of the summary writers; free with run_entry_free().
 */
#ifndef RNPACK_TEST_ENTRY_FIXTURE_H
#define RNPACK_TEST_ENTRY_FIXTURE_H

#include <string.h>

#include "rnpack/report.h"

static inline struct run_entry
entry(const char *source, const char *id, enum case_status st)
{
	struct run_entry e;

	memset(&e, 0, sizeof(e));
	e.source = strdup(source);
	e.case_id = id ? strdup(id) : NULL;
	e.status = st;
	findings_init(&e.findings);
	return e;
}

#endif
