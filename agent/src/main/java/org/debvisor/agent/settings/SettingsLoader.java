package org.debvisor.agent.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.DurationParser;
import org.debvisor.common.violation.Violation;
import org.debvisor.common.yaml.YamlProblems;

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
      throw new SettingsException(file, List.of(problem(YamlProblems.describe(e, text))));
    } catch (JsonProcessingException e) {
      throw new SettingsException(file, List.of(problem(YamlProblems.syntax(e))));
    }
  }

  private static SettingsProblem problem(Violation v) {
    return new SettingsProblem(v.field(), v.rule());
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
