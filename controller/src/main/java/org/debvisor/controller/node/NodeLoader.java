package org.debvisor.controller.node;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.common.violation.Violation;

/** Reads {@code node.yaml} into a {@link NodeInstall}; unknown keys are errors naming the key. */
public final class NodeLoader {

  private static final long MAX_FILE_BYTES = 1 << 20;

  private final YamlModelReader yaml = new YamlModelReader();

  /**
   * Builds the reader's parts for node.yaml now (Jackson's classes, the YAML parser, the records'
   * deserializers) rather than in the first {@link #load}; the result reads the same.
   */
  public NodeLoader prepare() {
    yaml.prepare(NodeInstall.class);
    return this;
  }

  /** Reads and parses the file (not yet validated: see {@link NodeValidator}). */
  public NodeInstall load(Path file) throws InvalidInputException {
    String source = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw problem(source, "is larger than " + MAX_FILE_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw problem(source, "does not exist");
    } catch (IOException e) {
      throw problem(source, "cannot be read: " + e.getMessage());
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw problem(source, "is not UTF-8 text");
    }
    return parse(source, text);
  }

  /** Parses YAML text; {@code source} names it in messages. */
  public NodeInstall parse(String source, String text) throws InvalidInputException {
    return yaml.read(source, text, NodeInstall.class);
  }

  private static InvalidInputException problem(String source, String rule) {
    return new InvalidInputException(source, List.of(new Violation("(file)", rule)));
  }
}
