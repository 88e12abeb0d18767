#!/bin/sh
# make install DESTDIR=...: the installed binary runs and finds its data
# (nets/, weights/) under its own prefix, not in the source tree.
. "$top_srcdir/tests/lib.sh"
[ -f "$top_builddir/Makefile" ] || skip_all "no build tree"
root="$T/root"
ok "make install DESTDIR" ${MAKE:-make} -s -C "$top_builddir" install DESTDIR="$root"
bin=$(find "$root" -type f -name emotune -perm -u+x | head -1)
ok "the binary is installed" test -x "$bin"
ok "the man page is installed" sh -c "find '$root' -name emotune.1 | grep -q ."
share=$(dirname "$(find "$root" -type f -name emotion.cfg | head -1)")/..
ok "nets/emotion.cfg is installed" test -f "$share/nets/emotion.cfg"
ok "weights/emotion.weights is installed" test -f "$share/weights/emotion.weights"
# Run it away from the source tree, without EMOTUNE_DATADIR.
unset EMOTUNE_DATADIR
cd "$T" || exit 1
ok "installed --version" sh -c "'$bin' --version | grep -q '^emotune '"
ok "installed --help" sh -c "'$bin' --help | grep -q '^usage: emotune'"
# a 48x48 gray PGM face-sized image
{ printf 'P5\n48 48\n255\n'; head -c 2304 /dev/zero | tr '\0' '\200'; } > "$T/face.pgm"
ok "installed classify finds nets/ and weights/ under its prefix" \
	sh -c "'$bin' classify --no-detect '$T/face.pgm' | tail -1 | grep -q 'face.pgm'"
ok "the installed binary holds no source-tree data path" sh -c "! grep -qa '$top_srcdir/nets' '$bin'"
done_testing
