package org.debvisor.controller.node;

import java.util.List;

/**
 * Root's login.
 *
 * @param passwordHash SHA-512 crypt hash ({@code $6$...}, from {@code mkpasswd -m sha-512}); plain
 *     text is refused
 * @param sshKeys OpenSSH public keys for {@code /root/.ssh/authorized_keys}
 */
public record RootAccount(String passwordHash, List<String> sshKeys) {
  public RootAccount {
    sshKeys = NullableLists.copy(sshKeys);
  }
}
