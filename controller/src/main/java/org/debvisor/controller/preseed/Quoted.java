package org.debvisor.controller.preseed;

/** A value quoted for a message, cut short so a huge value cannot flood the output. */
final class Quoted {

  private static final int MAX = 80;

  private Quoted() {}

  static String of(String value) {
    return "'" + (value.length() <= MAX ? value : value.substring(0, MAX) + "...") + "'";
  }
}
