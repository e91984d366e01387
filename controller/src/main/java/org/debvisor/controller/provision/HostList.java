package org.debvisor.controller.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.debvisor.controller.ssh.SshTarget;

/** The hosts to provision: given one by one and/or listed in a file, duplicates dropped. */
public final class HostList {

  private HostList() {}

  /**
   * Parses the hosts; what is wrong goes to {@code problems}, worded for the command line.
   *
   * @param hosts {@code [user@]host[:port]} values
   * @param hostsFile file with one host per line ({@code #} comments), or null
   */
  public static List<SshTarget> parse(List<String> hosts, Path hostsFile, List<String> problems) {
    List<String> raw = new ArrayList<>(hosts);
    if (hostsFile != null) {
      try {
        for (String line : Files.readAllLines(hostsFile, StandardCharsets.UTF_8)) {
          String l = line.replaceFirst("#.*$", "").strip();
          if (!l.isEmpty()) {
            raw.add(l);
          }
        }
      } catch (IOException e) {
        problems.add("--hosts-file " + hostsFile + " cannot be read: " + e.getMessage());
      }
    }
    LinkedHashSet<SshTarget> targets = new LinkedHashSet<>();
    for (String h : raw) {
      try {
        targets.add(SshTarget.parse(h));
      } catch (IllegalArgumentException e) {
        problems.add("--host " + e.getMessage());
      }
    }
    if (raw.isEmpty()) {
      problems.add("no hosts: give --host [user@]host[:port] or --hosts-file FILE");
    }
    return List.copyOf(targets);
  }
}
