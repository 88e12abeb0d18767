#!/bin/sh
# Benchmark of the remote-control socket: requests answered per second on
# one connection, and connections per second (one request each), against
# `emotune --headless --no-camera --audio null` with an empty library.
# Figures go to doc/BENCHMARKS.md.
set -eu
: "${EMOTUNE:?run through make bench}"
T=$(mktemp -d "${TMPDIR:-/tmp}/emotune-bench.XXXXXX")
export XDG_RUNTIME_DIR="$T/rt" XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/cfg"
mkdir -p "$T/rt" "$T/music"; chmod 700 "$T/rt"
"$EMOTUNE" --headless --no-camera --audio null --music "$T/music" --db "$T/lib.db" >"$T/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
i=0; while ! "$EMOTUNE" remote status >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
python3 - "$T/rt/emotune/socket" <<'PY'
import socket, sys, time
path = sys.argv[1]
def ask(s, f, line):
    s.sendall(line + b"\n")
    while True:
        l = f.readline()
        if l in (b"ok\n", b"") or l.startswith(b"error: "):
            return l
s = socket.socket(socket.AF_UNIX); s.connect(path); f = s.makefile("rb")
for cmd, n in ((b"status", 5000), (b"volume 50", 5000)):
    t = time.perf_counter()
    for _ in range(n):
        ask(s, f, cmd)
    dt = time.perf_counter() - t
    print("one connection, %-10s %6d requests: %8.0f requests/s, %.1f us each" % (cmd.decode(), n, n / dt, dt / n * 1e6))
s.close()
n = 1000
t = time.perf_counter()
for _ in range(n):
    c = socket.socket(socket.AF_UNIX); c.connect(path); cf = c.makefile("rb")
    ask(c, cf, b"status"); c.close()
dt = time.perf_counter() - t
print("new connection per status  %6d requests: %8.0f requests/s" % (n, n / dt))
PY
"$EMOTUNE" remote quit >/dev/null
wait $pid
