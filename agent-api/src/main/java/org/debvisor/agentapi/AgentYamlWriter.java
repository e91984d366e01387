package org.debvisor.agentapi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code agent.yaml} from {@link AgentSettings}. Only keys that differ from the agent's
 * defaults are written, so a node keeps following the defaults of the agent version it runs.
 * Strings are always quoted: no value can turn into YAML structure.
 */
public final class AgentYamlWriter {

  private final ObjectMapper mapper;

  public AgentYamlWriter() {
    SimpleModule types = new SimpleModule("debvisor-agent-yaml");
    types.addSerializer(Duration.class, new DurationSerializer());
    // Jackson's default writes a file: URI; the agent reads plain paths.
    types.addSerializer(Path.class, ToStringSerializer.instance);
    this.mapper =
        YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .addModule(types)
            .build();
  }

  /**
   * The file's text.
   *
   * @param settings what the agent should run with
   * @param comment lines written first as YAML comments (who wrote the file and why)
   */
  public String write(AgentSettings settings, String... comment) {
    JsonNode tree = mapper.valueToTree(settings);
    JsonNode defaults = mapper.valueToTree(AgentSettings.defaults());
    StringBuilder text = new StringBuilder();
    for (String line : comment) {
      if (line.contains("\n") || line.contains("\r")) {
        throw new IllegalArgumentException("a comment line must not break lines: " + line);
      }
      text.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    ObjectNode changed = withoutDefaults((ObjectNode) tree, defaults);
    if (changed.isEmpty()) {
      // The agent reads a file of comments alone as no mapping at all; {} is all defaults.
      return text.append("{}\n").toString();
    }
    try {
      return text.append(mapper.writeValueAsString(changed)).toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode withoutDefaults(ObjectNode tree, JsonNode defaults) {
    List<String> same = new ArrayList<>();
    tree.properties()
        .forEach(
            field -> {
              JsonNode value = field.getValue();
              JsonNode standard = defaults.get(field.getKey());
              if (value.equals(standard) || value.isNull() && standard == null) {
                same.add(field.getKey());
              } else if (value instanceof ObjectNode section && standard instanceof ObjectNode) {
                if (withoutDefaults(section, standard).isEmpty()) {
                  same.add(field.getKey());
                }
              }
            });
    tree.remove(same);
    return tree;
  }

  /** The agent's duration format ({@link DurationParser}): the largest exact unit. */
  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeString(DurationParser.format(value));
    }
  }
}
