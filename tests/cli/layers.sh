#!/bin/sh
# The layering of src/ (issue 15): files in area folders, listed in their
# mk/<area>.mk, link lines as mk/layers.txt says (tools/layout-check); every
# symbol a src/<area>/lib<area>.a needs from another area comes from one
# mk/layers.txt lets it call (tools/layers-check), also where no test links;
# no C file over 1,000 lines, no function over 120 (tools/size-check).
. "$top_srcdir/tests/lib.sh"
command -v "${NM:-nm}" >/dev/null 2>&1 || skip_all "no nm"
plan 5
ok "layout: area folders, mk/<area>.mk lists, link lines follow mk/layers.txt" \
	sh "$top_srcdir/tools/layout-check"
ok "layers: each lib<area>.a calls only the areas mk/layers.txt lets it call" \
	sh "$top_srcdir/tools/layers-check" "$top_builddir"
# The check can fail: without the edge library -> emotion (musicmood runs
# the music-mood network with dn) it names the calls.
sed 's/^library:.*/library: base audio/' "$top_srcdir/mk/layers.txt" >"$T/layers.txt"
LAYERS_TABLE="$T/layers.txt" sh "$top_srcdir/tools/layers-check" "$top_builddir" >"$T/out" 2>&1
rc=$?
ok "a call outside the table fails and is named" \
	sh -c '[ "$1" = 1 ] && grep -q "src/library/musicmood.o calls dn_load from area emotion" "$2"' - "$rc" "$T/out"
ok "sizes: no C file over 1,000 lines, no function over 120" \
	sh "$top_srcdir/tools/size-check" "$top_srcdir"
# It can fail: with a limit of 110 the longest functions are named.
SIZE_MAX_FUNC=110 sh "$top_srcdir/tools/size-check" "$top_srcdir" >"$T/size" 2>&1
rc=$?
ok "a function over the limit fails and is named" \
	sh -c '[ "$1" = 1 ] && grep -q "src/cli/cmd_shows.c:23: function of 119 lines" "$2"' - "$rc" "$T/size"
done_testing
