#!/usr/bin/env bash
# Proves the app on Node 24 (called by .ci/run after the Node 20 run):
#   1. Node 24 from the npm registry's node-linux-<arch> package (bin/node and
#      include/node), cached in ~/.cache/kap-ci so a rerun fetches nothing;
#   2. a copy of the checkout (this checkout's node_modules is not touched),
#      `npm install` there with Node 24 first on PATH and npm_config_nodedir at
#      its headers (better-sqlite3 is compiled against Node 24), `npm run build`;
#   3. the @smoke end-to-end tests (tests/e2e/smoke.test.ts) under Node 24:
#      server, test runner and SQLite addon all on Node 24.
# Ends with one line `node 24 stage: N passed, M failed` (.ci/run adds it to
# the total, the last line of its run): install-and-build counts as one
# check, then each smoke test. Anything that stops the stage early is one
# failure with a one-line reason (`FAIL node 24: ...`), never a silent skip.
#
# Environment: NODE24_VERSION (default below), E2E_PORT (default 3210),
# KAP_CI_CACHE (default ~/.cache/kap-ci), KAP_CI_KEEP=1 keeps the copy.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="${NODE24_VERSION:-24.22.3}"
cache="${KAP_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kap-ci}"
port="${E2E_PORT:-3210}"

passed=0
failed=0
stage_started=$SECONDS

# Prints the reason, the total so far plus this failure, and stops.
give_up() {
  echo "FAIL node 24: $1"
  failed=$((failed + 1))
  echo "node 24 stage: ${passed} passed, ${failed} failed"
  exit 1
}

step() { echo; echo "--- node 24: $1 ($((SECONDS - stage_started))s into the stage)"; }

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) give_up "no node-linux-* package for this machine ($(uname -m))" ;;
esac
node_dir="$cache/node-v${version}-linux-${arch}"

# 1. Node 24, cached.
step "Node ${version} (node-linux-${arch} from the npm registry)"
if [ -x "$node_dir/bin/node" ] && [ "$("$node_dir/bin/node" --version 2>/dev/null)" = "v${version}" ] && [ -f "$node_dir/include/node/node.h" ]; then
  echo "cached: $node_dir"
else
  fetch="$(mktemp -d)"
  if ! (cd "$fetch" && timeout 300 npm pack "node-linux-${arch}@${version}" --loglevel=error >pack.log 2>&1); then
    tail -5 "$fetch/pack.log"
    rm -rf "$fetch"
    give_up "could not fetch node-linux-${arch}@${version} from the npm registry (npm pack failed)"
  fi
  mkdir -p "$fetch/x" && tar -xzf "$fetch"/node-linux-*.tgz -C "$fetch/x" || { rm -rf "$fetch"; give_up "could not extract node-linux-${arch}@${version}"; }
  if [ "$("$fetch/x/package/bin/node" --version 2>/dev/null)" != "v${version}" ] || [ ! -f "$fetch/x/package/include/node/node.h" ]; then
    rm -rf "$fetch"
    give_up "node-linux-${arch}@${version} has no working bin/node or no include/node headers"
  fi
  mkdir -p "$cache" && rm -rf "$node_dir" && mv "$fetch/x/package" "$node_dir" || { rm -rf "$fetch"; give_up "could not store Node ${version} in $cache"; }
  rm -rf "$fetch"
  echo "fetched into $node_dir"
fi

# 2. A copy of the checkout: tracked and untracked-but-not-ignored files as they are
# on disk (so no node_modules, build or data), the same files the Node 20 run tests.
work="$(mktemp -d "${TMPDIR:-/tmp}/kap-node24.XXXXXX")"
if [ "${KAP_CI_KEEP:-}" = "1" ]; then
  echo "keeping the copy: $work"
else
  trap 'rm -rf "$work"' EXIT
fi
step "copy of the checkout in $work"
if ! git -C "$repo" ls-files -z --cached --others --exclude-standard \
  | (cd "$repo" && tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) \
  | tar -xf - -C "$work"; then
  give_up "could not copy the checkout to $work"
fi
[ -f "$work/package.json" ] && [ -f "$work/package-lock.json" ] || give_up "the copy in $work has no package.json or package-lock.json"

cd "$work" || give_up "cannot enter $work"
export PATH="$node_dir/bin:$PATH"
export npm_config_nodedir="$node_dir"
# No prebuilt-binary download attempt (prebuild-install reads this variable itself;
# npm warns that it is no npm setting): compile the addon against Node 24's headers,
# with both cores (node-gyp reads JOBS).
export npm_config_build_from_source=better-sqlite3 JOBS=max
echo "node $(node --version) (ABI $(node -p process.versions.modules)) at $(command -v node); npm $(npm --version); nodedir $(npm config get nodedir)"
[ "$(node --version)" = "v${version}" ] || give_up "node on PATH is $(node --version), not v${version}"

# --prefer-offline: the Node 20 install has just filled npm's cache with the same locked versions.
step "npm install"
if ! timeout 900 npm install --no-audit --no-fund --prefer-offline; then
  give_up "npm install failed under Node ${version}"
fi
if ! cmp -s "$repo/package-lock.json" "$work/package-lock.json"; then
  echo "note: npm install under Node ${version} changed package-lock.json in the copy (not counted):"
  diff -u "$repo/package-lock.json" "$work/package-lock.json" | head -20
fi
sqlite_check='const D=require("better-sqlite3");const db=new D(":memory:");console.log("better-sqlite3 loads under Node "+process.version+", SQLite "+db.prepare("select sqlite_version() v").get().v)'
node -e "$sqlite_check" || give_up "better-sqlite3 does not load under Node ${version} (the addon was not built for it)"

step "npm run build"
# The build's output is long and the same as Node 20's; it is shown only when the build fails.
if ! timeout 600 npm run build >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  give_up "npm run build failed under Node ${version}"
fi
tail -1 "$work/build.log"
passed=$((passed + 1))
echo "ok   node 24 install and build ($((SECONDS - stage_started))s)"

# 3. The smoke tests, against a fresh e2e server started by Playwright with `node` (Node 24).
step "end-to-end @smoke tests on port ${port}"
report="$work/test-results/node24-smoke.json"
mkdir -p "$work/test-results"
E2E_PORT="$port" PLAYWRIGHT_JSON="$report" timeout 900 ./node_modules/.bin/playwright test --grep @smoke
status=$?
counts="$(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats;
  console.log(s.expected, s.unexpected + (s.flaky ?? 0), s.skipped);
' "$report" 2>/dev/null)" || give_up "the @smoke tests did not report (playwright exit status ${status})"
read -r ok bad skipped <<<"$counts"
passed=$((passed + ok))
failed=$((failed + bad))
echo "$([ "$bad" -eq 0 ] && [ "$status" -eq 0 ] && echo 'ok  ' || echo 'FAIL') node 24 smoke: ${ok} passed, ${bad} failed, ${skipped} skipped ($((SECONDS - stage_started))s into the stage)"
if [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ]; then
  give_up "no @smoke test ran"
fi
if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
  give_up "playwright exited with status ${status} outside the tests"
fi
echo "node 24 stage: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
