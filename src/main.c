/*
 * main.c - the rnpack command line: options, where the shipped data
 * lives, the policy, signals; then one batch run.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/batch.h"
#include "rnpack/date.h"
#include "rnpack/digest.h"
#include "rnpack/intake.h"
#include "rnpack/merge.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/shard.h"
#include "rnpack/xalloc.h"

#ifndef RNPACK_DATADIR
#define RNPACK_DATADIR	"/usr/local/share/rnpack"
#endif
#ifndef RNPACK_VERSION
#define RNPACK_VERSION	"0.1.0"
#endif

#define MAX_JOBS	256
#define MAX_REISSUE	1024

/*
 * The one piece of mutable global state: a signal handler may only
 * write a volatile sig_atomic_t.  Workers read it between cases.
 */
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
usage(FILE *f)
{
	fputs("usage: rnpack [options] INPUT...\n"
	    "       rnpack --merge-summaries OUT\n"
	    "  INPUT                 case files, or folders of *.xml\n"
	    "  -o, --output DIR      where packets go (default ./out)\n"
	    "      --as-of DATE      evaluate as of this date (default today)\n"
	    "      --check-only      rules and reports only, no PDF\n"
	    "      --force           render every case, also those unchanged "
	    "since the\n"
	    "                        last run into the same folder\n"
	    "      --policy FILE     policy overrides\n"
	    "      --templates DIR   template folder\n"
	    "  -j, --jobs N          cases processed in parallel\n"
	    "  -q, --quiet           no progress line, and no line for "
	    "complete cases\n"
	    "  -v, --verbose         say why an input is invalid on the "
	    "console too\n"
	    "                        (the reason may quote personal data "
	    "from the file)\n"
	    "      --reissue CASE-ID reprint the case's issued pieces in this "
	    "run's print job\n"
	    "      --reserve CASE-ID serve the case again: void its pieces, "
	    "issue new ones\n"
	    "      --calibration-page FILE  write an envelope calibration page\n"
	    "      --shard K/N       only the K-th of N slices of the inputs\n"
	    "      --merge-summaries OUT  join the summaries of N shards\n"
	    "      --help, --version\n", f);
}

static bool
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Folder of the running executable, so ./rnpack finds ./schema. */
static char *
exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(buf[0] ? buf : "/");
}

/* rel beside the executable, else in the data folder; NULL if neither. */
static char *
find_data(const char *rel, bool dir)
{
	char *base = exe_dir(), *p;

	if (base != NULL) {
		p = xasprintf("%s/%s", base, rel);
		free(base);
		if (dir ? is_dir(p) : is_file(p))
			return p;
		free(p);
	}
	p = xasprintf("%s/%s", RNPACK_DATADIR, rel);
	if (dir ? is_dir(p) : is_file(p))
		return p;
	free(p);
	return NULL;
}

static int32_t
today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}


int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "check-only", no_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'F' },
		{ "policy", required_argument, NULL, 'p' },
		{ "templates", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "reissue", required_argument, NULL, 'r' },
		{ "reserve", required_argument, NULL, 'R' },
		{ "calibration-page", required_argument, NULL, 'C' },
		{ "shard", required_argument, NULL, 's' },
		{ "merge-summaries", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct batch_options opt;
	struct policy policy;
	struct load_error lerr;
	struct intake *intake = NULL;
	struct packet_env packet;
	bool have_packet = false;
	struct sigaction sa;
	const char *policy_file = NULL, *templates_opt = NULL, *term;
	char *case_xsd = NULL, *policy_xsd = NULL, *templates = NULL;
	char *err = NULL, *end, build[DIGEST_HEX_SIZE];
	const char *reissue[MAX_REISSUE], *calibration = NULL;
	const char *reserve[MAX_REISSUE];
	const char *merge = NULL;
	size_t nreissue = 0, nreserve = 0;
	enum exit_level level = EXIT_CONFIG;
	int ch;
	long jobs;

	memset(&opt, 0, sizeof(opt));
	opt.output = "out";
	opt.jobs = 1;
	opt.as_of = DATE_NONE;
	while ((ch = getopt_long(argc, argv, "o:j:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			opt.output = optarg;
			break;
		case 'a':
			if (!date_parse(optarg, &opt.as_of)) {
				fprintf(stderr, "rnpack: --as-of %s: not a date "
				    "(YYYY-MM-DD, years 1900 to 2199)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			opt.check_only = true;
			break;
		case 'F':
			opt.force = true;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'p':
			policy_file = optarg;
			break;
		case 't':
			templates_opt = optarg;
			break;
		case 'r':
			if (nreissue == MAX_REISSUE) {
				fprintf(stderr, "rnpack: at most %d --reissue\n",
				    MAX_REISSUE);
				return EXIT_USAGE;
			}
			reissue[nreissue++] = optarg;
			break;
		case 'R':
			if (nreserve == MAX_REISSUE) {
				fprintf(stderr, "rnpack: at most %d --reserve\n",
				    MAX_REISSUE);
				return EXIT_USAGE;
			}
			reserve[nreserve++] = optarg;
			break;
		case 'C':
			calibration = optarg;
			break;
		case 's':
			if (!shard_parse(optarg, &opt.shard_k, &opt.shard_n)) {
				fprintf(stderr, "rnpack: --shard %s: give K/N, "
				    "this run's slice K of N, with 1 <= K <= N "
				    "<= %u\n", optarg, SHARD_MAX);
				return EXIT_USAGE;
			}
			break;
		case 'M':
			merge = optarg;
			break;
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || jobs < 1 ||
			    jobs > MAX_JOBS) {
				fprintf(stderr, "rnpack: --jobs %s: give a number "
				    "from 1 to %d\n", optarg, MAX_JOBS);
				return EXIT_USAGE;
			}
			opt.jobs = (int)jobs;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("rnpack %s\n", RNPACK_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < nreissue; i++)
		for (size_t k = 0; k < nreserve; k++)
			if (strcasecmp(reissue[i], reserve[k]) == 0) {
				fprintf(stderr, "rnpack: --reissue and --reserve "
				    "both name %s: reprint or serve again, not "
				    "both\n", reissue[i]);
				return EXIT_USAGE;
			}
	if (opt.check_only && nreissue + nreserve > 0) {
		fputs("rnpack: --check-only writes no print job: --reissue and "
		    "--reserve are ignored\n", stderr);
		nreissue = nreserve = 0;
	}
	if (merge != NULL) {
		if (optind < argc || opt.shard_n > 0 || calibration != NULL) {
			fputs("rnpack: --merge-summaries OUT takes no input, "
			    "--shard or --calibration-page\n", stderr);
			return EXIT_USAGE;
		}
		return exit_status(merge_summaries(merge), 0);
	}
	if (optind >= argc && calibration == NULL) {
		fputs("rnpack: no input given\n", stderr);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (*opt.output == '\0') {
		fputs("rnpack: --output needs a folder name\n", stderr);
		return EXIT_USAGE;
	}
	if (opt.as_of == DATE_NONE)
		opt.as_of = today();
	/* The progress line needs a terminal that understands \033[K. */
	term = getenv("TERM");
	opt.progress = !opt.quiet && isatty(STDERR_FILENO) &&
	    term != NULL && strcmp(term, "dumb") != 0;

	intake_init();
	policy_defaults(&policy);
	case_xsd = find_data("schema/case-1.xsd", false);
	policy_xsd = find_data("schema/policy-1.xsd", false);
	if (case_xsd == NULL || policy_xsd == NULL) {
		fprintf(stderr, "rnpack: cannot find the schemas (schema/"
		    "case-1.xsd, schema/policy-1.xsd) beside the program or "
		    "in %s\n", RNPACK_DATADIR);
		goto out;
	}
	if (templates_opt != NULL) {
		if (!is_dir(templates_opt)) {
			fprintf(stderr, "rnpack: --templates %s: not a "
			    "folder\n", templates_opt);
			goto out;
		}
		templates = xstrdup(templates_opt);
	} else if ((templates = find_data("templates", true)) == NULL) {
		fprintf(stderr, "rnpack: cannot find the templates folder "
		    "beside the program or in %s\n", RNPACK_DATADIR);
		goto out;
	}
	if (policy_file != NULL &&
	    !intake_load_policy(policy_xsd, policy_file, &policy, &lerr)) {
		fprintf(stderr, "rnpack: %s:%u: bad policy file: %s\n",
		    policy_file, lerr.line, lerr.message);
		load_error_free(&lerr);
		goto out;
	}
	if ((intake = intake_new(case_xsd, &err)) == NULL) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		goto out;
	}
	/* Templates and fonts are checked before any case, in every mode:
	 * --check-only needs the fonts for the missing-glyph rule. */
	if (!packet_env_load(&packet, templates, &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		goto out;
	}
	have_packet = true;
	packet.creator = "rnpack " RNPACK_VERSION;
	if (calibration != NULL) {
		level = packet_calibration_page(&packet, &policy, calibration,
		    &err) ? EXIT_COMPLETE : EXIT_OUTPUT;
		if (err != NULL) {
			fprintf(stderr, "rnpack: %s\n", err);
			free(err);
		}
		if (optind >= argc)
			goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	opt.inputs = (const char *const *)argv + optind;
	opt.ninputs = argc - optind;
	opt.policy = &policy;
	opt.reissue = reissue;
	opt.nreissue = nreissue;
	opt.reserve = reserve;
	opt.nreserve = nreserve;
	opt.intake = intake;
	opt.packet = &packet;
	opt.translations = (const char *const *)packet.langs;
	opt.ntranslations = packet.nlangs;
	opt.version = RNPACK_VERSION;
	/* The running program (about 1 MB, a millisecond): the resume
	 * proof names it, so that a rebuild renders every case again. */
	opt.build = digest_file_hex("/proc/self/exe", build) ? build : NULL;
	opt.stop = &stop_signal;
	if (calibration == NULL)
		level = EXIT_COMPLETE;
	exit_raise(&level, batch_run(&opt));
out:
	if (have_packet)
		packet_env_free(&packet);
	intake_free(intake);
	intake_cleanup();
	free(case_xsd);
	free(policy_xsd);
	free(templates);
	return exit_status(level, stop_signal);
}
