#!/usr/bin/env python3
# notes_html.py - the notes as pages of `make html`'s site.
#
#   notes_html.py SITE MMDC
#
# Renders README.md to SITE/README.html, notes/*.md to SITE/notes/*.html and
# their Simplified Chinese translations, notes/zh/*.md, to
# SITE/notes/zh/*.html; puts the start-here walk (notes/start_here.md) at
# the top of SITE/index.html, and its translation at the top of a copy,
# SITE/index.zh.html.  Run after `goref html SITE`, whose explains.tsv says
# which side-by-side pages each note section explains.
#
# The Markdown library is Python-Markdown (Debian's python3-markdown): it
# is the one whose extensions do all of what the notes need -- fenced code
# highlighted by Pygments (codehilite, the same highlighter the side-by-side
# pages use), GitHub's tables, and heading ids from a slug function we give
# it (toc), so that the anchors goref writes, GitHub's, are the ids here.
# Mistune would need its own plugins for the ids and the highlighting.
#
# Each ```mermaid block is drawn to SVG by the pinned Mermaid CLI (MMDC,
# tests/npm), driving Debian's Chromium; `<!-- diagram: NOTE N -->` puts the
# N-th diagram of NOTE in another page (the start-here walk, a translation)
# without a second copy of its source.
import glob
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import markdown
from pygments.formatters import HtmlFormatter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MERMAID = re.compile(r"^```mermaid\n(.*?)^```\n", re.S | re.M)
INCLUDE = re.compile(r"<!-- diagram: ([\w/.]+\.md) (\d+) -->")
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(r"([%s])\n([%s])" % (CJK, CJK))

CSS = """
body{font:16px/1.55 sans-serif;margin:1em auto;padding:0 1.5em;color:#222;max-width:52em}
nav{display:flex;gap:1.2em;flex-wrap:wrap;margin-bottom:.8em;font-size:15px}
nav .lang{margin-left:auto}
a{color:#1a55a0;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:1.6em}h3{font-size:1.1em}
:target{background:#fff3d6}
code{font:.9em monospace;background:#f4f4f4;padding:0 .2em;overflow-wrap:anywhere}
pre{overflow-x:auto;background:#f7f7f7;padding:.6em .8em;font:13px/1.4 monospace}
pre code{background:none;padding:0;overflow-wrap:normal}
table{border-collapse:collapse;display:block;overflow-x:auto;font-size:14px}
td,th{border:1px solid #ddd;padding:.2em .5em;vertical-align:top}
figure.diagram{margin:1em 0;overflow-x:auto}figure.diagram img{max-width:100%;height:auto}
p.sxs{font-size:14px;margin:.2em 0 .6em;color:#555}
p.sxs a{font-family:monospace}
img{max-width:100%}
"""


def slug(text):
    """GitHub's heading anchors, as goref's slug(): lower case, punctuation
    dropped, spaces to '-'."""
    out = []
    for c in text.lower():
        if c.isalnum() or c in "_-" or ord(c) > 127:
            out.append(c)
        elif c == " ":
            out.append("-")
    return "".join(out)


def sources():
    """(markdown path, page path), repository- and site-relative."""
    out = [("README.md", "README.html")]
    for path in sorted(glob.glob(os.path.join(ROOT, "notes", "*.md"))):
        name = os.path.relpath(path, ROOT)
        out.append((name, name[:-3] + ".html"))
    for path in sorted(glob.glob(os.path.join(ROOT, "notes", "zh", "*.md"))):
        name = os.path.relpath(path, ROOT)
        out.append((name, name[:-3] + ".html"))
    return out


class Diagrams:
    """Each diagram drawn once, named by a hash of its source."""

    def __init__(self, site, mmdc):
        self.dir = os.path.join(site, "notes", "diagrams")
        os.makedirs(self.dir, exist_ok=True)
        self.mmdc = mmdc
        self.tmp = tempfile.mkdtemp()
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        self.config = os.path.join(self.tmp, "puppeteer.json")
        with open(self.config, "w") as f:
            # Debian's Chromium, never a downloaded one; no sandbox for root.
            json.dump({"executablePath": chromium or "chromium",
                       "args": ["--no-sandbox", "--disable-gpu"]}, f)

    def draw(self, src):
        """The SVG's path, site-relative."""
        name = hashlib.sha1(src.encode()).hexdigest()[:12] + ".svg"
        svg = os.path.join(self.dir, name)
        if not os.path.exists(svg):
            mmd = os.path.join(self.tmp, name + ".mmd")
            with open(mmd, "w", encoding="utf-8") as f:
                f.write(src)
            run = subprocess.run([self.mmdc, "-p", self.config, "-i", mmd, "-o", svg, "-q"],
                                 capture_output=True, text=True, timeout=180)
            if run.returncode != 0 or not os.path.exists(svg):
                raise SystemExit("notes_html: Mermaid could not draw a diagram:\n" +
                                 (run.stderr or run.stdout)[-1500:])
        return "notes/diagrams/" + name


def diagrams_of(md):
    with open(os.path.join(ROOT, md), encoding="utf-8") as f:
        return [m.group(1) for m in MERMAID.finditer(f.read())]


def figure(svg, src, page):
    first = src.strip().splitlines()[0]
    kind = "state diagram" if first.startswith("state") else "sequence diagram"
    return ('\n<figure class=diagram><img src="%s" alt="%s"></figure>\n' %
            (os.path.relpath(svg, os.path.dirname(page) or "."), kind))


def link_target(md, page, href, pages):
    """Where a link of md leads once md is page, site-relative to page."""
    if re.match(r"^[a-z]+:", href) or href.startswith("#"):
        return href
    path, hashmark, frag = href.partition("#")
    repo = os.path.normpath(os.path.join(os.path.dirname(md), path))
    here = os.path.join(SITE, os.path.dirname(page))
    if repo in pages:
        target = os.path.join(SITE, pages[repo])
    elif repo.startswith("build/html/"):
        target = os.path.join(SITE, repo[len("build/html/"):])
    else:  # a file of the repository: from the site, where it really is
        target = os.path.join(ROOT, repo)
    return os.path.relpath(target, here).replace(os.sep, "/") + hashmark + frag


def render(md, page, pages, explains, draw, lang):
    """md's HTML body, for the site-relative page."""
    with open(os.path.join(ROOT, md), encoding="utf-8") as f:
        text = f.read()
    text = MERMAID.sub(lambda m: figure(draw(m.group(1)), m.group(1), page), text)
    if lang == "zh":  # a line break inside Chinese text is no space
        text = CJK_BREAK.sub(r"\1\2", text)

    def include(m):
        srcs = diagrams_of(os.path.normpath(os.path.join(os.path.dirname(md), m.group(1))))
        n = int(m.group(2))
        if n < 1 or n > len(srcs):
            raise SystemExit("notes_html: %s asks for diagram %d of %s, which has %d" %
                             (md, n, m.group(1), len(srcs)))
        return figure(draw(srcs[n - 1]), srcs[n - 1], page)

    text = INCLUDE.sub(include, text)
    conv = markdown.Markdown(
        extensions=["fenced_code", "codehilite", "tables", "toc", "sane_lists", "attr_list"],
        extension_configs={"codehilite": {"css_class": "hl", "guess_lang": False},
                           "toc": {"slugify": lambda value, sep: slug(value)}})
    body = conv.convert(text)
    body = re.sub(r'href="([^"]+)"',
                  lambda m: 'href="%s"' % html.escape(
                      link_target(md, page, html.unescape(m.group(1)), pages)), body)
    body = re.sub(r'src="((?!notes/diagrams|\.\./diagrams|diagrams/)[^":]+)"',
                  lambda m: 'src="%s"' % link_target(md, page, m.group(1), pages), body)
    # Under a section that explains functions, their side-by-side pages.
    note = os.path.basename(md)
    here = os.path.dirname(page) or "."

    def sxs(m):
        ids = explains.get((note, m.group(2)), [])
        if not ids or note == "start_here.md":  # the walk links its pages itself
            return m.group(0)
        label = "逐行对照：" if lang == "zh" else "side by side:"
        links = " ".join('<a href="%s">%s</a>' % (os.path.relpath(i + ".html", here), html.escape(n))
                         for i, n in ids)
        return m.group(0) + '\n<p class=sxs>%s %s</p>' % (label, links)

    body = re.sub(r'(<h[23] id="([^"]+)">.*?</h[23]>)', sxs, body)
    return body


def switch(page, other, lang):
    """The language switch: the same page in the other language."""
    if other is None:
        return ""
    href = os.path.relpath(other, os.path.dirname(page) or ".")
    return '<a class=lang href="%s" hreflang=%s>%s</a>' % (
        href, "en" if lang == "zh" else "zh-Hans", "English" if lang == "zh" else "中文")


def counterpart(page, all_pages):
    """The other language's page, or None."""
    if page == "index.html":
        return "index.zh.html"
    if page == "index.zh.html":
        return "index.html"
    if page.startswith("notes/zh/"):
        en = "notes/" + page[len("notes/zh/"):]
        return en if en in all_pages else None
    if page.startswith("notes/"):
        zh = "notes/zh/" + page[len("notes/"):]
        return zh if zh in all_pages else None
    return None


def main(argv):
    global SITE
    if len(argv) != 3:
        print("usage: notes_html.py SITE MMDC")
        return 2
    site, mmdc = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    SITE = site
    explains = {}
    with open(os.path.join(site, "explains.tsv"), encoding="utf-8") as f:
        for line in f:
            note, anchor, pid, name = line.rstrip("\n").split("\t")
            explains.setdefault((note, anchor), []).append((pid, name))
    src = sources()
    pages = dict(src)
    all_pages = set(pages.values()) | {"index.html", "index.zh.html"}
    draw = Diagrams(site, mmdc).draw
    code_css = HtmlFormatter(style="default").get_style_defs(".hl")
    for md, page in src:
        lang = "zh" if md.startswith("notes/zh/") else "en"
        body = render(md, page, pages, explains, draw, lang)
        title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        title = re.sub("<[^>]+>", "", title.group(1)) if title else md
        up = os.path.relpath("index.html", os.path.dirname(page) or ".")
        start = up + "#start-here" if lang == "en" else os.path.relpath(
            "index.zh.html", os.path.dirname(page) or ".") + "#start-here"
        nav = ('<nav><a href="%s">%s</a><a href="%s">%s</a><a href="%s">%s</a>%s</nav>' %
               (up if lang == "en" else up.replace("index.html", "index.zh.html"),
                "索引" if lang == "zh" else "index", start, "从这里开始" if lang == "zh" else "start here",
                os.path.relpath("notes/README.html", os.path.dirname(page) or "."),
                "笔记" if lang == "zh" else "notes", switch(page, counterpart(page, all_pages), lang)))
        out = os.path.join(site, page)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write("<!doctype html><html lang=%s><meta charset=utf-8><meta name=viewport "
                    "content='width=device-width'><title>%s — netpoll-asm</title><style>%s%s"
                    "</style>%s<main>%s</main>" %
                    ("zh-Hans" if lang == "zh" else "en", html.escape(title), CSS, code_css, nav, body))
    # The index's top: the walk, in each language, rendered for the index's place.
    index = os.path.join(site, "index.html")
    with open(index, encoding="utf-8") as f:
        idx = f.read()
    for lang, md, out in (("en", "notes/start_here.md", "index.html"),
                          ("zh", "notes/zh/start_here.md", "index.zh.html")):
        if md not in pages:
            continue
        body = render(md, out, pages, explains, draw, lang)
        # One level down: the walk is the first section of the index.
        body = re.sub(r"<(/?)h([1-5])\b", lambda m: "<%sh%d" % (m.group(1), int(m.group(2)) + 1), body)
        text = idx.replace("<!-- start-here -->",
                           '<section id=start-here class=walk><style>%s.walk figure img{max-width:'
                           '100%%}.walk{max-width:60em}</style>%s</section>' % (code_css, body), 1)
        text = text.replace("<!-- lang -->", "<nav>%s</nav>" % switch(out, counterpart(out, all_pages), lang), 1)
        if lang == "zh":
            text = text.replace("<html lang=en>", "<html lang=zh-Hans>", 1)
            text = re.sub(r"<h1>netpoll-asm beside Go ([^<]*)</h1>", r"<h1>netpoll-asm 与 Go \1 逐行对照</h1>", text, 1)
            text = text.replace("<h2 id=index>Every function, by layer</h2>",
                                "<h2 id=index>所有函数，按层排列（Every function, by layer）</h2>", 1)
        with open(os.path.join(site, out), "w", encoding="utf-8") as f:
            f.write(text)
    # The language switch on every side-by-side page: the index in the other.
    for path in glob.glob(os.path.join(site, "*.html")):
        name = os.path.basename(path)
        if name in ("index.html", "index.zh.html", "README.html"):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "<!-- lang -->" in text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("<!-- lang -->", '<nav><a class=lang href="index.zh.html" '
                                     'hreflang=zh-Hans>中文</a></nav>', 1))
    print("notes_html: %d notes in %s/notes/, diagrams in %s/notes/diagrams/" %
          (len(src) - 1, site, site))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
