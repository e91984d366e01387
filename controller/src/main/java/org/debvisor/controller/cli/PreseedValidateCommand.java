package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.preseed.DebconfCheck;
import org.debvisor.controller.preseed.PreseedParseResult;
import org.debvisor.controller.preseed.PreseedParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor preseed validate}: checks a preseed file with our parser and debconf's. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a preseed file: syntax, known debconf types, booleans, no question answered twice;",
      "then 'debconf-set-selections --checkonly' when it is installed (package debconf)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the file is valid",
      "1:failure (cannot read the file, the check could not run)",
      "2:the file is invalid (each problem is printed with its line)"
    })
final class PreseedValidateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The preseed file.")
  Path file;

  @Option(names = "--no-debconf", description = "Skip debconf-set-selections --checkonly.")
  boolean noDebconf;

  @Option(
      names = "--debconf-set-selections",
      paramLabel = "PATH",
      defaultValue = "/usr/bin/debconf-set-selections",
      description = "The debconf tool (default: ${DEFAULT-VALUE}).")
  Path debconfTool;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      err.println("error: " + file + ": does not exist");
      return DebvisorCli.EXIT_FAILURE;
    } catch (CharacterCodingException e) {
      err.println("error: invalid input in " + file + ": not UTF-8 text");
      return DebvisorCli.EXIT_INVALID;
    }
    PreseedParseResult parsed = new PreseedParser().parse(text);
    if (!parsed.problems().isEmpty()) {
      err.println("error: invalid input in " + file + ":");
      for (Violation p : parsed.problems()) {
        err.println("  " + p);
      }
      return DebvisorCli.EXIT_INVALID;
    }
    String debconf = "debconf-set-selections --checkonly skipped";
    DebconfCheck check = new DebconfCheck(debconfTool);
    if (!noDebconf && check.available()) {
      DebconfCheck.Result result = check.check(file);
      if (!result.ok()) {
        err.println(
            "error: invalid input in "
                + file
                + ": debconf-set-selections --checkonly (exit "
                + result.exitCode()
                + "):\n  "
                + result.output().replace("\n", "\n  "));
        return DebvisorCli.EXIT_INVALID;
      }
      debconf = "debconf-set-selections --checkonly passed";
    } else if (!noDebconf) {
      debconf = "debconf-set-selections not installed, its check skipped";
    }
    out.println(file + ": OK, " + parsed.lines().size() + " answers; " + debconf);
    return 0;
  }
}
