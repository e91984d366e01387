package org.debvisor.agent.collect.ceph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without librados2 the collector reports Ceph ABSENT. A fresh JVM whose JNA search path holds no
 * librados stands in for a node without the package (this JVM may have loaded it already).
 */
class CephCollectorWithoutLibradosTest {

  @TempDir Path temp;

  @Test
  void missingLibradosIsAbsentEveryTime() throws Exception {
    Path conf = Files.writeString(temp.resolve("ceph.conf"), "[global]\nmon host = 127.0.0.1\n");
    Path empty = Files.createDirectory(temp.resolve("no-libs"));
    Path out = temp.resolve("out.txt");
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Djna.library.path=" + empty,
                    "-Djna.platform.library.path=" + empty,
                    "-cp",
                    System.getProperty("java.class.path"),
                    CollectOnce.class.getName(),
                    conf.toString()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(output).isZero();
    // the JVM remembers the failed load: the second attempt fails differently, same verdict
    assertThat(output.lines())
        .containsExactly(
            "HEALTH_ABSENT|librados2 is not installed (Unable to load library 'rados')",
            "HEALTH_ABSENT|librados2 is not installed"
                + " (Could not initialize class com.ceph.rados.Library)");
  }
}
