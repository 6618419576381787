/*
 * fonts_fixture.h - the packet's four faces, loaded once for a group of
 * unit tests: cmocka_run_group_tests(tests, fonts_setup, fonts_teardown),
 * then `fonts` in the tests.
 */
#ifndef RNPACK_TEST_FONTS_FIXTURE_H
#define RNPACK_TEST_FONTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "rnpack/packet.h"
#include "rnpack/render.h"

static struct render_fonts fonts;

static int
fonts_setup(void **state)
{
	char *err = NULL;

	(void)state;
	if (!render_fonts_load(&fonts, packet_font_paths, &err)) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
fonts_teardown(void **state)
{
	(void)state;
	render_fonts_free(&fonts);
	return 0;
}

#endif
