package org.debvisor.controller.node;

/**
 * Who can log in to the installed node: root, a first user, or both (at least one).
 *
 * @param root root's crypted password and keys; {@code null}: root cannot log in, the user gets
 *     sudo
 * @param user the first ordinary user; {@code null}: none is created
 */
public record Accounts(RootAccount root, UserAccount user) {}
