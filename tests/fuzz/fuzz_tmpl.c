/*
 * fuzz_tmpl.c - the template compiler, and evaluation of whatever
 * compiles over a real case's data: a template is trusted less than the
 * code (legal staff edit it), so no text may crash the run or put
 * memory contents into a page.
 */
#include "fuzz_common.h"

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/docmodel.h"
#include "rnpack/intake.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"

static struct tval *model;	/* one case's data, read-only */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct policy pol;
	struct rules_context rc;
	struct evaluation ev;
	struct load_error err;
	struct intake *in;
	struct case_doc *c;
	char *msg = NULL;
	int32_t as_of = date_from_ymd(2024, 3, 14);

	(void)argc;
	(void)argv;
	intake_init();
	intake_thread_init();
	policy_defaults(&pol);
	if ((in = intake_new("schema/case-1.xsd", &msg)) == NULL ||
	    (c = intake_load_case(in, "samples/complete-red-notice.xml",
	    as_of, &err)) == NULL) {
		fprintf(stderr, "fuzz_tmpl: run from the source tree\n");
		exit(1);
	}
	memset(&rc, 0, sizeof(rc));
	rc.policy = &pol;
	rc.as_of = as_of;
	rules_evaluate(c, &rc, &ev);
	model = docmodel_build(c, &ev, &pol, as_of, DOCS_ALL);
	evaluation_free(&ev);
	case_free(c);
	intake_free(in);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct tmpl *t = tmpl_parse("fuzz.tmpl", (const char *)data, size,
	    docmodel_known, &err);

	if (t == NULL) {
		if (err == NULL)
			abort();	/* a refusal always says why */
		free(err);
		return 0;
	}
	ddoc_free(tmpl_eval(t, model));
	tmpl_free(t);
	return 0;
}
