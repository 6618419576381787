/*
 * mailstate.c - the mail state file: lock, read, look up, issue, save
 * atomically (see mailstate.h for the format and the locking rules).
 *
 * Pieces live in one array in the order they were read or issued; an
 * open-addressing hash table of array indices finds them, so a state of
 * 100,000+ pieces costs one probe or two per lookup.  Saving sorts a
 * separate index array, never the pieces themselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/atomicio.h"
#include "rnpack/buf.h"
#include "rnpack/digest.h"
#include "rnpack/date.h"
#include "rnpack/case.h"
#include "rnpack/mailstate.h"
#include "rnpack/outdir.h"
#include "rnpack/xalloc.h"

#define HEADER1		"rnpack-mail-state 1"
#define HEADER		"rnpack-mail-state 2"
#define CASE_ID_MAX	64
#define PIECES_MAX	(UINT32_MAX / 4)	/* slots hold index + 1 */
#define POLL_MS		50u			/* lock retry interval */

/* Recipients, in the order pieces of one case are written. */
static const char *const recipients[] = { "counsel", "subject" };
#define NRECIPIENTS	(sizeof(recipients) / sizeof(recipients[0]))

struct piece {
	unsigned long	 serial;
	int32_t		 service;		/* day number, date.h */
	int32_t		 deadline;		/* DATE_NONE: not recorded */
	unsigned char	 who;			/* index in recipients[] */
	char		 id[CASE_ID_MAX + 1];
	char		 job[MAILSTATE_JOB_SIZE];	/* "": none (v1) */
	char		 digest[DIGEST_HEX_SIZE];	/* "": none */
};

struct mailstate {
	char		*path;
	char		*lock_path;		/* path + ".lock", never renamed */
	int		 lock_fd;
	bool		 have_mode;		/* keep an existing file's mode */
	mode_t		 mode;
	unsigned long	 next;			/* next serial to try, >= 1 */
	struct piece	*pieces;
	size_t		 npieces, cap;
	uint32_t	*slots;			/* piece index + 1; 0 = empty */
	size_t		 nslots;		/* a power of two, or 0 */
	struct mailstate_piece *voids;		/* voided pieces, history */
	size_t		 nvoids;
	struct mailstate_intent *intents;	/* pending print jobs */
	size_t		 nintents;
	int		 format;		/* of the file read */
};


static int
recipient_index(const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < NRECIPIENTS; i++)
		if (strcmp(s, recipients[i]) == 0)
			return (int)i;
	return -1;
}

static bool
is_service_date(int32_t day)
{
	return day >= date_from_ymd(1900, 1, 1) &&
	    day <= date_from_ymd(2199, 12, 31);
}

/* FNV-1a over the case id and the recipient. */
static size_t
hash_piece(const char *id, unsigned who)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= UINT64_C(1099511628211);
	}
	h ^= who;
	h *= UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 32));
}

/*
 * The slot holding (id, who), or the empty slot where it would go.
 * nslots must be nonzero.
 */
static size_t
find_slot(const struct mailstate *ms, const char *id, unsigned who)
{
	size_t mask = ms->nslots - 1;
	size_t i = hash_piece(id, who) & mask;

	while (ms->slots[i] != 0) {
		const struct piece *p = &ms->pieces[ms->slots[i] - 1];

		if (p->who == who && strcmp(p->id, id) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Keep the table at most half full. */
static void
grow_slots(struct mailstate *ms)
{
	size_t n = ms->nslots ? ms->nslots : 64;

	if (ms->nslots != 0 && (ms->npieces + 1) * 2 <= ms->nslots)
		return;
	while ((ms->npieces + 1) * 2 > n)
		n *= 2;
	free(ms->slots);
	ms->slots = xcalloc(n, sizeof(*ms->slots));
	ms->nslots = n;
	for (size_t k = 0; k < ms->npieces; k++) {
		const struct piece *p = &ms->pieces[k];

		ms->slots[find_slot(ms, p->id, p->who)] = (uint32_t)(k + 1);
	}
}

/* Index of a piece, or SIZE_MAX. */
static size_t
lookup(const struct mailstate *ms, const char *id, unsigned who)
{
	size_t i;

	if (ms->nslots == 0)
		return SIZE_MAX;
	i = find_slot(ms, id, who);
	return ms->slots[i] ? ms->slots[i] - 1 : SIZE_MAX;
}

/* Append a piece known to be absent and valid; returns its index. */
static size_t
add_piece(struct mailstate *ms, const char *id, unsigned who,
    unsigned long serial, int32_t service)
{
	struct piece *p;
	size_t k = ms->npieces;

	grow_slots(ms);
	if (k == ms->cap) {
		ms->cap = ms->cap ? ms->cap * 2 : 256;
		ms->pieces = xreallocarray(ms->pieces, ms->cap,
		    sizeof(*ms->pieces));
	}
	p = &ms->pieces[k];
	memset(p, 0, sizeof(*p));
	p->serial = serial;
	p->service = service;
	p->deadline = DATE_NONE;
	p->who = (unsigned char)who;
	memcpy(p->id, id, strlen(id) + 1);
	ms->slots[find_slot(ms, id, who)] = (uint32_t)(k + 1);
	ms->npieces++;
	return k;
}

/* ------------------------------------------------------------------ */
/* Reading. */

static char *line_error(const char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static char *
line_error(const char *path, size_t line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_addf(&b, "mail state %s:%zu: ", path, line);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

/* Strict decimal: digits only, no sign, no leading zero, no overflow. */
static bool
parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9' || v > (ULONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/*
 * Split line at single spaces into at most max fields.  Returns the
 * count, max + 1 when there are more, 0 when a field is empty (a
 * leading, trailing or doubled space).
 */
static size_t
split(char *line, char *f[], size_t max)
{
	size_t n = 0;

	for (char *s = line; ; ) {
		char *sp;

		if (n == max)
			return max + 1;
		f[n++] = s;
		if ((sp = strchr(s, ' ')) == NULL)
			break;
		*sp = '\0';
		s = sp + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (f[i][0] == '\0')
			return 0;
	return n;
}

/* Where each piece read came from, to name both lines of a duplicate. */
struct seen {
	unsigned long	 serial;
	size_t		 line;
};

static int
cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->serial != y->serial)
		return x->serial < y->serial ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* Whether s is "-" (none) or a job name: [0-9A-Za-z-], at most 39. */
static bool
is_job_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= MAILSTATE_JOB_SIZE)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || *s == '-'))
			return false;
	return true;
}

static bool
is_hex_digest(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return n == 64;
}

/*
 * The fields of a piece from f: case id, recipient, serial, service
 * date, then (extra) deadline, job and digest as the line has them
 * (order: deadline, job, digest; "-" for none).  NULL or a message.
 */
static char *
parse_fields(struct mailstate *ms, char *f[], size_t extra, size_t line,
    struct mailstate_piece *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->deadline = DATE_NONE;
	if (!case_id_is_valid(f[0]))
		return line_error(ms->path, line, "bad case id \"%.80s\" "
		    "(1-64 of A-Za-z0-9._-, starting with a letter or "
		    "digit)", f[0]);
	if (recipient_index(f[1]) < 0)
		return line_error(ms->path, line, "recipient must be "
		    "\"subject\" or \"counsel\", not \"%.80s\"", f[1]);
	if (!parse_ulong(f[2], &pc->serial) || pc->serial == 0)
		return line_error(ms->path, line, "bad serial \"%.80s\" "
		    "(a whole number from 1, no leading zero)", f[2]);
	if (pc->serial >= ms->next)
		return line_error(ms->path, line, "serial %lu is not below "
		    "the counter (next %lu on line 2)", pc->serial, ms->next);
	if (!date_parse(f[3], &pc->service))
		return line_error(ms->path, line, "bad service date "
		    "\"%.80s\" (YYYY-MM-DD, years 1900-2199)", f[3]);
	snprintf(pc->case_id, sizeof(pc->case_id), "%s", f[0]);
	snprintf(pc->recipient, sizeof(pc->recipient), "%s", f[1]);
	if (extra >= 1 && strcmp(f[4], "-") != 0 &&
	    !date_parse(f[4], &pc->deadline))
		return line_error(ms->path, line, "bad deadline \"%.80s\"",
		    f[4]);
	if (extra >= 2 && strcmp(f[5], "-") != 0) {
		if (!is_job_name(f[5]))
			return line_error(ms->path, line, "bad job name "
			    "\"%.80s\"", f[5]);
		snprintf(pc->job, sizeof(pc->job), "%s", f[5]);
	}
	if (extra >= 3 && strcmp(f[6], "-") != 0) {
		if (!is_hex_digest(f[6]))
			return line_error(ms->path, line, "bad digest "
			    "\"%.80s\"", f[6]);
		snprintf(pc->digest, sizeof(pc->digest), "%s", f[6]);
	}
	return NULL;
}

/* A "piece" line's fields after the keyword; NULL or a message. */
static char *
parse_piece(struct mailstate *ms, char *f[], size_t extra, size_t line,
    struct seen **seen)
{
	struct mailstate_piece pc;
	struct piece *p;
	char *msg;
	size_t k;
	int who;

	if ((msg = parse_fields(ms, f, extra, line, &pc)) != NULL)
		return msg;
	who = recipient_index(pc.recipient);
	if ((k = lookup(ms, pc.case_id, (unsigned)who)) != SIZE_MAX)
		return line_error(ms->path, line, "piece %s %s is already "
		    "listed on line %zu", f[0], f[1], (*seen)[k].line);
	if (ms->npieces >= PIECES_MAX)
		return line_error(ms->path, line, "more than %lu pieces",
		    (unsigned long)PIECES_MAX);
	k = add_piece(ms, pc.case_id, (unsigned)who, pc.serial, pc.service);
	p = &ms->pieces[k];
	p->deadline = pc.deadline;
	memcpy(p->job, pc.job, sizeof(p->job));
	memcpy(p->digest, pc.digest, sizeof(p->digest));
	if (k % 256 == 0)
		*seen = xreallocarray(*seen, k + 256, sizeof(**seen));
	(*seen)[k].serial = pc.serial;
	(*seen)[k].line = line;
	return NULL;
}

static void
push_piece(struct mailstate_piece **v, size_t *n,
    const struct mailstate_piece *pc)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *pc;
}

/* %XX for '%', spaces and control bytes, so a path is one field. */
static void
add_encoded(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '%')
			buf_addf(b, "%%%02X", *p);
		else
			buf_add(b, (const char *)p, 1);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The path of add_encoded(), or NULL when malformed. */
static char *
decode(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		int h, l;

		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if ((h = hex_value(s[1])) < 0 || (l = hex_value(s[2])) < 0 ||
		    (h == 0 && l == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(h * 16 + l);
		s += 2;
	}
	*o = '\0';
	return out;
}

static struct mailstate_intent *
find_intent(const struct mailstate *ms, const char *job)
{
	for (size_t i = 0; i < ms->nintents; i++)
		if (strcmp(ms->intents[i].job, job) == 0)
			return &ms->intents[i];
	return NULL;
}

/* An "intent", "ipiece" or "ivoid" line (f without the keyword). */
static char *
parse_intent_line(struct mailstate *ms, const char *kw, char *f[], size_t n,
    size_t line)
{
	struct mailstate_intent *in;
	struct mailstate_piece pc;
	char *msg;

	if (strcmp(kw, "intent") == 0) {
		struct mailstate_intent add;
		unsigned long pid;

		if (n != 5 || !is_job_name(f[0]) || !parse_ulong(f[2], &pid) ||
		    strlen(f[1]) >= sizeof(add.host))
			return line_error(ms->path, line, "expected \"intent "
			    "JOB HOST PID FINAL-PATH TEMP-PATH\"");
		if (find_intent(ms, f[0]) != NULL)
			return line_error(ms->path, line, "intent %s is "
			    "listed twice", f[0]);
		memset(&add, 0, sizeof(add));
		snprintf(add.job, sizeof(add.job), "%s", f[0]);
		snprintf(add.host, sizeof(add.host), "%s", f[1]);
		add.pid = (long)pid;
		add.final_path = decode(f[3]);
		add.tmp_path = decode(f[4]);
		if (add.final_path == NULL || add.tmp_path == NULL) {
			free(add.final_path);
			free(add.tmp_path);
			return line_error(ms->path, line, "bad path encoding");
		}
		ms->intents = xreallocarray(ms->intents, ms->nintents + 1,
		    sizeof(*ms->intents));
		ms->intents[ms->nintents++] = add;
		return NULL;
	}
	if (n < 1 || (in = find_intent(ms, f[0])) == NULL)
		return line_error(ms->path, line, "%s names no intent listed "
		    "before it", kw);
	if (strcmp(kw, "ipiece") == 0) {
		/* JOB ID RECIPIENT SERIAL SERVICE DEADLINE DIGEST */
		char *g[7] = { f[1], f[2], f[3], f[4], f[5], (char *)"-",
			f[6] };

		if (n != 7)
			return line_error(ms->path, line, "expected \"ipiece "
			    "JOB CASE-ID RECIPIENT SERIAL SERVICE DEADLINE "
			    "DIGEST\"");
		if ((msg = parse_fields(ms, g, 3, line, &pc)) != NULL)
			return msg;
		snprintf(pc.job, sizeof(pc.job), "%s", in->job);
		push_piece(&in->pieces, &in->npieces, &pc);
		return NULL;
	}
	if (n != 8)
		return line_error(ms->path, line, "expected \"ivoid JOB CASE-ID "
		    "RECIPIENT SERIAL SERVICE DEADLINE OLD-JOB DIGEST\"");
	if ((msg = parse_fields(ms, f + 1, 3, line, &pc)) != NULL)
		return msg;
	push_piece(&in->voids, &in->nvoids, &pc);
	return NULL;
}

/* One line without its newline, NUL-terminated; NULL or a message. */
static char *
parse_line(struct mailstate *ms, char *s, size_t len, size_t line,
    struct seen **seen)
{
	char *f[10];
	size_t n;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			return line_error(ms->path, line, "carriage return "
			    "(CRLF line ends are not allowed)");
		if (c < 0x20 || c == 0x7f)
			return line_error(ms->path, line, "control character "
			    "0x%02x in column %zu", c, i + 1);
	}
	n = split(s, f, 9);
	if (line == 1) {
		if (n == 2 && strcmp(f[0], "rnpack-mail-state") == 0 &&
		    strcmp(f[1], "1") != 0 && strcmp(f[1], "2") != 0)
			return line_error(ms->path, line, "format \"%.20s\" "
			    "is unknown (this rnpack reads formats 1 and 2)",
			    f[1]);
		if (n != 2 || strcmp(f[0], "rnpack-mail-state") != 0)
			return line_error(ms->path, line, "not an rnpack mail "
			    "state (expected \"%s\")", HEADER);
		ms->format = f[1][0] - '0';
		return NULL;
	}
	if (line == 2) {
		if (n != 2 || strcmp(f[0], "next") != 0)
			return line_error(ms->path, line, "expected "
			    "\"next SERIAL\"");
		if (!parse_ulong(f[1], &ms->next) || ms->next == 0)
			return line_error(ms->path, line, "bad counter "
			    "\"%.80s\" (a whole number from 1, no leading "
			    "zero)", f[1]);
		return NULL;
	}
	if (ms->format == 1) {
		if (n != 5 || strcmp(f[0], "piece") != 0)
			return line_error(ms->path, line, "expected \"piece "
			    "CASE-ID RECIPIENT SERIAL YYYY-MM-DD\" (single "
			    "spaces)");
		return parse_piece(ms, f + 1, 0, line, seen);
	}
	if (n >= 1 && n <= 9 && strcmp(f[0], "piece") == 0) {
		if (n != 8)
			return line_error(ms->path, line, "expected \"piece "
			    "CASE-ID RECIPIENT SERIAL SERVICE DEADLINE JOB "
			    "DIGEST\" (single spaces)");
		return parse_piece(ms, f + 1, 3, line, seen);
	}
	if (n >= 1 && n <= 9 && strcmp(f[0], "void") == 0) {
		struct mailstate_piece pc;
		char *msg;

		if (n != 8)
			return line_error(ms->path, line, "expected \"void "
			    "CASE-ID RECIPIENT SERIAL SERVICE DEADLINE JOB "
			    "DIGEST\"");
		if ((msg = parse_fields(ms, f + 1, 3, line, &pc)) != NULL)
			return msg;
		push_piece(&ms->voids, &ms->nvoids, &pc);
		return NULL;
	}
	if (n >= 1 && n <= 9 && (strcmp(f[0], "intent") == 0 ||
	    strcmp(f[0], "ipiece") == 0 || strcmp(f[0], "ivoid") == 0))
		return parse_intent_line(ms, f[0], f + 1, n - 1, line);
	return line_error(ms->path, line, "expected \"piece\", \"void\", "
	    "\"intent\", \"ipiece\" or \"ivoid\" (single spaces)");
}

/* The whole file, which parse modifies; NULL or a message. */
static char *
parse(struct mailstate *ms, char *data, size_t len)
{
	struct seen *seen = NULL;
	char *p = data, *end = data + len, *msg = NULL;
	size_t line = 0;

	while (msg == NULL && p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		line++;
		if (nl == NULL) {
			msg = line_error(ms->path, line, "the last line has "
			    "no newline (file cut short?)");
			break;
		}
		*nl = '\0';
		msg = parse_line(ms, p, (size_t)(nl - p), line, &seen);
		p = nl + 1;
	}
	if (msg == NULL && line == 0)
		msg = line_error(ms->path, 1, "empty file (expected \"%s\")",
		    HEADER);
	else if (msg == NULL && line == 1)
		msg = line_error(ms->path, 2, "expected \"next SERIAL\" "
		    "(file cut short?)");
	if (msg == NULL && ms->npieces > 1) {
		/* A serial used twice means the file was edited badly. */
		qsort(seen, ms->npieces, sizeof(*seen), cmp_seen);
		for (size_t k = 1; k < ms->npieces; k++)
			if (seen[k].serial == seen[k - 1].serial) {
				msg = line_error(ms->path, seen[k].line,
				    "serial %lu is already used on line %zu",
				    seen[k].serial, seen[k - 1].line);
				break;
			}
	}
	free(seen);
	return msg;
}

/* ------------------------------------------------------------------ */
/* Locking. */

static unsigned long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (long long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
	return ms < 0 ? 0 : (unsigned long)ms;
}

/* " (host H, pid N)" from the lock file, as its holder wrote it, or "". */
static void
holder_pid(int fd, char out[320])
{
	char s[300], *sp;
	ssize_t n = pread(fd, s, sizeof(s) - 1, 0);
	unsigned long pid;

	out[0] = '\0';
	if (n <= 1 || s[n - 1] != '\n')
		return;
	s[n - 1] = '\0';
	if ((sp = strrchr(s, ' ')) != NULL) {
		*sp = '\0';
		if (parse_ulong(sp + 1, &pid))
			snprintf(out, 320, " (host %.256s, pid %lu)", s, pid);
	} else if (parse_ulong(s, &pid))
		snprintf(out, 320, " (pid %lu)", pid);
}

/*
 * Open and flock ms->lock_path, polling every POLL_MS until wait_ms
 * have passed.  Then write our pid into it for the next waiter's
 * message (best effort: the lock is what counts).
 */
static bool
take_lock(struct mailstate *ms, unsigned wait_ms, char **err)
{
	struct timespec t0;
	char pid[300], host[256];
	int fd;

	fd = open(ms->lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (fd < 0) {
		*err = xasprintf("cannot open the mail state lock file %s: "
		    "%s%s", ms->lock_path, strerror(errno), errno == ENOENT ?
		    " (the folder of the mail state must exist)" : "");
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		unsigned long spent;
		struct timespec nap;
		char who[320];

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK && errno != EAGAIN) {
			*err = xasprintf("cannot lock the mail state lock "
			    "file %s: %s", ms->lock_path, strerror(errno));
			close(fd);
			return false;
		}
		if ((spent = elapsed_ms(&t0)) >= wait_ms) {
			holder_pid(fd, who);
			*err = xasprintf("mail state %s is in use by another "
			    "rnpack run%s; gave up after %u.%03u s (lock "
			    "file %s)", ms->path, who, wait_ms / 1000,
			    wait_ms % 1000, ms->lock_path);
			close(fd);
			return false;
		}
		spent = wait_ms - spent < POLL_MS ? wait_ms - spent : POLL_MS;
		nap.tv_sec = 0;
		nap.tv_nsec = (long)spent * 1000000L;
		nanosleep(&nap, NULL);
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(pid, sizeof(pid), "%s %ld\n", host, (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* Only a waiter's message suffers: it names no pid. */
	}
	ms->lock_fd = fd;
	return true;
}

/* ------------------------------------------------------------------ */
/* The public functions. */

struct mailstate *
mailstate_open_wait(const char *path, unsigned wait_ms, char **err)
{
	struct mailstate *ms;
	struct buf b = BUF_INIT;
	struct stat st;
	char *msg;
	int fd;

	ms = xcalloc(1, sizeof(*ms));
	ms->path = xstrdup(path);
	ms->lock_path = xasprintf("%s.lock", path);
	ms->lock_fd = -1;
	ms->next = 1;
	if (!take_lock(ms, wait_ms, err))
		goto fail;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* A new state: write it now, before any work is done. */
		if (!mailstate_save(ms, err))
			goto fail;
		return ms;
	}
	if (fd < 0) {
		*err = xasprintf("cannot open the mail state %s: %s%s", path,
		    strerror(errno), errno == ELOOP ? " (a symbolic link: "
		    "give the real path, as saving would replace the link)" :
		    "");
		goto fail;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*err = xasprintf("mail state %s is not a regular file", path);
		close(fd);
		goto fail;
	}
	ms->have_mode = true;
	ms->mode = st.st_mode & 07777;
	if (!buf_read_fd(&b, fd, SIZE_MAX)) {
		*err = xasprintf("cannot read the mail state %s: %s", path,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	close(fd);
	if (memchr(b.ptr, '\0', b.len) != NULL) {
		*err = xasprintf("mail state %s contains a NUL byte "
		    "(not a text file)", path);
		goto fail;
	}
	if ((msg = parse(ms, b.ptr, b.len)) != NULL) {
		*err = msg;
		goto fail;
	}
	buf_free(&b);
	return ms;
fail:
	buf_free(&b);
	mailstate_close(ms);
	return NULL;
}

struct mailstate *
mailstate_open(const char *path, char **err)
{
	return mailstate_open_wait(path, MAILSTATE_WAIT_MS, err);
}

bool
mailstate_find(const struct mailstate *ms, const char *case_id,
    const char *recipient, unsigned long *serial, int32_t *service)
{
	int who = recipient_index(recipient);
	size_t k;

	if (who < 0 || !case_id_is_valid(case_id) ||
	    (k = lookup(ms, case_id, (unsigned)who)) == SIZE_MAX)
		return false;
	if (serial != NULL)
		*serial = ms->pieces[k].serial;
	if (service != NULL)
		*service = ms->pieces[k].service;
	return true;
}

unsigned long
mailstate_issue_in_class(struct mailstate *ms, const char *case_id,
    const char *recipient, int32_t service, unsigned k, unsigned n)
{
	int who = recipient_index(recipient);
	unsigned long s, want, have, skip;
	size_t i;

	if (n == 0 || who < 0 || !case_id_is_valid(case_id) ||
	    !is_service_date(service))
		return 0;
	if ((i = lookup(ms, case_id, (unsigned)who)) != SIZE_MAX)
		return ms->pieces[i].serial;
	if (ms->npieces >= PIECES_MAX)
		return 0;
	/* The first s >= next in the class, without overflowing. */
	s = ms->next;
	want = k % n;
	have = s % n;
	skip = want >= have ? want - have : n - (have - want);
	if (skip >= ULONG_MAX - s)
		return 0;	/* s + skip + 1 must fit as the new next */
	s += skip;
	ms->next = s + 1;
	add_piece(ms, case_id, (unsigned)who, s, service);
	return s;
}

unsigned long
mailstate_issue(struct mailstate *ms, const char *case_id,
    const char *recipient, int32_t service)
{
	return mailstate_issue_in_class(ms, case_id, recipient, service, 0, 1);
}

static void
piece_out(const struct piece *p, struct mailstate_piece *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->case_id, sizeof(out->case_id), "%s", p->id);
	snprintf(out->recipient, sizeof(out->recipient), "%s",
	    recipients[p->who]);
	out->serial = p->serial;
	out->service = p->service;
	out->deadline = p->deadline;
	memcpy(out->job, p->job, sizeof(out->job));
	memcpy(out->digest, p->digest, sizeof(out->digest));
}

bool
mailstate_get(const struct mailstate *ms, const char *case_id,
    const char *recipient, struct mailstate_piece *out)
{
	int who = recipient_index(recipient);
	size_t k;

	if (who < 0 || !case_id_is_valid(case_id) ||
	    (k = lookup(ms, case_id, (unsigned)who)) == SIZE_MAX)
		return false;
	piece_out(&ms->pieces[k], out);
	return true;
}

unsigned long
mailstate_take_serial(struct mailstate *ms, unsigned k, unsigned n)
{
	unsigned long s = ms->next, want, have, skip;

	if (n == 0)
		n = 1;
	want = k % n;
	have = s % n;
	skip = want >= have ? want - have : n - (have - want);
	if (skip >= ULONG_MAX - s)
		return 0;
	s += skip;
	ms->next = s + 1;
	return s;
}

static void
copy_pieces(struct mailstate_piece **to, size_t *nto,
    const struct mailstate_piece *from, size_t n)
{
	*to = NULL;
	*nto = 0;
	for (size_t i = 0; i < n; i++)
		push_piece(to, nto, &from[i]);
}

bool
mailstate_intent_add(struct mailstate *ms, const struct mailstate_intent *in)
{
	struct mailstate_intent c;

	if (!is_job_name(in->job) || find_intent(ms, in->job) != NULL)
		return false;
	c = *in;
	c.final_path = xstrdup(in->final_path);
	c.tmp_path = xstrdup(in->tmp_path);
	copy_pieces(&c.pieces, &c.npieces, in->pieces, in->npieces);
	copy_pieces(&c.voids, &c.nvoids, in->voids, in->nvoids);
	ms->intents = xreallocarray(ms->intents, ms->nintents + 1,
	    sizeof(*ms->intents));
	ms->intents[ms->nintents++] = c;
	return true;
}

static void
intent_free(struct mailstate_intent *in)
{
	free(in->final_path);
	free(in->tmp_path);
	free(in->pieces);
	free(in->voids);
}

static void
intent_remove(struct mailstate *ms, struct mailstate_intent *in)
{
	size_t i = (size_t)(in - ms->intents);

	intent_free(in);
	memmove(&ms->intents[i], &ms->intents[i + 1],
	    (ms->nintents - i - 1) * sizeof(*ms->intents));
	ms->nintents--;
}

bool
mailstate_intent_rollback(struct mailstate *ms, const char *job)
{
	struct mailstate_intent *in = find_intent(ms, job);

	if (in == NULL)
		return false;
	intent_remove(ms, in);
	return true;
}

bool
mailstate_intent_commit(struct mailstate *ms, const char *job)
{
	struct mailstate_intent *in = find_intent(ms, job);

	if (in == NULL)
		return false;
	/* A voided piece leaves the current ones for the history. */
	for (size_t i = 0; i < in->nvoids; i++) {
		const struct mailstate_piece *v = &in->voids[i];
		int who = recipient_index(v->recipient);
		size_t k = who < 0 ? SIZE_MAX : lookup(ms, v->case_id,
		    (unsigned)who);

		push_piece(&ms->voids, &ms->nvoids, v);
		if (k != SIZE_MAX && ms->pieces[k].serial == v->serial)
			ms->pieces[k].who = UCHAR_MAX;	/* dropped below */
	}
	if (in->nvoids > 0) {
		size_t kept = 0;

		for (size_t k = 0; k < ms->npieces; k++)
			if (ms->pieces[k].who != UCHAR_MAX)
				ms->pieces[kept++] = ms->pieces[k];
		ms->npieces = kept;
		free(ms->slots);
		ms->slots = NULL;
		ms->nslots = 0;
		grow_slots(ms);
		for (size_t k = 0; k < ms->npieces; k++)
			ms->slots[find_slot(ms, ms->pieces[k].id,
			    ms->pieces[k].who)] = (uint32_t)(k + 1);
	}
	for (size_t i = 0; i < in->npieces; i++) {
		const struct mailstate_piece *pc = &in->pieces[i];
		int who = recipient_index(pc->recipient);
		size_t k;

		if (who < 0 || !case_id_is_valid(pc->case_id))
			continue;
		k = lookup(ms, pc->case_id, (unsigned)who);
		if (k == SIZE_MAX)
			k = add_piece(ms, pc->case_id, (unsigned)who,
			    pc->serial, pc->service);
		ms->pieces[k].serial = pc->serial;
		ms->pieces[k].service = pc->service;
		ms->pieces[k].deadline = pc->deadline;
		memcpy(ms->pieces[k].job, in->job, sizeof(in->job));
		memcpy(ms->pieces[k].digest, pc->digest,
		    sizeof(ms->pieces[k].digest));
	}
	intent_remove(ms, in);
	return true;
}

size_t
mailstate_intent_count(const struct mailstate *ms)
{
	return ms->nintents;
}

const struct mailstate_intent *
mailstate_intent_at(const struct mailstate *ms, size_t i)
{
	return i < ms->nintents ? &ms->intents[i] : NULL;
}

const char *
mailstate_pending(const struct mailstate *ms, const char *case_id,
    const char *recipient)
{
	for (size_t i = 0; i < ms->nintents; i++) {
		const struct mailstate_intent *in = &ms->intents[i];

		for (size_t k = 0; k < in->npieces; k++)
			if (strcmp(in->pieces[k].case_id, case_id) == 0 &&
			    strcmp(in->pieces[k].recipient, recipient) == 0)
				return in->job;
		for (size_t k = 0; k < in->nvoids; k++)
			if (strcmp(in->voids[k].case_id, case_id) == 0 &&
			    strcmp(in->voids[k].recipient, recipient) == 0)
				return in->job;
	}
	return NULL;
}

size_t
mailstate_job_names(const struct mailstate *ms, const char ***out)
{
	size_t n = 0, cap = ms->npieces + ms->nvoids + ms->nintents + 1;
	const char **v = xreallocarray(NULL, cap, sizeof(*v));

	for (size_t k = 0; k < ms->npieces; k++)
		if (ms->pieces[k].job[0] != '\0')
			v[n++] = ms->pieces[k].job;
	for (size_t k = 0; k < ms->nvoids; k++)
		if (ms->voids[k].job[0] != '\0')
			v[n++] = ms->voids[k].job;
	for (size_t k = 0; k < ms->nintents; k++)
		v[n++] = ms->intents[k].job;
	*out = v;
	return n;
}

bool
mailstate_job_named(const struct mailstate *ms, const char *job)
{
	const char **v;
	size_t n = mailstate_job_names(ms, &v);
	bool yes = false;

	for (size_t i = 0; i < n && !yes; i++)
		yes = strcmp(v[i], job) == 0;
	free(v);
	return yes;
}

size_t
mailstate_count(const struct mailstate *ms)
{
	return ms->npieces;
}

unsigned long
mailstate_next_serial(const struct mailstate *ms)
{
	return ms->next;
}

/* ------------------------------------------------------------------ */
/* Saving. */

/* qsort has no context argument: sort pointers to the pieces instead. */
static int
cmp_piece(const void *a, const void *b)
{
	const struct piece *x = *(const struct piece *const *)a;
	const struct piece *y = *(const struct piece *const *)b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : (int)x->who - (int)y->who;
}


/* "ID RECIPIENT SERIAL SERVICE[ DEADLINE[ JOB] DIGEST]\n" */
static void
add_piece_fields(struct buf *b, const struct mailstate_piece *pc, bool v2,
    bool job)
{
	char day[11];

	date_format_iso(pc->service, day);
	buf_addf(b, "%s %s %lu %s", pc->case_id, pc->recipient, pc->serial,
	    day);
	if (v2) {
		if (pc->deadline != DATE_NONE)
			date_format_iso(pc->deadline, day);
		buf_addf(b, " %s", pc->deadline != DATE_NONE ? day : "-");
		if (job)
			buf_addf(b, " %s", pc->job[0] ? pc->job : "-");
		buf_addf(b, " %s", pc->digest[0] ? pc->digest : "-");
	}
	buf_adds(b, "\n");
}

bool
mailstate_save(struct mailstate *ms, char **err)
{
	struct buf b = BUF_INIT;
	const struct piece **order;
	bool ok, v2;
	char *shown;

	order = xreallocarray(NULL, ms->npieces, sizeof(*order));
	for (size_t k = 0; k < ms->npieces; k++)
		order[k] = &ms->pieces[k];
	qsort(order, ms->npieces, sizeof(*order), cmp_piece);
	v2 = ms->nvoids > 0 || ms->nintents > 0;
	for (size_t k = 0; k < ms->npieces && !v2; k++)
		v2 = order[k]->deadline != DATE_NONE ||
		    order[k]->job[0] != '\0' || order[k]->digest[0] != '\0';
	buf_addf(&b, "%s\nnext %lu\n", v2 ? HEADER : HEADER1, ms->next);
	for (size_t k = 0; k < ms->npieces; k++) {
		struct mailstate_piece pc;

		piece_out(order[k], &pc);
		buf_adds(&b, "piece ");
		add_piece_fields(&b, &pc, v2, true);
	}
	free(order);
	for (size_t k = 0; k < ms->nvoids; k++) {
		buf_adds(&b, "void ");
		add_piece_fields(&b, &ms->voids[k], true, true);
	}
	for (size_t i = 0; i < ms->nintents; i++) {
		const struct mailstate_intent *in = &ms->intents[i];

		buf_addf(&b, "intent %s %s %ld ", in->job, in->host, in->pid);
		add_encoded(&b, in->final_path);
		buf_adds(&b, " ");
		add_encoded(&b, in->tmp_path);
		buf_adds(&b, "\n");
		for (size_t k = 0; k < in->npieces; k++) {
			buf_addf(&b, "ipiece %s ", in->job);
			add_piece_fields(&b, &in->pieces[k], true, false);
		}
		for (size_t k = 0; k < in->nvoids; k++) {
			buf_addf(&b, "ivoid %s ", in->job);
			add_piece_fields(&b, &in->voids[k], true, true);
		}
	}

	/* The file keeps the mode it had (a clerk may have narrowed it). */
	shown = xasprintf("the mail state %s", ms->path);
	ok = atomicio_replace_path(ms->path, shown, b.ptr, b.len, ms->have_mode ?
	    ms->mode : 0640, ms->have_mode ? ATOMICIO_EXACT_MODE : 0, err);
	free(shown);
	buf_free(&b);
	return ok;
}

void
mailstate_close(struct mailstate *ms)
{
	if (ms == NULL)
		return;
	if (ms->lock_fd >= 0) {
		/* LOCK_UN frees the lock even if a forked child shares it. */
		flock(ms->lock_fd, LOCK_UN);
		close(ms->lock_fd);
	}
	free(ms->pieces);
	free(ms->slots);
	free(ms->voids);
	for (size_t i = 0; i < ms->nintents; i++)
		intent_free(&ms->intents[i]);
	free(ms->intents);
	free(ms->path);
	free(ms->lock_path);
	free(ms);
}
