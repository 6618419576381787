/*
 * fontsel.h - which face draws a piece of text.
 *
 * The candidates are the font files the Debian font packages installed
 * when rnpack was built (build/fontlist.c, written by tools/fontlist.sh),
 * never other fonts on the machine, so the same text gets the same face
 * everywhere.  Text is split into script runs (UAX #24: characters of
 * the Common and Inherited scripts join their neighbours).  DejaVu Sans
 * draws Latin, Greek, Cyrillic, Armenian and Georgian runs it covers
 * whole; every other run is drawn by the first face, in this order, that
 * covers it whole: Noto Sans <Script>, Noto Naskh Arabic, Noto Serif
 * <Script>, Noto Sans, Noto Serif.  Kufi, Nastaliq, Rashi, Looped, UI,
 * Display and Mono faces are never used.  Han, kana and Hangul come from
 * the Noto Sans CJK collection, its JP, KR, TC or SC face by language.
 * Bold text uses a family's Bold file when there is one.
 *
 * A face is a slot number; faces are loaded on first use (under a lock,
 * so worker threads share them) and read-only afterwards.
 */
#ifndef RNPACK_FONTSEL_H
#define RNPACK_FONTSEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The face of the CJK collection a language reads. */
enum fontsel_cjk {
	FONTSEL_SC,	/* Simplified Chinese: the default */
	FONTSEL_TC,	/* zh-Hant, zh-TW, zh-HK, zh-MO */
	FONTSEL_JP,	/* ja */
	FONTSEL_KR,	/* ko */
	FONTSEL_NCJK
};

/* One loaded face: read-only once fontsel_face() has returned it. */
struct fontsel_face {
	const char	*path;
	unsigned	 index;		/* face in the file (.ttc) */
	void		*hb_face;	/* hb_face_t, for shaping */
	void		*hb_font;	/* hb_font_t, scale = upem */
	void		*sub_face;	/* hb_face_t prepared for subsetting */
	void		*unicodes;	/* hb_set_t: the characters it maps */
	pthread_mutex_t	 cut_lock;	/* one subset at a time */
	unsigned	 upem;
	bool		 cff;		/* CFF outlines (embedded bare) */
	char		 ps_name[64];	/* PDF-name safe */
	char		 sha256[65];	/* of the file, hex */
	int		 bbox[4];	/* 1/1000 em */
	int		 ascent, descent, cap_height, italic_angle, stem_v;
	bool		 italic;
};

struct fontsel;

/* The candidate table; the four DejaVu Sans files (by DRUN_BOLD |
 * DRUN_ITALIC) are paths[4].  Never fails: faces load on demand. */
struct fontsel	*fontsel_new(const char *const dejavu[4]);
void		 fontsel_free(struct fontsel *);

/* The CJK face a BCP 47 language tag reads (NULL: SC). */
enum fontsel_cjk fontsel_cjk_of(const char *lang);

/* The face of slot id, loaded on first use; NULL if it cannot be. */
const struct fontsel_face *fontsel_face(struct fontsel *, int id);

/* Whether face covers cp (default ignorables always count). */
bool		 fontsel_face_has(const struct fontsel_face *, uint32_t cp);

/*
 * The slot of the face that draws the n characters cp, all of one
 * script run of ICU script code script (UScriptCode), in style
 * (DRUN_BOLD | DRUN_ITALIC); -1 when no candidate covers them all.
 */
int		 fontsel_choose(struct fontsel *, int script, unsigned style,
		    enum fontsel_cjk, const uint32_t *cp, size_t n);

/* Whether some candidate face draws cp (for the missing-glyph rule). */
bool		 fontsel_covers(struct fontsel *, uint32_t cp);

/*
 * The script of each of the n characters cp for run splitting: the
 * UAX #24 script, with Common and Inherited characters given the
 * script of the character before them (or, at the start, after), and
 * the Han, kana and Hangul scripts counted as one (USCRIPT_HAN).
 */
void		 fontsel_scripts(const uint32_t *cp, size_t n, int *script);

/* The candidate files (build/fontlist.c). */
extern const char *const fontlist_files[];
extern const size_t fontlist_count;

#endif
