# Sourced by DebVisor scripts: prints the project version from the root pom.xml, so the scripts
# that name a built jar need no edit at each release. Shell builtins only: the Ansible inventory
# script runs it with a PATH that holds little more than java.
debvisor_version() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "  <version>"*"</version>")
        line=${line#"  <version>"}
        printf '%s\n' "${line%"</version>"}"
        return 0
        ;;
    esac
  done <"$1/pom.xml"
  return 1
}
