package org.debvisor.controller.image;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code image.json}: what an image is and the sha256 of each of its files.
 *
 * @param format version of this layout (1)
 * @param arch Debian architecture
 * @param profile role profile name
 * @param suite Debian suite
 * @param mirror the archive it was built from
 * @param kernelVersion version of the image's kernel (vmlinuz and /usr/lib/modules)
 * @param sourceDateEpoch timestamp of the build
 * @param packageCount lines of manifest.tsv
 * @param debvisorVersion version of the tool that built it
 * @param files sha256 by file name (every file of {@link ImageOutput#DESCRIBED_FILES})
 */
@JsonPropertyOrder({
  "format",
  "arch",
  "profile",
  "suite",
  "mirror",
  "kernelVersion",
  "sourceDateEpoch",
  "packageCount",
  "debvisorVersion",
  "files"
})
public record ImageDescriptor(
    int format,
    String arch,
    String profile,
    String suite,
    String mirror,
    String kernelVersion,
    long sourceDateEpoch,
    int packageCount,
    String debvisorVersion,
    SortedMap<String, String> files) {

  /** The layout version this code writes and reads. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public ImageDescriptor {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The JSON text, fields in the documented order, ending with a newline. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("image.json cannot be written", e);
    }
  }

  /** Reads an image.json and checks its format and that it lists every file with a sha256. */
  public static ImageDescriptor read(Path file) throws ImageBuildException {
    ImageDescriptor descriptor;
    try {
      descriptor = JSON.readValue(file.toFile(), ImageDescriptor.class);
    } catch (IOException e) {
      throw new ImageBuildException(file + " is not a valid image.json: " + e.getMessage(), e);
    }
    if (descriptor.format() != FORMAT) {
      throw new ImageBuildException(
          file + ": format " + descriptor.format() + " is not supported (this DebVisor reads 1)");
    }
    for (String name : ImageOutput.DESCRIBED_FILES) {
      String sha = descriptor.files() == null ? null : descriptor.files().get(name);
      if (sha == null || !sha.matches("[0-9a-f]{64}")) {
        throw new ImageBuildException(file + ": files." + name + " must be a sha256 (64 hex)");
      }
    }
    return descriptor;
  }
}
