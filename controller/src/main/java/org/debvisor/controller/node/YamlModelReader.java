package org.debvisor.controller.node;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.stream.Collectors;

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

  <T> T read(String source, String text, Class<T> type) throws InvalidInputException {
    if (text.isBlank()) {
      throw new InvalidInputException(source, List.of(new ValidationProblem("(file)", "is empty")));
    }
    try {
      T value = mapper.readValue(text, type);
      if (value == null) {
        throw new InvalidInputException(
            source, List.of(new ValidationProblem("(file)", "holds no YAML mapping")));
      }
      return value;
    } catch (JsonMappingException e) {
      throw new InvalidInputException(source, List.of(describe(e)));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source,
          List.of(
              new ValidationProblem(
                  "(syntax)",
                  "not valid YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage())));
    }
  }

  private static ValidationProblem describe(JsonMappingException e) {
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
      return new ValidationProblem(
          key,
          "unknown key '"
              + u.getPropertyName()
              + "'; allowed here: "
              + u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (e instanceof InvalidFormatException f) {
      return new ValidationProblem(
          key, "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType()) + where);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ValidationProblem(key, "expected " + simpleType(m.getTargetType()) + where);
    }
    return new ValidationProblem(key, e.getOriginalMessage() + where);
  }

  private static String simpleType(Class<?> type) {
    if (type == Integer.class || type == int.class) {
      return "whole number";
    }
    if (type == List.class) {
      return "list";
    }
    if (type == String.class) {
      return "string";
    }
    if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
      return "section (a mapping of keys)";
    }
    return type.getSimpleName();
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
