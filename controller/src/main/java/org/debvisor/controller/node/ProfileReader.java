package org.debvisor.controller.node;

import java.util.List;
import org.debvisor.common.violation.Violation;

/** Reads one role profile's YAML into a checked {@link Profile}. */
public final class ProfileReader {

  private final YamlModelReader yaml = new YamlModelReader();

  /**
   * Parses and validates a profile.
   *
   * @param source where the text came from, for messages
   * @param name the profile's name (its file name without {@code .yaml})
   * @param text the YAML
   */
  public Profile read(String source, String name, String text) throws InvalidInputException {
    Profile profile = yaml.read(source, text, Profile.class).named(name);
    List<Violation> problems = new ProfileValidator().validate(profile);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    return profile;
  }
}
