// trace.cpp - Go 1.19.8's runtime/trace.go: the execution tracer.  Events
// go into a buffer per P (or, for an M without one, a global buffer under a
// lock), each buffer a batch: the format `go tool trace` parses (Go 1.19's
// internal/trace), so that Go's own viewer, its -d dump and its profiles
// (-pprof=net, sched, sync, syscall) read ours.
//
// What differs, at the spot: tracing spans a whole run (StartTrace before
// the run's first goroutine, StopTrace after its Ms have stopped), so that
// no stop-the-world is needed, which this runtime has not; the clock is
// nanotime, not cputicks; the trace is written out at the end rather than
// read while it grows (ReadTrace).  What Go traces and this runtime has not
// (the GC and the heap, system calls, CPU samples, user tasks and regions)
// is never emitted: notes/trace.md lists it.
#include <fcntl.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/runtime2.h"
#include "runtime/sys_linux_amd64.h"

namespace runtime {

// trace.go:178  A buffer of events, the batch one P (or the global buffer)
// writes.  Go's are 64 KiB, flushed when full into a list; ours grow, and
// a P's is one batch for the whole run.
struct traceBuf {
  traceBuf* link;            // trace.go:169  on the full list
  uint64_t lastTicks;        // trace.go:170  when the last event was written
  std::vector<uint8_t> arr;  // trace.go:180  the events (pos, trace.go:171, is its size)
  void varint(uint64_t v);
  void byte(uint8_t v);
};

traceState trace;  // trace.go:111

namespace {

constexpr int traceStackSize = 128;         // trace.go:94  frames kept of a stack
constexpr int32_t traceGlobProc = -1;       // trace.go:96  the P id of the global buffer
constexpr int traceArgCountShift = 6;       // trace.go:100
constexpr uint8_t traceFutileWakeup = 128;  // trace.go:107

// trace.go:111  The rest of Go's trace struct that this tracer uses.
mutex listLock;          // trace.go:112  lock: guards the full list
traceBuf* fullHead;      // trace.go:127
traceBuf* fullTail;      // trace.go:128
mutex stringsLock;       // trace.go:156
std::map<std::string, uint64_t> strings;  // trace.go:157
uint64_t stringSeq;      // trace.go:158
mutex bufLock;           // trace.go:163  guards buf
traceBuf* buf;           // trace.go:164  for an M without a P

// trace.go:949  The stacks, each once, an id each.  Go's is a hash table of
// its own allocation; ours a map (the pcs are the key).
struct traceStackTable {
  mutex mu;                                      // trace.go:950  lock
  uint32_t seq;                                  // trace.go:951
  std::map<std::vector<uintptr_t>, uint32_t> tab;  // trace.go:953
  uint32_t put(const uintptr_t* pcs, int n);
  void dump();
};
traceStackTable stackTab;  // trace.go:130

}  // namespace

// trace.go:930  v in 7-bit groups, low first, the top bit saying more come.
void traceBuf::varint(uint64_t v) {
  for (; v >= 0x80; v >>= 7) arr.push_back(static_cast<uint8_t>(0x80 | v));  // trace.go:932-935
  arr.push_back(static_cast<uint8_t>(v));                                    // trace.go:936
}

// trace.go:942
void traceBuf::byte(uint8_t v) { arr.push_back(v); }  // trace.go:943-944

namespace {

// trace.go:1432  The pc a goroutine's stack is said to start at: its
// function (Go looks through a wrapper; ours has none).
uintptr_t startPCforTrace(uintptr_t pc) { return pc; }  // trace.go:1435

// Not in Go: the clock of the trace.  Go's is cputicks()/64 (traceTickDiv);
// ours is nanotime, so that a tick is a nanosecond and the frequency 1e9.
uint64_t cputicks() { return static_cast<uint64_t>(nanotime()); }

// trace.go:549  A full buffer onto the list ReadTrace writes out.
void traceFullQueue(traceBuf* b) {
  b->link = nullptr;        // trace.go:550
  if (fullHead == nullptr)  // trace.go:551
    fullHead = b;           // trace.go:552
  else
    fullTail->link = b;  // trace.go:554
  fullTail = b;          // trace.go:556
}

// trace.go:823  A new buffer (the old one, if any, onto the full list),
// opening its batch: the P it belongs to and the time.
traceBuf* traceFlush(traceBuf* b, int32_t pid) {
  lock(&listLock);                      // trace.go:827
  if (b != nullptr) traceFullQueue(b);  // trace.go:829-831
  b = new traceBuf{};                   // trace.go:836  sysAlloc
  uint64_t ticks = cputicks();          // trace.go:846
  if (ticks == b->lastTicks) {          // trace.go:847
    ticks = b->lastTicks + 1;           // trace.go:848
  }
  b->lastTicks = ticks;                                          // trace.go:850
  b->byte(traceEvBatch | 1 << traceArgCountShift);               // trace.go:851
  b->varint(static_cast<uint64_t>(static_cast<int64_t>(pid)));  // trace.go:852
  b->varint(ticks);                                              // trace.go:853
  unlock(&listLock);                                             // trace.go:856
  return b;                                                      // trace.go:858
}

// trace.go:862  s's id in the string table: a new one, written into *bufp
// as an EvString first, if s is new; 0 for "".
uint64_t traceString(traceBuf** bufp, int32_t pid, const char* s) {
  if (s[0] == 0) return 0;                   // trace.go:863-865
  lock(&stringsLock);                        // trace.go:867
  if (auto it = strings.find(s); it != strings.end()) {  // trace.go:874
    unlock(&stringsLock);                    // trace.go:878
    return it->second;                       // trace.go:880
  }
  stringSeq++;                               // trace.go:883
  uint64_t id = stringSeq;                   // trace.go:884
  strings.emplace(s, id);                    // trace.go:885
  unlock(&stringsLock);                      // trace.go:890
  traceBuf* b = *bufp;                       // trace.go:897
  if (b == nullptr) {                        // trace.go:899
    b = traceFlush(b, pid);                  // trace.go:900
    *bufp = b;                               // trace.go:901
  }
  b->byte(traceEvString);                    // trace.go:903
  b->varint(id);                             // trace.go:904
  size_t slen = std::strlen(s);              // trace.go:908
  b->varint(slen);                           // trace.go:913
  b->arr.insert(b->arr.end(), s, s + slen);  // trace.go:914
  return id;                                 // trace.go:917
}

// trace.go:976  The stack's id, a new one if it is new.  Ids start at 1:
// 0 is no stack.
uint32_t traceStackTable::put(const uintptr_t* pcs, int n) {
  if (n == 0) {  // trace.go:977
    return 0;    // trace.go:978
  }
  std::vector<uintptr_t> key(pcs, pcs + n);
  lock(&mu);  // trace.go:986
  if (auto it = tab.find(key); it != tab.end()) {  // trace.go:987  find
    unlock(&mu);                                   // trace.go:988
    return it->second;                             // trace.go:989
  }
  seq++;                     // trace.go:992
  tab.emplace(key, seq);     // trace.go:993-1003
  uint32_t id = seq;
  unlock(&mu);               // trace.go:1004
  return id;                 // trace.go:1005
}

struct traceFrame {  // trace.go:1084
  uint64_t funcID;   // trace.go:1085
  uint64_t fileID;   // trace.go:1086
  uint64_t line;     // trace.go:1087
};

// trace.go:1092  A frame's function and file as string ids, and its line.
// The function is Go's name for what ours rebuilds (the tracebacks'
// naming, src/runtime/symtab.cpp), the file and line ours.
traceFrame traceFrameForPC(traceBuf** bufp, int32_t pid, uintptr_t pc) {
  traceFrame frame{};  // trace.go:1094
  funcInfo f = findfunc(pc - 1);
  char fn[256], file[256];
  funcname(f, fn, sizeof fn, nullptr);  // trace.go:1096  f.Function
  int32_t line = funcline(f, pc - 1, file, sizeof file);
  frame.funcID = traceString(bufp, pid, fn);    // trace.go:1101
  frame.line = static_cast<uint64_t>(line);     // trace.go:1102
  frame.fileID = traceString(bufp, pid, file);  // trace.go:1107
  return frame;                                 // trace.go:1108
}

// trace.go:1045  The stack table, as EvStack events (each frame: pc,
// function, file, line), into a buffer of its own on the full list; then
// the table is emptied.
void traceStackTable::dump() {
  traceBuf* bufp = traceFlush(nullptr, 0);  // trace.go:1047
  for (auto& [pcs, id] : tab) {             // trace.go:1048-1050
    traceBuf tmpbuf{};                      // trace.go:1051
    tmpbuf.varint(id);                      // trace.go:1052
    tmpbuf.varint(pcs.size());              // trace.go:1054  len(frames): no inlined frames here
    for (uintptr_t pc : pcs) {              // trace.go:1055
      traceFrame frame = traceFrameForPC(&bufp, 0, pc);  // trace.go:1057
      tmpbuf.varint(pc);                                 // trace.go:1058
      tmpbuf.varint(frame.funcID);                       // trace.go:1059
      tmpbuf.varint(frame.fileID);                       // trace.go:1060
      tmpbuf.varint(frame.line);                         // trace.go:1061
    }
    bufp->byte(traceEvStack | 3 << traceArgCountShift);  // trace.go:1069
    bufp->varint(tmpbuf.arr.size());                     // trace.go:1070
    bufp->arr.insert(bufp->arr.end(), tmpbuf.arr.begin(), tmpbuf.arr.end());  // trace.go:1071
  }
  runtime::lock(&listLock);    // trace.go:1075
  traceFullQueue(bufp);        // trace.go:1076
  runtime::unlock(&listLock);  // trace.go:1077
  tab.clear();             // trace.go:1079-1080
  seq = 0;
}

// Whether this code runs on gp's own stack, what Go asks as getg() ==
// mp.curg.  Not in Go's words: our getg() is the M's curg until dropg, on
// g0 too (park_m traces before it drops the g), so the stack pointer tells.
bool onStackOf(g* gp) {
  auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return gp != nullptr && sp >= gp->stack_lo && sp < gp->stack_hi;
}

// trace.go:784  The stack of the goroutine mp runs, as an id: on its own
// stack, from here (callers); from g0, the one it left (gcallers); skip
// frames of it left off the top, its goexit (and main's runtime.main) off
// the bottom.
uint64_t traceStackID(m* mp, uintptr_t* buf_, int skip) {
  g* gp = mp->curg;  // trace.go:786
  int nstk = 0;      // trace.go:787
  if (onStackOf(gp)) {                               // trace.go:788  gp == getg()
    nstk = callers(skip + 1, buf_, traceStackSize);  // trace.go:789
  } else if (gp != nullptr) {                        // trace.go:790
    nstk = gcallers(gp, skip, buf_, traceStackSize);  // trace.go:792
  }
  // Not in Go: below goexit, ours has goroutine_start, which calls the g's
  // function; it goes with goexit.
  char name[64];
  if (nstk > 0 && std::strcmp(funcname(findfunc(buf_[nstk - 1] - 1), name, sizeof name, nullptr),
                              "goroutine_start") == 0)
    nstk--;
  if (nstk > 0) {  // trace.go:794
    nstk--;        // trace.go:795  runtime.goexit off
  }
  if (nstk > 0 && gp->goid == 1) {  // trace.go:797
    nstk--;                         // trace.go:798  runtime.main off
  }
  return stackTab.put(buf_, nstk);  // trace.go:800-801
}

// trace.go:622  One event into *bufp: its type and how many arguments
// follow (past three, its length), the time since the batch's last event,
// the arguments, and a stack (skip >= 0: the current one, 0 an empty one;
// stackID: one already in the table).
void traceEventLocked(m* mp, int32_t pid, traceBuf** bufp, uint8_t ev, uint32_t stackID, int skip,
                      const uint64_t* args, int nargs) {
  traceBuf* b = *bufp;     // trace.go:623
  if (b == nullptr) {      // trace.go:626  (Go's: also when full)
    b = traceFlush(b, pid);  // trace.go:627
    *bufp = b;               // trace.go:628
  }
  uint64_t ticks = cputicks();            // trace.go:633
  uint64_t tickDiff = ticks - b->lastTicks;  // trace.go:634
  if (tickDiff == 0) {                    // trace.go:635
    ticks = b->lastTicks + 1;             // trace.go:636
    tickDiff = 1;                         // trace.go:637
  }
  b->lastTicks = ticks;                        // trace.go:640
  uint8_t narg = static_cast<uint8_t>(nargs);  // trace.go:641
  if (stackID != 0 || skip >= 0) {             // trace.go:642
    narg++;                                    // trace.go:643
  }
  if (narg > 3) {  // trace.go:647
    narg = 3;      // trace.go:648
  }
  size_t startPos = b->arr.size();                                 // trace.go:650
  b->byte(static_cast<uint8_t>(ev | narg << traceArgCountShift));  // trace.go:651
  size_t lenp = 0;                                                 // trace.go:652
  if (narg == 3) {             // trace.go:653
    b->varint(0);              // trace.go:655  room for the length, under 128
    lenp = b->arr.size() - 1;  // trace.go:656
  }
  b->varint(tickDiff);  // trace.go:658
  for (int i = 0; i < nargs; i++) b->varint(args[i]);  // trace.go:659-661
  if (stackID != 0) {        // trace.go:662
    b->varint(stackID);      // trace.go:663
  } else if (skip == 0) {    // trace.go:664
    b->varint(0);            // trace.go:665
  } else if (skip > 0) {     // trace.go:666
    uintptr_t stk[traceStackSize];                // Go keeps this scratch space in the buffer
    b->varint(traceStackID(mp, stk, skip));       // trace.go:667
  }
  size_t evSize = b->arr.size() - startPos;  // trace.go:669
  if (evSize > 2 + 5 * 10) {                 // trace.go:670  maxSize
    throw_("invalid length of trace event");  // trace.go:671
  }
  if (lenp != 0) {                                     // trace.go:673
    b->arr[lenp] = static_cast<uint8_t>(evSize - 2);   // trace.go:675
  }
}

// trace.go:805  The running M, its P's id and buffer; without a P, the
// global buffer, locked.
traceBuf** traceAcquireBuffer(m** mp, int32_t* pid) {
  *mp = getm();  // trace.go:806  acquirem
  if (p* pp = (*mp)->p_.load(); pp != nullptr) {  // trace.go:807
    *pid = pp->id;                                // trace.go:808
    return &pp->tracebuf;
  }
  lock(&bufLock);          // trace.go:810
  *pid = traceGlobProc;    // trace.go:811
  return &buf;
}

// trace.go:815
void traceReleaseBuffer(int32_t pid) {
  if (pid == traceGlobProc) {  // trace.go:816
    unlock(&bufLock);          // trace.go:817
  }
}

// trace.go:578  An event from the running M, into its buffer.
void traceEvent(uint8_t ev, int skip, std::initializer_list<uint64_t> args) {
  m* mp;
  int32_t pid;
  traceBuf** bufp = traceAcquireBuffer(&mp, &pid);  // trace.go:579
  if (!trace.enabled && !mp->startingtrace) {       // trace.go:591
    traceReleaseBuffer(pid);                        // trace.go:592
    return;                                         // trace.go:593
  }
  if (skip > 0) {                  // trace.go:596
    if (onStackOf(mp->curg)) {     // trace.go:597  getg() == mp.curg
      skip++;                      // trace.go:598  +1: the frame that takes the stack
    }
  }
  traceEventLocked(mp, pid, bufp, ev, 0, skip, args.begin(), static_cast<int>(args.size()));  // trace.go:601
  traceReleaseBuffer(pid);  // trace.go:602
}

}  // namespace

// trace.go:203  Start tracing.  Go stops the world for a consistent view of
// its goroutines; ours is called by run before any M but m0 starts (not in
// Go), so the world is already still.  Returns an error, or nullptr.
const char* StartTrace() {
  if (trace.enabled) {                    // trace.go:221
    return "tracing is already enabled";  // trace.go:225
  }
  m* mp = getm();
  mp->startingtrace = true;  // trace.go:236
  // trace.go:239-254 left out: the stack of the StartTrace call (there is
  // no goroutine yet) and the CPU profile buffer.
  for (g* gp = __atomic_load_n(&allg_head, __ATOMIC_ACQUIRE); gp != nullptr;
       gp = __atomic_load_n(&gp->alllink, __ATOMIC_ACQUIRE)) {  // trace.go:257  forEachGRace
    uint32_t status = gp->atomicstatus.load();                // trace.go:258
    if (status != Gdead) {                                    // trace.go:259
      gp->traceseq = 0;                                       // trace.go:260
      gp->tracelastp = mp->p_.load();                         // trace.go:261
      uintptr_t pc = startPCforTrace(reinterpret_cast<uintptr_t>(gp->fn)) + 1;
      uint32_t id = stackTab.put(&pc, 1);                               // trace.go:263
      traceEvent(traceEvGoCreate, -1, {static_cast<uint64_t>(gp->goid), id, 0});  // trace.go:264
    }
    if (status == Gwaiting) {                                             // trace.go:266
      gp->traceseq++;                                                     // trace.go:268
      traceEvent(traceEvGoWaiting, -1, {static_cast<uint64_t>(gp->goid)});  // trace.go:269
    }
    // trace.go:271-276 left out: goroutines in a system call; none are here.
  }
  traceProcStart();  // trace.go:278
  // trace.go:279 left out: traceGoStart of the caller; no goroutine runs yet.
  // Not in Go: Go's first Gomaxprocs comes from the start-the-world after
  // this (procresize); ours, when the run's procresize has already run.
  traceGomaxprocs(gomaxprocs);
  stringSeq = 0;              // trace.go:292
  strings.clear();            // trace.go:293
  mp->startingtrace = false;  // trace.go:296
  trace.enabled = true;       // trace.go:297
  // trace.go:300-303 left out: the GC mark workers' labels.
  return nullptr;
}

// trace.go:316  Stop tracing; ours after the run's Ms have stopped, so the
// buffers are still (not in Go: no stop-the-world).
void StopTrace() {
  if (!trace.enabled) return;  // trace.go:327-332
  // trace.go:334-338 left out: traceGoSched of the caller (the run has
  // ended), and CPU samples.
  for (int32_t i = 0; i < gomaxprocs; i++) {
    p* pp = allp[i];                 // trace.go:342  allp
    traceBuf* b = pp->tracebuf;      // trace.go:343
    if (b != nullptr) {                       // trace.go:344
      lock(&listLock);
      traceFullQueue(b);           // trace.go:345
      unlock(&listLock);
      pp->tracebuf = nullptr;       // trace.go:346
    }
  }
  if (buf != nullptr) {    // trace.go:349
    traceBuf* b = buf;     // trace.go:350
    buf = nullptr;         // trace.go:351
    lock(&listLock);
    traceFullQueue(b);     // trace.go:353
    unlock(&listLock);
  }
  trace.enabled = false;  // trace.go:374
}

// trace.go:421  The trace, all of it: the header, every batch, the
// frequency, then the stack table with the strings its frames name.  Go's
// hands it out a piece a call while tracing goes on; ours all at once,
// after StopTrace.
std::string ReadTrace() {
  std::string out("go 1.19 trace\0\0\0", 16);  // trace.go:451  the header
  auto drain = [&] {  // the full buffers, in the order they were queued
    lock(&listLock);
    for (traceBuf* b = fullHead; b != nullptr;) {  // trace.go:465  fullHead
      out.append(reinterpret_cast<const char*>(b->arr.data()), b->arr.size());
      traceBuf* next = b->link;
      delete b;
      b = next;
    }
    fullHead = fullTail = nullptr;
    unlock(&listLock);
  };
  drain();
  traceBuf data{};                                        // trace.go:483
  data.byte(traceEvFrequency | 0 << traceArgCountShift);  // trace.go:484
  data.varint(1000000000);  // trace.go:485  ticks a second: ours are nanoseconds
  out.append(reinterpret_cast<const char*>(data.arr.data()), data.arr.size());
  stackTab.dump();  // trace.go:488
  drain();          // what dump queued: Go's next call returns it
  return out;
}

// trace.go:1167
void traceGomaxprocs(int32_t procs) {
  traceEvent(traceEvGomaxprocs, 1, {static_cast<uint64_t>(procs)});  // trace.go:1168
}

// trace.go:1171
void traceProcStart() {
  traceEvent(traceEvProcStart, -1, {static_cast<uint64_t>(getm()->id)});  // trace.go:1172
}

// trace.go:1175  pp's stop, written into pp's buffer.
void traceProcStop(p* pp) {
  m* mp = getm();           // trace.go:1178  acquirem
  p* oldp = mp->p_.load();  // trace.go:1179
  mp->p_.store(pp);         // trace.go:1180
  traceEvent(traceEvProcStop, -1, {});  // trace.go:1181
  mp->p_.store(oldp);       // trace.go:1182
}

// trace.go:1251  newg made: its stack is its function; the event's, who made it.
void traceGoCreate(g* newg, uintptr_t pc) {
  newg->traceseq = 0;                         // trace.go:1252
  newg->tracelastp = getm()->p_.load();       // trace.go:1253
  uintptr_t start = startPCforTrace(pc) + 1;  // trace.go:1255  +PCQuantum: a return pc
  uint32_t id = stackTab.put(&start, 1);      // trace.go:1255
  traceEvent(traceEvGoCreate, 2, {static_cast<uint64_t>(newg->goid), id});  // trace.go:1256
}

// trace.go:1259  The M's g starts running: on the P that last saw it, the
// short (Local) event; else with its sequence number, for the parser to
// order it after the event that made it runnable.
void traceGoStart() {
  m* mp = getm();
  g* gp = mp->curg;       // trace.go:1260
  p* pp = mp->p_.load();  // trace.go:1261
  gp->traceseq++;         // trace.go:1262
  // trace.go:1263-1264 left out: the GC mark workers' label.
  if (gp->tracelastp == pp) {                                                 // trace.go:1265
    traceEvent(traceEvGoStartLocal, -1, {static_cast<uint64_t>(gp->goid)});  // trace.go:1266
  } else {
    gp->tracelastp = pp;                                                               // trace.go:1268
    traceEvent(traceEvGoStart, -1, {static_cast<uint64_t>(gp->goid), gp->traceseq});  // trace.go:1269
  }
}

// trace.go:1273
void traceGoEnd() { traceEvent(traceEvGoEnd, -1, {}); }  // trace.go:1274

// trace.go:1277
void traceGoSched() {
  g* gp = getg();                      // trace.go:1278
  gp->tracelastp = getm()->p_.load();  // trace.go:1279
  traceEvent(traceEvGoSched, 1, {});   // trace.go:1280
}

// trace.go:1289  The M's g parks: the event gopark's caller chose.
void traceGoPark(uint8_t traceEv, int skip) {
  if ((traceEv & traceFutileWakeup) != 0) {  // trace.go:1290
    traceEvent(traceEvFutileWakeup, -1, {});  // trace.go:1291
  }
  traceEvent(static_cast<uint8_t>(traceEv & ~traceFutileWakeup), skip, {});  // trace.go:1293
}

// trace.go:1296  gp made runnable by the M's g (or by g0, as netpoll's and
// the timers' are): Local when the same P last saw gp.
void traceGoUnpark(g* gp, int skip) {
  p* pp = getm()->p_.load();   // trace.go:1297
  gp->traceseq++;              // trace.go:1298
  if (gp->tracelastp == pp) {  // trace.go:1299
    traceEvent(traceEvGoUnblockLocal, skip, {static_cast<uint64_t>(gp->goid)});  // trace.go:1300
  } else {
    gp->tracelastp = pp;                                                                   // trace.go:1302
    traceEvent(traceEvGoUnblock, skip, {static_cast<uint64_t>(gp->goid), gp->traceseq});  // trace.go:1303
  }
}

// Not in Go: NETPOLL_EXECTRACE=FILE, the switch that traces a run (the
// demo's, a test's) from its start to its end, as a Go program that began
// main with runtime/trace.Start and ended it with Stop; run calls these.
namespace {
int exectrace_fd = -1;
}

void exectraceStart() {
  const char* path = std::getenv("NETPOLL_EXECTRACE");
  if (path == nullptr || path[0] == 0) return;
  exectrace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);  // our openat stub
  if (exectrace_fd < 0) {
    print("NETPOLL_EXECTRACE=%s: cannot create it; running untraced\n", path);
    return;
  }
  if (const char* err = StartTrace()) print("NETPOLL_EXECTRACE: %s\n", err);
}

void exectraceStop() {
  if (exectrace_fd < 0) return;
  StopTrace();
  std::string t = ReadTrace();
  for (size_t at = 0; at < t.size();) {
    size_t chunk = t.size() - at < (1u << 30) ? t.size() - at : (1u << 30);
    int32_t n = write1(static_cast<uintptr_t>(exectrace_fd), t.data() + at, static_cast<int32_t>(chunk));
    if (n <= 0) break;  // -errno: the trace is cut short; the run is over anyway
    at += static_cast<size_t>(n);
  }
  closefd(exectrace_fd);
  exectrace_fd = -1;
}

}  // namespace runtime
