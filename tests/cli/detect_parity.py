"""Parity of `emotune detect` with OpenCV's CascadeClassifier.

  detect_parity.py make TARBALL OUTDIR N SEED CASCADE [PHOTO_DIR...]
      Writes OUTDIR/*.png: 640x480 frames with FER2013 validation faces
      (48x48, scaled up to 96..240 px) pasted on a textured background, one or
      two faces a frame, plus every photo of PHOTO_DIR as a gray PNG; then
      OpenCV's faces (scale 1.1, min neighbours 5, min size 40, one thread) in
      OUTDIR/opencv.tsv, in emotune's format.
  detect_parity.py opencv CASCADE MIN_NEIGHBORS MIN_SIZE OUT_TSV IMAGE...
      OpenCV's faces with those parameters.
  detect_parity.py compare OPENCV_TSV EMOTUNE_TSV LIST
      Matches faces (IoU >= 0.5); prints the figures; exit 1 when fewer than
      98% of OpenCV's faces are matched or fewer than 98% of the images have
      no extra face.
"""
import os
import random
import sys
import tarfile

MIN_SIZE = 40


def frames(tarball, out, n, seed):
    import cv2
    import numpy as np
    rng = random.Random(seed)
    with tarfile.open(tarball) as tar:
        names = sorted(m.name for m in tar.getmembers()
                       if m.isfile() and m.name.startswith("validation/") and m.name.endswith(".jpg"))
    picks = rng.sample(names, min(n, len(names)))
    want = set(picks)
    got = {}
    # one sequential pass: seeking back in a .tar.gz decompresses it again
    with tarfile.open(tarball) as tar:
        for m in tar:
            if m.name in want:
                data = np.frombuffer(tar.extractfile(m).read(), np.uint8)
                got[m.name] = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    faces = [got[p] for p in picks]
    names = []
    i = 0
    k = 0
    while i < len(faces):
        nr = np.random.RandomState(seed * 1000 + k)
        # background: smooth random texture with a gradient
        bg = nr.randint(0, 256, (60, 80)).astype(np.uint8)
        bg = cv2.resize(bg, (640, 480), interpolation=cv2.INTER_CUBIC)
        bg = cv2.GaussianBlur(bg, (0, 0), rng.uniform(2, 8))
        grad = np.linspace(rng.uniform(-40, 40), rng.uniform(-40, 40), 640)[None, :]
        frame = np.clip(bg.astype(np.float32) * rng.uniform(0.3, 0.8) + 60 + grad, 0, 255).astype(np.uint8)
        count = 2 if (k % 4 == 3 and i + 1 < len(faces)) else 1
        slots = [(0, 640)] if count == 1 else [(0, 320), (320, 640)]
        for (x0, x1) in slots:
            s = rng.randint(96, min(240, x1 - x0 - 8))
            big = cv2.resize(faces[i], (s, s), interpolation=rng.choice([cv2.INTER_LINEAR, cv2.INTER_CUBIC]))
            x = rng.randint(x0 + 4, x1 - s - 4)
            y = rng.randint(4, 480 - s - 4)
            frame[y:y + s, x:x + s] = big
            i += 1
        name = os.path.join(out, "fer%04d.png" % k)
        cv2.imwrite(name, frame)
        names.append(name)
        k += 1
    return names


def small(names, out):
    """120x90 copies of a few frames (OUTDIR/small-list) for cascades that
    accept nearly every window: their raw hits are grouped in O(n^2)."""
    import cv2
    smalls = []
    for i, n in enumerate(names):
        im = cv2.resize(cv2.imread(n, cv2.IMREAD_GRAYSCALE), (120, 90), interpolation=cv2.INTER_AREA)
        name = os.path.join(out, "small%d.png" % i)
        cv2.imwrite(name, im)
        smalls.append(name)
    with open(os.path.join(out, "small-list"), "w") as f:
        f.write("\n".join(smalls) + "\n")


def photos(dirs, out):
    import cv2
    names = []
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.lower().endswith((".jpg", ".jpeg", ".png")):
                continue
            im = cv2.imread(os.path.join(d, f), cv2.IMREAD_GRAYSCALE)
            if im is None or min(im.shape) < 48:
                continue
            h, w = im.shape
            if max(w, h) > 640:
                s = 640.0 / max(w, h)
                im = cv2.resize(im, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
            name = os.path.join(out, "photo-%s.png" % os.path.splitext(f)[0])
            cv2.imwrite(name, im)
            names.append(name)
    return names


def opencv_faces(names, cascade, path, min_neighbors=5, min_size=MIN_SIZE):
    import cv2
    cv2.setNumThreads(1)
    cv2.ocl.setUseOpenCL(False)
    c = cv2.CascadeClassifier(cascade)
    if c.empty():
        sys.exit("cannot load " + cascade)
    with open(path, "w") as f:
        f.write("# path\tx\ty\tw\th\n")
        for n in names:
            im = cv2.imread(n, cv2.IMREAD_GRAYSCALE)
            for (x, y, w, h) in c.detectMultiScale(im, 1.1, min_neighbors, 0, (min_size, min_size)):
                f.write("%s\t%d\t%d\t%d\t%d\n" % (n, x, y, w, h))


def read_tsv(path):
    d = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p, x, y, w, h = line.rstrip("\n").split("\t")
            d.setdefault(p, []).append(tuple(int(v) for v in (x, y, w, h)))
    return d


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return 0.0
    i = (x1 - x0) * (y1 - y0)
    return i / float(a[2] * a[3] + b[2] * b[3] - i)


def compare(ref_path, got_path, list_path):
    ref, got = read_tsv(ref_path), read_tsv(got_path)
    names = [l.strip() for l in open(list_path) if l.strip()]
    nfaces = matched = clean = exact = 0
    for n in names:
        r, g = ref.get(n, []), list(got.get(n, []))
        if sorted(r) == sorted(g):
            exact += 1
        nfaces += len(r)
        for a in r:
            best = max(g, key=lambda b: iou(a, b), default=None)
            if best is not None and iou(a, best) >= 0.5:
                matched += 1
                g.remove(best)
        if not g:
            clean += 1
    fm = matched / float(nfaces) if nfaces else 1.0
    fi = clean / float(len(names)) if names else 1.0
    print("images %d, identical output %d (%.1f%%)" % (len(names), exact, 100.0 * exact / max(1, len(names))))
    print("opencv faces %d, matched (IoU>=0.5) %d: %.2f%%" % (nfaces, matched, 100 * fm))
    print("images without extra faces: %d: %.2f%%" % (clean, 100 * fi))
    return 0 if fm >= 0.98 and fi >= 0.98 and names else 1


def main():
    if len(sys.argv) >= 7 and sys.argv[1] == "make":
        tarball, out, n, seed, cascade = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        names = frames(tarball, out, n, seed) + photos(sys.argv[7:], out)
        small(names[:3], out)
        with open(os.path.join(out, "list"), "w") as f:
            f.write("\n".join(names) + "\n")
        opencv_faces(names, cascade, os.path.join(out, "opencv.tsv"))
        return 0
    if len(sys.argv) >= 7 and sys.argv[1] == "opencv":
        opencv_faces(sys.argv[6:], sys.argv[2], sys.argv[5], int(sys.argv[3]), int(sys.argv[4]))
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
