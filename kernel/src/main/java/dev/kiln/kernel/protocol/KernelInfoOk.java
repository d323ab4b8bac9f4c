package dev.kiln.kernel.protocol;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * kernel_info_reply with {@code "status": "ok"}, which the protocol requires and jjava omits
 * (Jupyter's kernel test suite, JupyterLab 1.x and nbval fail without it).
 */
public final class KernelInfoOk extends KernelInfoReply {

    @SuppressWarnings("unused") // serialized by gson
    private final String status = "ok";

    public KernelInfoOk(String implementation, String version, LanguageInfo language, String banner, List<HelpLink> links) {
        super("5.3", implementation, version, language, banner, links);
    }
}
