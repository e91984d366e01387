# Sourced by DebVisor scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an already-set JAVA_HOME that is new enough, then the newest JDK under /usr/lib/jvm.

debvisor_java_major() {
  # The runtime's release file answers without starting a JVM (about a second on a loaded machine).
  local v="" line
  if [ -r "$1/release" ]; then
    # Shell built-ins only: callers may run with a minimal PATH.
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          v=${line#JAVA_VERSION=\"}
          v=${v%%[!0-9]*}
          break
          ;;
      esac
    done <"$1/release"
    if [ -n "$v" ]; then
      echo "$v"
      return 0
    fi
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

debvisor_find_jdk() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(debvisor_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge "$min" ] 2>/dev/null; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    major=$(debvisor_java_major "$candidate")
    if [ "${major:-0}" -ge "$min" ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK >= $min found (looked at JAVA_HOME and /usr/lib/jvm/*)." >&2
    echo "       Install one, e.g. 'apt-get install openjdk-21-jdk-headless' on Debian 13." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

debvisor_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
