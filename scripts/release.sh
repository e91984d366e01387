#!/usr/bin/env bash
# Builds DebVisor's release artifacts, checksums and signs them:
#
#   scripts/release.sh VERSION --signing-key PATH (--osv-feed PATH | --skip-scan)
#                      [--out DIR] [--base-image TAR --base-sbom JSON] [--preflight]
#
# Produces in DIR (default target/release/VERSION): the agent and controller .debs, the controller
# jar (CLI, ISO and image builders), OCI image archives of controller and agent (Jib, on a JRE base
# built from Debian's openjdk-21-jre-headless), a CycloneDX SBOM per artifact (*.cdx.json), the
# changelog section (CHANGELOG-VERSION.md), SHA256SUMS, its detached signature SHA256SUMS.asc and
# the public key SIGNING-KEY.asc. Verify with `sha256sum -c SHA256SUMS` and
# `gpg --verify SHA256SUMS.asc SHA256SUMS` (README, "Verifying a release").
#
# How the version is set: the poms carry the next version as X.Y.Z-SNAPSHOT. `release.sh X.Y.Z`
# builds HEAD with the poms' X.Y.Z-SNAPSHOT rewritten to X.Y.Z in a private export of the commit;
# the working tree is never changed. A commit whose poms already say X.Y.Z builds as it is. When
# HEAD is tagged, the tag must be vX.Y.Z.
#
# Refused before anything is built (exit 2; DIR is left untouched): a dirty working tree, a VERSION
# that matches neither the poms nor HEAD's tag, no changelog section for VERSION, a missing or
# unusable signing key, a missing OSV feed, a DIR that already holds files. --preflight stops after
# these checks. Anything that fails later (build, scan) publishes nothing either (exit 1): the
# artifacts are staged beside DIR and moved there only when all are signed.
#
# Reproducible: SOURCE_DATE_EPOCH is the commit's time and becomes Maven's outputTimestamp, the
# images' creation time and the base image's clamp; two runs on the same commit (and the same
# Debian mirror state for the base image) give the same SHA256SUMS.
#
# --osv-feed PATH: OSV JSON advisories (file or directory, e.g. OSV's Maven/all.zip and
# Debian/all.zip unpacked); the SBOMs are scanned and a CRITICAL finding stops the release.
# --skip-scan only where the scan runs elsewhere. --base-image/--base-sbom reuse a base image built
# by scripts/lib/release-base-image.sh (else it is built here: needs root and mmdebstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

refuse() { echo "release: error: $*" >&2; exit 2; }
fail() { echo "release: error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

version=""
signing_key=""
out=""
feed=""
skip_scan=false
base_image=""
base_sbom=""
preflight=false
while [ $# -gt 0 ]; do
  case $1 in
    --signing-key) [ $# -ge 2 ] || refuse "--signing-key needs a PATH"; signing_key=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || refuse "--out needs a DIR"; out=$2; shift 2 ;;
    --osv-feed) [ $# -ge 2 ] || refuse "--osv-feed needs a PATH"; feed=$2; shift 2 ;;
    --skip-scan) skip_scan=true; shift ;;
    --base-image) [ $# -ge 2 ] || refuse "--base-image needs a TAR"; base_image=$2; shift 2 ;;
    --base-sbom) [ $# -ge 2 ] || refuse "--base-sbom needs a JSON file"; base_sbom=$2; shift 2 ;;
    --preflight) preflight=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) refuse "unknown option $1 (see --help)" ;;
    *) [ -z "$version" ] || refuse "one VERSION only (got $version and $1)"; version=$1; shift ;;
  esac
done
[ -n "$version" ] || refuse "usage: scripts/release.sh VERSION --signing-key PATH (--osv-feed PATH | --skip-scan) [--out DIR]"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] \
  || refuse "VERSION $version is not MAJOR.MINOR.PATCH (e.g. 0.2.0)"
[[ $version != *-SNAPSHOT ]] || refuse "VERSION $version is a snapshot; release X.Y.Z (the poms' version without -SNAPSHOT)"
out=${out:-$root/target/release/$version}

# 1. The source: a clean tree, the version the poms and the tag name.
command -v git >/dev/null || refuse "git is missing"
dirty=$(git status --porcelain --untracked-files=normal)
if [ -n "$dirty" ]; then
  echo "$dirty" | head -n 10 >&2
  refuse "the working tree has uncommitted changes (above); commit or stash them: a release is built from a commit"
fi
pom_version=$(sed -n '/<artifactId>debvisor-parent<\/artifactId>/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
[ -n "$pom_version" ] || refuse "cannot read the version from pom.xml"
if [ "$pom_version" = "$version" ]; then
  rewrite=false
elif [ "$pom_version" = "$version-SNAPSHOT" ]; then
  rewrite=true
else
  refuse "VERSION $version does not match the poms' version $pom_version; release ${pom_version%-SNAPSHOT}"
fi
tags=$(git tag --points-at HEAD | grep -E '^v[0-9]' || true)
if [ -n "$tags" ] && ! grep -qx "v$version" <<<"$tags"; then
  refuse "HEAD is tagged $(echo $tags) but VERSION is $version; release the tagged version or check out another commit"
fi
changelog=docs/CHANGELOG.md
grep -q "^## $version\b" "$changelog" 2>/dev/null \
  || refuse "$changelog has no section '## $version'; add what changed in $version and commit it"

# 2. Inputs: the signing key, the feed, the base image, the output directory.
. scripts/lib/release-sign.sh
key_problem=$(mktemp)
if gpg_home=$(debvisor_release_gpg_home "$signing_key" 2>"$key_problem"); then
  rm -f "$key_problem"
  debvisor_release_gpg_done "$gpg_home"
else
  problem=$(cat "$key_problem")
  rm -f "$key_problem"
  refuse "$problem"
fi
if ! $skip_scan; then
  [ -n "$feed" ] || refuse "no vulnerability feed: pass --osv-feed PATH (OSV JSON), or --skip-scan where the scan runs elsewhere"
  [ -e "$feed" ] || refuse "OSV feed $feed does not exist"
fi
if [ -n "$base_image" ] || [ -n "$base_sbom" ]; then
  [ -f "$base_image" ] && [ -f "$base_sbom" ] \
    || refuse "--base-image and --base-sbom go together and must name existing files"
else
  [ "$(id -u)" -eq 0 ] || refuse "building the JRE base image needs root (mmdebstrap); run as root or pass --base-image/--base-sbom"
  command -v mmdebstrap >/dev/null || refuse "mmdebstrap is missing: apt-get install mmdebstrap"
fi
for tool in jq sha256sum tar; do
  command -v "$tool" >/dev/null || refuse "$tool is missing: apt-get install $tool"
done
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  refuse "$out already holds files; remove it or pass another --out"
fi
if $preflight; then
  say "preflight passed: would release $version from $(git rev-parse --short HEAD) into $out"
  exit 0
fi

# 3. Build from a private export of the commit (the tree stays as it is).
. scripts/lib/jdk.sh
started=$SECONDS
commit=$(git rev-parse HEAD)
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
timestamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
work=$(mktemp -d /tmp/debvisor-release.XXXXXX)
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$(dirname "$out")/.release-$version.XXXXXX")
trap 'rm -rf "$work" "$stage"' EXIT
git archive --format=tar "$commit" | tar -x -C "$work" -f - --one-top-level=src
if $rewrite; then
  find "$work/src" -name pom.xml -print0 \
    | xargs -0 sed -i "s|<version>$pom_version</version>|<version>$version</version>|"
fi
if [ -z "$base_image" ]; then
  say "building the JRE base image (mmdebstrap)"
  base_image=$work/base-image.tar
  base_sbom=$work/base-image.cdx.json
  scripts/lib/release-base-image.sh "$base_image" "$base_sbom"
fi
say "building $version from ${commit:0:12} (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
(
  cd "$work/src"
  # shellcheck disable=SC2086
  ./mvnw -B -q ${DEBVISOR_RELEASE_MAVEN_ARGS:-} -Prelease -pl agent,controller -am package \
    -DskipTests -Djacoco.skip=true -Dspotless.check.skip=true \
    -Dproject.build.outputTimestamp="$SOURCE_DATE_EPOCH" \
    -Ddebvisor.baseImageTar="$base_image" -Ddebvisor.imageTimestamp="$timestamp"
) >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "the build failed (log above); nothing was published"; }

# 4. Artifacts and their SBOMs.
src=$work/src
deb_version=$version
agent_deb=debvisor-agent_${deb_version}_all.deb
controller_deb=debvisor-controller_${deb_version}_all.deb
cp "$src/agent/target/$agent_deb" "$src/controller/target/$controller_deb" "$stage/"
cp "$src/controller/target/debvisor-controller-$version-all.jar" "$stage/debvisor-controller-$version.jar"
cp "$src/controller/target/debvisor-controller-$version-oci.tar" "$stage/debvisor-controller-$version-oci.tar"
cp "$src/agent/target/debvisor-agent-$version-oci.tar" "$stage/debvisor-agent-$version-oci.tar"
agent_bom=$src/agent/target/debvisor-agent-$version.cdx.json
controller_bom=$src/controller/target/debvisor-controller-$version.cdx.json
cp "$agent_bom" "$stage/$agent_deb.cdx.json"
cp "$controller_bom" "$stage/$controller_deb.cdx.json"
cp "$controller_bom" "$stage/debvisor-controller-$version.jar.cdx.json"
# An image holds the base's Debian packages and the module's Maven components.
for module in agent controller; do
  jq -S --slurpfile base "$base_sbom" \
    '.components = ((.components // []) + ($base[0].components // []))' \
    "$src/$module/target/debvisor-$module-$version.cdx.json" \
    >"$stage/debvisor-$module-$version-oci.tar.cdx.json"
done
awk -v v="$version" '$0 ~ "^## " {on = ($0 ~ "^## " v "([^0-9.]|$)")} on' "$changelog" \
  >"$stage/CHANGELOG-$version.md"

# 5. Scan, then checksums and signature; then publish.
if $skip_scan; then
  say "vulnerability scan skipped (--skip-scan)"
else
  say "scanning the SBOMs against $feed"
  "$JAVA_HOME/bin/java" -jar "$stage/debvisor-controller-$version.jar" sbom scan --feed "$feed" \
    "$stage"/*.cdx.json >"$work/scan.txt" 2>&1 \
    || { cat "$work/scan.txt" >&2; fail "the vulnerability scan failed (above); nothing was published"; }
  tail -n 1 "$work/scan.txt"
fi
debvisor_release_sign "$signing_key" "$stage" || fail "signing failed; nothing was published"
chmod 755 "$stage"
if [ -d "$out" ]; then
  rmdir "$out"
fi
mv "$stage" "$out"
trap 'rm -rf "$work"' EXIT
say "release $version in $out after $((SECONDS - started)) s:"
(cd "$out" && cat SHA256SUMS)
