package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written encoding must be what Jackson writes and reads: the same JSON tree. */
class StateJsonTest {

  // Text a caller, reason or path may carry: quotes, backslashes, control characters, non-ASCII.
  private static final String ODD = "a\"b\\c\nd\re\tf\u0001g\u001fh/é€😀 <x>";

  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Test
  void journalRecordMatchesJackson() throws Exception {
    JournalRecord record =
        new JournalRecord(
            42,
            "txn-" + ODD,
            JournalRecord.Phase.ROLLING_BACK,
            "v" + ODD,
            "",
            "2026-12-03T07:00:00.123456789Z",
            List.of(
                new JournalRecord.JournalFile(
                    "/etc/a" + ODD, "/etc/a", "/etc/.s", "/etc/.b", true, "ab12", 0640),
                new JournalRecord.JournalFile(
                    "/etc/b", "/etc/b", "/etc/.s2", "/etc/.b2", false, "", 0)),
            List.of("/etc/new", "/etc/new/" + ODD),
            List.of(
                new JournalRecord.JournalService("nginx.service", "RELOAD"),
                new JournalRecord.JournalService("x" + ODD, "RESTART")),
            "operator:" + ODD,
            ODD);
    byte[] line = StateJson.line(record);

    assertLine(line, json.writeValueAsBytes(record));
    assertThat(json.readValue(line, JournalRecord.class)).isEqualTo(record);
  }

  @Test
  void emptyListsAndNullTextMatchJackson() throws Exception {
    JournalRecord record =
        new JournalRecord(
            1,
            "t",
            JournalRecord.Phase.PREPARED,
            "v",
            "",
            "",
            List.of(),
            List.of(),
            List.of(),
            null,
            null);
    byte[] line = StateJson.line(record);

    assertLine(line, json.writeValueAsBytes(record));
    assertThat(json.readValue(line, JournalRecord.class)).isEqualTo(record);
  }

  @Test
  void outcomeMatchesJackson() throws Exception {
    ApplyJournal.Outcome outcome =
        new ApplyJournal.Outcome(ApplyJournal.ROLLING_BACK, "", "c" + ODD, "gate: " + ODD);
    byte[] line = StateJson.line(outcome);

    assertLine(line, json.writeValueAsBytes(outcome));
    assertThat(json.readValue(line, ApplyJournal.Outcome.class)).isEqualTo(outcome);
  }

  @Test
  void historyRecordMatchesJackson() throws Exception {
    HistoryRecord record =
        new HistoryRecord(
            "t1", "v2" + ODD, "v1", "2026-12-03T07:00:00Z", ODD, "CONFIG_ROLLED_BACK", ODD);
    byte[] line = StateJson.line(record);

    assertLine(line, json.writeValueAsBytes(record));
    assertThat(json.readValue(line, HistoryRecord.class)).isEqualTo(record);
  }

  @Test
  void currentRecordMatchesJackson() throws Exception {
    CurrentRecord record =
        new CurrentRecord(
            "v" + ODD,
            "t",
            "2026-12-03T07:00:00Z",
            ODD,
            List.of(
                new CurrentRecord.FileRecord("/etc/a" + ODD, "ab", 0644),
                new CurrentRecord.FileRecord("/etc/b", "cd", 0600)));
    byte[] bytes = StateJson.bytes(record);

    assertThat(json.readTree(bytes)).isEqualTo(json.readTree(json.writeValueAsBytes(record)));
    assertThat(json.readValue(bytes, CurrentRecord.class)).isEqualTo(record);
    assertThat(json.readValue(StateJson.bytes(CurrentRecord.NONE), CurrentRecord.class))
        .isEqualTo(CurrentRecord.NONE);
  }

  /** One line, ending in its only newline, holding the tree Jackson wrote. */
  private void assertLine(byte[] line, byte[] jackson) throws Exception {
    int newlines = 0;
    for (byte b : line) {
      newlines += b == '\n' ? 1 : 0;
    }
    assertThat(newlines).isEqualTo(1);
    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    assertThat(json.readTree(line)).isEqualTo(json.readTree(jackson));
  }
}
