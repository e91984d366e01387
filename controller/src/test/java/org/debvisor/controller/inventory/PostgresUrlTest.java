package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

  @Test
  void partsJdbcUrlAndRedactedForm() {
    PostgresUrl url = PostgresUrl.parse("postgresql://debvisor:pa%3Ass@db.example.org:6543/fleet");

    assertThat(url)
        .isEqualTo(new PostgresUrl("debvisor", "pa:ss", "db.example.org", 6543, "fleet"));
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/fleet");
    assertThat(url.redacted()).isEqualTo("postgresql://debvisor@db.example.org:6543/fleet");
    assertThat(url.toString()).doesNotContain("pa:ss");
  }

  @Test
  void defaultPortAndIpv6Host() {
    PostgresUrl url = PostgresUrl.parse("postgresql://ctl@[::1]/inventory");

    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.password()).isEmpty();
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/inventory");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://ctl:secret@host/db",
        "postgresql://host/db",
        "postgresql://:secret@host/db",
        "postgresql://ctl:secret@/db",
        "postgresql://ctl:secret@host",
        "postgresql://ctl:secret@host/",
        "postgresql://ctl:secret@host/db/extra",
        "postgresql://ctl:secret@host/db?sslmode=disable",
        "postgresql://ctl:secret@host:port/db"
      })
  void malformedUrlsAreRefusedWithoutRepeatingThePassword(String text) {
    assertThatThrownBy(() -> PostgresUrl.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        .hasMessageNotContaining("secret");
  }
}
