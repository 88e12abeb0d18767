"""OpenCV reference timing: CPU ms per frame of detectMultiScale, one thread,
best of 5 rounds. usage: cv_detect_time.py CASCADE ITER [--min-size N]
[--downscale F] IMAGE...  (same meaning as bench_detect)"""
import sys
import time

import cv2

cv2.setNumThreads(1)
cv2.ocl.setUseOpenCL(False)
casc = cv2.CascadeClassifier(sys.argv[1])
it = max(1, int(sys.argv[2]))
args = sys.argv[3:]
mins, down = 40, 1.0
while args[:1] in (["--min-size"], ["--downscale"]):
    if args[0] == "--min-size":
        mins = int(args[1])
    else:
        down = float(args[1])
    args = args[2:]
mins = int(mins / down + 0.5)
for f in args:
    im = cv2.imread(f, cv2.IMREAD_GRAYSCALE)
    size = (int(im.shape[1] / down + 0.5), int(im.shape[0] / down + 0.5))
    best = 1e30
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(it):
            use = cv2.resize(im, size, interpolation=cv2.INTER_LINEAR) if down > 1 else im
            r = casc.detectMultiScale(use, 1.1, 5, 0, (mins, mins))
        best = min(best, (time.process_time() - t0) * 1000.0 / it)
    print("%.2f\t%d" % (best, len(r)))
