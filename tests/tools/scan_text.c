/*
 * scan_text.c - run the representation rule over text on standard
 * input, paragraph by paragraph (blank lines and form feeds separate
 * them, as pdftotext writes them), with the patterns of the rules file
 * named on the command line.  Prints each match and exits 1 when there
 * is one, 2 when the rules file cannot be used: the end-to-end tests
 * feed it the text of every generated document.
 *
 *	scan_text RULES-FILE [QUOTED...] < TEXT
 *
 * Each QUOTED argument is text of the case that the documents quote
 * without adopting it (a foreign document's title, the prohibited
 * wording shown in the compliance summary): it is taken out of the
 * text, white space collapsed on both sides, before the scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"

/* s with every run of white space made one space, in place. */
static char *
collapse(char *s)
{
	char *w = s;

	for (const char *p = s; *p != '\0'; p++) {
		if (strchr(" \t\r\n\f", *p) != NULL) {
			if (w > s && w[-1] != ' ')
				*w++ = ' ';
		} else
			*w++ = *p;
	}
	*w = '\0';
	return s;
}

static void
scan(const struct rules_text *r, struct buf *para, char **quoted,
    int nquoted, unsigned *found)
{
	struct rules_text_match m;

	collapse(para->ptr);
	for (int i = 0; i < nquoted; i++) {
		char *at;

		while (*quoted[i] != '\0' &&
		    (at = strstr(para->ptr, quoted[i])) != NULL)
			memset(at, ' ', strlen(quoted[i]));
	}
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

	if (argc < 2) {
		fprintf(stderr, "usage: scan_text RULES-FILE [QUOTED...] "
		    "< TEXT\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		collapse(argv[i]);
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
			scan(r, &para, argv + 2, argc - 2, &found);
			if (s == line)
				continue;
		}
		buf_adds(&para, s);
	}
	scan(r, &para, argv + 2, argc - 2, &found);
	buf_free(&para);
	rules_text_free(r);
	return found ? 1 : 0;
}
