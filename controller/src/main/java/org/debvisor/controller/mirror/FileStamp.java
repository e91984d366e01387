package org.debvisor.controller.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * A file's size, inode, mtime and ctime as one string: it changes whenever the file is written or
 * replaced, and nobody can set a ctime back, so an equal stamp means the file is unchanged.
 */
public final class FileStamp {

  private FileStamp() {}

  public static String of(Path file) throws IOException {
    var attributes = Files.readAttributes(file, "unix:size,ino,lastModifiedTime,ctime");
    return attributes.get("size")
        + " "
        + attributes.get("ino")
        + " "
        + nanos(attributes.get("lastModifiedTime"))
        + " "
        + nanos(attributes.get("ctime"));
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }
}
