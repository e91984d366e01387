package org.debvisor.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.debvisor.agentapi.LoggingSettings;
import org.junit.jupiter.api.Test;

class LogSetupTest {

  @Test
  void defaultsAreJsonLinesAtInfoWithQuietLibraries() {
    LoggerContext context = context();
    LogSetup.apply(context, new LoggingSettings(null, null));

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.grpc").getLevel()).isEqualTo(Level.INFO);
    ConsoleAppender<ILoggingEvent> stdout =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("stdout");
    assertThat(stdout.isStarted()).isTrue();
    LoggingEvent event =
        new LoggingEvent(
            "test",
            context.getLogger("x.y"),
            Level.WARN,
            "disk {} full",
            null,
            new Object[] {"sda"});
    String line = new String(stdout.getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line)
        .startsWith("{")
        .endsWith("}" + System.lineSeparator())
        .contains(
            "\"message\":\"disk sda full\"",
            "\"level\":\"WARN\"",
            "\"service\":\"debvisor-agent\"");
  }

  @Test
  void textAtDebugKeepsLibrariesAtInfo() {
    LoggerContext context = context();
    LogSetup.apply(context, new LoggingSettings("text", "debug"));

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.INFO);
    ConsoleAppender<ILoggingEvent> stdout =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("stdout");
    LoggingEvent event =
        new LoggingEvent("test", context.getLogger("x.y"), Level.INFO, "hello", null, null);
    assertThat(new String(stdout.getEncoder().encode(event), StandardCharsets.UTF_8))
        .doesNotStartWith("{")
        .contains("INFO", "x.y", "hello");
  }

  /** A context of the test's own, so the test JVM's logging stays as it was. */
  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  @Test
  void agentShipsNoLogbackXml() {
    // Parsing one at start would load Joran and the JDK's XML parser for the agent's life; the
    // defaults are set in code (AgentMain.main) instead.
    assertThat(LogSetup.class.getResource("/logback.xml")).isNull();
  }
}
