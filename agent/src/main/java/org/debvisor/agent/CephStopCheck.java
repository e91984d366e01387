package org.debvisor.agent;

import io.grpc.Status;
import io.grpc.StatusException;
import java.util.List;
import org.debvisor.agent.collect.ceph.CephException;
import org.debvisor.agent.collect.ceph.CephNotConfiguredException;
import org.debvisor.agent.collect.ceph.CephOkToStop;
import org.debvisor.agent.server.OsdStopCheck;
import org.debvisor.proto.CheckOkToStopResponse;

/** Answers CheckOkToStop with the agent's Ceph client; Ceph's failures become gRPC statuses. */
final class CephStopCheck implements OsdStopCheck {

  private final CephOkToStop ceph;

  CephStopCheck(CephOkToStop ceph) {
    this.ceph = ceph;
  }

  @Override
  public CheckOkToStopResponse check(List<Integer> osdIds) throws StatusException {
    try {
      return ceph.check(osdIds);
    } catch (CephNotConfiguredException e) {
      throw Status.FAILED_PRECONDITION
          .withDescription(e.getMessage() + "; ask an agent on a Ceph node")
          .asException();
    } catch (CephException e) {
      throw Status.UNAVAILABLE.withDescription(e.getMessage()).asException();
    }
  }
}
