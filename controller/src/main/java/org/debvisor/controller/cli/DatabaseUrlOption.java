package org.debvisor.controller.cli;

import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.inventory.PostgresUrl;

/**
 * Where {@code controller serve} keeps its inventory: {@code --database-url}, else
 * $DEBVISOR_DATABASE_URL, else SQLite in the state directory (empty). A password may come from
 * $DEBVISOR_DATABASE_PASSWORD so it stays off command lines and out of {@code ps}.
 */
final class DatabaseUrlOption {

  static final String URL_ENV = "DEBVISOR_DATABASE_URL";
  static final String PASSWORD_ENV = "DEBVISOR_DATABASE_PASSWORD";

  private DatabaseUrlOption() {}

  /**
   * @throws IllegalArgumentException a malformed URL, said without its password
   */
  static Optional<PostgresUrl> resolve(String option, Map<String, String> env) {
    String text = option != null ? option : env.getOrDefault(URL_ENV, "");
    if (text.isBlank()) {
      return Optional.empty();
    }
    PostgresUrl url;
    try {
      url = PostgresUrl.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (option != null ? "--database-url" : "$" + URL_ENV) + ": " + e.getMessage(), e);
    }
    String password = env.getOrDefault(PASSWORD_ENV, "");
    return Optional.of(
        url.password().isEmpty() && !password.isEmpty() ? url.withPassword(password) : url);
  }
}
