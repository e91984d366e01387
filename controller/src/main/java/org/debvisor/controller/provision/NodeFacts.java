package org.debvisor.controller.provision;

/**
 * What preflight learnt about a host.
 *
 * @param osId {@code ID} from /etc/os-release, e.g. debian
 * @param versionId {@code VERSION_ID}, e.g. 13
 * @param codename {@code VERSION_CODENAME}, e.g. trixie
 * @param arch {@code dpkg --print-architecture}, e.g. amd64
 * @param freeBytes free space on the filesystem holding /var
 * @param root true when the login is root (else commands go through sudo -n)
 * @param systemd true when systemd is the running init (/run/systemd/system exists)
 * @param address the node's own address the SSH connection arrived at (from SSH_CONNECTION), or ""
 */
record NodeFacts(
    String osId,
    String versionId,
    String codename,
    String arch,
    long freeBytes,
    boolean root,
    boolean systemd,
    String address) {}
