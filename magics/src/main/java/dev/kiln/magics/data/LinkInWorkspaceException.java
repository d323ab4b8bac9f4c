package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import java.util.List;

/**
 * A symbolic link where a checkout would write: in a dataset's directory (a version never holds
 * links) or on the way to it. Writing through it could put files anywhere, so nothing is written.
 */
public final class LinkInWorkspaceException extends UserError {

    private final List<String> links;

    /**
     * @param links   the links, relative to the project
     * @param targets where each points, in the same order
     */
    LinkInWorkspaceException(String dataset, String dir, List<String> links, List<String> targets) {
        super(message(dataset, dir, links, targets));
        this.links = List.copyOf(links);
    }

    private static String message(String dataset, String dir, List<String> links, List<String> targets) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(5, links.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(MalformedMetadataException.quoted(links.get(i))).append(" (→ ")
                    .append(MalformedMetadataException.quoted(targets.get(i))).append(')');
        }
        if (links.size() > 5) {
            b.append(" and ").append(links.size() - 5).append(" more");
        }
        return (links.size() == 1 ? "A symbolic link is" : links.size() + " symbolic links are") + " where dataset '"
                + dataset + "' is written: " + b + ". A version holds plain files and directories only, and writing "
                + "through a link could put files outside " + dir + ", so nothing was written. Remove "
                + (links.size() == 1 ? "the link" : "the links") + " and run it again.";
    }

    /** The links found, relative to the project. */
    public List<String> links() {
        return links;
    }
}
