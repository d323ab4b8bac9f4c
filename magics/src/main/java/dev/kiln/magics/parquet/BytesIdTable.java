package dev.kiln.magics.parquet;

import java.util.Arrays;

/**
 * Dense ids (0, 1, 2…) for byte strings in the order they are first seen, hashed and compared
 * straight from the caller's bytes: a new string is copied once, into one growing array.
 */
final class BytesIdTable {

    private int[] hashes = new int[1024];
    /** Slot to id, -1 when empty. */
    private int[] slots = new int[1024];
    private int[] starts = new int[512];
    private int[] lengths = new int[512];
    private byte[] bytes = new byte[1 << 14];
    private int used;
    private int size;

    BytesIdTable() {
        Arrays.fill(slots, -1);
    }

    /** The id of {@code b[off, off + len)}; a new string gets the next one. */
    int id(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        int mask = slots.length - 1;
        int slot = h & mask;
        while (true) {
            int id = slots[slot];
            if (id < 0) {
                break;
            }
            if (hashes[slot] == h && lengths[id] == len && Arrays.equals(bytes, starts[id], starts[id] + len, b, off, off + len)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == starts.length) {
            starts = Arrays.copyOf(starts, id * 2);
            lengths = Arrays.copyOf(lengths, id * 2);
        }
        if (used + len > bytes.length) {
            // a new array: strings already handed out (see array()) keep pointing at the old one
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
        }
        System.arraycopy(b, off, bytes, used, len);
        starts[id] = used;
        lengths[id] = len;
        used += len;
        hashes[slot] = h;
        slots[slot] = id;
        if (size * 2 > slots.length) {
            grow();
        }
        return id;
    }

    /** The array holding every string's bytes, at {@link #start} for {@link #length}. */
    byte[] array() {
        return bytes;
    }

    int start(int id) {
        return starts[id];
    }

    int length(int id) {
        return lengths[id];
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(slots, -1);
        // a fresh array, not overwritten: strings handed out before stay intact
        bytes = new byte[1 << 14];
        used = 0;
        size = 0;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = len;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private void grow() {
        int n = slots.length * 2;
        int[] oldHashes = hashes;
        int[] oldSlots = slots;
        hashes = new int[n];
        slots = new int[n];
        Arrays.fill(slots, -1);
        int mask = n - 1;
        for (int s = 0; s < oldSlots.length; s++) {
            int id = oldSlots[s];
            if (id >= 0) {
                int slot = oldHashes[s] & mask;
                while (slots[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[s];
                slots[slot] = id;
            }
        }
    }
}
