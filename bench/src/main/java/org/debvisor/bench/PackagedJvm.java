package org.debvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JVM flags and environment the agent's .deb starts it with, read from its defaults file
 * ({@code agent/src/deb/etc/debvisor-agent}, installed as {@code /etc/default/debvisor-agent}) by
 * sourcing it with sh as the launcher does, so the benchmark measures what ships.
 */
record PackagedJvm(Path file, List<String> options, Map<String, String> environment) {

  static PackagedJvm read(Path file) throws IOException, InterruptedException {
    Process sh =
        new ProcessBuilder(
                "/bin/sh",
                "-euc",
                ". \"$1\"; printf '%s\\n%s\\n' \"$DEBVISOR_AGENT_JVM_OPTS\" \"${MALLOC_ARENA_MAX:-}\"",
                "sh",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!sh.waitFor(30, TimeUnit.SECONDS) || sh.exitValue() != 0) {
      throw new IOException("cannot read the agent's JVM defaults from " + file + ": " + out);
    }
    List<String> lines = out.lines().toList();
    List<String> options =
        Arrays.stream(lines.get(0).strip().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    String arenas = lines.size() > 1 ? lines.get(1).strip() : "";
    return new PackagedJvm(
        file, options, arenas.isEmpty() ? Map.of() : Map.of("MALLOC_ARENA_MAX", arenas));
  }

  /** The flags and environment as one readable line, e.g. for a table. */
  String describe() {
    StringBuilder b = new StringBuilder();
    environment().forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
    return b.append(String.join(" ", options())).toString();
  }
}
