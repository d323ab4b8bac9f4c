package dev.kiln.magics.parquet;

import java.util.Arrays;

/**
 * Dense ids (0, 1, 2…) for long keys in the order they are first seen: a flat open-addressing
 * table, no boxing, for the dictionaries of integer and timestamp columns.
 */
final class LongIdTable {

    private long[] keys = new long[1024];
    /** Slot to id, -1 when empty. */
    private int[] slots = new int[1024];
    private long[] byId = new long[512];
    private int size;

    LongIdTable() {
        Arrays.fill(slots, -1);
    }

    /** The key's id; a new key gets the next one. */
    int id(long key) {
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (true) {
            int id = slots[slot];
            if (id < 0) {
                break;
            }
            if (keys[slot] == key) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return add(key, slot);
    }

    /** A new key into the empty {@code slot}: apart, so that the lookup stays small enough to inline. */
    private int add(long key, int slot) {
        int id = size++;
        keys[slot] = key;
        slots[slot] = id;
        if (id == byId.length) {
            byId = Arrays.copyOf(byId, id * 2);
        }
        byId[id] = key;
        if (size * 2 > keys.length) {
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
        Arrays.fill(slots, -1);
        size = 0;
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private void grow() {
        keys = new long[keys.length * 2];
        slots = new int[keys.length];
        Arrays.fill(slots, -1);
        int mask = keys.length - 1;
        for (int id = 0; id < size; id++) {
            long key = byId[id];
            int slot = slot(key, mask);
            while (slots[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            slots[slot] = id;
        }
    }
}
