package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {

  @Test
  void setsOneSharedAllocatorAndNoJfrEvents() {
    Properties properties = new Properties();

    NettyDefaults.apply(properties);

    assertThat(properties)
        .containsEntry("io.grpc.netty.useCustomAllocator", "false")
        .containsEntry("io.netty.jfr.enabled", "false");
  }

  @Test
  void keepsAValueGivenOnTheCommandLine() {
    Properties properties = new Properties();
    properties.setProperty("io.netty.jfr.enabled", "true");

    NettyDefaults.apply(properties);

    assertThat(properties)
        .containsEntry("io.netty.jfr.enabled", "true")
        .containsEntry("io.grpc.netty.useCustomAllocator", "false");
  }
}
