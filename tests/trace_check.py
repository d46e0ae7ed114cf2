#!/usr/bin/env python3
# trace_check.py FILE - is FILE (NETPOLLTRACE=json:FILE) a timeline that
# Perfetto and chrome://tracing will draw as meant?
#
# Well-formed JSON in the Trace Event Format's object form (traceEvents,
# displayTimeUnit); every event with ph, pid, tid, ts and name; on every
# track each E closes the B above it, and nothing is left open; every track
# named; every flow arrow that starts ("s", on the M that ran netpoll) lands
# ("f") no earlier on the track of the goroutine it readied, and both ends
# sit inside a slice of their track (a viewer draws an arrow only between
# slices); and the netpoller's
# story is there: goroutines parked in netpollblock, an rg/wg transition to
# pdReady, the break pipe (or eventfd).  Prints what it counted; exit 1 on a problem.
import json
import sys


def check(path):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            events = json.load(f)
    except (OSError, ValueError) as e:
        return ["not readable as JSON: %s" % e], {}
    if not isinstance(events, dict) or not isinstance(events.get("traceEvents"), list):
        return ["not the object form: {\"traceEvents\": [...], \"displayTimeUnit\": ...}"], {}
    if events.get("displayTimeUnit") not in ("ms", "ns"):
        problems.append("displayTimeUnit is %r, not \"ms\" or \"ns\"" % events.get("displayTimeUnit"))
    events = events["traceEvents"]
    stacks, named, opened, flows_s, flows_f = {}, set(), {}, {}, {}
    count = {}
    for n, e in enumerate(events):
        for k in ("ph", "pid", "tid", "ts", "name"):
            if k not in e:
                problems.append("event %d has no %s: %s" % (n, k, e))
        ph = e.get("ph")
        count[ph] = count.get(ph, 0) + 1
        track = (e.get("pid"), e.get("tid"))
        stack = stacks.setdefault(track, [])
        if ph == "M":
            if e["name"] == "thread_name":
                named.add(track)
        elif ph == "B":
            stack.append((e["name"], e["ts"]))
            opened.setdefault(track, []).append(e["name"])
        elif ph == "E":
            if not stack:
                problems.append("event %d: an E with no B open on track %s" % (n, track))
            elif stack[-1][0] != e["name"] or e["ts"] < stack[-1][1]:
                problems.append("event %d: E %r closes B %r on track %s" %
                                (n, e["name"], stack[-1][0], track))
                stack.pop()
            else:
                stack.pop()
        elif ph in ("s", "f"):
            if not stack:
                problems.append("event %d: flow %s %s outside any slice on track %s" %
                                (n, ph, e.get("id"), track))
            (flows_s if ph == "s" else flows_f)[e.get("id")] = e
        elif ph != "i":
            problems.append("event %d: unknown phase %r" % (n, ph))
    for track, stack in stacks.items():
        if stack:
            problems.append("track %s ends with %d slice(s) open: %s" %
                            (track, len(stack), [s[0] for s in stack]))
    for track in stacks:
        if track not in named and any(
                e.get("pid") == track[0] and e.get("tid") == track[1] and e.get("ph") != "M"
                for e in events):
            problems.append("track %s has no name" % (track,))
    for fid, s in flows_s.items():
        f = flows_f.get(fid)
        if f is None:
            problems.append("flow %s starts (ts %.3f) and never lands" % (fid, s["ts"]))
        elif f["ts"] < s["ts"]:
            problems.append("flow %s lands before it starts" % fid)
        elif (f.get("pid"), f.get("tid")) != (2, s.get("args", {}).get("g")):
            problems.append("flow %s from M%s lands on track %s, not on G%s's, the goroutine it "
                            "readied" % (fid, s.get("tid"), (f.get("pid"), f.get("tid")),
                                         s.get("args", {}).get("g")))
    for fid in flows_f:
        if fid not in flows_s:
            problems.append("flow %s lands without a start" % fid)
    names = [e.get("name", "") for e in events]
    parked = [s for track, ss in opened.items() for s in ss if s.startswith("parked in netpollblock fd=")]
    if not parked:
        problems.append("no goroutine is ever parked in netpollblock")
    if not any("-> pdReady" in n for n in names):
        problems.append("no rg/wg transition to pdReady")
    if not any("break pipe" in n or "eventfd" in n for n in names):
        problems.append("no netpollBreak event (break pipe, or NETPOLL_GO=1.23's eventfd)")
    summary = {"events": len(events), "tracks": len(stacks), "slices": count.get("B", 0),
               "flows": len(flows_s), "instants": count.get("i", 0), "parked": len(parked)}
    return problems, summary


def main(argv):
    if len(argv) != 2:
        print("usage: trace_check.py FILE")
        return 2
    problems, summary = check(argv[1])
    for p in problems[:20]:
        print("%s: %s" % (argv[1], p))
    if summary:
        print("%s: %d events on %d tracks: %d slices, %d flow arrows, %d instants, %d parks in "
              "netpollblock" % (argv[1], summary["events"], summary["tracks"], summary["slices"],
                                summary["flows"], summary["instants"], summary["parked"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
