# Sourced by scripts/release.sh (and its tests): checks a signing key and signs release checksums
# with gpg, the key given by path (an armored or binary OpenPGP secret key without passphrase, e.g.
# `gpg --export-secret-keys --armor KEYID > release-key.asc` on the release machine). The key is
# imported into a throw-away GNUPGHOME, so the caller's keyrings are neither read nor changed.

# Prints a new GNUPGHOME holding only the key in $1; fails with a message saying what is wrong.
debvisor_release_gpg_home() {
  local key=$1 home
  if [ -z "$key" ]; then
    echo "no signing key: pass --signing-key PATH (an OpenPGP secret key, e.g. from gpg --export-secret-keys --armor)" >&2
    return 1
  fi
  if [ ! -f "$key" ] || [ ! -r "$key" ]; then
    echo "signing key $key does not exist or is not readable" >&2
    return 1
  fi
  command -v gpg >/dev/null || { echo "gpg is missing: apt-get install gnupg" >&2; return 1; }
  # Short path: gpg-agent's socket lives here and socket paths are limited to 107 bytes.
  home=$(mktemp -d /tmp/dv-gpg.XXXXXX)
  chmod 700 "$home"
  if ! gpg --homedir "$home" --batch --quiet --import "$key" >/dev/null 2>&1; then
    debvisor_release_gpg_done "$home"
    echo "signing key $key is not an OpenPGP key (gpg --import failed)" >&2
    return 1
  fi
  if ! gpg --homedir "$home" --batch --with-colons --list-secret-keys 2>/dev/null | grep -q '^sec:'; then
    debvisor_release_gpg_done "$home"
    echo "signing key $key holds no secret key (only a public one?): export it with gpg --export-secret-keys" >&2
    return 1
  fi
  # A key that cannot sign now (expired, revoked, no signing subkey, passphrase) fails here.
  if ! echo probe | gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --detach-sign >/dev/null 2>&1; then
    debvisor_release_gpg_done "$home"
    echo "signing key $key cannot sign (expired, revoked, no signing subkey or protected by a passphrase)" >&2
    return 1
  fi
  echo "$home"
}

# Stops the agent of the GNUPGHOME in $1 and removes it.
debvisor_release_gpg_done() {
  gpgconf --homedir "$1" --kill all >/dev/null 2>&1 || true
  rm -rf "$1"
}

# Writes DIR/SHA256SUMS over every other file in DIR (sorted, names relative to DIR), its detached
# armored signature DIR/SHA256SUMS.asc, and the public key as DIR/SIGNING-KEY.asc.
#   debvisor_release_sign KEY DIR
debvisor_release_sign() {
  local key=$1 dir=$2 home
  home=$(debvisor_release_gpg_home "$key") || return 1
  (
    cd "$dir" &&
      gpg --homedir "$home" --batch --armor --export >SIGNING-KEY.asc &&
      find . -maxdepth 1 -type f ! -name 'SHA256SUMS' ! -name 'SHA256SUMS.asc' -printf '%P\n' |
      LC_ALL=C sort | xargs -r -d '\n' sha256sum >SHA256SUMS &&
      gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
        --armor --detach-sign --output SHA256SUMS.asc SHA256SUMS
  )
  local rc=$?
  debvisor_release_gpg_done "$home"
  return $rc
}
