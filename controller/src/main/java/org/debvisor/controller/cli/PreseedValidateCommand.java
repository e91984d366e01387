package org.debvisor.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.preseed.DebconfCheck;
import org.debvisor.controller.preseed.Finding;
import org.debvisor.controller.preseed.PreseedReport;
import org.debvisor.controller.preseed.PreseedValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor preseed validate}: checks a preseed file's syntax and answers. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a preseed file as the installer reads it: syntax (backslash continuations joined as "
          + "debconf joins them), debconf types and booleans, questions answered twice (same value: a "
          + "warning; different values: an error), the values of known questions (host and domain "
          + "names, addresses, netmask, gateway, nameservers, disks, partman recipes, mirror, proxy, "
          + "user name, crypted password hashes, SSH keys in commands, time zone, locale, keymap, "
          + "packages, tasks) and the password policy (plain-text passwords are refused); "
          + "then 'debconf-set-selections --checkonly' when it is installed (package debconf).",
      "Each finding names its line, question and rule."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the file is valid (warnings, if any, are printed)",
      "1:failure (cannot read the file, the check could not run)",
      "2:the file has errors (each is printed with its line)"
    })
final class PreseedValidateCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The preseed file.")
  Path file;

  @Option(
      names = "--allow-plaintext-passwords",
      description =
          "Report plain-text passwords (passwd/root-password, ...) as warnings, not errors,"
              + " for files you only want checked.")
  boolean allowPlaintextPasswords;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json: json prints every finding (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--no-debconf", description = "Skip debconf-set-selections --checkonly.")
  boolean noDebconf;

  @Option(
      names = "--debconf-set-selections",
      paramLabel = "PATH",
      defaultValue = "/usr/bin/debconf-set-selections",
      description = "The debconf tool (default: ${DEFAULT-VALUE}).")
  Path debconfTool;

  /** The {@code -o json} document. */
  record JsonReport(
      String file,
      boolean valid,
      int answers,
      int errors,
      int warnings,
      String debconf,
      List<JsonFinding> findings) {}

  /** One finding in {@code -o json}. */
  record JsonFinding(String severity, int line, int lastLine, String question, String rule) {
    static JsonFinding of(Finding f) {
      return new JsonFinding(f.severity().label(), f.line(), f.lastLine(), f.question(), f.rule());
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      err.println("error: " + file + ": does not exist");
      return DebvisorCli.EXIT_FAILURE;
    } catch (CharacterCodingException e) {
      err.println("error: invalid input in " + file + ": not UTF-8 text");
      return DebvisorCli.EXIT_INVALID;
    }
    PreseedReport report = new PreseedValidator(allowPlaintextPasswords).validate(text);
    String debconf = "skipped";
    String debconfOutput = "";
    if (report.valid() && !noDebconf) {
      DebconfCheck check = new DebconfCheck(debconfTool);
      if (check.available()) {
        DebconfCheck.Result result = check.check(file);
        debconf = result.ok() ? "passed" : "failed";
        debconfOutput =
            "debconf-set-selections --checkonly (exit "
                + result.exitCode()
                + "): "
                + result.output().replace("\n", "\n  ");
      } else {
        debconf = "not installed";
      }
    }
    boolean valid = report.valid() && !debconf.equals("failed");
    if (output == OutputFormat.json) {
      printJson(report, valid, debconf, debconfOutput);
    } else {
      printTable(report, valid, debconf, debconfOutput);
    }
    return valid ? 0 : DebvisorCli.EXIT_INVALID;
  }

  private void printTable(PreseedReport report, boolean valid, String debconf, String detail) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!valid) {
      err.println(
          "error: invalid input in "
              + file
              + ": "
              + count(report.errors().size(), "error")
              + ", "
              + count(report.warnings().size(), "warning")
              + ":");
    }
    for (Finding f : report.findings()) {
      err.println((valid ? "warning: " + file + ": " : "  " + f.severity().label() + ": ") + f);
    }
    if (debconf.equals("failed")) {
      err.println("  error: " + detail);
    }
    if (valid) {
      String warnings =
          report.warnings().isEmpty() ? "" : " with " + count(report.warnings().size(), "warning");
      String debconfText =
          switch (debconf) {
            case "passed" -> "debconf-set-selections --checkonly passed";
            case "not installed" -> "debconf-set-selections not installed, its check skipped";
            default -> "debconf-set-selections --checkonly skipped";
          };
      out.println(file + ": OK" + warnings + ", " + report.answers() + " answers; " + debconfText);
    }
  }

  private void printJson(PreseedReport report, boolean valid, String debconf, String detail)
      throws JsonProcessingException {
    List<JsonFinding> findings =
        new java.util.ArrayList<>(report.findings().stream().map(JsonFinding::of).toList());
    if (debconf.equals("failed")) {
      findings.add(new JsonFinding("error", 0, 0, "", detail));
    }
    JsonReport json =
        new JsonReport(
            file.toString(),
            valid,
            report.answers(),
            (int) findings.stream().filter(f -> f.severity().equals("error")).count(),
            report.warnings().size(),
            debconf,
            findings);
    spec.commandLine().getOut().println(JSON.writeValueAsString(json));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
