#!/usr/bin/env bash
# Runs the Dockerfile's build steps without Docker, in a temporary directory:
#   1. build stage: copy the context (minus .dockerignore), npm ci, npm run build
#   2. runtime stage: package.json + lockfile, npm ci --omit=dev --ignore-scripts,
#      dist/src + crds + examples from the build stage
#   3. run the packaged CLI (`--help`, `status --help`) and check that no dev dependency
#      was installed.
# Usage: scripts/docker-build-check.sh [--committed] [--keep]
#   --committed  use the last commit (git archive HEAD) as the context instead of the work tree
#   --keep       leave the temp dir for inspection
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
committed=0
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    --committed) committed=1 ;;
    *) echo "unknown argument $arg" >&2; exit 1 ;;
  esac
done
work="$(mktemp -d -t ecs-gitops-image.XXXXXX)"
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "build stage: copy context (excluding .dockerignore entries)"
mkdir -p "$work/build" "$work/runtime"
excludes=()
while IFS= read -r line; do
  line="${line%%#*}"; line="${line%"${line##*[![:space:]]}"}"
  [ -n "$line" ] && excludes+=("--exclude=./$line")
done < "$repo/.dockerignore"
if [ "$committed" = 1 ]; then
  mkdir -p "$work/context"
  git -C "$repo" archive HEAD | tar -xf - -C "$work/context"
  src="$work/context"
else
  src="$repo"
fi
(cd "$src" && tar -cf - "${excludes[@]}" .) | (cd "$work/build" && tar -xf -)

step "build stage: npm ci (all dependencies, no scripts) and build"
(cd "$work/build" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && npm run build:product --silent)
[ -f "$work/build/dist/src/cli/bin.js" ] || { echo "build produced no dist/src/cli/bin.js" >&2; exit 1; }

step "runtime stage: production dependencies only"
cp "$work/build/package.json" "$work/build/package-lock.json" "$work/runtime/"
(cd "$work/runtime" && NODE_ENV=production npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
mkdir -p "$work/runtime/dist"
cp -R "$work/build/dist/src" "$work/runtime/dist/src"
cp -R "$work/build/crds" "$work/build/examples" "$work/runtime/"

step "runtime stage: checks"
for dev in typescript @types/node json-schema-to-typescript; do
  if [ -e "$work/runtime/node_modules/$dev" ]; then echo "dev dependency $dev in the runtime image" >&2; exit 1; fi
done
(cd "$work/runtime" && node dist/src/cli/bin.js --help >/dev/null)
(cd "$work/runtime" && node dist/src/cli/bin.js status --help >/dev/null)
if (cd "$work/runtime" && node dist/src/cli/bin.js --help | grep -qE '^  run '); then
  (cd "$work/runtime" && node dist/src/cli/bin.js run --help >/dev/null)
fi
# The development sandbox is its own package and must not ship in the image.
if [ -e "$work/runtime/node_modules/@ecs-gitops/sandbox" ] || [ -e "$work/runtime/dist/src/sandbox" ] || [ -e "$work/runtime/packages" ]; then
  echo "the development sandbox is in the runtime image" >&2; exit 1
fi
sandbox_out="$(cd "$work/runtime" && node dist/src/cli/bin.js sandbox --port 0 2>&1 || true)"
if printf '%s' "$sandbox_out" | grep -q "own package"; then :; else
  echo "ecs-gitops sandbox in the image does not explain that the sandbox is not installed" >&2; exit 1
fi
size="$(du -sh "$work/runtime" | cut -f1)"
echo "runtime tree: $size ($(ls "$work/runtime/node_modules" | wc -l) top-level packages)"
(cd "$work/runtime" && node dist/src/cli/bin.js --help)
echo "OK: image build steps succeed without Docker"
