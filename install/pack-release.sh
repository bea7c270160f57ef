#!/usr/bin/env bash
# Packs what a cart needs into dist/release/cart-firmware-<version>-<commit>.tar.gz:
# the compiled firmware, drivers and calibration tool (not the bench), package.json
# without its build step, the lockfile, .npmrc, the systemd units and udev rules,
# docs/install.md and install.sh. Run by `./build.sh --release` after compiling.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/firmware/main.js ] || { echo "pack-release: compile first (./build.sh --release)" >&2; exit 1; }

version=$(node -p "require('./package.json').version")
commit=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
name="cart-firmware-$version-$commit"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/dist" "$root/docs"
for part in firmware drivers calibration; do
  [ -d "dist/$part" ] && cp -r "dist/$part" "$root/dist/"
done
# On the cart `npm ci --omit=dev` installs the production dependencies; the
# compile step (prepare) needs TypeScript and is already done, so it goes.
node -e '
  const pkg = require("./package.json");
  delete pkg.scripts.prepare;
  require("fs").writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
' "$root/package.json"
cp package-lock.json .npmrc "$root/"
cp -r systemd "$root/systemd"
cp -r models "$root/models"
cp install/install.sh "$root/install.sh"
cp docs/install.md "$root/docs/install.md"
cat > "$root/BUILD-INFO" <<INFO
version=$version
commit=$commit
built_with_node=$(node --version)
INFO

mkdir -p dist/release
tar -czf "dist/release/$name.tar.gz" -C "$stage" "$name"
echo "release: dist/release/$name.tar.gz ($(du -h "dist/release/$name.tar.gz" | cut -f1))"
