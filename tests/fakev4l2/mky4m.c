/*
 * mky4m: writes a Y4M test video from still images, for the capture tests.
 * Usage: mky4m OUT W H FPS SECONDS IMG[,IMG...] [SECONDS IMG[,IMG...]]...
 * Each segment lasts SECONDS and cycles through its images frame by frame.
 * An image is scaled to 60% of the frame height and centred on mid-gray
 * (W and H of at most 96: scaled to the whole frame, a face crop).
 */
#include "img.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 7 || (argc - 5) % 2) {
		fprintf(stderr, "usage: mky4m OUT W H FPS SECONDS IMG[,IMG...]...\n");
		return 2;
	}
	int w = atoi(argv[2]), h = atoi(argv[3]), fps = atoi(argv[4]);
	if (w < 8 || h < 8 || w > 4096 || h > 4096 || fps < 1 || fps > 240) {
		fprintf(stderr, "mky4m: bad size or rate\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", w, h, fps);
	struct img frame;
	if (img_alloc(&frame, w, h))
		return 1;
	size_t chroma = 2 * (size_t)((w + 1) / 2) * (size_t)((h + 1) / 2);
	uint8_t *uv = malloc(chroma);
	memset(uv, 128, chroma);
	int crop = w <= 96 && h <= 96;
	int side = crop ? 0 : h * 6 / 10;
	for (int a = 5; a + 1 < argc; a += 2) {
		double secs = atof(argv[a]);
		struct img faces[16];
		int n = 0;
		char *list = strdup(argv[a + 1]);
		for (char *s = strtok(list, ","); s && n < 16; s = strtok(NULL, ",")) {
			struct img src;
			int err = img_load(s, &src);
			if (err) {
				fprintf(stderr, "mky4m: %s: %s\n", s, img_strerror(err));
				return 1;
			}
			if (img_alloc(&faces[n], crop ? w : side, crop ? h : side))
				return 1;
			img_resize(&src, &faces[n]);
			img_free(&src);
			n++;
		}
		free(list);
		long frames = (long)(secs * fps + 0.5);
		for (long i = 0; i < frames; i++) {
			const struct img *fc = &faces[i % n];
			memset(frame.px, 128, (size_t)w * (size_t)h);
			int x0 = (w - fc->w) / 2, y0 = (h - fc->h) / 2;
			for (int y = 0; y < fc->h; y++)
				memcpy(frame.px + (size_t)(y0 + y) * (size_t)w + (size_t)x0,
				       fc->px + (size_t)y * (size_t)fc->stride, (size_t)fc->w);
			fputs("FRAME\n", f);
			fwrite(frame.px, 1, (size_t)w * (size_t)h, f);
			fwrite(uv, 1, chroma, f);
		}
		for (int k = 0; k < n; k++)
			img_free(&faces[k]);
	}
	free(uv);
	img_free(&frame);
	return fclose(f) ? 1 : 0;
}
