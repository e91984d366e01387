package org.debvisor.controller.rest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;

/**
 * The controller's ISO library as the API uses it (the server package implements this and records
 * every build in the audit log).
 */
public interface IsoApi {

  /** Builds a node's ISO into the library; see {@link IsoLibrary#build}. */
  IsoLibrary.BuiltIso build(String nodeYaml, Architecture arch, String profile, Actor actor)
      throws InvalidInputException,
          IsoBuildException,
          IsoLibrary.BusyException,
          InterruptedException;

  List<IsoLibrary.StoredIso> list() throws IOException;

  /** The file of the ISO called {@code name}, if the library has one by that name. */
  Optional<Path> file(String name) throws IOException;
}
