/*
 * imb.h - USPS Intelligent Mail barcode (IMb) encoder, USPS-B-3200.
 *
 * Turns a 20-digit tracking code and a 0/5/9/11-digit routing code into
 * the 65 bars of the barcode, one letter per bar: 'A' ascender, 'D'
 * descender, 'F' full, 'T' tracker.  Drawing the bars is the renderer's
 * business.  Pure computation: no allocation, no I/O, no state between
 * calls, so every function is safe to call from any thread.
 *
 * All functions return true on success.  On failure they return false
 * and leave their output buffer unchanged; a NULL argument is a failure.
 */
#ifndef RNPACK_IMB_H
#define RNPACK_IMB_H

#include <stdbool.h>

#define IMB_BARS	65

/*
 * Encode: tracking is exactly 20 digits (barcode id 2 digits with second
 * digit 0-4, service type 3, mailer id 6 or 9 digits, serial 9 or 6),
 * routing is "" or 5, 9 or 11 digits.  On success writes 65 letters
 * A/D/F/T plus NUL into bars.  False for wrong lengths, non-digits or a
 * second barcode-id digit above 4.
 */
bool	imb_encode(const char *tracking, const char *routing,
	    char bars[IMB_BARS + 1]);

/*
 * Build the 20-digit tracking code: barcode_id (2 digits, second 0-4),
 * service_type (3 digits), mailer_id (6 or 9 digits) and serial, written
 * zero-padded to 9 digits after a 6-digit mailer id and to 6 after a
 * 9-digit one.  False when serial does not fit that width or a part is
 * malformed.  The leading-digit convention for mailer ids (9-digit ids
 * start with 9) is the caller's to enforce.
 */
bool	imb_tracking(const char *barcode_id, const char *service_type,
	    const char *mailer_id, unsigned long serial, char out[21]);

/*
 * Routing code from a ZIP ("77002"), ZIP+4 ("77002-1234" or "770021234")
 * or ZIP+4+delivery point ("77002123456" or "77002-123456"); "" gives "".
 * Writes digits only into out (0, 5, 9 or 11 of them plus NUL).  False
 * for anything else, including spaces.
 */
bool	imb_routing(const char *zip, char out[12]);

#endif
