package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln export}: a copy of a notebook that carries its provenance in {@code metadata.kiln}, as
 * {@code .ipynb}, or as HTML / Markdown (Debian's {@code jupyter nbconvert}) with a readable
 * provenance block at the top.
 */
public final class NotebookExporter {

    public enum Format {
        HTML("html", ".html"), IPYNB("ipynb", ".ipynb"), MD("markdown", ".md");

        final String nbconvert;
        final String extension;

        Format(String nbconvert, String extension) {
            this.nbconvert = nbconvert;
            this.extension = extension;
        }

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "html" -> HTML;
                case "ipynb", "notebook" -> IPYNB;
                case "md", "markdown" -> MD;
                default -> throw new UserError("Unknown export format '" + s + "'. Use --to html, ipynb or md.");
            };
        }
    }

    /**
     * What an export wrote and what it found.
     *
     * @param secrets  secrets found in the notebook (see {@link NotebookSecrets})
     * @param redacted whether they were replaced in what was written
     */
    public record Exported(Path file, Format format, NotebookProvenance provenance, ObjectNode metadata,
                           List<NotebookSecrets.Finding> secrets, boolean redacted) {
    }

    /** An image nbconvert's Markdown names as a file of its own ({@code ![png](analysis_files/analysis_3_0.png)}). */
    private static final Pattern IMAGE_FILE = Pattern.compile("(!\\[[^\\]]*]\\()([^)\\s]+_files/[^)\\s]+\\.(png|jpe?g|svg|gif))\\)");

    private static final Pattern BODY = Pattern.compile("<body[^>]*>", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> env;

    /** @param env the environment nbconvert runs with (PATH, JUPYTER_PATH …) */
    public NotebookExporter(Map<String, String> env) {
        this.env = env;
    }

    /** @param redact replace the secrets user code printed (values of secret-named variables, known credentials) */
    public Exported export(Path notebook, Format format, Path out, String volatileTag, boolean redact) {
        ObjectNode nb = NotebookFile.read(notebook);
        NotebookSecrets secrets = new NotebookSecrets(env);
        List<NotebookSecrets.Finding> found = redact ? secrets.redact(nb) : secrets.find(nb);
        NotebookProvenance p = NotebookProvenance.of(nb, volatileTag);
        ObjectNode meta = p.toMetadata(NotebookProvenance.name(notebook), volatileTag);
        JsonNode parameters = nb.path("metadata").path("kiln").path(NotebookParameters.METADATA_KEY);
        if (!parameters.isMissingNode()) {
            meta.set(NotebookParameters.METADATA_KEY, parameters); // what kiln run injected: reproduce injects it again
        }
        ((ObjectNode) nb.with("metadata")).set("kiln", meta);
        if (out.toAbsolutePath().normalize().equals(notebook.toAbsolutePath().normalize()) && format != Format.IPYNB) {
            throw new UserError("The export would overwrite the notebook " + notebook + ". Choose another -o.");
        }
        switch (format) {
            case IPYNB -> NotebookFile.write(out, nb);
            case HTML -> {
                String html = nbconvert(nb, format, notebook);
                String block = ProvenanceBlock.html(meta, ProvenanceBlock.cellLabels(nb));
                Matcher m = BODY.matcher(html);
                html = m.find() ? html.substring(0, m.end()) + "\n" + block + html.substring(m.end()) : block + html;
                NotebookFile.writeString(out, html);
            }
            case MD -> NotebookFile.writeString(out, ProvenanceBlock.markdown(meta, ProvenanceBlock.cellLabels(nb)) + "\n" + nbconvert(nb, format, notebook));
        }
        return new Exported(out, format, p, meta, found, redact);
    }

    /** The default output: the notebook's name with the format's extension ({@code .export.ipynb} for ipynb). */
    public static Path defaultOutput(Path notebook, Format format) {
        String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
        return notebook.resolveSibling(name + (format == Format.IPYNB ? ".export" : "") + format.extension);
    }

    /** The Markdown with each image file it names as a data: URL, so the export is one file that shows its charts. */
    private static String inlineImages(String md, Path dir) throws IOException {
        Matcher m = IMAGE_FILE.matcher(md);
        StringBuilder out = new StringBuilder(md.length());
        while (m.find()) {
            Path image = dir.resolve(m.group(2)).normalize();
            if (!image.startsWith(dir) || !Files.isRegularFile(image)) {
                continue; // a link the notebook's own Markdown wrote: left as it is
            }
            String type = switch (m.group(3)) {
                case "svg" -> "image/svg+xml";
                case "jpg", "jpeg" -> "image/jpeg";
                default -> "image/" + m.group(3);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "data:" + type + ";base64,"
                    + Base64.getEncoder().encodeToString(Files.readAllBytes(image)) + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String nbconvert(JsonNode nb, Format format, Path notebook) {
        Path tmpDir = null;
        try {
            tmpDir = Files.createTempDirectory("kiln-export");
            Path in = tmpDir.resolve(notebook.getFileName().toString());
            Files.writeString(in, NotebookFile.toJson(nb), StandardCharsets.UTF_8);
            Path mdDir = tmpDir.resolve("markdown");
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "nbconvert", "--to", format.nbconvert,
                    "--log-level=ERROR"));
            if (format == Format.HTML) {
                cmd.add("--stdout");
                cmd.addAll(ExportPage.nbconvertArgs(nb, tmpDir));
            } else {
                cmd.add("--output-dir=" + mdDir); // its images are files there, named by the Markdown
            }
            cmd.add(in.toString());
            ProcessRun r = ProcessRun.run(cmd, env, tmpDir, 300);
            if (r.code() != 0) {
                throw new UserError("jupyter nbconvert could not export " + notebook + " to " + format.nbconvert + ": "
                        + r.tail() + ". Is Debian's jupyter-nbconvert installed (apt-get install jupyter-nbconvert)?");
            }
            if (format == Format.HTML) {
                return r.out();
            }
            String stem = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
            return inlineImages(Files.readString(mdDir.resolve(stem + ".md"), StandardCharsets.UTF_8), mdDir);
        } catch (IOException e) {
            throw new UserError("Could not run jupyter nbconvert for " + notebook + ": " + e.getMessage()
                    + ". Install Debian's jupyter-nbconvert.", e);
        } finally {
            ProcessRun.deleteTree(tmpDir);
        }
    }
}
