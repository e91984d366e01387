package org.debvisor.controller.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.rest.Actor;
import org.debvisor.controller.rest.IsoApi;

/**
 * The ISO library behind the API: every build that ran, and every one that failed after it started,
 * is recorded in the audit log (action {@code iso.build}, target the ISO's name). Refusals of the
 * node.yaml are the caller's to read in the answer; nothing was built.
 */
final class RestIsos implements IsoApi {

  private final IsoLibrary library;
  private final Database db;
  private final AuditLog audit;

  RestIsos(IsoLibrary library, Database db, AuditLog audit) {
    this.library = library;
    this.db = db;
    this.audit = audit;
  }

  @Override
  public IsoLibrary.BuiltIso build(String nodeYaml, Architecture arch, String profile, Actor actor)
      throws InvalidInputException,
          IsoBuildException,
          IsoLibrary.BusyException,
          InterruptedException {
    IsoLibrary.BuiltIso built;
    try {
      built = library.build(nodeYaml, arch, profile);
    } catch (IsoBuildException e) {
      record(actor, arch.debianName(), "error", e.getMessage());
      throw e;
    }
    record(
        actor,
        built.name(),
        "ok",
        "sha256 "
            + built.sha256()
            + ", profile "
            + built.profile()
            + ", installer "
            + built.installerVersion());
    return built;
  }

  private void record(Actor actor, String target, String result, String detail) {
    db.write(
        c ->
            audit.append(
                c,
                new AuditEntry(actor.name(), "iso.build", target, actor.source(), result, detail)));
  }

  @Override
  public List<IsoLibrary.StoredIso> list() throws IOException {
    return library.list();
  }

  @Override
  public Optional<Path> file(String name) throws IOException {
    return library.find(name).map(library::file);
  }
}
