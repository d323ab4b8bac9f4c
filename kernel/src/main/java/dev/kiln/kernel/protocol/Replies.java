package dev.kiln.kernel.protocol;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.InterruptReply;

/** Replies that jjava sends without the {@code "status": "ok"} the protocol requires. */
public final class Replies {

    /** history_reply with its status. */
    public static final class HistoryOk extends HistoryReply {
        @SuppressWarnings("unused") // serialized by gson
        private final String status = "ok";

        public HistoryOk(List<HistoryEntry> history) {
            super(history);
        }
    }

    /** interrupt_reply with its status. */
    public static final class InterruptOk extends InterruptReply {
        @SuppressWarnings("unused") // serialized by gson
        private final String status = "ok";
    }

    private Replies() {
    }
}
