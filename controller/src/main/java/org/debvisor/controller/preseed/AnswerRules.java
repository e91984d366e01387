package org.debvisor.controller.preseed;

import static java.util.Map.entry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.controller.node.ValueRules;

/**
 * The value rules of the questions DebVisor knows, keyed by question name. They are node.yaml's
 * rules ({@link ValueRules}, which the renderer applies before writing) wherever node.yaml has the
 * same value, so a rendered preseed always passes them. Unknown questions are not checked.
 */
final class AnswerRules {

  private static final AnswerRule HOSTNAME = NetworkAnswerRules::hostname;
  private static final AnswerRule HOST = v -> ValueRules.hostPortProblem(v, false);
  private static final AnswerRule DIRECTORY =
      AnswerRule.matching(ValueRules.MIRROR_PATH, ValueRules.MIRROR_PATH_RULE);
  private static final AnswerRule SUITE =
      AnswerRule.matching(ValueRules.SUITE, ValueRules.SUITE_RULE);
  private static final AnswerRule LOCALE =
      AnswerRule.matching(ValueRules.LOCALE, ValueRules.LOCALE_RULE);
  private static final AnswerRule KEYMAP =
      AnswerRule.matching(ValueRules.KEYBOARD, ValueRules.KEYBOARD_RULE);

  /** An OpenSSH public key inside a command: type, space, base64. */
  private static final Pattern EMBEDDED_SSH_KEY =
      Pattern.compile(
          "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com"
              + "|sk-ecdsa-sha2-nistp256@openssh\\.com)\\s+([A-Za-z0-9+/=]+)");

  private static final Map<String, AnswerRule> FIXED =
      Map.ofEntries(
          entry("netcfg/get_hostname", HOSTNAME),
          entry("netcfg/hostname", HOSTNAME),
          entry("netcfg/get_domain", AnswerRule.orEmpty(NetworkAnswerRules::domain)),
          entry("netcfg/get_ipaddress", NetworkAnswerRules::addressWithPrefix),
          entry("netcfg/get_netmask", NetworkAnswerRules::netmask),
          entry("netcfg/get_gateway", AnswerRule.orEmpty(NetworkAnswerRules::address)),
          entry("netcfg/get_nameservers", ((AnswerRule) NetworkAnswerRules::address).eachOf(0, 3)),
          entry(
              "netcfg/choose_interface",
              AnswerRule.matching(ValueRules.INTERFACE, ValueRules.INTERFACE_RULE)),
          entry("mirror/http/hostname", HOST),
          entry("mirror/https/hostname", HOST),
          entry("mirror/ftp/hostname", HOST),
          entry("mirror/http/directory", DIRECTORY),
          entry("mirror/https/directory", DIRECTORY),
          entry("mirror/ftp/directory", DIRECTORY),
          entry("mirror/http/proxy", AnswerRule.orEmpty(ValueRules::proxyProblem)),
          entry("mirror/https/proxy", AnswerRule.orEmpty(ValueRules::proxyProblem)),
          entry("mirror/suite", SUITE),
          entry("mirror/codename", SUITE),
          entry("apt-setup/security_host", HOST),
          entry("passwd/username", AnswerRules::userName),
          entry(
              "passwd/user-fullname",
              AnswerRule.orEmpty(
                  AnswerRule.matching(ValueRules.FULL_NAME, ValueRules.FULL_NAME_RULE))),
          entry("time/zone", AnswerRule.matching(ValueRules.TIMEZONE, ValueRules.TIMEZONE_RULE)),
          entry("debian-installer/locale", LOCALE),
          entry("localechooser/supported-locales", LOCALE.eachOf(0, 64)),
          entry("keyboard-configuration/xkb-keymap", KEYMAP),
          entry("keyboard-configuration/layoutcode", KEYMAP),
          entry("partman-auto/disk", ((AnswerRule) PartmanAnswerRules::disk).eachOf(1, 16)),
          entry("partman-auto/method", PartmanAnswerRules.METHOD),
          entry("partman-auto-lvm/guided_size", PartmanAnswerRules.GUIDED_SIZE),
          entry("partman-auto/expert_recipe", PartmanAnswerRules::expertRecipe),
          entry("grub-installer/bootdev", PartmanAnswerRules::bootDevice),
          entry(
              "pkgsel/include",
              AnswerRule.matching(ValueRules.PACKAGE, ValueRules.PACKAGE_RULE).eachOf(0, 512)),
          entry(
              "tasksel/first",
              AnswerRule.matching(ValueRules.TASK, ValueRules.TASK_RULE).eachOf(0, 64)),
          entry("preseed/early_command", AnswerRules::embeddedSshKeys),
          entry("preseed/late_command", AnswerRules::embeddedSshKeys),
          entry("partman/early_command", AnswerRules::embeddedSshKeys));

  /** Shell commands and recipes, where spaces at the ends are harmless (and common). */
  private static final Set<String> FREE_FORM =
      Set.of(
          "preseed/early_command",
          "preseed/late_command",
          "partman/early_command",
          "partman-auto/expert_recipe");

  private final AnswerRule chooseRecipe;

  /**
   * @param definedRecipes names of the expert recipes the file defines (choose_recipe may name
   *     them)
   */
  AnswerRules(Set<String> definedRecipes) {
    this.chooseRecipe = PartmanAnswerRules.chooseRecipe(definedRecipes);
  }

  /** Whether the question has a value rule. */
  boolean knows(String question) {
    return FIXED.containsKey(question) || question.equals("partman-auto/choose_recipe");
  }

  /** Why the answer's value breaks its question's rule, or empty (also for unknown questions). */
  Optional<String> problem(DebconfLine answer) {
    String question = answer.question();
    AnswerRule rule =
        question.equals("partman-auto/choose_recipe") ? chooseRecipe : FIXED.get(question);
    if (rule == null) {
      return Optional.empty();
    }
    String value = answer.value();
    if (!FREE_FORM.contains(question) && !value.strip().equals(value)) {
      return Optional.of("must not start or end with spaces (debconf keeps them in the value)");
    }
    return rule.problem(value);
  }

  private static Optional<String> userName(String value) {
    if (!ValueRules.USER_NAME.matcher(value).matches()) {
      return Optional.of(ValueRules.USER_NAME_RULE);
    }
    if (ValueRules.RESERVED_USERS.contains(value)) {
      return Optional.of("'" + value + "' is a system account name");
    }
    return Optional.empty();
  }

  /** Every OpenSSH public key written into a command must be a whole, well-formed key. */
  private static Optional<String> embeddedSshKeys(String command) {
    Matcher m = EMBEDDED_SSH_KEY.matcher(command);
    while (m.find()) {
      Optional<String> problem = ValueRules.sshKeyProblem(m.group(1) + " " + m.group(2));
      if (problem.isPresent()) {
        return Optional.of("holds a broken " + m.group(1) + " key: " + problem.get());
      }
    }
    return Optional.empty();
  }
}
