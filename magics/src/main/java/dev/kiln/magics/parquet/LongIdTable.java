package dev.kiln.magics.parquet;

import java.util.Arrays;

/**
 * Dense ids (0, 1, 2…) for long keys in the order they are first seen: a flat open-addressing
 * table, no boxing, for the dictionaries of integer and timestamp columns.
 */
final class LongIdTable {

    /**
     * Slot {@code s} holds its key at {@code 2s} and its id at {@code 2s + 1} (-1 when empty): a
     * lookup reads one cache line, not one in a key array and another in an id array.
     */
    private long[] table = emptyTable(1024);
    private int mask = 1023;
    private long[] byId = new long[512];
    private int size;
    /** The last key looked up and its id: sorted or clustered columns (timestamps) repeat a key row after row. */
    private long lastKey;
    private int lastId = -1;

    /** The key's id; a new key gets the next one. */
    int id(long key) {
        if (key == lastKey && lastId >= 0) {
            return lastId;
        }
        long[] t = table;
        int slot = slot(key, mask);
        while (true) {
            int id = (int) t[2 * slot + 1];
            if (id < 0) {
                break;
            }
            if (t[2 * slot] == key) {
                lastKey = key;
                lastId = id;
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return add(key, slot);
    }

    /** A new key into the empty {@code slot}: apart, so that the lookup stays small enough to inline. */
    private int add(long key, int slot) {
        int id = size++;
        table[2 * slot] = key;
        table[2 * slot + 1] = id;
        if (id == byId.length) {
            byId = Arrays.copyOf(byId, id * 2);
        }
        byId[id] = key;
        lastKey = key;
        lastId = id;
        if (size * 2 > mask + 1) {
            grow();
        }
        return id;
    }

    long key(int id) {
        return byId[id];
    }

    int size() {
        return size;
    }

    void clear() {
        for (int s = 0; s <= mask; s++) {
            table[2 * s + 1] = -1;
        }
        size = 0;
        lastId = -1;
    }

    private static long[] emptyTable(int slots) {
        long[] t = new long[2 * slots];
        for (int s = 0; s < slots; s++) {
            t[2 * s + 1] = -1;
        }
        return t;
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private void grow() {
        int slots = 2 * (mask + 1);
        table = emptyTable(slots);
        mask = slots - 1;
        for (int id = 0; id < size; id++) {
            long key = byId[id];
            int slot = slot(key, mask);
            while (table[2 * slot + 1] >= 0) {
                slot = (slot + 1) & mask;
            }
            table[2 * slot] = key;
            table[2 * slot + 1] = id;
        }
    }
}
