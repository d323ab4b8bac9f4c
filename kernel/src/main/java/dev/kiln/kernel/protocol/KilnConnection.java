package dev.kiln.kernel.protocol;

import java.security.GeneralSecurityException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.zeromq.ZMQ;

/**
 * jjava's connection with the shell and control channels replaced by {@link BlockingShellChannel}s;
 * heartbeat, stdin and iopub are jjava's own.
 */
public final class KilnConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final BlockingShellChannel shellChannel;
    private final BlockingShellChannel controlChannel;
    private volatile boolean closed;

    public KilnConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shellChannel = new BlockingShellChannel(context, hmac, false, this);
        this.controlChannel = new BlockingShellChannel(context, hmac, true, this);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        iopub.bind(props);
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
        iopub.close();
        // jjava's own shell and control sockets were created but never bound
        shell.close();
        control.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
        heartbeat.waitUntilClose();
    }
}
