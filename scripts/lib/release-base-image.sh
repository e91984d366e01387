#!/usr/bin/env bash
# Builds the base of DebVisor's OCI images: Debian 13's openjdk-21-jre-headless on the Essential
# packages, an unprivileged user (debvisor, uid/gid 65532, home and state in /var/lib/debvisor),
# as a docker-save tar that Jib takes with `tar://` (no registry is reachable from the build
# machines, and Jib reads no OCI layout as a base). Beside it: a CycloneDX SBOM of its packages.
#
#   scripts/lib/release-base-image.sh OUT.tar OUT.cdx.json [MIRROR]
#
# Reproducible for a given SOURCE_DATE_EPOCH and mirror state: mmdebstrap clamps every time to it,
# and the wrapper tar is sorted with fixed owners and times. Needs root, mmdebstrap and jq.
set -euo pipefail

die() { echo "release-base-image: error: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 OUT.tar OUT.cdx.json [MIRROR]"
out_tar=$1
out_sbom=$2
mirror=${3:-${DEBVISOR_RELEASE_MIRROR:-http://deb.debian.org/debian}}
: "${SOURCE_DATE_EPOCH:?set SOURCE_DATE_EPOCH (scripts/release.sh takes it from the commit)}"
[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root); run it with sudo"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install mmdebstrap"
command -v jq >/dev/null || die "jq is missing: apt-get install jq"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image"

# Essential + the JRE only; documentation and translations are no use in an image (man1 stays
# as an empty directory: update-alternatives puts java.1's link there).
timeout "${DEBVISOR_MMDEBSTRAP_TIMEOUT:-3600}" mmdebstrap --mode=root --variant=essential --architectures=amd64 \
  --include=openjdk-21-jre-headless \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='echo "debvisor:x:65532:65532:DebVisor:/var/lib/debvisor:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "debvisor:x:65532:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/var/lib/debvisor" && chown 65532:65532 "$1/var/lib/debvisor" && chmod 0750 "$1/var/lib/debvisor"' \
  --customize-hook="dpkg-query --admindir=\"\$1/var/lib/dpkg\" -W -f='\${Package}\t\${Version}\t\${Architecture}\t\${source:Package}\t\${source:Version}\n' > '$work/packages.tsv'" \
  trixie "$work/image/layer.tar" "$mirror" >"$work/mmdebstrap.log" 2>&1 \
  || { tail -n 30 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }

created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
diff_id=$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)
jq -n --arg created "$created" --arg diff "sha256:$diff_id" '{
  architecture: "amd64", os: "linux", created: $created,
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64"],
    User: "65532:65532", WorkingDir: "/var/lib/debvisor"
  },
  rootfs: {type: "layers", diff_ids: [$diff]}
}' >"$work/image/config.json"
jq -n '[{Config: "config.json", RepoTags: ["debvisor-jre-base:21"], Layers: ["layer.tar"]}]' \
  >"$work/image/manifest.json"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$work/image" -cf "$out_tar.tmp" manifest.json config.json layer.tar
mv "$out_tar.tmp" "$out_tar"

# CycloneDX 1.5 of the Debian packages, purls as OSV and scanners read them. Debian's advisories
# name source packages, so a binary built from another source carries it in an `upstream`
# qualifier (as Syft writes it): NAME, or NAME@VERSION when the versions differ.
jq -R -s --arg ts "$created" '{
  bomFormat: "CycloneDX", specVersion: "1.5", version: 1,
  metadata: {timestamp: $ts, component: {type: "container", name: "debvisor-jre-base", version: "21"}},
  components: [split("\n")[] | select(length > 0) | split("\t") | {
    type: "library", name: .[0], version: .[1],
    purl: ("pkg:deb/debian/" + .[0] + "@" + (.[1] | @uri) + "?arch=" + .[2] + "&distro=debian-13"
      + (if .[3] == .[0] and .[4] == .[1] then ""
         elif .[4] == .[1] then "&upstream=" + (.[3] | @uri)
         else "&upstream=" + (.[3] + "@" + .[4] | @uri) end))
  }]
}' "$work/packages.tsv" >"$out_sbom"
