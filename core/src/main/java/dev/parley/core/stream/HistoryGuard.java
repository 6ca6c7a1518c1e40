package dev.parley.core.stream;

import dev.parley.NodeResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which history (node epoch) the stream's cursors belong to. Cursors of a replaced history
 * point nowhere: the guard notices when the plan moved to another one (another path met the new
 * history first) and lets the plan follow a node that serves a new one. Serial.
 */
final class HistoryGuard {
    private static final Logger log = LoggerFactory.getLogger(HistoryGuard.class);

    private final StreamPlan<?> plan;
    private String cursorsEpoch = "";

    HistoryGuard(StreamPlan<?> plan) {
        this.plan = plan;
    }

    /** The stream's cursors were just (re)started from the plan's current history. */
    void cursorsStarted() {
        cursorsEpoch = plan.epoch();
    }

    /** The plan's history is no longer the one the stream's cursors belong to. */
    boolean moved() {
        return !plan.epoch().equals(cursorsEpoch);
    }

    /**
     * The plan moved to another history on another path: it drops what it still holds of the old
     * one (progress not yet written) before the stream follows the new one.
     */
    void planMoved() {
        resetPlan(plan.epoch());
    }

    /**
     * The node serves another history: true when the plan dropped its old cursors and now follows
     * the new one; false when it cannot, or already did (a node refusing the history it just
     * announced is an ordinary failure, not a reason to reset again).
     */
    boolean follow(NodeResetException reset) {
        if (plan.epoch().equals(reset.nodeEpoch())) {
            return false;
        }
        return resetPlan(reset.nodeEpoch()) && plan.epoch().equals(reset.nodeEpoch());
    }

    /** Lets the plan drop what it holds of the old history; false when it failed to. */
    private boolean resetPlan(String nodeEpoch) {
        try {
            plan.nodeReset(nodeEpoch);
            return true;
        } catch (RuntimeException e) {
            log.warn("stream could not drop the cursors of the node's old history", e);
            return false;
        }
    }
}
