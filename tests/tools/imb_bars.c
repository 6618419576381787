/*
 * imb_bars.c - print the Intelligent Mail barcode of a tracking code and
 * a routing code, as rnpack's encoder (imb.h) computes it: one line of
 * 65 letters A/D/F/T.  The end-to-end tests compare the manifest's and
 * the printed bars with it.
 *
 *	imb_bars TRACKING ROUTING	(ROUTING may be "")
 *
 * Exit status 0, or 1 when the encoder refuses the input, 64 for a bad
 * command line.
 */
#include <stdio.h>

#include "rnpack/imb.h"

int
main(int argc, char **argv)
{
	char bars[IMB_BARS + 1];

	if (argc != 3) {
		fputs("usage: imb_bars TRACKING ROUTING\n", stderr);
		return 64;
	}
	if (!imb_encode(argv[1], argv[2], bars)) {
		fprintf(stderr, "imb_bars: cannot encode tracking \"%s\" "
		    "routing \"%s\"\n", argv[1], argv[2]);
		return 1;
	}
	puts(bars);
	return 0;
}
