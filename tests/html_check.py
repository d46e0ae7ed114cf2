#!/usr/bin/env python3
# html_check.py - `make html-check`: every page of `make html`, loaded in a
# real browser (headless Chromium) at 1280 px, must show everything.
#
#   html_check.py SITE SHOTS
#
# Fails on a page that scrolls sideways, a row of code taller than one
# line, a code cell cut without its '…' (or cut even with "wrap long lines"
# on), a heading or gutter cut by its pane, a link or anchor that leads
# nowhere, or a page without highlighting.  Saves screenshots of the netpoll, netpollblock and
# epollwait pages in SHOTS for a person to look at.
#
# The browser part is one Chromium run: a harness page loads each page in
# turn into a 1280 px frame, measures it, and writes what it found into its
# own DOM, which --dump-dom prints.  Links that leave the page (to another
# page, to a note's section) are checked here, against the files.
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

WIDTH = 1280

HARNESS = r"""<!doctype html><meta charset=utf-8><body>
<iframe id=f style="width:%(w)dpx;height:900px;border:0"></iframe>
<pre id=out></pre>
<script>
const pages = %(pages)s;
const results = {};
let i = 0;
const f = document.getElementById('f');
function check(name) {
  const d = f.contentDocument, e = d.documentElement, out = [];
  if (e.scrollWidth > e.clientWidth + 1)
    out.push('the page scrolls sideways: ' + e.scrollWidth + ' px wide in ' + e.clientWidth);
  for (const td of d.querySelectorAll('th, td.n, td.cite')) {
    if (td.scrollWidth > td.clientWidth + 1) {
      out.push('cut by its pane (' + td.scrollWidth + ' px in ' + td.clientWidth + '): ' +
               td.textContent.slice(0, 80));
      break;
    }
  }
  // Every row is one row: no row of code is taller than one line, and a
  // code cell that does not fit is marked cut ('…', text-overflow).
  const rows = d.querySelectorAll('table.sxs tr:not(:first-child)');
  for (const tr of rows) {
    const td = tr.querySelector('td.our') || tr.querySelector('td.go');
    const line = parseFloat(f.contentWindow.getComputedStyle(td).lineHeight);
    if (tr.getBoundingClientRect().height > line * 1.5) {
      out.push('a row wraps (' + Math.round(tr.getBoundingClientRect().height) + ' px for a ' +
               line + ' px line): ' + tr.textContent.slice(0, 80));
      break;
    }
  }
  for (const td of d.querySelectorAll('td.go, td.our')) {
    if (td.scrollWidth > td.clientWidth + 1 &&
        f.contentWindow.getComputedStyle(td).textOverflow != 'ellipsis') {
      out.push('cut with no mark: ' + td.textContent.slice(0, 80));
      break;
    }
  }
  // Nothing is lost: with "wrap long lines" on, every cell shows all of it.
  const wrap = d.getElementById('wrap');
  if (wrap) {
    wrap.checked = true;
    for (const td of d.querySelectorAll('td.go, td.our')) {
      if (td.scrollWidth > td.clientWidth + 1) {
        out.push('cut even wrapped (' + td.scrollWidth + ' px in ' + td.clientWidth + '): ' +
                 td.textContent.slice(0, 80));
        break;
      }
    }
    wrap.checked = false;
  } else if (rows.length) {
    out.push('no "wrap long lines" switch');
  }
  for (const a of d.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!d.getElementById(id)) out.push('anchor to nothing: #' + id);
  }
  const go = d.querySelectorAll('td.go span[class]').length;
  const ours = d.querySelectorAll('td.our span[class]').length;
  if (name != 'index.html' && (go == 0 || ours == 0))
    out.push('no highlighting (' + go + ' Go tokens, ' + ours + ' of ours)');
  const links = [];
  for (const a of d.querySelectorAll('a[href]')) links.push(a.getAttribute('href'));
  results[name] = {problems: out, links: links};
}
function next() {
  if (i == pages.length) {
    document.getElementById('out').textContent = 'RESULTS' + JSON.stringify(results) + 'END';
    return;
  }
  f.onload = () => { check(pages[i]); i++; next(); };
  f.src = pages[i];
}
next();
</script>"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_args(exe):
    # No sandbox: CI runs as root, where Chromium refuses to start with one.
    return [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--allow-file-access-from-files", "--disable-dev-shm-usage"]


def heading_slugs(md):
    """GitHub's anchors for a Markdown file's headings."""
    out = set()
    with open(md, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^#{1,6} (.*)", line)
            if m:
                s = "".join(c for c in m.group(1).lower() if c.isalnum() or c in "_- " or ord(c) > 127)
                out.add(s.replace(" ", "-"))
    return out


def check_link(site, page, href):
    """Why a link on page leads nowhere, or None."""
    if href.startswith("#"):
        return None  # checked in the browser
    if href.startswith("https://"):
        # Go's source browser, at the release our citations name.
        if not re.match(r"^https://cs\.opensource\.google/go/go/\+/refs/tags/go1\.19\.8:src/"
                        r"[\w/.]+;l=\d+-\d+$", href):
            return "an address outside Go 1.19.8's source: " + href
        return None
    path, _, frag = href.partition("#")
    target = os.path.normpath(os.path.join(site, urllib.parse.unquote(path)))
    if not os.path.exists(target):
        return "a link to a file that is not there: " + href
    if frag and target.endswith(".md") and frag not in heading_slugs(target):
        return "a link to a section the note does not have: " + href
    if frag and target.endswith(".html"):
        with open(target, encoding="utf-8") as f:
            if ("id=" + frag) not in f.read() and ("id='" + frag) not in f.read():
                return "a link to an anchor the page does not have: " + href
    return None


def main(site, shots):
    exe = chromium()
    if not exe:
        print("html-check: no Chromium (sudo apt-get install chromium)")
        return 1
    site = os.path.abspath(site)
    pages = sorted(p for p in os.listdir(site) if p.endswith(".html") and p != "_check.html")
    if len(pages) < 2:
        print("html-check: no site in %s (make html first)" % site)
        return 1
    harness = os.path.join(site, "_check.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(HARNESS % {"w": WIDTH, "pages": json.dumps(pages)})
    try:
        with tempfile.TemporaryDirectory() as profile:
            run = subprocess.run(
                browser_args(exe) + ["--user-data-dir=" + profile,
                                     "--window-size=%d,1000" % (WIDTH + 40),
                                     "--virtual-time-budget=900000", "--dump-dom",
                                     "file://" + harness],
                capture_output=True, text=True, timeout=900)
    finally:
        os.unlink(harness)
    m = re.search(r'<pre id="out">RESULTS(.*?)END</pre>', run.stdout, re.S)
    if not m:
        print("html-check: the browser reported nothing; its stderr:\n" + run.stderr[-2000:])
        return 1
    results = json.loads(m.group(1).replace("&amp;", "&").replace("&lt;", "<")
                         .replace("&gt;", ">").replace("&quot;", '"'))
    bad = 0
    for page in pages:
        r = results.get(page)
        problems = list(r["problems"]) if r else ["the browser never loaded it"]
        for href in (r["links"] if r else []):
            why = check_link(site, page, href)
            if why:
                problems.append(why)
        for p in problems[:5]:
            print("%s: %s" % (page, p))
        bad += bool(problems)
    os.makedirs(shots, exist_ok=True)
    for name in ("netpoll", "netpollblock", "epollwait"):
        png = os.path.join(os.path.abspath(shots), name + ".png")
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(browser_args(exe) + ["--user-data-dir=" + profile,
                                                "--window-size=%d,1600" % WIDTH,
                                                "--screenshot=" + png,
                                                "file://" + os.path.join(site, name + ".html")],
                           capture_output=True, timeout=120)
        print("html-check: screenshot %s%s" % (png, "" if os.path.exists(png) else " FAILED"))
        bad += not os.path.exists(png)
    print("html-check: %d pages at %d px, %d with problems" % (len(pages), WIDTH, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: html_check.py SITE SHOTS")
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
