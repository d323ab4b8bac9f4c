package dev.kiln.kernel.display;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plain Java values as compact HTML: a list, set or array as a list (a table when its elements
 * are records or maps), a map as a table of keys and values, a record as its components, an
 * {@code Optional} as what it holds. Long ones are cut, saying how much was left out.
 */
final class JavaValues {

    /** Rows, items or entries shown before the rest is counted instead. */
    static final int ROWS = 50;
    /** Characters of one cell's text shown before the rest is counted instead. */
    static final int CHARS = 80;
    /** Columns of a table of maps shown; the keys after are counted instead. */
    static final int COLUMNS = 20;

    private JavaValues() {
    }

    /**
     * The value as HTML, or empty when it is not one of the shapes this knows, or reading it failed
     * (a collection whose iterator throws still shows as its text).
     */
    static Optional<String> html(Object value) {
        try {
            return shaped(value);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> shaped(Object value) {
        if (value instanceof Map<?, ?> map) {
            return Optional.of(map(map));
        }
        if (value instanceof Collection<?> c) {
            return Optional.of(sequence(new ArrayList<>(first(c.iterator(), ROWS)), c.size(), kind(c)));
        }
        if (value != null && value.getClass().isArray()) {
            int n = Array.getLength(value);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Math.min(n, ROWS); i++) {
                items.add(Array.get(value, i));
            }
            return Optional.of(sequence(items, n, value.getClass().getComponentType().getSimpleName() + "[]"));
        }
        if (value != null && value.getClass().isRecord()) {
            Map<String, Object> fields = components(value);
            return fields == null ? Optional.empty() : Optional.of(table(value.getClass().getSimpleName(),
                    List.of("component", "value"), fields.entrySet().stream().map(e -> List.<Object>of(e.getKey(), cell(e.getValue()))).toList(), 0));
        }
        if (value instanceof Optional<?> o) {
            return Optional.of(o.map(v -> "<div class=\"kiln-value\"><span class=\"kiln-muted\">Optional of</span> "
                    + html(v).orElse(Html.escape(shortText(v))) + "</div>")
                    .orElse("<div class=\"kiln-value kiln-muted\">Optional.empty</div>"));
        }
        return Optional.empty();
    }

    private static String kind(Collection<?> c) {
        return c instanceof Set<?> ? "Set" : c instanceof List<?> ? "List" : c.getClass().getSimpleName();
    }

    private static String sequence(List<Object> items, int size, String kind) {
        if (!items.isEmpty() && items.stream().allMatch(i -> i != null && i.getClass() == items.get(0).getClass()
                && i.getClass().isRecord())) {
            List<String> header = List.copyOf(components(items.get(0)).keySet());
            List<List<Object>> rows = new ArrayList<>();
            for (Object item : items) {
                Map<String, Object> c = components(item);
                rows.add(header.stream().<Object>map(h -> cell(c.get(h))).toList());
            }
            return table(kind + " of " + size + " " + items.get(0).getClass().getSimpleName(), header, rows, size - items.size());
        }
        if (!items.isEmpty() && items.stream().allMatch(i -> i instanceof Map<?, ?>)) {
            Set<String> keys = new LinkedHashSet<>();
            items.forEach(i -> ((Map<?, ?>) i).keySet().forEach(k -> keys.add(String.valueOf(k))));
            List<String> header = keys.stream().limit(COLUMNS).toList();
            List<List<Object>> rows = new ArrayList<>();
            for (Object item : items) {
                Map<String, Object> byName = new LinkedHashMap<>();
                ((Map<?, ?>) item).forEach((k, v) -> byName.put(String.valueOf(k), v));
                rows.add(header.stream().<Object>map(h -> byName.containsKey(h) ? cell(byName.get(h)) : "").toList());
            }
            String more = keys.size() > COLUMNS ? " (" + (keys.size() - COLUMNS) + " more keys not shown)" : "";
            return table(kind + " of " + size + " maps" + more, header, rows, size - items.size());
        }
        StringBuilder b = new StringBuilder("<div class=\"kiln-value\"><span class=\"kiln-muted\">")
                .append(Html.escape(kind)).append(" of ").append(ProgressText.count(size, "item")).append("</span><ol start=\"0\">");
        for (Object item : items) {
            b.append("<li>").append(Html.escape(shortText(item))).append("</li>");
        }
        b.append("</ol>");
        if (size > items.size()) {
            b.append("<div class=\"kiln-muted\">… and ").append(ProgressText.count(size - items.size(), "more item")).append("</div>");
        }
        return b.append("</div>").toString();
    }

    private static String map(Map<?, ?> map) {
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<?, ?> e : first(map.entrySet().iterator(), ROWS)) {
            rows.add(List.of(cell(e.getKey()), cell(e.getValue())));
        }
        return table("Map of " + ProgressText.count(map.size(), "entry"), List.of("key", "value"), rows, map.size() - rows.size());
    }

    private static String table(String caption, List<String> header, List<List<Object>> rows, int leftOut) {
        StringBuilder b = new StringBuilder("<table class=\"kiln-value\"><caption>").append(Html.escape(caption))
                .append("</caption><thead><tr>");
        header.forEach(h -> b.append("<th>").append(Html.escape(h)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (List<Object> row : rows) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td>").append(Html.escape(String.valueOf(c))).append("</td>"));
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        if (leftOut > 0) {
            b.append("<div class=\"kiln-muted\">… and ").append(ProgressText.count(leftOut, "more row")).append("</div>");
        }
        return b.toString();
    }

    /** A record's components by name, or null when they cannot be read (a record of a closed module). */
    private static Map<String, Object> components(Object record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            try {
                var accessor = rc.getAccessor();
                accessor.setAccessible(true);
                out.put(rc.getName(), accessor.invoke(record));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return out;
    }

    private static String cell(Object v) {
        return shortText(v);
    }

    static String shortText(Object v) {
        String s;
        try {
            s = v != null && v.getClass().isArray() ? arrayText(v) : String.valueOf(v);
        } catch (RuntimeException e) {
            s = v.getClass().getName() + " (its toString failed: " + e + ")";
        }
        s = s.replace('\n', ' ');
        return s.length() <= CHARS ? s : s.substring(0, CHARS) + "… (" + String.format(Locale.ROOT, "%,d", s.length() - CHARS) + " more)";
    }

    private static String arrayText(Object array) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0, n = Array.getLength(array); i < n && b.length() <= CHARS; i++) {
            b.append(i == 0 ? "" : ", ").append(Array.get(array, i));
        }
        return b.append(']').toString();
    }

    private static <T> List<T> first(Iterator<T> it, int n) {
        List<T> out = new ArrayList<>();
        while (it.hasNext() && out.size() < n) {
            out.add(it.next());
        }
        return out;
    }
}
