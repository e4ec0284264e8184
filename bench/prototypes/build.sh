#!/bin/sh
# Builds a patched copy of the gateway OUTSIDE the tree, for `npm run bench -- --proto <dir>/gateway/main.ts`:
#   bench/prototypes/build.sh /tmp/vg-proto-3 3     (the current gateway/ with patches 01..03)
# The copy imports the real subgraphs/, schema/ and node_modules/ through symlinks.
set -e
out=$1; upto=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out"; mkdir -p "$out"
cp -r "$root/gateway" "$out/gateway"
for d in subgraphs schema node_modules scripts package.json tsconfig.json; do ln -s "$root/$d" "$out/$d"; done
for p in "$root"/bench/prototypes/0*.patch; do
  n=$(basename "$p" | cut -c1-2)
  [ "$n" -le "$upto" ] || continue
  (cd "$out" && patch -s -p1 < "$p")
done
echo "$out/gateway/main.ts"
