package dev.kiln.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JavaValuesTest {

    record Station(String id, double tmax) {
    }

    private static final Renderers RENDERERS = Renderers.on(JavaValuesTest.class.getClassLoader());

    private static String html(Object value) {
        return (String) RENDERERS.render(value, String.valueOf(value)).data().get("text/html");
    }

    private static List<String> cells(String html, String tag) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void aListOfRecordsIsATableWithAColumnPerComponent() {
        String html = html(List.of(new Station("SEA", 12.5), new Station("<b>PDX</b>", 15.0)));

        assertEquals(List.of("id", "tmax"), cells(html, "th"));
        assertEquals(List.of("SEA", "12.5", "&lt;b&gt;PDX&lt;/b&gt;", "15.0"), cells(html, "td"));
        assertEquals(List.of("List of 2 Station"), cells(html, "caption"));
    }

    @Test
    void aListOfMapsIsATableOfTheirKeys() {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("city", "Seattle"));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("city", "Portland");
        b.put("rain", 3);

        String html = html(List.of(a, b));

        assertEquals(List.of("city", "rain"), cells(html, "th"));
        assertEquals(List.of("Seattle", "", "Portland", "3"), cells(html, "td"));
    }

    @Test
    void aMapIsAKeyValueTableCutAfterFiftyEntriesSayingHowManyAreLeft() {
        Map<Integer, String> squares = new TreeMap<>();
        IntStream.range(0, 1_234).forEach(i -> squares.put(i, "n" + i * i));

        String html = html(squares);

        assertEquals(List.of("key", "value"), cells(html, "th"));
        assertEquals(100, cells(html, "td").size());
        assertEquals(List.of("49", "n2401"), cells(html, "td").subList(98, 100));
        assertTrue(html.contains("… and 1,184 more rows"), html);
        assertEquals(List.of("Map of 1,234 entries"), cells(html, "caption"));
    }

    @Test
    void listsSetsAndArraysAreNumberedItemsAndLongTextIsCut() {
        String list = html(List.of("a", "x".repeat(100)));
        String array = html(new int[] {3, 1, 2});

        assertEquals(List.of("a", "x".repeat(80) + "… (20 more)"), cells(list, "li"));
        assertEquals(List.of("3", "1", "2"), cells(array, "li"));
        assertTrue(array.contains("int[] of 3 items"), array);
    }

    @Test
    void aRecordShowsItsComponentsAndAnOptionalWhatItHolds() {
        String record = html(new Station("SEA", 12.5));
        String present = html(Optional.of(List.of(1)));
        String empty = html(Optional.empty());

        assertEquals(List.of("id", "SEA", "tmax", "12.5"), cells(record, "td"));
        assertEquals(List.of("1"), cells(present, "li"));
        assertTrue(empty.contains("Optional.empty"), empty);
    }

    @Test
    void otherValuesKeepTheirTextOnly() {
        assertEquals(Map.of("text/plain", "42"), RENDERERS.render(42, "42").data());
        assertEquals(Map.of("text/plain", "\"s\""), RENDERERS.render("s", "\"s\"").data());
    }

    @Test
    void aCollectionThatFailsWhenReadKeepsItsTextAndBreaksNothing() {
        java.util.AbstractList<String> broken = new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                throw new IllegalStateException("not loaded");
            }

            @Override
            public int size() {
                return 3;
            }
        };

        assertEquals(Map.of("text/plain", "[…]"), RENDERERS.render(broken, "[…]").data());
    }
}
