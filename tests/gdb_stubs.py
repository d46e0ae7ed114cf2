# Driven by tests/gdb_test.cpp: stop at every stub the tour calls, note the
# argument registers at entry, step to the `syscall` instruction, and print
# what the kernel will read.  One line per stub, the first time it is hit.
import gdb

STUBS = ["epollcreate", "epollcreate1", "epollctl", "epollwait", "epollpwait", "runtime_read",
         "write1", "runtime_pipe2", "closefd", "closeonexec", "futex"]
seen = set()
gdb.execute("set pagination off")
for s in STUBS:
    gdb.Breakpoint(s, internal=True)


def reg(r):
    return int(gdb.parse_and_eval("$" + r)) & 0xffffffffffffffff


def on_stop(ev):
    if not isinstance(ev, gdb.BreakpointEvent):
        return
    name = gdb.selected_frame().name()
    if name in seen:
        return
    seen.add(name)
    entry = [reg(r) for r in ("rdi", "rsi", "rdx", "rcx")]
    for _ in range(20):
        if "syscall" in gdb.execute("x/i $pc", to_string=True):
            break
        gdb.execute("stepi", to_string=True)
    line = gdb.find_pc_line(gdb.selected_frame().pc())
    at = [reg(r) for r in ("rax", "rdi", "rsi", "rdx", "r10", "r8")]
    print("STUB %s line=%s:%d at=%s entry=%s" % (name, line.symtab.filename if line.symtab else "?",
                                               line.line, ",".join(hex(x) for x in at),
                                               ",".join(hex(x) for x in entry)))


gdb.events.stop.connect(on_stop)
gdb.execute("run >/dev/null")
while gdb.selected_inferior().pid != 0:
    try:
        gdb.execute("continue")
    except gdb.error:
        break
