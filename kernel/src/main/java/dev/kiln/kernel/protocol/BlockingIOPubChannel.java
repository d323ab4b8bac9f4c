package dev.kiln.kernel.protocol;

import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The iopub channel with back-pressure: a message waits until every subscriber has room for it,
 * where ZeroMQ's publisher would drop it at the high-water mark (a cell printing fast lost most of
 * its lines, sometimes its result and its idle status). A subscriber that takes nothing for
 * {@link #STALL_MS} is given up on: the channel publishes as ZeroMQ does by default (what a full
 * subscriber has no room for, it misses; the others get it) and tries every {@link #PROBE_MS}
 * whether all have room again.
 */
final class BlockingIOPubChannel extends IOPubChannel {

    private static final Logger LOG = LoggerFactory.getLogger(BlockingIOPubChannel.class);
    /** Messages queued per subscriber before a send waits: 32 MiB of cell output at most (1 MiB a message). */
    static final int HIGH_WATER_MARK = 32;
    /** How long one attempt waits, so that closing the channel is noticed. */
    private static final int ATTEMPT_MS = 100;
    static final long STALL_MS = 30_000;
    static final long PROBE_MS = 5_000;

    private volatile boolean closing;
    // the state of the message being sent; sendMessage, the only caller of send, is synchronized
    private boolean inMessage;
    private boolean droppingMessage;
    private boolean subscriberStalled;
    private long lastProbe;

    BlockingIOPubChannel(ZMQ.Context ctx, HMACGenerator hmac) {
        super(ctx, hmac);
        setXpubNoDrop(true);
        setSndHWM(HIGH_WATER_MARK);
        setSendTimeOut(ATTEMPT_MS);
    }

    /**
     * Each frame of a message passes here (jjava's sendMessage writes them one by one). Only the
     * first frame can meet a full queue, since ZeroMQ counts whole messages: it waits for room, and
     * if it is dropped the rest of its message is dropped with it.
     */
    @Override
    public boolean send(byte[] data, int flags) {
        boolean more = (flags & ZMQ.SNDMORE) != 0;
        try {
            if (!inMessage) {
                inMessage = true;
                droppingMessage = !sendFirstFrame(data, flags);
                return !droppingMessage;
            }
            return !droppingMessage && super.send(data, flags);
        } finally {
            if (!more) {
                inMessage = false;
                droppingMessage = false;
            }
        }
    }

    private boolean sendFirstFrame(byte[] data, int flags) {
        if (subscriberStalled) {
            if (System.nanoTime() - lastProbe < PROBE_MS * 1_000_000) {
                return super.send(data, flags);
            }
            lastProbe = System.nanoTime();
            setXpubNoDrop(true);
            if (super.send(data, flags | ZMQ.DONTWAIT)) {
                subscriberStalled = false;
                LOG.warn("every Jupyter client reads output again; output waits for them again");
                return true;
            }
            setXpubNoDrop(false);
            return super.send(data, flags);
        }
        long start = System.nanoTime();
        while (!super.send(data, flags)) {
            if (closing) {
                return false;
            }
            if (System.nanoTime() - start > STALL_MS * 1_000_000) {
                subscriberStalled = true;
                lastProbe = System.nanoTime();
                setXpubNoDrop(false);
                LOG.warn("a Jupyter client took no output for {} s; until it reads again, it misses what it has no room for",
                        STALL_MS / 1000);
                return super.send(data, flags);
            }
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        synchronized (this) { // after the message being sent, which gives up within one attempt
            super.close();
        }
    }
}
