# runtime-gdb.py - gdb support for netpoll-asm, where Go keeps its own
# ($GOROOT/src/runtime/runtime-gdb.py) and in its spirit: goroutines,
# pollDescs and epoll events, readable.  Not a twin: ours reads our structs.
#
#   gdb -x src/runtime/runtime-gdb.py build/demo        (make gdb does this)
#
# Commands:
#   info goroutines          every goroutine, its status, its M and P if it
#                            runs, which queue holds it if runnable, where it
#                            is parked if waiting
#   info sched               the scheduler: every P with its run queue,
#                            runnext and timers; every M; the global queue;
#                            sched.lastpoll, pollUntil, npidle, nmspinning
#   goroutine N CMD          run a gdb command (bt first of all) as goroutine N
#   goroutine N frame K CMD  ... in frame K of its stack (`p *pd` in netpollblock's
#                            frame of a goroutine parked there), then back
#   goroutine all CMD        ... for every goroutine
#   info netpoll             epfd, the break pipe (Go 1.23: the eventfd), every registered descriptor
#                            (as the kernel lists it, with EPOLLERR|EPOLLHUP,
#                            which epoll always reports, added)
#   netpoll-guide            what to try next
# Pretty-printers: runtime::epollevent, runtime::pollDesc, runtime::gList,
# runtime::gQueue, runtime::g.
#
# A parked goroutine's registers are on its own stack, where gosave_gogo
# (asm/asm_amd64.asm) pushed them: from g.sched.sp up, MXCSR and the x87
# control word (8 bytes), r15, r14, r13, r12, rbx, rbp, then the pc to resume
# at.  `goroutine N CMD` loads those into the selected thread's registers,
# runs CMD, and puts the thread's own back, as Go's `goroutine N` does.

import os
import re
import time

import gdb
import gdb.printing

PD_READY, PD_WAIT = 1, 2
STATUS = {0: "idle", 1: "runnable", 2: "running", 4: "waiting", 6: "dead"}
EPOLL_BITS = [(0x1, "EPOLLIN"), (0x2, "EPOLLPRI"), (0x4, "EPOLLOUT"), (0x8, "EPOLLERR"),
              (0x10, "EPOLLHUP"), (0x2000, "EPOLLRDHUP"), (0x40000000, "EPOLLONESHOT"),
              (0x80000000, "EPOLLET")]


def atomic(v):
    """The value inside a std::atomic, whatever libstdc++ calls it."""
    for path in (("_M_i",), ("_M_b", "_M_p")):
        try:
            x = v
            for field in path:
                x = x[field]
            return x
        except gdb.error:
            pass
    return v


def events_str(e):
    e = int(e) & 0xffffffff
    names = [n for bit, n in EPOLL_BITS if e & bit]
    rest = e & ~sum(bit for bit, _ in EPOLL_BITS)
    if rest:
        names.append(hex(rest))
    return "|".join(names) if names else "0"


def g_type():
    return gdb.lookup_type("runtime::g")


def pd_type():
    return gdb.lookup_type("runtime::pollDesc")


def allgs():
    gp = gdb.parse_and_eval("runtime::allg_head")
    while int(gp) != 0:
        yield gp
        gp = gp["alllink"]


def goid(gp):
    return int(gp["goid"])


def g_status(gp):
    return int(atomic(gp["atomicstatus"]))


P_STATUS = {0: "idle", 1: "running", 4: "dead"}


def allp():
    n = int(gdb.parse_and_eval("runtime::gomaxprocs"))
    for i in range(n):
        yield gdb.parse_and_eval("runtime::allp[%d]" % i)


def allm():
    mp = gdb.parse_and_eval("runtime::allm")
    while int(mp) != 0:
        yield mp
        mp = mp["alllink"]


def runq(pp):
    """The gs in pp's local run queue, oldest first."""
    head, tail = int(atomic(pp["runqhead"])), int(atomic(pp["runqtail"]))
    return [atomic(pp["runq"][i % 256]) for i in range(head, tail)]


def global_runq():
    out, gp = [], gdb.parse_and_eval("runtime::sched")["runq"]["head"]
    while int(gp) != 0 and len(out) < 100000:
        out.append(gp)
        gp = gp["schedlink"]
    return out


def gnames(gs):
    return "[" + ", ".join("G%d" % goid(gp) for gp in gs) + "]"


def queued_where(gp):
    """Which run queue holds a runnable g."""
    for pp in allp():
        if int(atomic(pp["runnext"])) == int(gp):
            return "in P%d's runnext" % int(pp["id"])
        if any(int(x) == int(gp) for x in runq(pp)):
            return "in P%d's run queue" % int(pp["id"])
    if any(int(x) == int(gp) for x in global_runq()):
        return "in the global run queue"
    return ""


def m_p(mp):
    pp = atomic(mp["p_"])
    return "P%d" % int(pp["id"]) if int(pp) else "no P"


def where(gp):
    st = g_status(gp)
    if st == 2:
        mp = gp["mp"]
        return "on M%d %s" % (int(mp["id"]), m_p(mp)) if int(mp) else "running"
    if st == 1:
        return queued_where(gp)
    if st != 4:
        return ""
    reason = str(atomic(gp["waitreason"]))
    if reason.endswith("IOWait"):
        mode = int(gp["waitmode"])
        m = {ord("r"): "'r'", ord("w"): "'w'"}.get(mode, str(mode))
        return "netpollblock fd=%d %s (IO wait)" % (int(gp["waitfd"]), m)
    return "gopark (%s)" % wait_reason(gp)


def wait_reason(gp):
    """What goroutineheader prints for gp's park: the program's own
    waitReasonStrings (runtime2.go:1068), indexed as waitReason.String does."""
    v = atomic(gp["waitreason"])  # a std::atomic<waitReason>
    try:
        n = int(v.cast(gdb.lookup_type("int")))
        s = gdb.parse_and_eval("runtime::waitReasonStrings[%d]" % n).string()
    except gdb.error:  # the table left out of the debug information
        s = str(v).split("::")[-1]
    return s if s else "waiting"


def sem_str(v):
    v = int(atomic(v))
    if v == 0:
        return "nil"
    if v == PD_READY:
        return "pdReady"
    if v == PD_WAIT:
        return "pdWait"
    try:
        return "G%d" % goid(gdb.Value(v).cast(g_type().pointer()).dereference())
    except gdb.error:
        return hex(v)


def deadline_str(d):
    d = int(d)
    if d == 0:
        return "none"
    if d < 0:
        return "expired"
    # CLOCK_MONOTONIC is the same clock in gdb's process as in the program's.
    left = (d - time.monotonic_ns()) / 1e9
    return "in %.3f s" % left if left >= 0 else "%.3f s ago" % -left


def release():
    """Which Go release's netpoller the program was built with (make
    NETPOLL_GO=...): 119, 121, 122 or 123."""
    try:
        return int(gdb.parse_and_eval("runtime::netpollGoVersion"))
    except gdb.error:
        return 119


def wakeup():
    """netpollBreak's descriptor: the epoll datum that stands for it, that
    datum's name, and what it is (the break pipe's read end, or Go 1.23's
    eventfd)."""
    name = "&netpollEventFd" if release() >= 123 else "&netpollBreakRd"
    what = "the eventfd" if release() >= 123 else "the break pipe"
    return int(gdb.parse_and_eval("&runtime::" + name[1:])), name, what


def unpack(data):
    """The pollDesc address in an epoll datum and its tag: from Go 1.21 the
    datum is a tagged pointer (taggedPointerPack: address << 16 | fdseq, 19
    bits), before it the bare address (tag None)."""
    if release() < 121:
        return data, None
    tag_bits = 64 - 48 + 3
    addr = data >> tag_bits << 3
    if addr & (1 << 47):  # the sign extension of int64(tp) >> tagBits
        addr |= ~((1 << 48) - 1) & ((1 << 64) - 1)
    return addr, data & ((1 << tag_bits) - 1)


def datum_str(data):
    """What an epoll datum points at, as info netpoll and p ev show it."""
    brk, name, what = wakeup()
    if data == brk:
        return "%s (%s)" % (name, what)
    if data == 0:
        return "0"
    addr, tag = unpack(data)
    try:
        pd = gdb.Value(addr).cast(pd_type().pointer()).dereference()
        if tag is None:
            return "pollDesc %s (fd %d)" % (hex(addr), int(pd["fd"]))
        seq = int(atomic(pd["fdseq"]))
        return "pollDesc %s tag %d (fd %d, fdseq %d%s)" % (
            hex(addr), tag, int(pd["fd"]), seq, "" if seq == tag else ": stale, netpoll drops it")
    except gdb.error:
        return hex(data)


class EpolleventPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        data = 0
        for i in range(8):
            data |= int(self.val["data"][i]) << (8 * i)
        return "{events = %s, data = %s}" % (events_str(self.val["events"]), datum_str(data))


class PollDescPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        v = self.val
        seq = ", fdseq = %d" % int(atomic(v["fdseq"])) if release() >= 121 else ""
        return ("{fd = %d%s, rg = %s, wg = %s, closing = %s, rd = %s, wd = %s, rseq = %d, wseq = %d}"
                % (int(v["fd"]), seq, sem_str(v["rg"]), sem_str(v["wg"]),
                   "true" if bool(v["closing"]) else "false", deadline_str(v["rd"]),
                   deadline_str(v["wd"]), int(v["rseq"]), int(v["wseq"])))


class GListPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        # gList's head is a std::atomic<g*>, gQueue's a g*: atomic() opens either.
        ids, gp = [], atomic(self.val["head"])
        while int(gp) != 0 and len(ids) < 1000:
            ids.append("G%d" % goid(gp))
            gp = gp["schedlink"]
        return "%s [%s]" % (self.val.type.strip_typedefs().name.split("::")[-1], ", ".join(ids))


class GPrinter:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        w = where(self.val)
        return "G%d %s%s" % (goid(self.val), STATUS.get(g_status(self.val), "?"),
                             " " + w if w else "")


def build_printers():
    pp = gdb.printing.RegexpCollectionPrettyPrinter("netpoll-asm")
    pp.add_printer("epollevent", "^runtime::epollevent$", EpolleventPrinter)
    pp.add_printer("pollDesc", "^runtime::pollDesc$", PollDescPrinter)
    pp.add_printer("gList", "^runtime::gList$", GListPrinter)
    pp.add_printer("gQueue", "^runtime::gQueue$", GListPrinter)
    pp.add_printer("g", "^runtime::g$", GPrinter)
    return pp


gdb.printing.register_pretty_printer(gdb.current_objfile(), build_printers(), replace=True)


def find_g(n):
    for gp in allgs():
        if goid(gp) == n and g_status(gp) != 6:
            return gp
    return None


def thread_of(gp):
    """The gdb thread of the M running gp, found by its pthread_t."""
    want = int(gp["mp"]["thread"])
    for t in gdb.selected_inferior().threads():
        try:
            if int.from_bytes(t.handle(), "little") == want:
                return t
        except (gdb.error, AttributeError):
            pass
    return None


REGS = ["rsp", "rip", "rbp", "rbx", "r12", "r13", "r14", "r15"]


def run_as(gp, cmd, frame_no=0):
    """Run cmd with gp's registers: its M's thread if it runs, else its saved frame;
    in frame frame_no of that stack (0, the innermost, unless asked).

    Whatever cmd does, or however it fails, the inferior is left as it was:
    its registers are written only with frame 0 selected (gdb refuses them in
    an outer frame), restored from the values frame 0 had, and the frame the
    user had selected is selected again, as Go's runtime-gdb.py does.
    """
    if g_status(gp) == 2:
        t = thread_of(gp)
        if t is None:
            raise gdb.GdbError("G%d is running, but its thread was not found" % goid(gp))
        old = gdb.selected_thread()
        level = gdb.selected_frame().level()
        t.switch()
        try:
            gdb.execute("frame %d" % frame_no, to_string=True)
            gdb.execute(cmd)
        finally:
            old.switch()
            gdb.execute("frame %d" % level, to_string=True)
        return
    sp = int(gp["sched"]["sp"])
    if sp == 0:
        raise gdb.GdbError("G%d has no saved context" % goid(gp))
    word = lambda off: int(gdb.parse_and_eval("*(unsigned long *)%d" % (sp + off)))
    frame = {"r15": word(8), "r14": word(16), "r13": word(24), "r12": word(32),
             "rbx": word(40), "rbp": word(48), "rip": word(56), "rsp": sp + 64}
    level = gdb.selected_frame().level()
    gdb.execute("select-frame 0", to_string=True)
    saved = {r: int(gdb.parse_and_eval("$" + r)) for r in REGS}
    try:
        for r in REGS:
            gdb.execute("set $%s = %d" % (r, frame[r]), to_string=True)
        gdb.execute("select-frame %d" % frame_no, to_string=True)
        gdb.execute(cmd)
    finally:
        gdb.execute("select-frame 0", to_string=True)
        for r in REGS:
            gdb.execute("set $%s = %d" % (r, saved[r]), to_string=True)
        gdb.execute("select-frame %d" % level, to_string=True)


def current_g():
    """The goroutine the selected thread is running, or None (on g0, or outside a run)."""
    t = gdb.selected_thread()
    if t is None:
        return None
    try:
        handle = int.from_bytes(t.handle(), "little")
    except (gdb.error, AttributeError):
        return None
    for mp in allm():
        if int(mp["thread"]) == handle and int(mp["curg"]):
            return int(mp["curg"])
    return None


class InfoGoroutines(gdb.Command):
    """info goroutines: every goroutine, its status and where it is; * marks the
    one the selected thread is running."""

    def __init__(self):
        super().__init__("info goroutines", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        rows = sorted((goid(gp), gp) for gp in allgs() if g_status(gp) != 6)
        here = current_g()
        for n, gp in rows:
            mark = "*" if here is not None and int(gp) == here else " "
            print("%s G%-4d %-9s %s" % (mark, n, STATUS.get(g_status(gp), "?"), where(gp)))
        if not rows:
            print("no goroutines (the scheduler has not started, or all have exited)")


def ns_str(t, what):
    """A time on nanotime's clock, said relative to now."""
    t = int(t)
    if t == 0:
        return "0 (%s)" % what
    d = (t - time.monotonic_ns()) / 1e6
    text = "%.3f s" % (abs(d) / 1e3) if abs(d) >= 1000 else "%.3f ms" % abs(d)
    return "in " + text if d >= 0 else text + " ago"


class InfoSched(gdb.Command):
    """info sched: the Ps, their queues and timers, the Ms, and sched's netpoll fields."""

    def __init__(self):
        super().__init__("info sched", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        s = gdb.parse_and_eval("runtime::sched")
        print("sched: gomaxprocs %d  npidle %d  nmspinning %d  global runq %d %s"
              % (int(gdb.parse_and_eval("runtime::gomaxprocs")), int(atomic(s["npidle"])),
                 int(atomic(s["nmspinning"])), int(atomic(s["runqsize"])),
                 gnames(global_runq())))
        print("  lastpoll %s   pollUntil %s"
              % (ns_str(atomic(s["lastpoll"]), "an M is blocked in netpoll"),
                 ns_str(atomic(s["pollUntil"]), "no timed poll")))
        for pp in allp():
            mp = atomic(pp["m_"])
            owner = "M%d" % int(mp["id"]) if int(mp) else "no M"
            nxt = atomic(pp["runnext"])
            ntimers = int(atomic(pp["numTimers"]))
            first = ", first %s" % ns_str(atomic(pp["timer0When"]), "none") if ntimers else ""
            print("  P%-2d %-7s %-5s schedtick %-6d runnext %-4s runq %s  timers %d%s"
                  % (int(pp["id"]), P_STATUS.get(int(atomic(pp["status"])), "?"), owner,
                     int(pp["schedtick"]), "G%d" % goid(nxt) if int(nxt) else "-",
                     gnames(runq(pp)), ntimers, first))
        for mp in sorted(allm(), key=lambda mp: int(mp["id"])):
            what = []
            if "sysmon" in str(mp["mstartfn"]):
                what.append("sysmon")
            if int(mp["curg"]):
                what.append("running G%d" % goid(mp["curg"]))
            elif int(atomic(mp["p_"])):
                what.append("on g0 (the scheduler)")
            if bool(mp["spinning"]):
                what.append("spinning")
            if int(mp["vdsoSP"]):
                what.append("in the vDSO")
            print("  M%-2d %-5s %s" % (int(mp["id"]), m_p(mp), ", ".join(what)))


class GoroutineCmd(gdb.Command):
    """goroutine N CMD | goroutine N frame K CMD | goroutine all CMD: run CMD as
    goroutine N (in frame K of its stack), or as each goroutine."""

    def __init__(self):
        super().__init__("goroutine", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        usage = "usage: goroutine N CMD | goroutine N frame K CMD | goroutine all CMD"
        parts = arg.split(None, 1)
        if len(parts) < 2:
            raise gdb.GdbError(usage)
        which, cmd = parts
        frame_no = 0
        words = cmd.split(None, 2)
        # `frame K CMD`: CMD in frame K; `frame K` alone is gdb's own command.
        if len(words) == 3 and words[0] == "frame" and words[1].isdigit():
            frame_no, cmd = int(words[1]), words[2]
        if which == "all":
            for n, gp in sorted((goid(gp), gp) for gp in allgs() if g_status(gp) != 6):
                print("\ngoroutine %d:" % n)
                try:
                    run_as(gp, cmd, frame_no)
                except gdb.error as e:
                    print(str(e))
            return
        gp = find_g(int(which))
        if gp is None:
            raise gdb.GdbError("no goroutine %s" % which)
        try:
            run_as(gp, cmd, frame_no)
        except gdb.error as e:  # the command's own error, said plainly
            raise gdb.GdbError(str(e))


class InfoNetpoll(gdb.Command):
    """info netpoll: the epoll set, the break pipe, and every registered descriptor."""

    def __init__(self):
        super().__init__("info netpoll", gdb.COMMAND_DATA, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        epfd = int(gdb.parse_and_eval("runtime::epfd"))
        if epfd < 0:
            print("netpoll not initialised (epfd = -1)")
            return
        if release() >= 123:
            wake = "eventfd %d" % int(gdb.parse_and_eval("runtime::netpollEventFd"))
        else:
            wake = "break pipe r=%d w=%d" % (int(gdb.parse_and_eval("runtime::netpollBreakRd")),
                                             int(gdb.parse_and_eval("runtime::netpollBreakWr")))
        sig = int(atomic(gdb.parse_and_eval("runtime::netpollWakeSig")))
        waiters = int(atomic(gdb.parse_and_eval("runtime::netpollWaiters")))
        print("epfd %d   %s   netpollWakeSig %d   netpollWaiters %d" % (epfd, wake, sig, waiters))
        if release() != 119:
            print("(the netpoller of Go %d.%d: make NETPOLL_GO)" % (release() // 100, release() % 100))
        pid = gdb.selected_inferior().pid
        try:
            info = open("/proc/%d/fdinfo/%d" % (pid, epfd)).read()
        except OSError as e:
            print("cannot read the epoll set: %s" % e)
            return
        brk, name, brk_what = wakeup()
        print("registered (from /proc/%d/fdinfo/%d):" % (pid, epfd))
        for m in re.finditer(r"tfd:\s*(\d+)\s+events:\s*([0-9a-f]+)\s+data:\s*([0-9a-f]+)", info):
            fd, ev, data = int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
            if data == brk:
                what = "%s (data = %s)" % (brk_what, name)
            else:
                addr, tag = unpack(data)
                pd = gdb.Value(addr).cast(pd_type().pointer()).dereference()
                what = "pollDesc %s %s%s" % (hex(addr), "" if tag is None else "tag %d " % tag,
                                            PollDescPrinter(pd).to_string())
            print("  fd %-4d %-36s %s" % (fd, events_str(ev), what))


GUIDE = """\
netpoll-asm in gdb.  Breakpoints are set at netpollinit and epollwait.
  run                      start; stops in netpollinit (netpoll_epoll.go:32)
  next / step              walk netpollinit; `step` into epollcreate1 enters the .asm
  stepi, x/i $pc, p $rax   at the `syscall`: rax is the number (291, 232, ...)
  continue                 on to epollwait, called by netpoll
  bt                       who polls: netpoll <- findRunnable <- schedule <- mstart
  info goroutines          each goroutine; parked ones say `netpollblock fd=N 'r'`
  info sched               Ps (run queues, runnext, timers), Ms, sched.lastpoll
  goroutine 2 bt           the stack of a parked goroutine, down to goexit
  info netpoll             the epoll set: every fd, its events, its pollDesc
  p *pd, p ev              pollDesc and epollevent, pretty-printed
  break netpollready       watch a wake-up: netpoll -> netpollready -> netpollunblock
The walkthrough: notes/gdb.md.  One M (NETPOLL_PROCS=1) is the easiest to follow."""


class Guide(gdb.Command):
    """netpoll-guide: what to try next."""

    def __init__(self):
        super().__init__("netpoll-guide", gdb.COMMAND_SUPPORT, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        print(GUIDE)


InfoGoroutines()
InfoSched()
GoroutineCmd()
InfoNetpoll()
Guide()
