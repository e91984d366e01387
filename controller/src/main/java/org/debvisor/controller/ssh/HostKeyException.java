package org.debvisor.controller.ssh;

/** The server's host key is not the one in known_hosts, or is unknown and may not be trusted. */
final class HostKeyException extends SshException {

  HostKeyException(String message) {
    super(message);
  }
}
