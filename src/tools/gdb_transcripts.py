#!/usr/bin/env python3
# gdb_transcripts.py - the gdb sessions of notes/gdb.md, produced by gdb.
#
#   gdb_transcripts.py BUILD --write   run them, and put each transcript in
#                                      notes/gdb.md after its marker
#   gdb_transcripts.py BUILD --check   run them, and fail if a session no
#                                      longer gets through, or if the note's
#                                      transcripts are not of these commands
#
# The program has threads and a network, so two honest runs differ in
# detail (which goroutine parked first, addresses); what must not drift is
# checked by tests/gdb_test.cpp instead: every file:line a transcript shows
# is, in today's sources, in the function gdb named and holds the text gdb
# printed.
#
# A marker is a line `<!-- gdb:NAME -->` followed by a ``` block.  Each
# session is one gdb run, started as `make gdb` starts it (the demo on one
# P, breakpoints at netpollinit and epollwait); its sections are cut from
# that run's output.  The demo's own output goes to a file, not into the
# transcripts.
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTE = os.path.join(ROOT, "notes", "gdb.md")

# (section, commands), in the order one session runs them.
OURS = [
    ("netpollinit", ["run", "step", "stepi 2", "x/i $pc", "p $rax", "p/x $rdi", "bt"]),
    ("epollwait", ["delete 2", "break epollwait thread 1", "continue", "bt 4",
                   "set scheduler-locking step", "stepi 4", "x/i $pc", "p $rax"]),
    ("parked", ["delete", "break runtime::netpollblockcommit", "continue 5", "info goroutines",
                "bt", "goroutine 2 bt", "info sched", "info netpoll"]),
    ("safe", ["goroutine 2 up", "goroutine 2 frame 2", "goroutine 2 p *pd",
              "goroutine 2 frame 2 p *pd", "frame",
              "delete", "break runtime::netpollready", "continue", "bt", "p *pd", "p *toRun"]),
    ("end", ["delete", "continue"]),
]
GO = [
    ("go", ["break runtime.epollwait", "run", "bt 6", "set scheduler-locking step", "stepi 6",
            "p $rax", "p $r8"]),
]

NOISE = re.compile(r"^(\[Thread debugging using libthread_db|Using host libthread_db|"
                   r"\[New Thread |\[Thread 0x[0-9a-f]+ \(LWP \d+\) exited\]|"
                   r"\[Switching to |warning: (File|Unable to find libthread_db)|"
                   r"To enable execution of this file|\tadd-auto-load-safe-path|"
                   r"line to your configuration|For more information about this security|"
                   r"\"Auto-loading safe path\"|\tinfo \"\(gdb\)Auto-loading|To completely disable|"
                   r"\tset auto-load safe-path|and \"show auto-load safe-path\"|---Type <return>)")


def session(build, program, sections, extra, env):
    out_file = tempfile.NamedTemporaryFile(prefix="netpoll-gdb-", delete=False)
    out_file.close()
    args = ["gdb", "-batch", "-nx", "-q", "-ex", "set pagination off", "-ex", "set width 0",
            "-ex", "set confirm off"] + extra
    for name, cmds in sections:
        args += ["-ex", "echo ==section %s\\n" % name]
        for c in cmds:
            run = c
            if c == "run":
                run = "run >%s 2>&1" % out_file.name
            args += ["-ex", "echo (gdb) %s\\n" % c.replace("\\", "\\\\"), "-ex", run]
    args += ["-ex", "echo ==section done\\n", program]
    p = subprocess.run(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=env, timeout=300)
    os.unlink(out_file.name)
    text = p.stdout
    found = {}
    for m in re.finditer(r"==section (\S+)\n(.*?)(?===section )", text, re.S):
        lines = [l for l in m.group(2).splitlines() if not NOISE.match(l)]
        found[m.group(1)] = "\n".join(lines).rstrip() + "\n"
    return found


def all_sections(build):
    # LeakSanitizer cannot run under ptrace (a sanitizer build's demo would
    # end in its fatal error).
    env = dict(os.environ, NETPOLL_PROCS="1", ASAN_OPTIONS="detect_leaks=0")
    env.pop("NETPOLLTRACE", None)
    ext = ["-x", os.path.join(ROOT, "src", "runtime", "runtime-gdb.py"),
           "-ex", "break runtime::netpollinit", "-ex", "break epollwait"]
    found = session(build, os.path.join(build, "demo"), OURS, ext, env)
    found.update(session(build, os.path.join(ROOT, "build", "go", "echo"), GO, [], env))
    return found


def main(argv):
    if len(argv) != 3 or argv[2] not in ("--write", "--check"):
        print("usage: gdb_transcripts.py BUILD --write|--check")
        return 2
    build = os.path.abspath(argv[1])
    found = all_sections(build)
    with open(NOTE, encoding="utf-8") as f:
        note = f.read()
    problems = []

    def replace(m):
        name = m.group(1)
        if name not in found:
            problems.append("gdb printed nothing for %s" % name)
            return m.group(0)
        return "<!-- gdb:%s -->\n```\n%s```" % (name, found[name])

    new = re.sub(r"<!-- gdb:(\S+) -->\n```\n(.*?)```", replace, note, flags=re.S)
    markers = re.findall(r"<!-- gdb:(\S+) -->", note)
    missing = [n for n in found if n not in markers]
    problems += ["no marker for the transcript %s" % n for n in missing]
    if argv[2] == "--write":
        with open(NOTE, "w", encoding="utf-8") as f:
            f.write(new)
        print("notes/gdb.md: %d transcripts written%s" %
              (len(markers), "; no marker for " + ", ".join(missing) if missing else ""))
        return 0
    # The note's transcripts are of these commands, and the sessions still
    # get where they went (to the demo's normal end).
    want = {name: cmds for name, cmds in OURS + GO}
    blocks = dict(re.findall(r"<!-- gdb:(\S+) -->\n```\n(.*?)```", note, re.S))
    for name, cmds in want.items():
        have = re.findall(r"^\(gdb\) (.*)$", blocks.get(name, ""), re.M)
        if have != cmds:
            problems.append("the transcript %s is not of the commands the generator runs" % name)
        if name not in found or found[name].count("(gdb)") != len(cmds):
            problems.append("gdb did not get through the session %s" % name)
    if "exited normally" not in found.get("end", ""):
        problems.append("the demo did not run to its end after the walkthrough")
    for p in problems:
        print("notes/gdb.md: " + p)
    if problems:
        print("(make gdb-transcripts rewrites them)")
        return 1
    print("notes/gdb.md: %d transcripts, of the commands gdb still gets through" % len(markers))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
