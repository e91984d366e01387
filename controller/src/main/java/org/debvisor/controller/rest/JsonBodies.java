package org.debvisor.controller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.MediaType;

/**
 * JSON in and out. Request bodies are strict (unknown fields and trailing tokens refused, so a typo
 * is an error, not silently ignored); replies of the shared fleet code are its protobuf messages in
 * protobuf's JSON mapping, the same shape as `debvisor nodes list -o json`.
 */
final class JsonBodies {

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PROTO =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private JsonBodies() {}

  /** The body of {@code call} as {@code type}; the body must be JSON. */
  static <T> T read(ApiCall call, Class<T> type) throws JsonProcessingException {
    MediaType contentType = call.request().headers().contentType();
    if (contentType == null || !contentType.is(MediaType.JSON)) {
      throw new ApiProblem(
          415,
          "send the body as application/json",
          java.util.List.of(
              new org.debvisor.common.violation.Violation(
                  "content-type", "must be application/json")),
          null);
    }
    String text = call.request().contentUtf8();
    if (text.isBlank()) {
      throw ApiProblem.badRequest("body", "is required (a JSON object)");
    }
    return MAPPER.readValue(text, type);
  }

  /** The body of {@code call} as a protobuf message in its JSON mapping; unknown fields refused. */
  @SuppressWarnings("unchecked")
  static <T extends com.google.protobuf.Message> T readProto(
      ApiCall call, com.google.protobuf.Message.Builder builder) throws JsonProcessingException {
    // The same checks as read(): JSON content type, a body, and well-formed JSON.
    com.fasterxml.jackson.databind.JsonNode tree =
        read(call, com.fasterxml.jackson.databind.JsonNode.class);
    try {
      PARSER.merge(tree.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw ApiProblem.badRequest("body", e.getMessage());
    }
    return (T) builder.build();
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String proto(MessageOrBuilder message) {
    try {
      return PROTO.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * A protobuf message as printed JSON, to embed in a larger reply as it is: long lists skip
   * parsing each printed message back into a tree only to write it out again.
   */
  static RawValue protoRaw(MessageOrBuilder message) {
    return new RawValue(proto(message));
  }

  /** A protobuf message as a tree, to embed in a larger reply. */
  static ObjectNode protoTree(MessageOrBuilder message) {
    try {
      return (ObjectNode) MAPPER.readTree(proto(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
