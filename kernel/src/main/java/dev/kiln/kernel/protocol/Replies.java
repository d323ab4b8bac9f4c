package dev.kiln.kernel.protocol;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.InterruptReply;

/** Replies that jjava sends without the {@code "status": "ok"} the protocol requires. */
public final class Replies {

    /**
     * history_reply with its status, each entry the protocol's triple
     * {@code [session, line, input]} or {@code [session, line, [input, output]]}.
     */
    public static final class HistoryOk implements ContentType<HistoryOk> {
        @SuppressWarnings("unused") // serialized by gson
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized by gson
        private final List<List<Object>> history;

        public HistoryOk(List<HistoryEntry> entries) {
            this.history = entries.stream()
                    .map(e -> List.<Object>of(e.getSession(), e.getCellNumber(),
                            e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput()))
                    .toList();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public MessageType<HistoryOk> getType() {
            return (MessageType) HistoryReply.MESSAGE_TYPE;
        }
    }

    /** interrupt_reply with its status. */
    public static final class InterruptOk extends InterruptReply {
        @SuppressWarnings("unused") // serialized by gson
        private final String status = "ok";
    }

    /** execute_reply carrying payloads, e.g. a page of documentation for {@code Math.max?}. */
    public static final class ExecuteOkWithPayload extends ExecuteReply {
        @SuppressWarnings("unused") // serialized by gson
        private final List<Map<String, Object>> payload;

        public ExecuteOkWithPayload(int count, List<Map<String, Object>> payload) {
            super(count, Map.of());
            this.payload = List.copyOf(payload);
        }

        /** A pager payload showing {@code text} (Jupyter's "page" source). */
        public static Map<String, Object> page(String text) {
            return Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0);
        }
    }

    private Replies() {
    }
}
