package dev.kiln.kernel;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * The cells run in this kernel session, for Jupyter's history requests (tail, range and search
 * with glob patterns, as IPython answers them).
 */
final class SessionHistory implements HistoryManager {

    /** Jupyter numbers sessions; this kernel keeps one, so it is always the first. */
    static final int SESSION = 1;

    private record Cell(int number, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
    }

    /** The cells a history request asks for: its tail, a range, or a search. */
    List<HistoryEntry> lookup(HistoryRequest request) {
        Set<ResultFlag> flags = request.includeOutput() ? EnumSet.of(ResultFlag.INCLUDE_OUTPUT) : EnumSet.noneOf(ResultFlag.class);
        return switch (request.getAccessType()) {
            case TAIL -> lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                yield search(s.getPattern(), s.getMaxReturnLength(), s.filterUnique(), flags);
            }
        };
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int n, Set<ResultFlag> flags) {
        int from = Math.max(0, cells.size() - Math.max(0, n));
        return entries(cells.subList(from, cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<Cell> picked = new ArrayList<>();
        if (session == SESSION || session == 0) {
            for (Cell c : cells) {
                if (c.number >= start && (stop <= 0 || c.number < stop)) {
                    picked.add(c);
                }
            }
        }
        return entries(picked, flags);
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int n, Set<ResultFlag> flags) {
        return search(glob, n, false, flags);
    }

    synchronized List<HistoryEntry> search(String glob, int n, boolean unique, Set<ResultFlag> flags) {
        Pattern p = Pattern.compile(globToRegex(glob == null || glob.isEmpty() ? "*" : glob), Pattern.DOTALL);
        List<Cell> matched = new ArrayList<>();
        for (Cell c : cells) {
            if (p.matcher(c.input).matches()) {
                matched.add(c);
            }
        }
        if (unique) {
            Map<String, Cell> last = new LinkedHashMap<>();
            for (Cell c : matched) {
                last.remove(c.input);
                last.put(c.input, c);
            }
            matched = new ArrayList<>(last.values());
        }
        if (n > 0 && matched.size() > n) {
            matched = matched.subList(matched.size() - n, matched.size());
        }
        return entries(matched, flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> out = new ArrayList<>(cells.size());
        for (Cell c : cells) {
            out.add(new HistoryEntry(SESSION, c.number, c.input, output ? c.output : null));
        }
        return out;
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return re.toString();
    }
}
