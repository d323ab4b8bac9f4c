package dev.kiln.magics.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Dense ids (0, 1, 2…) for byte strings in the order they are first seen, hashed and compared
 * straight from the caller's bytes, eight at a time: a new string is copied once, into one
 * growing array.
 */
final class BytesIdTable {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** Slot to its string's first eight bytes (fewer, zero-padded, for a shorter one): most strings compare on this alone. */
    private long[] heads = new long[1024];
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
        long head = head(b, off, len);
        int mask = slots.length - 1;
        int slot = hash(head, b, off, len) & mask;
        while (true) {
            int id = slots[slot];
            if (id < 0) {
                break;
            }
            if (heads[slot] == head && lengths[id] == len
                    && (len <= 8 || Arrays.equals(bytes, starts[id] + 8, starts[id] + len, b, off + 8, off + len))) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return add(head, slot, b, off, len);
    }

    /** A new string into the empty {@code slot}: apart, so that the lookup stays small enough to inline. */
    private int add(long head, int slot, byte[] b, int off, int len) {
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
        heads[slot] = head;
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

    /** The first eight bytes of {@code b[off, off + len)} as a little-endian long, zero-padded. */
    private static long head(byte[] b, int off, int len) {
        if (len >= 8) {
            return (long) LONGS.get(b, off);
        }
        if (off + 8 <= b.length) {
            return (long) LONGS.get(b, off) & ((1L << (len << 3)) - 1);
        }
        long h = 0;
        for (int i = len - 1; i >= 0; i--) {
            h = (h << 8) | (b[off + i] & 0xff);
        }
        return h;
    }

    private static int hash(long head, byte[] b, int off, int len) {
        long h = (head ^ len) * MIX;
        int end = off + len;
        int i = off + 8;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * MIX;
        }
        if (i < end) {
            h = (h ^ head(b, i, end - i)) * MIX;
        }
        return (int) (h >>> 32) ^ (int) h;
    }

    private void grow() {
        int n = slots.length * 2;
        heads = new long[n];
        slots = new int[n];
        Arrays.fill(slots, -1);
        int mask = n - 1;
        for (int id = 0; id < size; id++) {
            long head = head(bytes, starts[id], lengths[id]);
            int slot = hash(head, bytes, starts[id], lengths[id]) & mask;
            while (slots[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            heads[slot] = head;
            slots[slot] = id;
        }
    }
}
