package org.debvisor.controller.preseed;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.controller.node.ValueRules;

/** Value rules of partman's and grub-installer's questions: disks, methods and recipes. */
final class PartmanAnswerRules {

  private PartmanAnswerRules() {}

  /** Recipes the installer ships (partman-auto's atomic, home and multi). */
  static final List<String> BUILT_IN_RECIPES = List.of("atomic", "home", "multi");

  /** {@code NAME :: items}, where every item ends in a dot. */
  private static final Pattern EXPERT_RECIPE =
      Pattern.compile("\\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\\s*::\\s*(.*)", Pattern.DOTALL);

  /** A recipe file of the installer, which a select answer may name by path. */
  private static final Pattern RECIPE_FILE =
      Pattern.compile("/lib/partman/recipes[A-Za-z0-9_-]*/[0-9]{2}[a-z][a-z0-9_-]{0,31}");

  private static final Pattern GRUB_DEVICE = Pattern.compile("\\(hd[0-9]{1,2}(,[0-9]{1,3})?\\)");

  static final AnswerRule METHOD =
      AnswerRule.matching(
          Pattern.compile("regular|lvm|crypto|raid"), "must be regular, lvm, crypto or raid");

  static final AnswerRule GUIDED_SIZE =
      AnswerRule.matching(
          Pattern.compile("(?i)max|[0-9]{1,9}(\\.[0-9]{1,3})?\\s?(%|[kmgt]i?b?)?"),
          "must be max, a size like 30GB or a percentage like 50%");

  /** One whole disk, as node.yaml's disk.target. */
  static Optional<String> disk(String value) {
    if (!ValueRules.DISK.matcher(value).matches()) {
      return Optional.of(ValueRules.DISK_RULE);
    }
    if (ValueRules.BY_ID_PARTITION.matcher(value).matches()) {
      return Optional.of("names a partition (-partN); give the whole disk");
    }
    return Optional.empty();
  }

  /** Where GRUB goes: {@code default}, whole disks or GRUB's own {@code (hd0)} names. */
  static Optional<String> bootDevice(String value) {
    if (value.equals("default")) {
      return Optional.empty();
    }
    // Split on spaces only: GRUB's own names hold a comma, (hd0,1).
    for (String item : value.strip().split("\\s+")) {
      Optional<String> problem =
          GRUB_DEVICE.matcher(item).matches() ? Optional.empty() : disk(item);
      if (problem.isPresent()) {
        return Optional.of(
            "item " + Quoted.of(item) + " " + problem.get() + ", or default, or (hdN[,M])");
      }
    }
    return Optional.empty();
  }

  /** An expert recipe: a name, {@code ::}, then items each ending in a dot. */
  static Optional<String> expertRecipe(String value) {
    Matcher m = EXPERT_RECIPE.matcher(value);
    if (!m.matches() || m.group(2).isBlank() || !m.group(2).strip().endsWith(".")) {
      return Optional.of(
          "must be 'NAME :: ITEM . ITEM .': a recipe name (letters, digits, _ . -), '::', then"
              + " partitions each ending in ' .'");
    }
    return Optional.empty();
  }

  /** The names of the expert recipes the answers define, in file order. */
  static Set<String> recipeNames(List<DebconfLine> answers) {
    Set<String> names = new LinkedHashSet<>();
    for (DebconfLine answer : answers) {
      if (answer.question().equals("partman-auto/expert_recipe")) {
        Matcher m = EXPERT_RECIPE.matcher(answer.value());
        if (m.matches()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /** A rule for choose_recipe: a built-in recipe, its file, or an expert recipe of the file. */
  static AnswerRule chooseRecipe(Set<String> defined) {
    Set<String> known = new LinkedHashSet<>(BUILT_IN_RECIPES);
    known.addAll(defined);
    return value ->
        known.contains(value) || RECIPE_FILE.matcher(value).matches()
            ? Optional.empty()
            : Optional.of(
                "must name a partman recipe: "
                    + String.join(", ", known)
                    + (defined.isEmpty() ? "" : " (defined in this file)")
                    + " or a recipe file like /lib/partman/recipes/30atomic");
  }
}
