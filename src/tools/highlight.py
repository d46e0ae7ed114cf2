#!/usr/bin/env python3
# highlight.py - syntax highlighting for `goref html`, by Pygments.
#
#   highlight.py LEXER=FILE ...   each FILE's lines as HTML, in order: one
#                                 line of output per line of the file (tabs
#                                 at 4), then a line holding only a NUL
#   highlight.py --css SELECTOR   the colour rules, scoped to SELECTOR
#
# The lexers are Pygments' own: go, cpp, nasm, and gas for Go's Plan 9
# assembly (notes/README.md says why).  goref runs this once per site.
import sys

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

STYLE = "default"


def main(args):
    if args[:1] == ["--css"]:
        sys.stdout.write(HtmlFormatter(style=STYLE).get_style_defs(args[1]))
        return 0
    for arg in args:
        name, path = arg.split("=", 1)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        lexer = get_lexer_by_name(name, tabsize=4, stripnl=False, ensurenl=True)
        sys.stdout.write(highlight(text, lexer, HtmlFormatter(style=STYLE, nowrap=True)))
        sys.stdout.write("\0\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
