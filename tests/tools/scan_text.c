/*
 * scan_text.c - run the representation rule over text on standard
 * input, paragraph by paragraph (blank lines and form feeds separate
 * them, as pdftotext writes them), with the patterns of the rules file
 * named on the command line.  Prints each match and exits 1 when there
 * is one, 2 when the rules file cannot be used: the end-to-end tests
 * feed it the text of every generated document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"

static void
scan(const struct rules_text *r, struct buf *para, unsigned *found)
{
	struct rules_text_match m;

	if (para->len > 0 && rules_text_find(r, para->ptr, &m)) {
		printf("prohibited wording \"%.*s\" (%s) in: %.200s\n",
		    (int)(m.end - m.start), para->ptr + m.start, m.category,
		    para->ptr);
		(*found)++;
	}
	buf_reset(para);
}

int
main(int argc, char *argv[])
{
	struct buf para = BUF_INIT, text = BUF_INIT;
	struct rules_text *r;
	char line[8192], *err = NULL;
	unsigned found = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: scan_text RULES-FILE < TEXT\n");
		return 2;
	}
	if (!buf_read_file(&text, argv[1], 1024 * 1024)) {
		perror(argv[1]);
		return 2;
	}
	if ((r = rules_text_compile(text.ptr, text.len, argv[1], &err)) ==
	    NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		buf_free(&text);
		return 2;
	}
	buf_free(&text);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *s = line;

		if (*s == '\f')
			s++;
		if (s[strspn(s, " \t\r\n")] == '\0' || s != line) {
			scan(r, &para, &found);
			if (s == line)
				continue;
		}
		buf_adds(&para, s);
	}
	scan(r, &para, &found);
	buf_free(&para);
	rules_text_free(r);
	return found ? 1 : 0;
}
