package org.debvisor.agent.server;

import io.grpc.StatusException;
import java.util.List;
import org.debvisor.proto.CheckOkToStopResponse;

/** Asks the storage cluster whether OSDs can stop now; the agent wires in its Ceph client. */
@FunctionalInterface
public interface OsdStopCheck {

  /**
   * @param osdIds the OSDs to ask about; empty for this node's own
   * @throws StatusException the gRPC answer when the question could not be asked
   */
  CheckOkToStopResponse check(List<Integer> osdIds) throws StatusException;
}
