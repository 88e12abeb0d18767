"""OpenCV reference timing: ms per frame of detectMultiScale, one thread.
usage: cv_detect_time.py CASCADE ITER [--min-size N] IMAGE..."""
import sys
import time

import cv2

cv2.setNumThreads(1)
cv2.ocl.setUseOpenCL(False)
casc = cv2.CascadeClassifier(sys.argv[1])
it = int(sys.argv[2])
args = sys.argv[3:]
mins = 40
if args[:1] == ["--min-size"]:
    mins = int(args[1])
    args = args[2:]
for f in args:
    im = cv2.imread(f, cv2.IMREAD_GRAYSCALE)
    r = casc.detectMultiScale(im, 1.1, 5, 0, (mins, mins))
    t0 = time.perf_counter()
    for _ in range(it):
        r = casc.detectMultiScale(im, 1.1, 5, 0, (mins, mins))
    print("%.2f\t%d" % ((time.perf_counter() - t0) * 1000.0 / it, len(r)))
