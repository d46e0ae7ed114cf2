#!/usr/bin/env python3
# mermaid_check.py MMDC OUTDIR - every ```mermaid block in the notes and the
# README, rendered by Mermaid's own CLI (driving Debian's Chromium): it must
# render, and draw only the states (state diagrams) or participants
# (sequence diagrams) the block declares.  A stray one is how a syntax
# slip shows: in a state diagram's label a `;` ends the statement, and the
# words after it become states.  The SVGs are left in OUTDIR.
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def blocks():
    files = sorted(glob.glob(os.path.join(ROOT, "notes", "*.md"))) + [os.path.join(ROOT, "README.md")]
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for n, m in enumerate(re.finditer(r"```mermaid\n(.*?)```", text, re.S)):
            yield os.path.relpath(path, ROOT), n + 1, m.group(1)


def declared(src):
    """What the block declares: ("state", names) or ("sequence", labels)."""
    lines = [l.strip() for l in src.splitlines() if l.strip() and not l.strip().startswith("%%")]
    kind = lines[0].split()[0]
    if kind.startswith("stateDiagram"):
        names = set()
        for l in lines[1:]:
            m = re.match(r"^(\S+)\s*-->\s*([^:\s]+)", l)
            if m:
                names.update(n for n in m.groups() if n != "[*]")
            m = re.match(r"^state\s+(\S+)", l)
            if m:
                names.add(m.group(1))
        return "state", names
    if kind == "sequenceDiagram":
        labels = set()
        for l in lines[1:]:
            m = re.match(r"^(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$", l)
            if m:
                labels.add((m.group(2) or m.group(1)).strip())
        return "sequence", labels
    return kind, set()


def drawn(kind, svg):
    if kind == "state":
        found = set(re.findall(r'id="[^"]*?-state-(.+?)-\d+"', svg))
        return {n for n in found if n not in ("root_start", "root_end")}
    if kind == "sequence":
        return set(re.findall(r'class="actor actor-box"[^>]*><tspan[^>]*>([^<]*)', svg))
    return set()


def main(argv):
    if len(argv) != 3:
        print("usage: mermaid_check.py MMDC OUTDIR")
        return 2
    mmdc, out = argv[1], argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("mermaid_check: no Chromium (sudo apt-get install chromium)")
        return 1
    os.makedirs(out, exist_ok=True)
    bad, n = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "puppeteer.json")
        with open(config, "w") as f:
            # Debian's Chromium, never a downloaded one; no sandbox for root.
            json.dump({"executablePath": chromium, "args": ["--no-sandbox", "--disable-gpu"]}, f)
        for path, i, src in blocks():
            n += 1
            name = "%s-%d" % (os.path.basename(path)[:-3], i)
            mmd, svg = os.path.join(tmp, name + ".mmd"), os.path.join(out, name + ".svg")
            with open(mmd, "w", encoding="utf-8") as f:
                f.write(src)
            run = subprocess.run([mmdc, "-p", config, "-i", mmd, "-o", svg, "-q"],
                                 capture_output=True, text=True, timeout=180)
            if run.returncode != 0 or not os.path.exists(svg):
                print("%s, diagram %d: Mermaid could not render it:\n%s" %
                      (path, i, (run.stderr or run.stdout)[-1500:]))
                bad += 1
                continue
            kind, want = declared(src)
            with open(svg, encoding="utf-8") as f:
                got = drawn(kind, f.read())
            stray = got - want
            if stray or not got:
                print("%s, diagram %d (%s): drawn but not declared: %s" %
                      (path, i, kind, ", ".join(sorted(stray)) if stray else "(nothing drawn)"))
                bad += 1
            else:
                print("%s, diagram %d (%s): %d drawn, all declared: %s" %
                      (path, i, kind, len(got), ", ".join(sorted(got))))
    print("mermaid_check: %d diagrams, %d with problems" % (n, bad))
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
