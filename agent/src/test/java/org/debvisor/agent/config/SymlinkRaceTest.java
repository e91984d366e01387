package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.debvisor.proto.ConfigBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread keeps swapping a directory under the allowed root between the real directory and a
 * symlink to an outside directory while bundles that write into it (and create directories in it)
 * are applied: whatever each apply ends with, nothing ever appears outside the root.
 */
@Timeout(120)
class SymlinkRaceTest {

  private static final int MAX_APPLIES = 200;
  private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(10);

  @TempDir Path base;

  @Test
  void aDirectoryFlippedToAnOutsideSymlinkNeverLetsAFileOut() throws Exception {
    Path root = Files.createDirectory(base.resolve("managed"));
    Path outside = Files.createDirectory(base.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "outside");
    Path flip = Files.createDirectory(root.resolve("flip"));
    Map<String, String> outsideBefore = TestBundles.snapshot(outside);
    ConfigStore store =
        new ConfigStore(TestBundles.settings(base.resolve("state"), root), Clock.systemUTC());
    store.recover();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger flips = new AtomicInteger();
    AtomicReference<Throwable> flipperFailure = new AtomicReference<>();
    Thread flipper =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (!stop.get()) {
                      flipOnce(root, flip, outside, flips.get());
                      flips.incrementAndGet();
                    }
                  } catch (IOException | RuntimeException e) {
                    flipperFailure.set(e);
                  }
                });

    int applied = 0;
    int refused = 0;
    int failed = 0;
    int attempts = 0;
    long end = System.nanoTime() + MAX_NANOS;
    try {
      while (attempts < MAX_APPLIES && System.nanoTime() < end) {
        attempts++;
        ConfigBundle bundle =
            TestBundles.bundle(
                "v" + attempts,
                TestBundles.file(flip.resolve("a.conf"), "a " + attempts, 0644),
                TestBundles.file(flip.resolve("d" + attempts + "/deep/b.conf"), "b", 0600));
        try {
          store.apply(bundle).commit("race");
          applied++;
        } catch (BundleRejectedException e) {
          refused++;
        } catch (IOException e) {
          failed++;
        } catch (IllegalStateException e) {
          // An undo that could not finish leaves the journal for recovery, as after a crash.
          failed++;
          recoverQuietly(store);
        }
      }
    } finally {
      stop.set(true);
      flipper.join(30_000);
    }
    recoverQuietly(store);
    System.out.printf(
        "symlink race: %d applies (%d applied, %d refused, %d failed), %d flips%n",
        attempts, applied, refused, failed, flips.get());

    assertThat(flipperFailure.get()).as("the flipper ran to the end").isNull();
    assertThat(flips.get()).as("the directory was flipped while applying").isPositive();
    assertThat(TestBundles.snapshot(outside))
        .as("nothing created or changed outside the allowed root")
        .isEqualTo(outsideBefore);
  }

  /** Real directory -> symlink to outside -> real directory again. */
  private static void flipOnce(Path root, Path flip, Path outside, int n) throws IOException {
    Path parked = root.resolve(".parked");
    Files.move(flip, parked, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.createSymbolicLink(flip, outside);
    } catch (FileAlreadyExistsException e) {
      // The agent made a fresh directory there in the gap; it is handled below.
    }
    LockSupport.parkNanos(100_000);
    if (Files.isSymbolicLink(flip)) {
      Files.delete(flip);
    } else {
      try {
        Files.move(flip, root.resolve(".made-in-gap-" + n), StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        // Gone again.
      }
    }
    for (int k = 0; ; k++) {
      try {
        Files.move(parked, flip, StandardCopyOption.ATOMIC_MOVE);
        break;
      } catch (FileSystemException e) {
        // The agent created the directory again meanwhile: park that one inside the root too.
        // rename(2) answers ENOTEMPTY, which the JDK reports as a plain FileSystemException.
        if (!(e instanceof DirectoryNotEmptyException)
            && !"Directory not empty".equals(e.getReason())) {
          throw e;
        }
        Files.move(
            flip, root.resolve(".made-in-gap-" + n + "-" + k), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    // Longer real than linked, so applies pass the inspection and meet the flip while writing.
    LockSupport.parkNanos(1_000_000);
  }

  private static void recoverQuietly(ConfigStore store) {
    try {
      store.recover();
    } catch (IOException | IllegalStateException e) {
      // Tried again later; the final check is on the disk.
    }
  }
}
