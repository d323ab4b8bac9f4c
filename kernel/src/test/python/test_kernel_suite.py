"""Jupyter's own kernel test suite against the installed 'kiln' kernel, every capability declared."""
import unittest

import jupyter_kernel_test as jkt


class KilnKernelTests(jkt.KernelTests):
    kernel_name = "kiln"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "String.valueO", "matches": {"valueOf("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "class Point { int x; }", "%help"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", 'String s = "a" +', "void f() {"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"kiln".length()', "result": "4"},
        {"code": "java.util.List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]

    code_display_data = [
        {"code": "display(new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
        {"code": 'display("shown now");', "mime": "text/plain"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_page_something = "Math.max?"

    code_clear_output = 'System.out.println("before"); clearOutput();'


if __name__ == "__main__":
    unittest.main()
