package dev.kiln.magics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one HTML escape, used by every result, the kernel's progress bars, exports and the sidecar's pages. */
class HtmlTest {

    @Test
    void markupCharactersAreEscapedAndTextStays() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; Zürich 東京 🚀",
                Html.escape("<script>alert(\"x\" & 'y')</script> Zürich 東京 🚀"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void controlCharactersBecomeVisibleEscapesButLineBreaksAndTabsStay() {
        assertEquals("a\\u0000b\\u001bc\\u007fd\ne\tf\rg", Html.escape("a\u0000b\u001bc\u007fd\ne\tf\rg"));
    }
}
