package org.debvisor.controller.qemu;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Turns a serial console's terminal output (escape sequences, screen's status line) into text. */
final class TerminalText {

  // Screen wraps a full row by CR LF, a jump back to the last column and the last character again.
  private static final Pattern WRAP = Pattern.compile("(.)\r\n\u001b\\[\\d+;\\d+H\\1");
  private static final Pattern CSI = Pattern.compile("\u001b\\[[0-9;?=>]*[ -/]*[@-~]");
  private static final Pattern CHARSET = Pattern.compile("\u001b[()][0-9A-Za-z]");
  private static final Pattern OTHER_ESCAPE = Pattern.compile("\u001b[=>78cDEHMZ]");
  // GNU screen's hardstatus line, e.g. "[ 0 start 1- installer ... (4*log) ][ Nov 23 19:18 ]".
  private static final Pattern SCREEN_STATUS =
      Pattern.compile("\\[ [^\\[\\]\\n]*(?:installer|start)[^\\[\\]\\n]* \\]\\[[^\\]\\n]*\\]");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]");

  // Where a syslog line ("Nov 23 19:18:15 host-tag: ...") or a kernel line ("[   8.1] ...") starts.
  private static final Pattern LINE_START =
      Pattern.compile(
          "(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d )"
              + "|(?=\\[ *\\d+\\.\\d+\\] )");

  private TerminalText() {}

  /**
   * Log lines of {@code raw}. Screen redraws and 80-column wraps break lines anywhere, so the text
   * is joined and cut again where a syslog timestamp or kernel timestamp begins.
   */
  static List<String> logLines(String raw) {
    String joined = strip(raw).replace("\n", "");
    return Arrays.stream(LINE_START.split(joined))
        .map(l -> l.replaceAll(" {2,}", " ").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** The printable text of {@code raw}, one console line per line. */
  static String strip(String raw) {
    String s = WRAP.matcher(raw).replaceAll("$1");
    s = CSI.matcher(s).replaceAll("");
    s = CHARSET.matcher(s).replaceAll("");
    s = OTHER_ESCAPE.matcher(s).replaceAll("");
    s = s.replace("\r\n", "\n").replace('\r', '\n');
    s = CONTROL.matcher(s).replaceAll("");
    return SCREEN_STATUS.matcher(s).replaceAll("\n");
  }
}
