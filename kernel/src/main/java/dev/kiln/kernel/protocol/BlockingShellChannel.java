package dev.kiln.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The shell or control channel, served by a thread that blocks in {@code poll} and handles each
 * request the moment it arrives: jjava's own channel sleeps between polls, and every request waits
 * out the sleep (the README's kernel section has the figures).
 */
final class BlockingShellChannel extends ShellChannel {

    private static final Logger LOG = LoggerFactory.getLogger(BlockingShellChannel.class);
    private static final int POLL_MS = 200;

    private final boolean control;
    private final JupyterConnection connection;
    private final ZMQ.Context context;
    private volatile boolean running;
    private Thread loop;

    BlockingShellChannel(ZMQ.Context ctx, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(ctx, hmac, control, connection);
        this.context = ctx;
        this.control = control;
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        String address = formatAddress(props.getTransport(), props.getIp(),
                control ? props.getControlPort() : props.getShellPort());
        bind(address);
        running = true;
        loop = new Thread(this::serve, control ? "kiln-control" : "kiln-shell");
        loop.start();
    }

    private void serve() {
        ZMQ.Poller poller = context.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                if (poller.poll(POLL_MS) <= 0 || !poller.pollin(0)) {
                    continue;
                }
                handle(readMessage());
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("{} channel stopped: {}", control ? "Control" : "Shell", e.toString());
            }
        } finally {
            poller.close();
            super.close();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handle(Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.warn("Unhandled message: {}", message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            LOG.warn("Error handling {}: {}", message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    @Override
    public void close() {
        running = false;
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
