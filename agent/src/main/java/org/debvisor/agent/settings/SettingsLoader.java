package org.debvisor.agent.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.DurationParser;

/** Reads and validates {@code agent.yaml}, failing with the file, key and rule of every problem. */
public final class SettingsLoader {

  private final ObjectMapper mapper;
  private final Path root;

  public SettingsLoader() {
    this(Path.of("/"));
  }

  /**
   * @param root the directory the files named in agent.yaml are looked up under: {@code /} on a
   *     node; an installed system's tree when checking what an installer wrote
   */
  public SettingsLoader(Path root) {
    this.root = root;
    SimpleModule durations = new SimpleModule("debvisor-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper =
        YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(durations)
            .build();
  }

  /** Loads the file; a missing file is an error (the package always installs one). */
  public AgentSettings load(Path file) throws SettingsException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SettingsException(
          file,
          List.of(
              new SettingsProblem(
                  "(file)", "does not exist; create it or pass --config with an existing file")));
    } catch (IOException e) {
      throw new SettingsException(
          file, List.of(new SettingsProblem("(file)", "cannot be read: " + e.getMessage())));
    }
    AgentSettings settings = parse(file, text);
    List<SettingsProblem> problems = new SettingsValidator(root).validate(settings);
    if (!problems.isEmpty()) {
      throw new SettingsException(file, problems);
    }
    return settings;
  }

  private AgentSettings parse(Path file, String text) throws SettingsException {
    if (text.isBlank()) {
      return AgentSettings.defaults();
    }
    try {
      AgentSettings settings = mapper.readValue(text, AgentSettings.class);
      return settings == null ? AgentSettings.defaults() : settings;
    } catch (JsonMappingException e) {
      throw new SettingsException(file, List.of(describe(e, text)));
    } catch (JsonProcessingException e) {
      throw new SettingsException(
          file,
          List.of(
              new SettingsProblem(
                  "(syntax)",
                  "not valid YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage())));
    }
  }

  private static SettingsProblem describe(JsonMappingException e, String text) {
    String key =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    if (key.isEmpty()) {
      key = "(top level)";
    }
    String where = at(e.getLocation());
    if (e instanceof UnrecognizedPropertyException u) {
      // Records are built after all their keys are read, so Jackson's location points past the
      // section; find the key's own line instead.
      String keyLine = lineOfKey(text, String.valueOf(u.getPropertyName()));
      return new SettingsProblem(
          key,
          "unknown key"
              + keyLine
              + "; allowed here: "
              + u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (e.getCause() instanceof IllegalArgumentException cause) {
      return new SettingsProblem(key, cause.getMessage() + where);
    }
    if (e instanceof InvalidFormatException f) {
      return new SettingsProblem(
          key, "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType()) + where);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new SettingsProblem(key, "expected " + simpleType(m.getTargetType()) + where);
    }
    return new SettingsProblem(key, e.getOriginalMessage() + where);
  }

  private static String lineOfKey(String text, String name) {
    String[] lines = text.split("\n", -1);
    int found = -1;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripLeading();
      if (line.startsWith(name + ":") || line.startsWith("- " + name + ":")) {
        if (found >= 0) {
          return ""; // ambiguous: the same key appears in several sections
        }
        found = i;
      }
    }
    return found < 0 ? "" : " (line " + (found + 1) + ")";
  }

  private static String simpleType(Class<?> type) {
    if (type == Integer.class || type == int.class) {
      return "whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (type == java.util.List.class) {
      return "list";
    }
    if (type == String.class) {
      return "string";
    }
    if (type.isRecord()) {
      return "section (a mapping of keys)";
    }
    return type.getSimpleName();
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** Accepts {@code 500ms}/{@code 15s}/{@code 2m}/{@code 1h}. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      try {
        return DurationParser.parse(parser.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(parser, e.getMessage(), e);
      }
    }
  }
}
