package org.debvisor.controller.node;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.debvisor.common.violation.Violation;

/** Checks a role profile file with the same rules as node values: profiles are data people edit. */
final class ProfileValidator {

  private static final Pattern DESCRIPTION = Pattern.compile("[\\p{L}\\p{N} ,.()/:_+-]{1,200}");

  /** Every problem of the profile; empty when it may be used. */
  List<Violation> validate(Profile profile) {
    FieldChecks checks = new FieldChecks();
    checks.text(
        "description",
        profile.description(),
        DESCRIPTION,
        "must be one line of letters, digits, spaces and , . ( ) / : _ + -");
    list(checks, "tasks", profile.tasks(), ValueRules.TASK, ValueRules.TASK_RULE);
    list(checks, "packages", profile.packages(), ValueRules.PACKAGE, ValueRules.PACKAGE_RULE);
    for (Map.Entry<String, List<String>> entry : profile.archPackages().entrySet()) {
      String field = "archPackages." + entry.getKey();
      if (!entry.getKey().equals("amd64") && !entry.getKey().equals("arm64")) {
        checks.add(field, "architecture must be amd64 or arm64");
      }
      if (checks.present(field, entry.getValue())) {
        list(checks, field, entry.getValue(), ValueRules.PACKAGE, ValueRules.PACKAGE_RULE);
      }
    }
    for (Map.Entry<String, String> entry : profile.sysctl().entrySet()) {
      String field = "sysctl." + entry.getKey();
      checks.text(
          field,
          entry.getKey(),
          ValueRules.SYSCTL_KEY,
          "key must be a sysctl name like net.ipv4.ip_forward");
      if (checks.present(field, entry.getValue())) {
        checks.text(
            field,
            entry.getValue(),
            ValueRules.SYSCTL_VALUE,
            "value must be letters, digits, single spaces and . _ : / - (quote numbers in YAML)");
      }
    }
    list(
        checks,
        "modules",
        profile.modules(),
        ValueRules.MODULE,
        "must be a kernel module name (lower-case letters, digits, _ -)");
    return checks.problems();
  }

  private static void list(
      FieldChecks checks, String field, List<String> values, Pattern pattern, String rule) {
    for (int i = 0; i < values.size(); i++) {
      String itemField = field + "[" + i + "]";
      if (checks.present(itemField, values.get(i))) {
        checks.text(itemField, values.get(i), pattern, rule);
      }
    }
  }
}
