package org.debvisor.controller.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.NodeRecord;

/**
 * A parsed node selector such as {@code profile=ceph,disks.count>=4,arch=arm64}: comma-separated
 * conditions that must all hold. String keys take {@code =} and {@code !=}; numeric keys take all
 * of {@code = != >= <= > <} and an integer with an optional K/M/G/T (powers of 1024) suffix.
 */
public final class NodeSelector {

  /** Longer selectors are refused. */
  public static final int MAX_LENGTH = 1024;

  private static final int MAX_TERMS = 32;
  private static final Pattern TERM =
      Pattern.compile("\\s*([a-z.]+)\\s*(!=|>=|<=|=|>|<)\\s*(.*?)\\s*");
  private static final Pattern NUMBER = Pattern.compile("(\\d{1,18})([KMGT]?)");
  private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._:/ -]{0,128}");

  private static final Map<String, Function<NodeRecord, String>> TEXT_KEYS =
      Map.of(
          "id", NodeRecord::getNodeId,
          "hostname", NodeRecord::getHostname,
          "profile", NodeRecord::getProfile,
          "cluster", NodeRecord::getCluster,
          "arch", NodeRecord::getArch,
          "state", NodeSelector::state,
          "system.vendor", n -> n.getFacts().getDmi().getSystemVendor(),
          "system.product", n -> n.getFacts().getDmi().getSystemProduct());

  private static final Map<String, Function<NodeRecord, Long>> NUMBER_KEYS =
      Map.of(
          "cpu.cores", n -> (long) n.getFacts().getCpu().getCores(),
          "memory.bytes", n -> n.getFacts().getMemoryBytes(),
          "disks.count", n -> (long) n.getFacts().getDisksCount(),
          "nics.count", n -> (long) n.getFacts().getNicsCount());

  private final List<Condition> conditions;
  private final String text;

  private NodeSelector(List<Condition> conditions, String text) {
    this.conditions = List.copyOf(conditions);
    this.text = text;
  }

  /** Every node matches the empty selector. */
  public static NodeSelector all() {
    return new NodeSelector(List.of(), "");
  }

  /**
   * @throws SelectorException naming the bad term: unknown key, wrong operator for the key, value
   *     not a number, too long
   */
  public static NodeSelector parse(String selector) throws SelectorException {
    String text = selector == null ? "" : selector.strip();
    if (text.isEmpty()) {
      return all();
    }
    if (text.length() > MAX_LENGTH) {
      throw new SelectorException(
          text.substring(0, 32) + "…",
          "selector is " + text.length() + " characters; at most " + MAX_LENGTH + " are allowed");
    }
    String[] terms = text.split(",", -1);
    if (terms.length > MAX_TERMS) {
      throw new SelectorException(
          terms[MAX_TERMS], "selector has " + terms.length + " terms; at most " + MAX_TERMS);
    }
    List<Condition> conditions = new ArrayList<>();
    for (String term : terms) {
      conditions.add(condition(term));
    }
    return new NodeSelector(conditions, text);
  }

  private static Condition condition(String term) throws SelectorException {
    if (term.isBlank()) {
      throw new SelectorException(term, "empty term (two commas in a row, or a trailing comma)");
    }
    Matcher m = TERM.matcher(term);
    if (!m.matches()) {
      throw new SelectorException(
          term.strip(),
          "term '"
              + term.strip()
              + "' is not KEY OP VALUE; keys: "
              + keys()
              + "; operators: = != >= <= > <");
    }
    String key = m.group(1);
    String op = m.group(2);
    String value = m.group(3);
    if (TEXT_KEYS.containsKey(key)) {
      if (!op.equals("=") && !op.equals("!=")) {
        throw new SelectorException(
            term.strip(), "key '" + key + "' is text: only = and != apply, not " + op);
      }
      if (!TEXT.matcher(value).matches()) {
        throw new SelectorException(
            term.strip(),
            "value '" + value + "' of '" + key + "' has characters outside [A-Za-z0-9._:/ -]");
      }
      Function<NodeRecord, String> field = TEXT_KEYS.get(key);
      boolean equal = op.equals("=");
      return node -> field.apply(node).equalsIgnoreCase(value) == equal;
    }
    if (NUMBER_KEYS.containsKey(key)) {
      long number = number(term.strip(), key, value);
      Function<NodeRecord, Long> field = NUMBER_KEYS.get(key);
      return node -> compare(field.apply(node), op, number);
    }
    throw new SelectorException(term.strip(), "unknown key '" + key + "'; keys: " + keys());
  }

  private static long number(String term, String key, String value) throws SelectorException {
    Matcher m = NUMBER.matcher(value.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new SelectorException(
          term,
          "value '" + value + "' of '" + key + "' is not a whole number (K/M/G/T suffix allowed)");
    }
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    long base = Long.parseLong(m.group(1));
    if (shift > 0 && base > (Long.MAX_VALUE >> shift)) {
      throw new SelectorException(term, "value '" + value + "' of '" + key + "' is too large");
    }
    return base << shift;
  }

  private static boolean compare(long actual, String op, long expected) {
    return switch (op) {
      case "=" -> actual == expected;
      case "!=" -> actual != expected;
      case ">=" -> actual >= expected;
      case "<=" -> actual <= expected;
      case ">" -> actual > expected;
      default -> actual < expected;
    };
  }

  private static String state(NodeRecord node) {
    return node.getEnrolment() == EnrolmentState.ENROLMENT_REVOKED ? "revoked" : "active";
  }

  private static String keys() {
    return "id, hostname, profile, cluster, arch, state, cpu.cores, memory.bytes, disks.count, nics.count,"
        + " system.vendor, system.product";
  }

  /** True when every condition holds for the node. */
  public boolean matches(NodeRecord node) {
    for (Condition condition : conditions) {
      if (!condition.test(node)) {
        return false;
      }
    }
    return true;
  }

  /** How many conditions were parsed. */
  public int size() {
    return conditions.size();
  }

  @Override
  public String toString() {
    return text;
  }

  @FunctionalInterface
  private interface Condition {
    boolean test(NodeRecord node);
  }
}
