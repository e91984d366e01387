package org.debvisor.controller.preseed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Treats node.yaml as a tree so a test can put a value into every string field in turn: the fields
 * are found by walking the example, not listed by hand, so a new field is covered at once.
 */
final class NodeYamlFields {

  private static final YAMLMapper MAPPER = new YAMLMapper();

  private final JsonNode root;

  NodeYamlFields(String yaml) {
    try {
      this.root = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Paths of every scalar leaf, e.g. {@code network.nameservers[1]}, in document order. */
  List<String> stringPaths() {
    List<String> paths = new ArrayList<>();
    walk(root, "", paths);
    return paths;
  }

  /** The document with the leaf at {@code path} replaced by {@code value}, as YAML text. */
  String with(String path, String value) {
    JsonNode copy = root.deepCopy();
    JsonNode parent = copy;
    List<String> steps = steps(path);
    for (int i = 0; i < steps.size() - 1; i++) {
      parent = child(parent, steps.get(i));
    }
    String last = steps.get(steps.size() - 1);
    if (last.startsWith("[")) {
      ((ArrayNode) parent)
          .set(Integer.parseInt(last.substring(1, last.length() - 1)), new TextNode(value));
    } else {
      ((ObjectNode) parent).set(last, new TextNode(value));
    }
    try {
      return MAPPER.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode child(JsonNode node, String step) {
    return step.startsWith("[")
        ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
        : node.get(step);
  }

  private static List<String> steps(String path) {
    List<String> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      if (bracket < 0) {
        steps.add(part);
        continue;
      }
      if (bracket > 0) {
        steps.add(part.substring(0, bracket));
      }
      for (String index : part.substring(bracket).split("(?=\\[)")) {
        steps.add(index);
      }
    }
    return steps;
  }

  private static void walk(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", out);
      }
    } else if (node.isValueNode()) {
      out.add(path);
    }
  }
}
