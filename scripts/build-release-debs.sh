#!/usr/bin/env bash
# Builds the agent and controller .debs of a released version from that tag's source, for the
# upgrade test (N-1 → N, docs/upgrades.md):
#
#   scripts/build-release-debs.sh [TAG]      (default: v0.1.0) prints the directory holding
#                                            debvisor-agent_*.deb and debvisor-controller_*.deb
#
# The result is cached by the tag's commit id under $DEBVISOR_TEST_CACHE/release-debs/COMMIT
# (default /var/cache/debvisor-test): a second call costs nothing, and an emptied cache only costs
# the build again (a few minutes). The source comes from `git archive` of the tag, so the checkout's
# own files and its target/ directories are never touched. Maven runs without tests and reads the
# local repository only; it installs nothing. DEBVISOR_MAVEN_OFFLINE=1 adds -o.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/.." && pwd)"
tag=${1:-v0.1.0}
CACHE=${DEBVISOR_TEST_CACHE:-/var/cache/debvisor-test}

die() { echo "build-release-debs: error: $*" >&2; exit 1; }

commit=$(git -C "$repo" rev-parse --verify --quiet "$tag^{commit}") \
  || die "no tag or commit '$tag' in $repo; the releases are: $(git -C "$repo" tag -l 'v*' | tr '\n' ' ')"
dir="$CACHE/release-debs/$commit"
complete() { [ -f "$dir/.complete" ] && ls "$dir"/debvisor-agent_*_all.deb "$dir"/debvisor-controller_*_all.deb >/dev/null 2>&1; }
if complete; then
  echo "$dir"
  exit 0
fi

mkdir -p "$CACHE/release-debs"
exec 9>"$CACHE/release-debs/.lock"
flock 9
if complete; then
  echo "$dir"
  exit 0
fi

# shellcheck source=lib/jdk.sh
source "$here/lib/jdk.sh"
started=$SECONDS
work="$CACHE/release-debs/$commit.build.$$"
out="$dir.tmp.$$"
# A build that was killed leaves its directories behind; they are never used.
rm -rf "$CACHE"/release-debs/"$commit".build.* "$dir".tmp.*
trap 'rm -rf "$work" "$out"' EXIT
mkdir -p "$work/src" "$out"
git -C "$repo" archive --format=tar "$commit" | tar -x -C "$work/src"
echo "build-release-debs: building $tag ($commit) in $work/src (once; a few minutes)" >&2
offline=()
[ "${DEBVISOR_MAVEN_OFFLINE:-0}" = 1 ] && offline=(-o)
(
  cd "$work/src"
  ./mvnw -B -q --no-transfer-progress "${offline[@]}" -pl agent,controller -am package \
    -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true
) >"$work/build.log" 2>&1 || {
  tail -n 40 "$work/build.log" >&2
  die "building $tag failed (log above)"
}
cp "$work"/src/agent/target/debvisor-agent_*_all.deb "$work"/src/controller/target/debvisor-controller_*_all.deb "$out/"
echo "$tag $commit" >"$out/.complete"
rm -rf "$dir"
mv "$out" "$dir"
echo "build-release-debs: $tag built in $((SECONDS - started)) s" >&2
echo "$dir"
