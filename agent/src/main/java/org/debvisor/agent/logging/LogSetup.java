package org.debvisor.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.debvisor.agentapi.LoggingSettings;
import org.slf4j.LoggerFactory;

/** Points all logging at standard output (journald) as JSON lines or plain text. */
public final class LogSetup {

  private LogSetup() {}

  /** Replaces the logging configuration with the one the settings ask for. */
  public static void apply(LoggingSettings settings) {
    apply((LoggerContext) LoggerFactory.getILoggerFactory(), settings);
  }

  /** Replaces {@code context}'s configuration with the one the settings ask for. */
  static void apply(LoggerContext context, LoggingSettings settings) {
    context.reset();
    Encoder<ILoggingEvent> encoder =
        settings.format().equals("json") ? jsonEncoder(context) : textEncoder(context);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stdout");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.level(), Level.INFO));
    root.addAppender(console);
    // Netty and gRPC are chatty at DEBUG; keep them at INFO unless asked for TRACE.
    Level libraries = settings.level().equals("TRACE") ? Level.TRACE : Level.INFO;
    context.getLogger("io.netty").setLevel(libraries);
    context.getLogger("io.grpc").setLevel(libraries);
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeContext(false);
    encoder.setCustomFields("{\"service\":\"debvisor-agent\"}");
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{20} %mdc - %msg%n");
    encoder.start();
    return encoder;
  }
}
