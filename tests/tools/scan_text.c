/*
 * scan_text.c - run the representation rule (rules_find_representation)
 * over text on standard input, paragraph by paragraph (blank lines and
 * form feeds separate them, as pdftotext writes them).  Prints each
 * match and exits 1 when there is one: the end-to-end tests feed it the
 * text of every generated document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"

static int
scan(struct buf *para, unsigned *found)
{
	char phrase[128];

	if (para->len > 0 && rules_find_representation(para->ptr, phrase,
	    sizeof(phrase))) {
		printf("prohibited wording \"%s\" in: %.200s\n", phrase,
		    para->ptr);
		(*found)++;
	}
	buf_reset(para);
	return 0;
}

int
main(void)
{
	struct buf para = BUF_INIT;
	char line[8192];
	unsigned found = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *s = line;

		if (*s == '\f')
			s++;
		if (s[strspn(s, " \t\r\n")] == '\0' || s != line) {
			scan(&para, &found);
			if (s == line)
				continue;
		}
		buf_adds(&para, s);
	}
	scan(&para, &found);
	buf_free(&para);
	return found ? 1 : 0;
}
