package org.debvisor.controller.isolibrary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.preseed.PreseedDataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's queue is bounded: with a build stalled on a mirror that accepts connections and
 * never answers, {@link IsoLibrary#MAX_WAITING} more requests wait and the next is refused at once
 * (each waiting request holds one of the API's shared threads). When the mirror goes away, every
 * admitted build fails and the queue is empty again; the library is never written.
 */
class IsoLibraryQueueTest {

  @TempDir Path dir;

  @Test
  void buildsBeyondTheQueueAreRefusedAtOnceAndAFailedMirrorReleasesThemAll() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silentMirror = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  while (true) {
                    held.add(silentMirror.accept()); // read nothing, answer nothing
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      IsoLibrary library = library(silentMirror.getLocalPort());
      String node = exampleNode();
      ExecutorService callers = Executors.newFixedThreadPool(IsoLibrary.MAX_WAITING + 1);
      try {
        List<Future<?>> admitted = new ArrayList<>();
        for (int i = 0; i <= IsoLibrary.MAX_WAITING; i++) {
          admitted.add(callers.submit(() -> library.build(node, Architecture.AMD64, null)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((library.admitted() < IsoLibrary.MAX_WAITING + 1 || held.isEmpty())
            && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(library.admitted()).isEqualTo(IsoLibrary.MAX_WAITING + 1);

        long refusedAt = System.nanoTime();
        assertThatThrownBy(() -> library.build(node, Architecture.AMD64, null))
            .isInstanceOf(IsoLibrary.BusyException.class)
            .hasMessageContaining("an ISO build is running and " + IsoLibrary.MAX_WAITING);
        assertThat(Duration.ofNanos(System.nanoTime() - refusedAt))
            .as("refused without waiting for the queue")
            .isLessThan(IsoLibrary.QUEUE_WAIT);

        silentMirror.close();
        for (Socket socket : held) {
          socket.close();
        }
        for (Future<?> build : admitted) {
          assertThatThrownBy(() -> build.get(60, TimeUnit.SECONDS))
              .hasCauseInstanceOf(IsoBuildException.class);
        }
        assertThat(library.admitted()).isZero();
      } finally {
        callers.shutdownNow();
      }
    }
    assertThat(dir.resolve("isos")).doesNotExist();
  }

  @Test
  void aFirstBuildRemovesWorkDirectoriesLeftByAStoppedController() throws Exception {
    Path left = Files.createDirectories(dir.resolve("isos/.build4711/tree"));
    Files.writeString(left.resolve("initrd.gz"), "half written");
    Files.writeString(dir.resolve("isos/SHA256SUMS"), "");
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }

    assertThatThrownBy(() -> library(closedPort).build(exampleNode(), Architecture.AMD64, null))
        .isInstanceOf(IsoBuildException.class);

    assertThat(dir.resolve("isos/.build4711")).doesNotExist();
    assertThat(dir.resolve("isos/SHA256SUMS")).exists();
  }

  @Test
  void anInvalidNodeIsRefusedBeforeTheQueueAndBuildsNothing() throws Exception {
    IsoLibrary library = library(9); // never reached: the node is checked first

    assertThatThrownBy(
            () ->
                library.build(
                    exampleNode().replace("hostname: qemu-node", "hostname: \"not a name\""),
                    Architecture.AMD64,
                    null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("hostname");
    assertThat(library.admitted()).isZero();
    assertThat(library.list()).isEmpty();
    assertThat(library.find("../SHA256SUMS")).isEmpty();
    assertThat(dir.resolve("isos")).doesNotExist();
  }

  private IsoLibrary library(int mirrorPort) throws Exception {
    return new IsoLibrary(
        new IsoLibrary.Settings(
            new DebianArchive.Source(
                URI.create("http://127.0.0.1:" + mirrorPort + "/debian"),
                "trixie",
                null,
                dir.resolve("cache"),
                Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
                Duration.ofHours(1)),
            new PreseedDataLoader().locate(null, null),
            dir.resolve("isos"),
            dir.resolve("ca.pem"),
            1767225600L,
            false));
  }

  private static String exampleNode() throws Exception {
    try (InputStream in =
        IsoLibraryQueueTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
