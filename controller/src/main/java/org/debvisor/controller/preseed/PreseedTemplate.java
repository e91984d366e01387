package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.InvalidInputException;

/**
 * The base preseed ({@code preseed/debian13.preseed}): fixed answers, blank lines and one
 * {@code @@section@@} marker per {@link Section} where the generated answers go. Comments are
 * dropped.
 */
final class PreseedTemplate {

  /** One template line: a marker, a fixed answer or a blank line. */
  sealed interface Item {}

  record Marker(Section section) implements Item {}

  record Fixed(DebconfLine line) implements Item {}

  record Blank() implements Item {}

  private final List<Item> items;
  private final Set<String> fixedKeys;

  private PreseedTemplate(List<Item> items, Set<String> fixedKeys) {
    this.items = List.copyOf(items);
    this.fixedKeys = Set.copyOf(fixedKeys);
  }

  /** Parses the template; every section marker must appear exactly once. */
  public static PreseedTemplate parse(String source, String text) throws InvalidInputException {
    List<Violation> problems = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    EnumSet<Section> seen = EnumSet.noneOf(Section.class);
    String[] lines = text.split("\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      String line = lines[i].strip();
      Optional<Section> section =
          Arrays.stream(Section.values()).filter(s -> s.marker().equals(line)).findFirst();
      if (section.isPresent()) {
        if (!seen.add(section.get())) {
          problems.add(new Violation("line " + (i + 1), line + " appears twice"));
        }
        items.add(new Marker(section.get()));
      } else if (line.startsWith("@@")) {
        problems.add(new Violation("line " + (i + 1), "unknown section marker " + line));
      } else if (line.isEmpty()) {
        if (!items.isEmpty() && !(items.get(items.size() - 1) instanceof Blank)) {
          items.add(new Blank());
        }
      } else if (!line.startsWith("#")) {
        items.add(null); // placeholder, filled from the parsed answers below
        answers.add(lines[i]);
      }
    }
    for (Section s : EnumSet.complementOf(seen)) {
      problems.add(new Violation("(template)", "marker " + s.marker() + " is missing"));
    }
    PreseedParseResult parsed = new PreseedParser().parse(String.join("\n", answers) + "\n");
    problems.addAll(parsed.problems());
    // The template is ours: even the same answer twice is a mistake there.
    new DuplicateAnswers()
        .check(parsed.answers())
        .forEach(duplicate -> problems.add(duplicate.toViolation()));
    if (parsed.lines().size() != answers.size() && parsed.problems().isEmpty()) {
      problems.add(new Violation("(template)", "fixed answers must be one line each"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    int next = 0;
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        items.set(i, new Fixed(parsed.lines().get(next++)));
      }
    }
    while (!items.isEmpty() && items.get(items.size() - 1) instanceof Blank) {
      items.remove(items.size() - 1);
    }
    return new PreseedTemplate(items, parsed.keys());
  }

  List<Item> items() {
    return items;
  }

  /** The {@code owner question} keys the template answers itself. */
  public Set<String> fixedKeys() {
    return fixedKeys;
  }
}
