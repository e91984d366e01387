package org.debvisor.controller.image;

/** An image build failed; the message says what went wrong and what to do. */
public final class ImageBuildException extends Exception {

  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
