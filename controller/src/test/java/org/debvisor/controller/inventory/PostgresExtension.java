package org.debvisor.controller.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a {@link PostgresServer}: one per test JVM, started on first use, stopped when the
 * JVM's tests are done (the root store closes it).
 */
public final class PostgresExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(PostgresServer.class, key -> start(), PostgresServer.class);
  }

  private static PostgresServer start() {
    try {
      return PostgresServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test's PostgreSQL", e);
    }
  }
}
