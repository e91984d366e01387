package org.debvisor.controller.node;

import java.util.List;

/**
 * The first ordinary user.
 *
 * @param name login name ({@code [a-z_][a-z0-9_-]*}, at most 32 characters)
 * @param fullName display name (letters, digits, spaces, {@code . _ -}); default: the login name
 * @param passwordHash SHA-512 crypt hash ({@code $6$...}); plain text is refused
 * @param sshKeys OpenSSH public keys for the user's {@code ~/.ssh/authorized_keys}
 */
public record UserAccount(String name, String fullName, String passwordHash, List<String> sshKeys) {
  public UserAccount {
    sshKeys = NullableLists.copy(sshKeys);
  }
}
