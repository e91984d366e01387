package org.debvisor.controller.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.debvisor.common.violation.Violation;
import org.debvisor.common.yaml.YamlProblems;

/** Reads YAML into a record strictly: unknown keys and wrong types are problems naming the key. */
final class YamlModelReader {

  private final ObjectMapper mapper = strictMapper();

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper =
        YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    // Jackson would trim "24\n" into 24; a number must be written as a number.
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper;
  }

  /** Builds what reading {@code type} needs (see {@link NodeLoader#prepare}). */
  void prepare(Class<?> type) {
    mapper.readerFor(type); // fetches the deserializer into the mapper's cache
    try {
      mapper.readTree("prepared: true\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Jackson cannot read a one-line YAML mapping", e);
    }
  }

  <T> T read(String source, String text, Class<T> type) throws InvalidInputException {
    if (text.isBlank()) {
      throw new InvalidInputException(source, List.of(new Violation("(file)", "is empty")));
    }
    try {
      T value = mapper.readValue(text, type);
      if (value == null) {
        throw new InvalidInputException(
            source, List.of(new Violation("(file)", "holds no YAML mapping")));
      }
      return value;
    } catch (JsonMappingException e) {
      throw new InvalidInputException(source, List.of(YamlProblems.describe(e, text)));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source, List.of(YamlProblems.syntax(e)));
    }
  }
}
