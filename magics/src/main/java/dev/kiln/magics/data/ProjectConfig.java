package dev.kiln.magics.data;

import dev.kiln.magics.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data:} section of {@code kiln.yaml}: the remotes and the default one. Other sections
 * of the file belong to other commands and are kept as they are.
 * <pre>
 * data:
 *   remote: team
 *   remotes:
 *     team: {url: s3://lab-data/projects/traffic, endpoint: http://127.0.0.1:9000}
 * </pre>
 */
public final class ProjectConfig {

    public static final String NAME = "kiln.yaml";
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path file;
    private final ObjectNode root;

    private ProjectConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    public static ProjectConfig read(Path projectDir) {
        Path f = projectDir.resolve(NAME);
        if (!Files.exists(f)) {
            return new ProjectConfig(f, JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode n = YAML.readTree(f.toFile());
            if (n == null || n.isMissingNode() || n.isNull()) {
                return new ProjectConfig(f, JsonNodeFactory.instance.objectNode());
            }
            if (!n.isObject()) {
                throw new UserError(f + " is not a YAML mapping. Fix it by hand or remove it.");
            }
            return new ProjectConfig(f, (ObjectNode) n);
        } catch (IOException e) {
            throw new UserError(f + " is not valid YAML (" + e.getMessage() + "). Fix it by hand.");
        }
    }

    private ObjectNode data() {
        JsonNode d = root.get("data");
        return d instanceof ObjectNode o ? o : root.putObject("data");
    }

    public Map<String, RemoteConfig> remotes() {
        Map<String, RemoteConfig> m = new LinkedHashMap<>();
        JsonNode rs = root.path("data").path("remotes");
        for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            m.put(e.getKey(), new RemoteConfig(e.getKey(), r.path("url").asText(),
                    text(r, "endpoint"), text(r, "region"), text(r, "profile"),
                    r.has("path_style") ? r.get("path_style").asBoolean() : null));
        }
        return m;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The default remote's name, or {@code null}. */
    public String defaultRemote() {
        JsonNode d = root.path("data").get("remote");
        return d == null || d.isNull() ? null : d.asText();
    }

    public void putRemote(RemoteConfig r, boolean makeDefault) {
        ObjectNode rs = data().has("remotes") && data().get("remotes").isObject()
                ? (ObjectNode) data().get("remotes") : data().putObject("remotes");
        ObjectNode n = rs.putObject(r.name());
        n.put("url", r.url());
        if (r.endpoint() != null) {
            n.put("endpoint", r.endpoint());
        }
        if (r.region() != null) {
            n.put("region", r.region());
        }
        if (r.profile() != null) {
            n.put("profile", r.profile());
        }
        if (r.pathStyle() != null) {
            n.put("path_style", r.pathStyle());
        }
        if (makeDefault || defaultRemote() == null) {
            data().put("remote", r.name());
        }
    }

    public void write() {
        try {
            AtomicFiles.write(file, null, out -> YAML.writeValue(out, root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
