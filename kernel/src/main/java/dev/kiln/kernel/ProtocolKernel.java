package dev.kiln.kernel;

import dev.kiln.kernel.display.CellDisplay;
import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.protocol.KernelInfoOk;
import dev.kiln.kernel.protocol.Replies;
import dev.kiln.magics.core.MimeBundle;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

/**
 * jjava's BaseKernel answering as Jupyter's clients expect: replies carry their status, a cell's
 * streams arrive before its result, {@code expr?} pages, history is kept. A kernel built on it
 * supplies the language: {@link #execute} and the hooks around it, plus BaseKernel's own
 * (complete, inspect, is_complete, interrupt).
 */
abstract class ProtocolKernel extends BaseKernel {

    /** The stderr Jupyter gave the kernel, taken before the launcher points System.err at cells. */
    static final PrintStream KERNEL_LOG = System.err;
    private static final boolean TIMING = Boolean.getBoolean("kiln.timing");
    /** How long start-up work waits for the first kernel_info request, which a client may never send. */
    private static final long FIRST_REPLY_WAIT_MS = 1_000;

    private final CountDownLatch firstReplySent = new CountDownLatch(1);

    private final CellOutput output;
    private final SessionHistory history;
    private int nextCount = 1;

    ProtocolKernel(String name, String version, LanguageInfo language, List<HelpLink> helpLinks, CellOutput output) {
        this(name, version, language, helpLinks, output, new SessionHistory());
    }

    private ProtocolKernel(String name, String version, LanguageInfo language, List<HelpLink> helpLinks, CellOutput output,
                           SessionHistory history) {
        // no magic parser or registry for jjava (null): CellParser splits cells, MagicBridge runs magics
        super(name, version, language, helpLinks, history, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                new Renderer(), null, null, false, new StringStyler.Builder().build());
        this.output = output;
        this.history = history;
    }

    /**
     * Runs {@code work} on a thread of its own once the first kernel_info reply has gone out (or
     * {@link #FIRST_REPLY_WAIT_MS} after this call): started at once, it took the CPU (two cores,
     * JIT compilers on both) from the reply that tells the front end the kernel is up.
     */
    protected final void startAfterFirstReply(Runnable work) {
        Thread t = new Thread(() -> {
            try {
                firstReplySent.await(FIRST_REPLY_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // nothing interrupts this thread; if something did, starting now is as right as later
            }
            work.run();
        }, "kiln-start");
        t.setDaemon(true);
        t.start();
    }

    /** A cell is about to run; its displays go to {@code env}. */
    protected abstract void cellStarted(ShellReplyEnvironment env);

    /** The documentation a one-line {@code expr?} cell asks for; empty when the cell is code to run. */
    protected abstract Optional<String> page(String code);

    /** Runs a cell; returns what it shows as its result, or null. */
    protected abstract MimeBundle execute(String code, int count) throws EvalError;

    /**
     * Cell {@code count} is over, run or failed; {@code stored}: a cell of the notebook's history,
     * not a silent or unstored request (a front end's own query, such as Kiln's Lab panel makes).
     */
    protected abstract void cellEnded(int count, boolean stored);

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        long t0 = System.nanoTime();
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? nextCount++ : nextCount;
        // idle goes out before the reply (which is deferred to after this method): a client holding
        // the reply has every iopub message of the cell on its way, however long this thread then
        // waits for the CPU. jupyter_kernel_test reads each with a 0.1 s timeout once it has the reply.
        env.setStatusBusy();
        env.publish(new PublishExecuteInput(code, count));
        cellStarted(env);
        output.attach((stream, text) -> env.publish(new PublishStream(
                stream == CellOutput.Stream.STDOUT ? PublishStream.StreamType.OUT : PublishStream.StreamType.ERR, text)));
        String resultText = null;
        try {
            Optional<String> page = page(code);
            if (page.isPresent()) {
                env.defer().reply(new Replies.ExecuteOkWithPayload(count, List.of(Replies.ExecuteOkWithPayload.page(page.get()))));
                return;
            }
            MimeBundle result = execute(code, count);
            output.flush();
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, CellDisplay.displayData(result)));
                resultText = String.valueOf(result.data().getOrDefault("text/plain", ""));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } catch (EvalError e) {
            output.flush();
            env.publish(new PublishError(e.name(), e.getMessage(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.name(), e.getMessage(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } finally {
            output.attach(null);
            cellEnded(count, store);
            Thread.interrupted(); // an interrupt meant for this cell must not reach the next one
            if (store) {
                history.add(count, code, resultText);
            }
            if (TIMING) {
                KERNEL_LOG.println("kiln: cell " + count + " took " + (System.nanoTime() - t0) / 1_000_000.0 + " ms in the kernel");
            }
            env.setStatusIdle();
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOk(getName(), getVersion(), getLanguageInfo(), getBanner(), getHelpLinks()));
        firstReplySent.countDown();
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new Replies.HistoryOk(history.lookup(message.getContent())));
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new Replies.InterruptOk());
        interrupt();
    }
}
