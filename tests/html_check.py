#!/usr/bin/env python3
# html_check.py - `make html-check`: every page of `make html`, loaded in a
# real browser (headless Chromium) at 1280 px, must show everything.
#
#   html_check.py SITE SHOTS
#   html_check.py --links SITE    only the links, from the files
#
# SITE is `make html`'s: the side-by-side pages, the notes rendered under
# SITE/notes/ (and their translations under SITE/notes/zh/), the README.
# Fails on a page that scrolls sideways, a row of code taller than one
# line, a code cell cut without its '…' (or cut even with "wrap long lines"
# on), a heading or gutter cut by its pane, a link or anchor that leads
# nowhere, a side-by-side page without highlighting, or an "explained in"
# link that does not open its note scrolled to the section.  Saves
# screenshots of the pages in SHOTS, at 800, 1280 and 1920 px, for a person
# to look at.
#
# The browser part is one Chromium run: a harness page loads each page in
# turn into a 1280 px frame, measures it, and writes what it found into its
# own DOM, which --dump-dom prints.  Links that leave the page (to another
# page, to a note's section) are checked here, against the files.
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

WIDTH = 1280
# Photographed at 800, 1280 and 1920 px, for a person to look at.
SHOTS = ("index.html", "netpoll.html", "epollwait.html", "findRunnable.html", "notes/netpoll.html",
         "index.zh.html")

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
  const sxs = !name.includes('/') && !name.startsWith('index') && name != 'README.html';
  if (sxs && (go == 0 || ours == 0))
    out.push('no highlighting (' + go + ' Go tokens, ' + ours + ' of ours)');
  const links = [];
  for (const a of d.querySelectorAll('a[href]')) links.push(a.getAttribute('href'));
  results[name] = {problems: out, links: links};
}
// An "explained in" link opens the note scrolled to its section.
const scrolls = %(scrolls)s;
let k = 0;
function scrolled() {
  if (k == scrolls.length) {
    document.getElementById('out').textContent = 'RESULTS' + JSON.stringify(results) + 'END';
    return;
  }
  f.onload = () => {
    setTimeout(() => {
      const w = f.contentWindow, id = decodeURIComponent(scrolls[k].split('#')[1]);
      const el = f.contentDocument.getElementById(id);
      results['scroll ' + scrolls[k]] = {problems: !el ? ['no section #' + id] :
          Math.abs(el.getBoundingClientRect().top) > 2 ?
          ['the section is not scrolled to: its top is at ' + el.getBoundingClientRect().top +
           ' px (scrollY ' + w.scrollY + ')'] : [], links: []};
      k++;
      scrolled();
    }, 50);
  };
  f.src = scrolls[k];
}
function next() {
  if (i == pages.length) {
    scrolled();
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
        if "/" in page or page == "README.html":
            return None  # a note's own link to the web: no network here to follow it
        # Go's source browser, at the release our citations name.
        if not re.match(r"^https://cs\.opensource\.google/go/go/\+/refs/tags/go1\.19\.8:src/"
                        r"[\w/.]+;l=\d+-\d+$", href):
            return "an address outside Go 1.19.8's source: " + href
        return None
    path, _, frag = href.partition("#")
    target = os.path.normpath(os.path.join(site, os.path.dirname(page), urllib.parse.unquote(path)))
    if not os.path.exists(target):
        return "a link to a file that is not there: " + href
    if frag and target.endswith(".md") and frag not in heading_slugs(target):
        return "a link to a section the note does not have: " + href
    if frag and target.endswith(".html"):
        with open(target, encoding="utf-8") as f:
            text = f.read()
        frag = urllib.parse.unquote(frag)
        if not re.search(r"""\bid=["']?%s(["' >])""" % re.escape(frag), text):
            return "a link to an anchor the page does not have: " + href
    return None


def site_pages(site):
    """Every page of the site, site-relative: the side-by-side pages, the
    notes and their translations (not this script's own harness)."""
    return sorted(os.path.relpath(p, site) for p in
                  glob.glob(os.path.join(site, "*.html")) + glob.glob(os.path.join(site, "notes", "*.html")) +
                  glob.glob(os.path.join(site, "notes", "zh", "*.html"))
                  if not p.endswith("_check.html"))


def links_only(site):
    """`html_check.py --links SITE`: every link of every page resolves, read
    from the files (no browser); make test runs this on a fresh site."""
    site = os.path.abspath(site)
    pages = site_pages(site)
    bad, n = 0, 0
    for page in pages:
        with open(os.path.join(site, page), encoding="utf-8") as f:
            text = f.read()
        ids = set(re.findall(r"""\bid=["']?([^"' >]+)""", text))
        for href in re.findall(r"""href=["']?([^"' >]+)""", text):
            href = href.replace("&amp;", "&")
            n += 1
            why = ("anchor to nothing: " + href if href.startswith("#") and
                   urllib.parse.unquote(href[1:]) not in ids else check_link(site, page, href))
            if why:
                print("%s: %s" % (page, why))
                bad += 1
    print("html-check --links: %d links on %d pages, %d lead nowhere" % (n, len(pages), bad))
    return 1 if bad or len(pages) < 2 else 0


def main(site, shots):
    exe = chromium()
    if not exe:
        print("html-check: no Chromium (sudo apt-get install chromium)")
        return 1
    site = os.path.abspath(site)
    pages = site_pages(site)
    if len(pages) < 2:
        print("html-check: no site in %s (make html first)" % site)
        return 1
    for need in ("notes/netpoll.html", "notes/start_here.html", "index.zh.html"):
        if need not in pages:
            print("html-check: %s is missing: make html renders the notes too" % need)
            return 1
    # The sections that a few pages' "explained in" links open.
    scrolls = []
    for name in ("netpoll.html", "netpollblock.html", "findRunnable.html", "epollwait.html"):
        with open(os.path.join(site, name), encoding="utf-8") as f:
            m = re.search(r"explained in <a href='(notes/[^'#]+#[^']+)'", f.read())
        if m:
            scrolls.append(m.group(1))
    if len(scrolls) < 3:
        print("html-check: few pages link a note's section: %s" % scrolls)
        return 1
    harness = os.path.join(site, "_check.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(HARNESS % {"w": WIDTH, "pages": json.dumps(pages), "scrolls": json.dumps(scrolls)})
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
    for page in pages + ["scroll " + x for x in scrolls]:
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
    for name in SHOTS:
        for width in (800, 1280, 1920):
            png = os.path.join(os.path.abspath(shots), "%s-%d.png" % (name.replace("/", "-")[:-5], width))
            if os.path.exists(png):
                os.unlink(png)
            with tempfile.TemporaryDirectory() as profile:
                subprocess.run(browser_args(exe) + ["--user-data-dir=" + profile,
                                                    "--window-size=%d,1600" % width,
                                                    "--screenshot=" + png,
                                                    "file://" + os.path.join(site, name)],
                               capture_output=True, timeout=120)
            print("html-check: screenshot %s%s" % (png, "" if os.path.exists(png) else " FAILED"))
            bad += not os.path.exists(png)
    print("html-check: %d pages at %d px, %d with problems" % (len(pages), WIDTH, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--links":
        sys.exit(links_only(sys.argv[2]))
    if len(sys.argv) != 3:
        print("usage: html_check.py SITE SHOTS")
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
