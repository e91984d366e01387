package org.debvisor.controller.node;

import java.util.List;

/**
 * One node's unattended Debian 13 install, as read from {@code node.yaml}; checked by {@link
 * NodeValidator} before the preseed renderer turns it into a preseed.
 *
 * <p>Optional sections and values take the defaults below when left out; required ones stay {@code
 * null} so the validator can name them.
 *
 * @param profile role profile name ({@code ceph}, {@code hypervisor}, {@code k8s}); required unless
 *     given on the command line
 * @param locale installer and system locale, default {@code en_US.UTF-8}
 * @param keyboard X keyboard layout, default {@code us}
 * @param timezone tz database name, default {@code Etc/UTC}
 * @param hostname the node's host name, one RFC 1123 label (required)
 * @param domain the node's DNS domain (required)
 * @param network DHCP (default) or static addressing
 * @param mirror Debian mirror, default {@code http://deb.debian.org/debian}, suite trixie
 * @param accounts root and/or first user, with crypted passwords and SSH keys (required)
 * @param disk target disk and partitioning recipe (required)
 * @param packages extra Debian packages, merged with the profile's
 * @param tasks extra tasksel tasks, merged with the profile's
 * @param agent enrolment of the DebVisor agent; {@code null}: the agent is not installed
 * @param lateCommands extra commands run in the installed system, each an argv list
 * @param finish what the installer does at the end: {@code reboot} (default) or {@code poweroff}
 */
public record NodeInstall(
    String profile,
    String locale,
    String keyboard,
    String timezone,
    String hostname,
    String domain,
    Network network,
    Mirror mirror,
    Accounts accounts,
    Disk disk,
    List<String> packages,
    List<String> tasks,
    AgentEnrolment agent,
    List<List<String>> lateCommands,
    String finish) {

  public NodeInstall {
    locale = locale == null ? "en_US.UTF-8" : locale;
    keyboard = keyboard == null ? "us" : keyboard;
    timezone = timezone == null ? "Etc/UTC" : timezone;
    network = network == null ? Network.dhcp() : network;
    mirror = mirror == null ? Mirror.debian() : mirror;
    packages = NullableLists.copy(packages);
    tasks = NullableLists.copy(tasks);
    lateCommands = NullableLists.copy(lateCommands);
    finish = finish == null ? "reboot" : finish;
  }

  /** This install with another role profile (the {@code --profile} option). */
  public NodeInstall withProfile(String newProfile) {
    return new NodeInstall(
        newProfile,
        locale,
        keyboard,
        timezone,
        hostname,
        domain,
        network,
        mirror,
        accounts,
        disk,
        packages,
        tasks,
        agent,
        lateCommands,
        finish);
  }
}
