package org.debvisor.controller.mirror;

import java.util.Optional;

/**
 * What a server said identifies a version of a file, sent back on the next request so it can answer
 * 304 Not Modified instead of the whole file.
 *
 * @param etag the {@code ETag} header
 * @param lastModified the {@code Last-Modified} header, as sent
 */
public record HttpValidators(Optional<String> etag, Optional<String> lastModified) {

  /** None known: the request is unconditional. */
  public static final HttpValidators NONE = new HttpValidators(Optional.empty(), Optional.empty());
}
