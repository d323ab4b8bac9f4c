package dev.kiln.kernel.protocol;

import java.security.GeneralSecurityException;
import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.zeromq.ZMQ;

/**
 * jjava's connection with the shell and control channels replaced by {@link BlockingShellChannel}s
 * and iopub by a {@link BlockingIOPubChannel}; heartbeat and stdin are jjava's own.
 */
public final class KilnConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final BlockingShellChannel shellChannel;
    private final BlockingShellChannel controlChannel;
    private final BlockingIOPubChannel iopubChannel;
    private volatile boolean closed;

    public KilnConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shellChannel = new BlockingShellChannel(context, hmac, false, this);
        this.controlChannel = new BlockingShellChannel(context, hmac, true, this);
        this.iopubChannel = new BlockingIOPubChannel(context, hmac);
    }

    @Override
    public IOPubChannel getIOPub() {
        return iopubChannel;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new ShellReplyEnvironment(shell, stdin, iopubChannel, context) { };
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        iopubChannel.bind(props);
        stdin.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shellChannel.close();
        controlChannel.close();
        heartbeat.close();
        stdin.close();
        iopubChannel.close();
        // jjava's own shell, control and iopub sockets were created but never bound
        shell.close();
        control.close();
        iopub.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
        heartbeat.waitUntilClose();
    }
}
