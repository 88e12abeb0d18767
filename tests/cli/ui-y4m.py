"""Writes a Y4M video (320x240, 10 frames/s) of face images for the UI
test: each FOLDER's first N images, each shown SECONDS/N seconds, folder
after folder. The 48x48 faces are scaled to 144x144 on a gray background.
Usage: ui-y4m.py OUT SECONDS N FOLDER...   (needs OpenCV: $SYS_PYTHON)"""
import os
import sys

import cv2
import numpy as np

out, secs, n, folders = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
W, H, FPS = 320, 240, 10
with open(out, "wb") as f:
    f.write(b"YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n" % (W, H, FPS))
    for d in folders:
        names = sorted(os.listdir(d))[:n]
        per = max(1, int(round(secs * FPS / len(names))))
        for name in names:
            face = cv2.imread(os.path.join(d, name), cv2.IMREAD_GRAYSCALE)
            frame = np.full((H, W), 110, np.uint8)
            frame[48:192, 88:232] = cv2.resize(face, (144, 144), interpolation=cv2.INTER_LINEAR)
            chroma = np.full((H // 2) * (W // 2) * 2, 128, np.uint8)
            for _ in range(per):
                f.write(b"FRAME\n")
                f.write(frame.tobytes())
                f.write(chroma.tobytes())
