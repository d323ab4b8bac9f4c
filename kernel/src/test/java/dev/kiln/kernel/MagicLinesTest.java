package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Completion and inspection see the cell with magic lines blanked, every offset where it was. */
class MagicLinesTest {

    @Test
    void magicLinesBecomeSpacesAndOffsetsStay() {
        String cell = "\n%maven a:b:1\nMath.ma";
        String java = CellParser.blankMagicLines(cell);
        assertEquals(cell.length(), java.length());
        assertEquals("\n" + " ".repeat(12) + "\nMath.ma", java);
        assertEquals(cell.indexOf("Math"), java.indexOf("Math"));
    }

    @Test
    void codeWithoutMagicsIsUnchanged() {
        String cell = "int x = 1;\n\nx % 2";
        assertEquals(cell, CellParser.blankMagicLines(cell));
    }
}
