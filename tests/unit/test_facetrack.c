/* Unit tests for facetrack: identity, smoothing, loss, new faces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "facetrack.h"

static void iou(void **state)
{
	(void)state;
	const struct vocab_box a = { 0, 0, 10, 10 }, same = a, half = { 5, 0, 10, 10 },
			       apart = { 20, 20, 5, 5 };
	assert_true(fabs(facetrack_iou(&a, &same) - 1.0) < 1e-9);
	assert_true(fabs(facetrack_iou(&a, &half) - 50.0 / 150.0) < 1e-9);
	assert_true(facetrack_iou(&a, &apart) == 0.0);
}

static void identity_and_smoothing(void **state)
{
	(void)state;
	struct facetrack *t = facetrack_new();
	assert_non_null(t);
	struct facetrack_face f[4];
	struct vocab_box d = { 100, 100, 80, 80 };
	assert_int_equal(facetrack_update(t, &d, 1, 0.0), 1);
	assert_int_equal(facetrack_faces(t, f, 4), 1);
	assert_int_equal(f[0].id, 1);
	assert_int_equal(f[0].box.x, 100);
	assert_int_equal(f[0].box.w, 80);
	/* the face moves right by 10 px per frame at 30 fps: same id, the box
	 * follows but lags (smoothed), and never overshoots */
	for (int k = 1; k <= 10; k++) {
		d.x = 100 + 10 * k;
		facetrack_update(t, &d, 1, k / 30.0);
		assert_int_equal(facetrack_faces(t, f, 4), 1);
		assert_int_equal(f[0].id, 1);
		assert_true(f[0].box.x <= d.x);
		assert_true(f[0].box.x > 100);
	}
	assert_int_equal(f[0].hits, 11);
	assert_int_equal(f[0].missed, 0);
	/* it stops: the box converges onto the detection */
	for (int k = 11; k <= 40; k++)
		facetrack_update(t, &d, 1, k / 30.0);
	facetrack_faces(t, f, 4);
	assert_true(abs(f[0].box.x - d.x) <= 1);

	/* a second face appears far away: a new id; the first keeps its own */
	struct vocab_box two[2] = { d, { 400, 50, 60, 60 } };
	assert_int_equal(facetrack_update(t, two, 2, 41 / 30.0), 2);
	facetrack_faces(t, f, 4);
	assert_int_equal(f[0].id, 1);
	assert_int_equal(f[1].id, 2);
	assert_int_equal(f[1].box.x, 400);
	/* order of the detections does not matter */
	struct vocab_box swapped[2] = { two[1], two[0] };
	facetrack_update(t, swapped, 2, 42 / 30.0);
	facetrack_faces(t, f, 4);
	assert_int_equal(f[0].id, 1);
	assert_true(abs(f[0].box.x - d.x) <= 1);
	assert_int_equal(f[1].id, 2);
	facetrack_free(t);
}

static void loss_and_gaps(void **state)
{
	(void)state;
	struct facetrack_params p;
	facetrack_params_default(&p);
	p.max_missed = 2;
	p.max_gap = 10;
	struct facetrack *t = facetrack_new_params(&p);
	struct facetrack_face f[2];
	struct vocab_box d = { 10, 10, 50, 50 };
	facetrack_update(t, &d, 1, 0);
	/* missed twice: still there, box kept; third time: gone */
	assert_int_equal(facetrack_update(t, NULL, 0, 0.1), 1);
	assert_int_equal(facetrack_update(t, NULL, 0, 0.2), 1);
	facetrack_faces(t, f, 2);
	assert_int_equal(f[0].missed, 2);
	assert_int_equal(f[0].box.x, 10);
	assert_int_equal(facetrack_update(t, NULL, 0, 0.3), 0);
	/* it comes back: a new identity */
	facetrack_update(t, &d, 1, 0.4);
	facetrack_faces(t, f, 2);
	assert_int_equal(f[0].id, 2);
	/* a long gap in time drops it even within max_missed */
	assert_int_equal(facetrack_update(t, NULL, 0, 20.0), 0);
	/* detection every Nth frame with a jump bigger than the overlap rule:
	 * the centre rule keeps the identity */
	facetrack_update(t, &d, 1, 21.0);
	struct vocab_box moved = { 32, 10, 50, 50 };
	facetrack_update(t, &moved, 1, 21.2);
	facetrack_faces(t, f, 2);
	assert_int_equal(f[0].id, 3);
	assert_int_equal(f[0].hits, 2);
	facetrack_reset(t);
	assert_int_equal(facetrack_faces(t, f, 2), 0);
	/* more detections than room: capped, no overflow */
	struct vocab_box many[200];
	for (int i = 0; i < 200; i++)
		many[i] = (struct vocab_box){ (i % 20) * 100, (i / 20) * 100, 40, 40 };
	assert_int_equal(facetrack_update(t, many, 200, 30.0), FACETRACK_MAX);
	facetrack_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iou),
		cmocka_unit_test(identity_and_smoothing),
		cmocka_unit_test(loss_and_gaps),
	};
	return cmocka_run_group_tests_name("facetrack", tests, NULL, NULL);
}
