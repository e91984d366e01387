package org.debvisor.bench;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.bundle.AccountLookup;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;

/**
 * How long the shared bundle validation (agent and controller) takes in process for small, deep,
 * and oversized bundles: the oversized one is refused on its count, and the cost of the rest grows
 * linearly with the file count.
 */
final class BundleValidationBench {

  private static final String ROOT = "/etc/debvisor/managed";
  private static final int WARM_UP = 20;
  private static final int RUNS = 41;

  private BundleValidationBench() {}

  public static void main(String[] args) {
    System.out.println(markdown());
  }

  static String markdown() {
    StringBuilder out =
        new StringBuilder(
            "## Bundle validation (in process, `agentapi.bundle.BundleValidator`)\n\n"
                + "Median of "
                + RUNS
                + " runs after "
                + WARM_UP
                + " warm-up runs; one thread.\n\n"
                + "| Bundle | maxFiles | Violations | Median |\n|---|---:|---:|---:|\n");
    row(out, "256 files, one level deep", 256, bundle(256, ROOT));
    row(out, "256 files under a 1 900-level directory chain", 256, bundle(256, deep()));
    row(out, "10 000 files (refused on the count)", 256, bundle(10_000, ROOT));
    row(out, "1 000 files, limit raised", 1_000, bundle(1_000, ROOT));
    row(out, "10 000 files, limit raised", 10_000, bundle(10_000, ROOT));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, int maxFiles, ConfigBundle bundle) {
    BundleValidator validator =
        new BundleValidator(
            new ConfigSettings(
                Path.of("/var/lib/debvisor/config"),
                List.of(Path.of(ROOT)),
                null,
                64 * 1024 * 1024,
                maxFiles,
                null,
                null,
                null,
                null,
                null,
                null),
            AccountLookup.UNCHECKED);
    int violations = 0;
    for (int i = 0; i < WARM_UP; i++) {
      violations = validator.validate(bundle).size();
    }
    long[] nanos = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      validator.validate(bundle);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %d | %.3f ms |%n",
            name,
            maxFiles,
            violations,
            nanos[RUNS / 2] / 1e6));
  }

  private static String deep() {
    return ROOT + "/d".repeat(1900);
  }

  private static ConfigBundle bundle(int files, String dir) {
    ByteString content = ByteString.copyFromUtf8("key=value\n");
    String sha = BundleValidator.sha256Hex(content);
    ConfigBundle.Builder b = ConfigBundle.newBuilder().setVersion("bench-1");
    for (int i = 0; i < files; i++) {
      b.addFiles(
          ConfigFile.newBuilder()
              .setPath(dir + "/f" + i + ".conf")
              .setMode(0644)
              .setContent(content)
              .setSha256(sha));
    }
    return b.build();
  }
}
