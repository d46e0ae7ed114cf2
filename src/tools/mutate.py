#!/usr/bin/env python3
"""make mutate: does the suite notice a wrong line?

Plants each mutant of tests/mutants.txt, one at a time, in a scratch copy
of the tree (build/mutate/tree, reused between runs), rebuilds what it
touches, and runs the suite against it.  A mutant is killed when the suite
fails: a test's assertion, a crash, a throw, or a hang its watchdog ends.
It survives when the suite passes.  Mutants marked equivalent ("= reason")
are listed with their reason and not run.  Prints each verdict and the
kill rate; exits 1 if the catalog is wrong, the unmutated copy fails, or
fewer than 95 % of the non-equivalent mutants were killed.

The suite is `make test`'s (Go 1.19.8's netpoller), less the tests that
read the project's own text rather than run it, which no planted bug
should be able to fail: Notes.* (the notes' links, paths and diagrams),
Gdb.TranscriptsInTheNotesShowTodaysSources (the notes' gdb sessions quote
our source lines), Mutate.CatalogFitsTodaysSources (in the scratch copy a
mutant is always planted, so the catalog cannot fit), and, for a mutant
outside the reference checker, GoRef.* (which check our citations).  A
mutant of the checker keeps GoRef.*.  Stress.* is left out as make test
leaves it out (make stress), and Harness.* because it runs the suite's own
binary on purpose-made hangs, which no mutant touches.

  python3 src/tools/mutate.py [--only NAME,NAME] [--list]
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOG = os.path.join(ROOT, "tests", "mutants.txt")
SCRATCH = os.path.join(ROOT, "build", "mutate")
TREE = os.path.join(SCRATCH, "tree")
RATE = 95.0
# Per test, and per mutant (a mutant's whole suite run).
TEST_TIMEOUT = "60"
RUN_TIMEOUT = 30 * 60

ALWAYS_OUT = ["Stress.*", "Notes.*", "Gdb.TranscriptsInTheNotesShowTodaysSources",
              "Harness.*", "Mutate.*"]
CHECKER = ("src/tools/goref.cpp", "include/tools/goref.h")


class Mutant:
    def __init__(self, name, path, line):
        self.name, self.path, self.line = name, path, line
        self.old = self.new = None
        self.equivalent = None


def parse(text):
    """The catalog's mutants, or exits with the line that is wrong."""
    out, m = [], None
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        tag, rest = raw[:2], raw[2:]
        if tag == "@ ":
            parts = rest.split()
            if len(parts) != 2:
                die("%s:%d: want \"@ name file\"" % (CATALOG, n))
            m = Mutant(parts[0], parts[1], n)
            out.append(m)
        elif m is None:
            die("%s:%d: a line before the first \"@ name file\"" % (CATALOG, n))
        elif tag == "- ":
            m.old = rest
        elif tag == "+ ":
            m.new = rest
        elif tag == "= ":
            m.equivalent = rest
        else:
            die("%s:%d: a line must start with \"@ \", \"- \", \"+ \" or \"= \"" % (CATALOG, n))
    names = set()
    for m in out:
        if m.old is None or m.new is None or m.old == m.new:
            die("%s:%d: %s needs a \"- \" line and a different \"+ \" line" % (CATALOG, m.line,
                                                                               m.name))
        if m.name in names:
            die("%s:%d: a second mutant named %s" % (CATALOG, m.line, m.name))
        names.add(m.name)
    return out


def die(msg):
    print("mutate: " + msg, file=sys.stderr)
    sys.exit(1)


def apply(m, text):
    """text with the mutant planted; the old text must be on exactly one line."""
    lines = text.split("\n")
    hits = [i for i, l in enumerate(lines) if m.old in l]
    if len(hits) != 1 or lines[hits[0]].count(m.old) != 1:
        return None
    i = hits[0]
    lines[i] = lines[i].replace(m.old, m.new)
    return "\n".join(lines)


def tracked_files():
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        files = [f for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, subs, fs in os.walk(ROOT):
            subs[:] = [s for s in subs if s not in ("build", ".git")]
            files += [os.path.relpath(os.path.join(d, f), ROOT) for f in fs]
    # The working tree as it is, uncommitted changes included.
    return [f for f in files if os.path.isfile(os.path.join(ROOT, f))]


def sync():
    """The scratch copy: today's files; unchanged ones keep their times, so
    a second run rebuilds only what changed."""
    for f in tracked_files():
        src, dst = os.path.join(ROOT, f), os.path.join(TREE, f)
        with open(src, "rb") as a:
            data = a.read()
        try:
            with open(dst, "rb") as b:
                if b.read() == data:
                    continue
        except OSError:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


def build():
    p = subprocess.run(["make", "-C", TREE, "-j2", "NETPOLL_GO=1.19", "all", "build/go/echo"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode == 0, p.stdout.decode(errors="replace")


def run_suite(filt):
    """(passed, what failed first, seconds)."""
    env = dict(os.environ, NETPOLL_TEST_TIMEOUT=TEST_TIMEOUT)
    cmd = [os.path.join(TREE, "build", "tests", "runtime_test"), "--gtest_fail_fast",
           "--gtest_filter=" + filt]
    t0 = time.time()
    p = subprocess.Popen(cmd, cwd=TREE, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return False, "the run did not end in %d s" % RUN_TIMEOUT, time.time() - t0
    out = out.decode(errors="replace")
    secs = time.time() - t0
    if p.returncode == 0 and re.search(r"^runtime_test: \d+ passed, 0 failed", out, re.M):
        return True, "", secs
    w = re.search(r"^watchdog: (\S+) still running", out, re.M)
    if w:
        return False, "hang in " + w.group(1), secs
    f = re.search(r"^\[  FAILED  \] (\S+?)(,| \(|$)", out, re.M)
    if f:
        return False, f.group(1), secs
    r = re.findall(r"^\[ RUN      \] (\S+)", out, re.M)
    if p.returncode < 0:
        return False, "killed by signal %d in %s" % (-p.returncode, r[-1] if r else "?"), secs
    return False, "exit %d in %s" % (p.returncode, r[-1] if r else "?"), secs


def filter_for(m):
    out = list(ALWAYS_OUT)
    if m is None or m.path not in CHECKER:
        out.append("GoRef.*")
    return "-" + ":".join(out)


def main(argv):
    only = None
    listing = "--list" in argv
    if "--only" in argv:
        i = argv.index("--only")
        only = argv[i + 1] if i + 1 < len(argv) else ""
    only = only if only is not None else os.environ.get("NETPOLL_MUTATE_ONLY", "")
    with open(CATALOG) as f:
        mutants = parse(f.read())
    if only:
        want = [w for w in only.split(",") if w]
        known = {m.name for m in mutants}
        for w in want:
            if w not in known:
                die("no mutant named %r in %s" % (w, os.path.relpath(CATALOG, ROOT)))
        mutants = [m for m in mutants if m.name in want]
    bad = []
    for m in mutants:
        try:
            with open(os.path.join(ROOT, m.path)) as f:
                text = f.read()
        except OSError:
            bad.append("%s: no file %s" % (m.name, m.path))
            continue
        if apply(m, text) is None:
            bad.append("%s: %r is not on exactly one line of %s" % (m.name, m.old, m.path))
    if bad:
        die("the catalog no longer fits the sources:\n  " + "\n  ".join(bad))
    if listing:
        for m in mutants:
            print("%-48s %s%s" % (m.name, m.path, "  (equivalent)" if m.equivalent else ""))
        return 0

    t0 = time.time()
    os.makedirs(TREE, exist_ok=True)
    print("mutate: %d mutants; scratch copy %s" % (len(mutants), os.path.relpath(TREE, ROOT)),
          flush=True)
    sync()
    ok, log = build()
    if not ok:
        print(log[-3000:])
        die("the unmutated copy does not build")
    for filt in sorted({filter_for(m) for m in mutants if not m.equivalent}):
        passed, why, secs = run_suite(filt)
        if not passed:
            die("the unmutated copy fails the suite (%s): fix that first" % why)
        print("mutate: the unmutated copy passes (%s) in %.0f s" % (filt, secs), flush=True)

    killed, survived, equivalent, report = [], [], [], []
    for n, m in enumerate(mutants, 1):
        head = "[%2d/%d] %-48s" % (n, len(mutants), m.name)
        if m.equivalent:
            equivalent.append(m)
            line = "%s equivalent: %s" % (head, m.equivalent)
            print(line, flush=True)
            report.append(line)
            continue
        path = os.path.join(TREE, m.path)
        with open(path) as f:
            orig = f.read()
        try:
            with open(path, "w") as f:
                f.write(apply(m, orig))
            ok, log = build()
            if not ok:
                die("%s does not build (line %d of the catalog):\n%s" % (m.name, m.line,
                                                                          log[-2000:]))
            passed, why, secs = run_suite(filter_for(m))
        finally:
            with open(path, "w") as f:
                f.write(orig)
        if passed:
            survived.append(m)
            line = "%s SURVIVED (%s)  %.0f s" % (head, m.path, secs)
        else:
            killed.append(m)
            line = "%s killed by %s  %.0f s" % (head, why, secs)
        print(line, flush=True)
        report.append(line)
    build()  # leave the copy built as it is

    live = len(mutants) - len(equivalent)
    rate = 100.0 * len(killed) / live if live else 100.0
    mins = (time.time() - t0) / 60
    summary = ("mutate: %d of %d non-equivalent mutants killed (%.1f %%), %d survived, "
               "%d equivalent; %.0f min" % (len(killed), live, rate, len(survived),
                                            len(equivalent), mins))
    print(summary)
    for m in survived:
        print("  survived: %s (%s, tests/mutants.txt:%d)" % (m.name, m.path, m.line))
    with open(os.path.join(SCRATCH, "report.txt"), "w") as f:
        f.write("\n".join(report + [summary]) + "\n")
    if not only and rate < RATE:
        print("mutate: below %.0f %%" % RATE)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
