package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.debvisor.controller.state.IsoDirectories;
import org.debvisor.controller.state.RestoreJournal;
import org.debvisor.controller.state.StateLock;

/**
 * Which files of a controller's state directory a backup carries and how. The database is
 * snapshotted, the CA key encrypted, every other file copied as is — except what SQLite keeps
 * beside the database (folded into the snapshot), the lock, temporary files, and the controller's
 * own server and client key pairs, which it issues afresh from the CA on every start.
 */
final class StateLayout {

  static final String DATABASE = "controller.db";
  static final String CA_KEY = "pki/ca.key";
  static final String CA_CERT = "pki/ca.pem";
  static final String OPERATOR_TOKEN = "operator-token";

  /** The CA key's name inside a backup: encrypted PKCS#8. */
  static final String ENCRYPTED_CA_KEY = "pki/ca.key.encrypted.pem";

  private static final Set<String> REISSUED_ON_START =
      Set.of(
          "pki/server.key",
          "pki/server.pem",
          "pki/controller-client.key",
          "pki/controller-client.pem");

  private StateLayout() {}

  /** Files that must be there for a backup (and are in every restore). */
  static List<String> required() {
    return List.of(DATABASE, CA_KEY, CA_CERT, OPERATOR_TOKEN);
  }

  /** Files beyond the required ones that a backup copies as they are, '/'-separated, sorted. */
  static List<String> extraFiles(Path stateDir) throws IOException {
    List<String> extra = new ArrayList<>();
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = relative(stateDir, file);
        if (!required().contains(name) && !skipped(name)) {
          extra.add(name);
        }
      }
    }
    return extra;
  }

  /**
   * True for the files that are not state: SQLite's side files, the lock, an unfinished restore's
   * journal, temporaries, and the ISOs the API built with their download cache (rebuilt from the
   * node.yaml files; they carry bootstrap tokens).
   */
  static boolean skipped(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    return name.equals(DATABASE + "-wal")
        || name.equals(DATABASE + "-shm")
        || name.equals(DATABASE + "-journal")
        || name.equals(StateLock.FILE_NAME)
        || name.equals(RestoreJournal.FILE_NAME)
        || REISSUED_ON_START.contains(name)
        || name.startsWith(IsoDirectories.LIBRARY + "/")
        || name.startsWith(IsoDirectories.CACHE + "/")
        || (base.startsWith(".") && base.endsWith(".tmp"));
  }

  /** True when {@code stateDir} holds nothing of a controller's (missing, empty, or a lock). */
  static boolean isEmpty(Path stateDir) throws IOException {
    if (!Files.exists(stateDir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(stateDir)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(StateLock.FILE_NAME));
    }
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }
}
