// runtime.h - the runtime's functions outside the netpoller: locks and
// notes (lock_futex.go), futexes (os_linux.go), printing and throw
// (print.go, panic.go), timers (time.go) and the scheduler (proc.go).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/netpolltrace.h"
#include "runtime/runtime2.h"
#include "runtime/sys_linux_amd64.h"

namespace runtime {

// --- lock_futex.go, os_linux.go (src/runtime/lock_futex.cpp) ---
void lock(mutex* l);
void unlock(mutex* l);
void noteclear(note* n);
void notewakeup(note* n);
void notesleep(note* n);
bool notetsleep(note* n, int64_t ns);
void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns);
void futexwakeup(std::atomic<uint32_t>* addr, uint32_t cnt);

// --- print.go (src/runtime/print.cpp) ---
// Go's print/println: formatted without libc, written in one write to fd 2
// (or into runtime::Stack's buffer), unbuffered.  Safe in a signal handler.
void print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void gwrite(const char* b, int32_t n);

// --- panic.go (src/runtime/panic.cpp) ---
// Go's throw (C++ reserves the word): prints "fatal error: s", every
// goroutine's stack, and ends the process with exit status 2.
[[noreturn]] void throw_(const char* s);
[[noreturn]] void fatalthrow(throwType t);
bool startpanic_m();
bool dopanic_m(g* gp, uintptr_t pc, uintptr_t sp, uintptr_t bp);

// --- runtime1.go (src/runtime/runtime1.cpp): GOTRACEBACK ---
void gotraceback(int32_t* level, bool* all, bool* crash);
// runtime1.go:307  GODEBUG's variables that apply here.
struct dbgvars {
  int32_t scheddetail = 0;  // runtime1.go:319
  int32_t schedtrace = 0;   // runtime1.go:320
};
extern dbgvars debug;
void parsedebugvars();
void setTraceback(const char* level);

// --- symtab.go (src/runtime/symtab.cpp): functions, names, lines ---
struct funcInfo {            // symtab.go:799
  uintptr_t entry = 0;       // its first instruction, in memory
  uintptr_t end = 0;         // just past its last
  const char* name = nullptr;  // its linker (mangled) name
  bool valid() const { return entry != 0; }  // symtab.go:804
};
funcInfo findfunc(uintptr_t pc);
// Go's name for the function f rebuilds (internal/poll.(*FD).Read), or its
// C++ name if it has no Go twin (*twin false), into buf.
const char* funcname(funcInfo f, char* buf, size_t n, bool* twin);
// The line of targetpc, and its file into file.
int32_t funcline(funcInfo f, uintptr_t targetpc, char* file, size_t n);

// --- traceback.go (src/runtime/traceback.cpp) ---
void printcreatedby(g* gp);
void printcreatedby1(funcInfo f, uintptr_t pc);
void traceback(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp);
void tracebacktrap(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp);
void traceback1(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp, unsigned flags);
bool showframe(funcInfo f, g* gp, bool firstFrame);
bool showfuncinfo(funcInfo f, bool firstFrame);
bool isExportedRuntime(const char* name);
void goroutineheader(g* gp);
void tracebackothers(g* me);
int callers(int skip, uintptr_t* pcbuf, int max);
int gcallers(g* gp, int skip, uintptr_t* pcbuf, int max);

// --- mprof.go (src/runtime/mprof.cpp) ---
// Go's runtime.Stack: the caller's stack (and, with all, everyone's) as a
// fatal error prints it, at GOTRACEBACK=single, into buf; the bytes written.
int32_t Stack(char* buf, int32_t len, bool all);

// --- time_nofake.go (src/runtime/time_nofake.cpp) ---
int64_t nanotime();  // the monotonic clock, in ns
// The runtime's write: to overrideWrite when it is set, else write1.
extern int32_t (*overrideWrite)(uintptr_t fd, const void* p, int32_t n);
int32_t write(uintptr_t fd, const void* p, int32_t n);

// --- os_linux.go (src/runtime/os_linux.cpp): start-up, threads ---
void sysargs(int32_t argc, char** argv);  // runs before main, from .init_array
int32_t sysauxv(const uintptr_t* auxv);
// Start mp's thread, running start(mp), with every signal blocked until minit.
void newosproc(m* mp, void* (*start)(void*));

// --- vdso_linux.go, vdso_linux_amd64.go (src/runtime/vdso_linux*.cpp) ---
struct vdsoSymbolKey {  // vdso_linux.go:68
  const char* name;
  uint32_t symHash;  // ELF hash of name
  uint32_t gnuHash;  // GNU hash of name
  uintptr_t* ptr;    // where the address goes
};
struct vdsoVersionKey {  // vdso_linux.go:75
  const char* version;
  uint32_t verHash;
};
void vdsoauxv(uintptr_t tag, uintptr_t val);
extern const vdsoVersionKey vdsoLinuxVersion;
extern const vdsoSymbolKey vdsoSymbolKeys[2];
// C names: asm/sys_linux_amd64.asm's nanotime1 reads vdsoClockgettimeSym.
extern "C" uintptr_t vdsoGettimeofdaySym;
extern "C" uintptr_t vdsoClockgettimeSym;

// --- time.go (src/runtime/time.cpp): a 4-ary timer heap per P ---
void timeSleep(int64_t ns);  // time.go:178  Go's time.Sleep
bool resetForSleep(g* gp, void* t);
void goroutineReady(void* arg, uintptr_t seq);
void addtimer(timer* t);
void doaddtimer(p* pp, timer* t);
bool deltimer(timer* t);
int32_t dodeltimer(p* pp, int32_t i);
void dodeltimer0(p* pp);
bool modtimer(timer* t, int64_t when, int64_t period, void (*f)(void*, uintptr_t), void* arg,
              uintptr_t seq);
bool resettimer(timer* t, int64_t when);
void cleantimers(p* pp);
void moveTimers(p* pp, timer** timers, int32_t n);
void adjusttimers(p* pp, int64_t now);
void addAdjustedTimers(p* pp, timer** moved, int32_t n);
int64_t nobarrierWakeTime(p* pp);
int64_t runtimer(p* pp, int64_t now);
void runOneTimer(p* pp, timer* t, int64_t now);
void clearDeletedTimers(p* pp);
void updateTimer0When(p* pp);
void updateTimerModifiedEarliest(p* pp, int64_t nextwhen);
int64_t timeSleepUntil();
int32_t siftupTimer(timer** t, int32_t n, int32_t i);
void siftdownTimer(timer** t, int32_t n, int32_t i);
[[noreturn]] void badTimer();
// Not in Go: the timers pending in every P's heap, for tests.
int32_t ntimers();

// --- stack.go (src/runtime/stack.cpp) ---
// A stack of n bytes, [*lo, *hi), from a span of them; never freed.
void stackalloc(uintptr_t n, uintptr_t* lo, uintptr_t* hi);

// --- sema.go (src/runtime/sema.cpp) ---
// Take one unit of *addr, parking the goroutine until there is one.
void sync_runtime_Semacquire(std::atomic<uint32_t>* addr);
void poll_runtime_Semacquire(std::atomic<uint32_t>* addr);
// Add one unit and ready one waiter; handoff gives it the unit directly.
void sync_runtime_Semrelease(std::atomic<uint32_t>* addr, bool handoff);
void poll_runtime_Semrelease(std::atomic<uint32_t>* addr);

// --- trace.go (src/runtime/trace.cpp): the execution tracer ---
enum : uint8_t {              // trace.go:23  the event types this runtime emits
  traceEvBatch = 1,           // trace.go:25  [pid, timestamp]
  traceEvFrequency = 2,       // trace.go:26  [ticks per second]
  traceEvStack = 3,           // trace.go:27  [id, n, {pc, func, file, line}...]
  traceEvGomaxprocs = 4,      // trace.go:28  [timestamp, GOMAXPROCS, stack]
  traceEvProcStart = 5,       // trace.go:29  [timestamp, thread id]
  traceEvProcStop = 6,        // trace.go:30  [timestamp]
  traceEvGoCreate = 13,       // trace.go:37  [timestamp, new g, new stack, stack]
  traceEvGoStart = 14,        // trace.go:38  [timestamp, g, seq]
  traceEvGoEnd = 15,          // trace.go:39  [timestamp]
  traceEvGoSched = 17,        // trace.go:41  [timestamp, stack]
  traceEvGoSleep = 19,        // trace.go:43  [timestamp, stack]
  traceEvGoBlock = 20,        // trace.go:44  [timestamp, stack]
  traceEvGoUnblock = 21,      // trace.go:45  [timestamp, g, seq, stack]
  traceEvGoBlockSync = 25,    // trace.go:49  [timestamp, stack]
  traceEvGoBlockNet = 27,     // trace.go:51  [timestamp, stack]
  traceEvGoWaiting = 31,      // trace.go:55  [timestamp, g]
  traceEvFutileWakeup = 36,   // trace.go:60  [timestamp]
  traceEvString = 37,         // trace.go:61  [id, length, string]
  traceEvGoStartLocal = 38,   // trace.go:62  [timestamp, g]
  traceEvGoUnblockLocal = 39, // trace.go:63  [timestamp, g, stack]
};
struct traceState {  // trace.go:111
  bool enabled;      // trace.go:114  written only while no other M runs
};
extern traceState trace;
const char* StartTrace();
void StopTrace();
std::string ReadTrace();
void traceGomaxprocs(int32_t procs);
void traceProcStart();
void traceProcStop(p* pp);
void traceGoCreate(g* newg, uintptr_t pc);
void traceGoStart();
void traceGoEnd();
void traceGoSched();
void traceGoPark(uint8_t traceEv, int skip);
void traceGoUnpark(g* gp, int skip);
void exectraceStart();  // NETPOLL_EXECTRACE=FILE: a run traced whole (not in Go)
void exectraceStop();

// --- proc.go (src/runtime/proc.cpp) ---
g* getg();  // the running g, or nullptr on an M's own stack (g0)
// This thread's M, or nullptr outside the scheduler.  A C name too:
// asm/sys_linux_amd64.asm's nanotime1 calls it where Go's reads g_m(R14).
m* getm() __asm__("runtime_getm");
uint32_t fastrand();
void ready(g* gp, int traceskip, bool next);
void gopark(bool (*unlockf)(g*, void*), void* lock, waitReason reason, uint8_t traceEv,
            int traceskip);
void goparkunlock(mutex* lock, waitReason reason, uint8_t traceEv, int traceskip);
void goready(g* gp, int traceskip = 0);  // a test's call: goready(gp)
void Gosched();
void casgstatus(g* gp, uint32_t oldval, uint32_t newval);
g* newproc(void (*fn)(void*), void* arg);
void startm(p* pp, bool spinning);
void handoffp(p* pp);
void wakep();
bool pollWork();
g* stealWork(int64_t now, bool* inheritTime, int64_t* rnow, int64_t* pollUntil, bool* newWork);
p* checkRunqsNoP();
int64_t checkTimersNoP(int64_t pollUntil);
void wakeNetPoller(int64_t when);
void injectglist(gList* glist);
bool checkTimers(p* pp, int64_t now, int64_t* rnow, int64_t* pollUntil);
void acquirep(p* pp);
p* releasep();
void globrunqput(g* gp);
void globrunqputbatch(gQueue* batch, int32_t n);
g* globrunqget(p* pp, int32_t max);
void updateTimerPMask(p* pp);
int64_t pidleput(p* pp, int64_t now);
p* pidleget(int64_t now, int64_t* rnow);
bool runqempty(p* pp);
void runqput(p* pp, g* gp, bool next);
bool runqputslow(p* pp, g* gp, uint32_t h, uint32_t t);
void runqputbatch(p* pp, gQueue* q, int qsize);
g* runqget(p* pp, bool* inheritTime);
uint32_t runqgrab(p* pp, std::atomic<g*>* batch, uint32_t batchHead, bool stealRunNextG);
g* runqsteal(p* pp, p* p2, bool stealRunNextG);
// proc.go:145  The main goroutine's function: starts sysmon, calls run's fn.
void main(void*);
// Runs fn(arg) as the main goroutine on nprocs Ps (NETPOLL_PROCS, else the
// number of CPUs, when nprocs is 0); returns when it returns, with the
// number of other goroutines still alive then.  Not in Go, where main's
// return ends the process: here tests run the scheduler again and again.
int32_t run(void (*fn)(void*), void* arg, int32_t nprocs = 0);
// Every g ever made, oldest first (Go's allgs), for tests and gdb.
g* allgs();
int32_t mcount();  // proc.go: the Ms made in this run
// Not in Go: throws if called from a thread with no M (Go has none such).
void onM(const char* what);

}  // namespace runtime
