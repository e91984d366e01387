package org.debvisor.controller.node;

/**
 * One partition of an expert recipe. Sizes are partman's decimal units: {@code 512M}, {@code 20G}
 * ({@code = 20000M}), {@code 1T}; {@code max} may be {@code unlimited}.
 *
 * @param mountpoint absolute path, e.g. {@code /} or {@code /var}; none for swap
 * @param filesystem {@code ext4}, {@code xfs}, {@code btrfs} or {@code swap}
 * @param min smallest size
 * @param max largest size, or {@code unlimited}
 */
public record Partition(String mountpoint, String filesystem, String min, String max) {}
