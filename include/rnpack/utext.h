/*
 * utext.h - the Unicode questions rnpack asks of text (through ICU):
 * trimming, counting, character classes, normalisation, name keys.
 *
 * All strings are UTF-8.  Functions that return a string return a new
 * one that the caller frees.
 */
#ifndef RNPACK_UTEXT_H
#define RNPACK_UTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What utext_check() may find wrong with one character. */
enum utext_fault {
	UTEXT_OK,
	UTEXT_BAD_UTF8,
	UTEXT_CONTROL,		/* C0/C1 control, DEL */
	UTEXT_LINE_BREAK,	/* tab, CR, LF where one line is required */
	UTEXT_FORMAT,		/* bidi controls, zero-width characters */
	UTEXT_PRIVATE_USE,
	UTEXT_UNASSIGNED,	/* unassigned, noncharacter, surrogate */
	UTEXT_PICTOGRAPH	/* emoji and other pictographs */
};

/* Rules for utext_check(). */
enum utext_rules {
	UTEXT_FREE_TEXT,	/* no controls except tab, CR, LF */
	UTEXT_ONE_LINE,		/* no controls at all */
	UTEXT_NAME		/* one line, no format/private/unassigned/emoji;
				 * U+200C/U+200D only directly between two
				 * characters of the same script */
};

bool	 utext_is_utf8(const char *, size_t);
/* Copy without leading and trailing Unicode white space. */
char	*utext_trim(const char *);
/* Copy with every run of white space turned into one space, trimmed. */
char	*utext_collapse(const char *);
/* Number of code points (the string must be valid UTF-8). */
size_t	 utext_length(const char *);

struct buf;
/*
 * Append s as a PDF text string's bytes (ISO 32000-1, 7.9.2.2): a byte
 * order mark, then UTF-16BE; bytes that are not UTF-8 become U+FFFD.
 */
void	 utext_utf16be(struct buf *, const char *s);
/*
 * First character that breaks the rules, or UTEXT_OK.  *cp gets the
 * offending code point (or the bad byte for UTEXT_BAD_UTF8).
 */
enum utext_fault utext_check(const char *, enum utext_rules, uint32_t *cp);
const char *utext_fault_text(enum utext_fault);
/* NFC form. */
char	*utext_nfc(const char *);
/*
 * Key for comparing person names: NFC, full case folding, white space
 * collapsed (docs/rules.md, approver-is-officer).
 */
char	*utext_name_key(const char *);
/*
 * First character the PDF engine cannot lay out in logical order:
 * right-to-left letters, bidi controls, and anything above U+FFFF.
 * Returns true and sets *cp when there is one.
 */
bool	 utext_needs_complex_layout(const char *, uint32_t *cp);
/* Case-insensitive (ASCII) equality, for ids and language subtags. */
bool	 utext_ascii_casecmp_eq(const char *, const char *);

#endif
