# Sourced by DebVisor scripts: prints the project version from the root pom.xml, so the scripts
# that name a built jar need no edit at each release.
debvisor_version() {
  sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$1/pom.xml" | head -n 1
}
