# Sourced by the packaged launchers, /usr/bin/debvisor-agent and /usr/bin/debvisor: both packages
# ship this file (/usr/share/debvisor-agent/launcher.sh, /usr/share/debvisor-controller/launcher.sh;
# scripts/debvisor points the controller's launcher at scripts/lib/launcher.sh in a checkout).
# POSIX sh, shell built-ins and absolute /bin paths only: systemd, the tests and the Ansible
# inventory script may run it with a minimal PATH or none.

# Prints the major version of the java binary $1 (1.8.0 -> 8, 21.0.5 -> 21), or nothing. The
# runtime's release file answers without starting a JVM (seconds on a small or emulated node).
debvisor_java_major() {
  release="${1%/bin/java}/release"
  if [ -r "$release" ]; then
    v=""
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          v=${line#JAVA_VERSION=\"}
          v=${v%%\"*}
          break
          ;;
      esac
    done <"$release"
    case $v in 1.*) v=${v#1.} ;; esac
    if [ -n "$v" ]; then
      printf '%s\n' "${v%%[!0-9]*}"
      return 0
    fi
  fi
  "$1" -version 2>&1 | while IFS= read -r line; do
    case $line in
      *' version "'*)
        v=${line#*version \"}
        v=${v%%\"*}
        case $v in 1.*) v=${v#1.} ;; esac
        printf '%s\n' "${v%%[!0-9]*}"
        break
        ;;
    esac
  done
}

# Succeeds when $1 is an executable java of version $DEBVISOR_MIN_JAVA or newer; else adds it to
# debvisor_rejected for the error message.
debvisor_suitable_java() {
  [ -n "$1" ] && [ -x "$1" ] && [ ! -d "$1" ] || return 1
  major=$(debvisor_java_major "$1" || true)
  if [ -n "$major" ] && [ "$major" -ge "$DEBVISOR_MIN_JAVA" ]; then
    return 0
  fi
  debvisor_rejected="$debvisor_rejected
  $1 (version ${major:-unknown})"
  return 1
}

# Prints its arguments one per line, last first: the glob sorts java-21 before java-25.
debvisor_newest_first() {
  reversed=""
  for item in "$@"; do
    reversed="$item
$reversed"
  done
  printf '%s' "$reversed"
}

# Prints the java to run, the first one new enough of: $JAVA_HOME/bin/java, then
# $DEBVISOR_JVM_DIR [/usr/lib/jvm]/java-2[1-9]-openjdk-*/bin/java newest release first, then java
# on PATH. Else says what it looked at, as program $1, and fails.
debvisor_find_java() {
  DEBVISOR_MIN_JAVA=21
  debvisor_rejected=""
  jvm_dir=${DEBVISOR_JVM_DIR:-/usr/lib/jvm}
  if [ -n "${JAVA_HOME:-}" ] && debvisor_suitable_java "$JAVA_HOME/bin/java"; then
    printf '%s\n' "$JAVA_HOME/bin/java"
    return 0
  fi
  # Debian's directory names hold no spaces, so splitting at newlines is safe.
  old_ifs=$IFS
  IFS='
'
  for dir in $(debvisor_newest_first "$jvm_dir"/java-2[1-9]-openjdk-*); do
    if debvisor_suitable_java "$dir/bin/java"; then
      IFS=$old_ifs
      printf '%s\n' "$dir/bin/java"
      return 0
    fi
  done
  IFS=$old_ifs
  on_path=$(command -v java 2>/dev/null || true)
  if debvisor_suitable_java "$on_path"; then
    printf '%s\n' "$on_path"
    return 0
  fi
  echo "$1: error: no Java $DEBVISOR_MIN_JAVA or newer found." >&2
  echo "  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}), $jvm_dir/java-2[1-9]-openjdk-* and java on PATH." >&2
  if [ -n "$debvisor_rejected" ]; then
    echo "  Too old or not working:$debvisor_rejected" >&2
  fi
  echo "  Install one, e.g.: apt-get install openjdk-21-jre-headless" >&2
  return 1
}

# Prints device, inode, size, modification time and name of each file given that exists.
debvisor_file_identity() {
  /bin/stat -L -c '%d %i %s %Y %n' -- "$@" 2>/dev/null || true
}

# Prints the JVM options for the application class-data archive DIR/NAME.jsa of jar JAR run by
# JAVA (arguments: JAVA JAR DIR NAME), or nothing. Where DIR is writable the JVM makes the archive
# at exit when it is missing; elsewhere an archive is only read. The JVM refuses an archive made
# from another jar or runtime but does not write a new one (Java 25), so an upgraded package would
# start without one for good; and it tells jars apart by size and time only, while every packaged
# jar carries the same build time (reproducible builds). So NAME.jsa.source records the device,
# inode, size and time of the jar and of the runtime's lib/modules the archive was made for (dpkg
# installs each new file under a new inode): when they differ the archive is removed, and the JVM
# makes a fresh one at this run's exit.
debvisor_cds_options() {
  archive="$3/$4.jsa"
  java_real=$(/bin/readlink -f "$1" 2>/dev/null || printf '%s' "$1")
  made_for=$(debvisor_file_identity "$2" "${java_real%/bin/java}/lib/modules")
  recorded=""
  if [ -r "$archive.source" ]; then
    recorded=$(while IFS= read -r line || [ -n "$line" ]; do printf '%s\n' "$line"; done \
      <"$archive.source")
  fi
  options=""
  if [ -d "$3" ] && [ -w "$3" ]; then
    if [ "$recorded" != "$made_for" ]; then
      /bin/rm -f "$archive"
      { printf '%s\n' "$made_for" >"$archive.source.$$" \
        && /bin/mv -f "$archive.source.$$" "$archive.source"; } 2>/dev/null || /bin/rm -f "$archive.source.$$"
    fi
    options="-XX:SharedArchiveFile=$archive -XX:+AutoCreateSharedArchive"
  elif [ -r "$archive" ] && [ "$recorded" = "$made_for" ]; then
    options="-XX:SharedArchiveFile=$archive"
  fi
  # The JVM logs CDS problems (a stale or unwritable archive) to standard output, where they would
  # mix with a command's output (-o json); the program runs the same without the archive.
  [ -z "$options" ] || printf '%s\n' "$options -Xlog:cds=off -Xlog:cds+dynamic=off"
}
