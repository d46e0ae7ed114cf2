// The build keeps the stubs steppable: gdb, stopped in a stub, shows the
// .asm source line, and at the `syscall` instruction rax holds the stub's
// number.  Runs gdb in batch mode on the tour (which, under a debugger,
// calls the stubs in its own process).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "testutil.h"
#include "tools/goref.h"

namespace {

std::string tour_path() { return testutil::build_dir() + "/tour"; }
std::string target_path() { return testutil::build_dir() + "/tests/gdb_target"; }

// Runs gdb in batch mode on `program` with the extension loaded, then the
// given script of gdb commands.
std::string run_gdb(const std::string& script, const std::string& program = tour_path(),
                    const std::string& extra = "") {
  char path[] = "/tmp/netpoll-gdb-XXXXXX";
  int fd = mkstemp(path);
  std::string cmd = "gdb -batch -nx -x " PROJECT_ROOT "/src/runtime/runtime-gdb.py " + extra +
                    " -x " + std::string(path) + " " + program + " </dev/null 2>&1";
  if (write(fd, script.data(), script.size()) != static_cast<ssize_t>(script.size())) return "";
  close(fd);
  std::string out = testutil::output_of(cmd);
  unlink(path);
  return out;
}

bool gdb_missing() { return system("command -v gdb >/dev/null 2>&1") != 0; }
bool ptrace_forbidden(const std::string& out) {
  return out.find("ptrace: Operation not permitted") != std::string::npos ||
         out.find("Could not trace the inferior process") != std::string::npos;
}

// The gdb_target session the printer and goroutine tests share.
const std::string& target_session() {
  static std::string out = run_gdb(
      "set pagination off\n"
      "break gdb_stop_here\n"
      "run\n"
      "echo ==goroutines\\n\n"
      "info goroutines\n"
      "echo ==sched\\n\n"
      "info sched\n"
      "echo ==ev_pd\\n\n"
      "print ev_pd\n"
      "echo ==ev_break\\n\n"
      "print ev_break\n"
      "echo ==reader_pd\\n\n"
      "print *reader_pd\n"
      "echo ==ready_pd\\n\n"
      "print *ready_pd\n"
      "echo ==deadline_pd\\n\n"
      "print *deadline_pd\n"
      "echo ==bt2\\n\n"
      "goroutine 2 bt\n"
      "echo ==frame2\\n\n"
      "goroutine 2 frame 2 print *pd\n"
      "echo ==back\\n\n"
      "frame\n"
      "echo ==printers\\n\n"
      "print ev_pd\n"
      "print &ev_pd\n"
      "print reader_pd\n"
      "print runtime::sched.runq\n"
      "print &runtime::sched.runq\n"
      "print *runtime::allg_head\n"
      "print runtime::allg_head\n"
      "print two\n"
      "print &two\n"
      "print *&two\n"
      "goroutine 2 frame 2 info locals\n"
      "echo ==netpoll\\n\n"
      "info netpoll\n"
      "echo ==end\\n\n"
      "kill\n",
      target_path());
  return out;
}

// The part of the session between "==name" and the next "==".
std::string section(const std::string& name) {
  const std::string& out = target_session();
  size_t a = out.find("==" + name + "\n");
  if (a == std::string::npos) return "";
  a += name.size() + 3;
  return out.substr(a, out.find("\n==", a) - a);
}

}  // namespace

TEST(Gdb, StepiThroughEpollwaitShowsAsmLinesAndRax232AtSyscall) {
  if (system("command -v gdb >/dev/null 2>&1") != 0) GTEST_SKIP() << "gdb is not installed";
  ASSERT_TRUE(testutil::built(tour_path()));
  std::string out = run_gdb(
      "set pagination off\n"
      "set confirm off\n"
      "break epollwait\n"
      "run >/dev/null\n"
      "stepi 4\n"
      "x/i $pc\n"
      "printf \"rax=%d\\n\", $rax\n"
      "kill\n");
  if (out.find("ptrace: Operation not permitted") != std::string::npos)
    GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_NE(out.find("Breakpoint 1, epollwait () at asm/sys_linux_amd64.asm:"), std::string::npos)
      << out;
  // stepi prints the new source line, from the .asm file, with its Go citation.
  EXPECT_NE(out.find("syscall                                 ; sys_linux_amd64.s:705"),
            std::string::npos)
      << out;
  // Four instructions in: the three MOVLs (edi, edx, r10d) and the number.
  EXPECT_NE(out.find("<epollwait+12>:\tsyscall"), std::string::npos) << out;
  EXPECT_NE(out.find("rax=232"), std::string::npos) << out;
}

// NETPOLL_EPOLL=pwait: the demo's netpoll calls epollpwait, and gdb steps
// the instruction Go 1.19 executes, epoll_pwait (281) with r8 = NULL.
TEST(Gdb, WithNetpollEpollPwaitNetpollStepsGosOwnSyscall) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  std::string out = testutil::output_of(
      "ASAN_OPTIONS=detect_leaks=0 NETPOLL_EPOLL=pwait NETPOLL_PROCS=1 gdb -batch -nx "
      "-ex 'break epollpwait' -ex run -ex 'set scheduler-locking step' -ex 'stepi 5' "
      "-ex 'x/i $pc' -ex 'p $rax' -ex 'p $r8' "
      "-ex 'bt 2' -ex kill " +
      testutil::build_dir() + "/demo </dev/null 2>&1");
  if (ptrace_forbidden(out)) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_TRUE(std::regex_search(out, std::regex("<epollpwait\\+[0-9]+>:\\s+syscall"))) << out;
  EXPECT_NE(out.find("$1 = 281\n$2 = 0\n"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("#1 .* in runtime::netpoll \\("))) << out;
}

TEST(Gdb, AtEachStubsSyscallRaxIsItsNumberAndTheArgumentsAreInTheKernelsRegisters) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  std::string out = run_gdb("", tour_path(), "-x " PROJECT_ROOT "/tests/gdb_stubs.py");
  if (ptrace_forbidden(out)) GTEST_SKIP() << "this machine forbids ptrace";
  // name -> (number, how many arguments stay where System V put them)
  const std::map<std::string, std::pair<uint64_t, int>> want = {
      {"epollcreate", {213, 1}}, {"epollcreate1", {291, 1}},  {"epollctl", {233, 4}},
      {"epollwait", {232, 4}},   {"epollpwait", {281, 4}},    {"runtime_read", {0, 3}},
      {"write1", {1, 3}},        {"runtime_pipe2", {293, 0}}, {"closefd", {3, 1}},
      {"closeonexec", {72, 1}},  {"futex", {202, 4}}};
  static const std::regex line(
      R"(STUB (\w+) line=(\S+):(\d+) at=(\w+),(\w+),(\w+),(\w+),(\w+),(\w+) entry=(\w+),(\w+),(\w+),(\w+))");
  std::map<std::string, std::smatch> got;
  std::istringstream in(out);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (const std::string& l : lines) {
    std::smatch m;
    if (std::regex_search(l, m, line)) got[m[1]] = m;
  }
  auto hex = [](const std::ssub_match& s) { return std::stoull(s.str(), nullptr, 16); };
  for (auto& [name, spec] : want) {
    auto it = got.find(name);
    ASSERT_NE(it, got.end()) << "the tour never stopped in " << name << "\n" << out;
    const std::smatch& m = it->second;
    EXPECT_NE(m[2].str().find("sys_linux_amd64.asm"), std::string::npos) << name << ": " << m[2];
    EXPECT_EQ(hex(m[4]), spec.first) << name << ": rax at the syscall";
    uint64_t at[5] = {hex(m[5]), hex(m[6]), hex(m[7]), hex(m[8]), hex(m[9])};  // rdi rsi rdx r10 r8
    uint64_t entry[4] = {hex(m[10]), hex(m[11]), hex(m[12]), hex(m[13])};      // rdi rsi rdx rcx
    const uint64_t lo = 0xffffffff;
    for (int i = 0; i < spec.second && i < 3; i++)
      EXPECT_EQ(at[i] & lo, entry[i] & lo) << name << ": argument " << i + 1 << " moved";
    if (spec.second == 4) {
      EXPECT_EQ(at[3] & lo, entry[3] & lo) << name << ": the 4th argument must go from rcx to r10";
    }
    if (name == "runtime_pipe2") {
      EXPECT_EQ(at[0], entry[1]) << "pipe2: the array goes first to the kernel";
      EXPECT_EQ(at[1] & lo, entry[0] & lo) << "pipe2: the flags second";
    }
    if (name == "epollpwait") {
      EXPECT_EQ(at[4], 0u) << "epollpwait: sigmask (r8) must be NULL";
    }
    if (name == "closeonexec") {
      EXPECT_EQ(at[1], 2u) << "F_SETFD";
      EXPECT_EQ(at[2], 1u) << "FD_CLOEXEC";
    }
  }
}

TEST(Gdb, EpolleventPrintsItsEventsAndThePollDescItPointsTo) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_NE(section("ev_pd").find("events = EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET"),
            std::string::npos)
      << target_session();
  EXPECT_NE(section("ev_pd").find("data = pollDesc 0x"), std::string::npos) << section("ev_pd");
#if NETPOLL_GO >= 121
  // Go 1.21's tagged pointer, unpacked: the pollDesc, its tag, still current.
  EXPECT_TRUE(std::regex_search(section("ev_pd"),
                                std::regex("pollDesc 0x[0-9a-f]+ tag ([0-9]+) \\(fd [0-9]+, fdseq "
                                           "\\1\\)")))
      << section("ev_pd");
#endif
#if NETPOLL_GO >= 123
  const char* brk = "events = EPOLLIN, data = &netpollEventFd (the eventfd)";
#else
  const char* brk = "events = EPOLLIN, data = &netpollBreakRd (the break pipe)";
#endif
  EXPECT_NE(section("ev_break").find(brk), std::string::npos) << section("ev_break");
}

TEST(Gdb, PollDescPrintsItsSemaphoresAndDeadlines) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_TRUE(std::regex_search(section("reader_pd"), std::regex("rg = G[0-9]+, wg = nil")))
      << section("reader_pd");
  EXPECT_NE(section("ready_pd").find("rg = nil, wg = pdReady"), std::string::npos)
      << section("ready_pd");
  EXPECT_TRUE(std::regex_search(section("deadline_pd"),
                                std::regex("rd = in 3[0-9]{3}\\.[0-9]+ s, wd = none")))
      << section("deadline_pd");
}

TEST(Gdb, InfoGoroutinesShowsOneParkedInNetpollblock) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string g = section("goroutines");
  EXPECT_TRUE(std::regex_search(g, std::regex("G1 +running +on M0"))) << g;
  EXPECT_TRUE(
      std::regex_search(g, std::regex("G2 +waiting +netpollblock fd=[0-9]+ 'r' \\(IO wait\\)")))
      << g;
}

TEST(Gdb, InfoGoroutinesSaysWhichQueueHoldsARunnableGoroutine) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string g = section("goroutines");
  EXPECT_TRUE(std::regex_search(g, std::regex("G1 +running +on M0 P0"))) << g;
  EXPECT_TRUE(std::regex_search(g, std::regex("G4 +runnable +in P0's run queue"))) << g;
  EXPECT_TRUE(std::regex_search(g, std::regex("G5 +runnable +in P0's runnext"))) << g;
}

// Every park names its reason as goroutineheader would (runtime2.go:1068's
// words, read from the program's waitReasonStrings), not just "gopark".
TEST(Gdb, InfoGoroutinesNamesEveryParksWaitReasonAsGo119Does) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string g = section("goroutines");
  EXPECT_TRUE(std::regex_search(g, std::regex("G3 +waiting +gopark \\(semacquire\\)"))) << g;
}

// `goroutine N frame K CMD`: CMD in frame K of a parked goroutine (the
// pollDesc netpollblock holds), then the thread and frame as they were.
TEST(Gdb, GoroutineFrameRunsACommandInThatFrameOfAParkedGoroutineAndComesBack) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_TRUE(std::regex_search(section("frame2"),
                                std::regex("\\$[0-9]+ = \\{fd = [0-9]+, (?:fdseq = [0-9]+, )?rg = G2, wg = nil")))
      << section("frame2");
  EXPECT_NE(section("back").find("#0  gdb_stop_here ()"), std::string::npos) << section("back");
}

// Each type the extension registers a printer for, as a value and through
// a pointer, with no Python error: gList's head is a std::atomic<g*>.
TEST(Gdb, EveryPrinterPrintsItsTypeAsAValueAndAPointerDereferenced) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string p = section("printers");
  EXPECT_EQ(p.find("Python Exception"), std::string::npos) << p;
  for (const char* want :
       {"= {events = EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, data = pollDesc 0x",
        "= (runtime::epollevent *) 0x", "= (runtime::pollDesc *) 0x", "= gQueue []",
        "= (runtime::gQueue *) 0x", "= G1 running on M0 P0", "= (runtime::g *) 0x",
        "= (runtime::gList *) 0x", "gpp = 0x"})
    EXPECT_NE(p.find(want), std::string::npos) << "missing: " << want << "\n" << p;
  std::regex two("\\$[0-9]+ = gList \\[G5, G4\\]");
  EXPECT_EQ(std::distance(std::sregex_iterator(p.begin(), p.end(), two), std::sregex_iterator()),
            2)
      << p;
}

// On g0, where the netpoller runs: netpollready's toRun (a gList*) and
// netpoll's own toRun (a gList), by `print` and by `info locals`.
TEST(Gdb, AGListPrintsOnG0InNetpollreadyAndNetpoll) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  std::string out = run_gdb(
      "set pagination off\n"
      "break gdb_stop_here\n"
      "run\n"
      "break runtime::netpollready\n"
      "continue\n"
      "echo ==ready\\n\n"
      "print toRun\n"
      "print *toRun\n"
      "info locals\n"
      "up\n"
      "echo ==netpoll\\n\n"
      "print toRun\n"
      "info locals\n"
      "echo ==end\\n\n"
      "kill\n",
      target_path());
  if (ptrace_forbidden(out)) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_EQ(out.find("Python Exception"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("==ready\n\\$1 = \\(runtime::gList \\*\\) 0x[0-9a-f]+\n"
                                                "\\$2 = gList \\[(G[0-9]+(, )?)*\\]")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("==netpoll\n(.*\n)*\\$3 = gList \\[")) ) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\ntoRun = gList \\["))) << out;
}

TEST(Gdb, InfoSchedShowsThePWithItsQueuesAndTimerAndTheMs) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string s = section("sched");
  EXPECT_TRUE(std::regex_search(s, std::regex("gomaxprocs 1 +npidle 0 +nmspinning 0"))) << s;
  // Nobody is blocked in netpoll (the one M runs G1): lastpoll is a time.
  EXPECT_TRUE(std::regex_search(s, std::regex("lastpoll [0-9.]+ m?s ago"))) << s;
  // The hour-long deadline is P0's one timer.
  EXPECT_TRUE(std::regex_search(
      s,
      std::regex(
          "P0 +running M0 .*runnext G5 +runq \\[G4\\] +timers 1, first in 3[0-9]{3}\\.[0-9]+ s")))
      << s;
  EXPECT_TRUE(std::regex_search(s, std::regex("M0 +P0 +running G1"))) << s;
  EXPECT_TRUE(std::regex_search(s, std::regex("M1 +no P +sysmon"))) << s;
}

TEST(Gdb, GoroutineBtReachesTheEntryFunctionAndEndsAtGoexit) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string bt = section("bt2");
  // The frames a goroutine parked in a read really has, innermost first,
  // each once and nothing else: a saved sp or pc read a word off gives a
  // backtrace that starts elsewhere, skips frames or runs past goexit.
  std::vector<std::string> frames;
  std::regex frame_line(R"(^#\d+\s+(?:0x[0-9a-f]+ in )?(.+?) \()");
  std::istringstream in(bt);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, frame_line)) continue;
    std::string fn = m[1];
    frames.push_back(fn.substr(fn.rfind("::") == std::string::npos ? 0 : fn.rfind("::") + 2));
  }
  std::vector<std::string> want = {
      "mcall",        "gopark",          "netpollblock", "poll_runtime_pollWait",
      "reader_entry", "goroutine_start", "goexit"};
  EXPECT_EQ(frames, want) << bt;
}

#if NETPOLL_GO >= 123
TEST(Gdb, InfoNetpollListsTheEventfdAndEveryPollDesc) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string n = section("netpoll");
  EXPECT_TRUE(std::regex_search(n, std::regex("epfd [0-9]+ +eventfd [0-9]+ "))) << n;
  EXPECT_NE(n.find("the eventfd (data = &netpollEventFd)"), std::string::npos) << n;
  EXPECT_NE(n.find("(the netpoller of Go 1.23: make NETPOLL_GO)"), std::string::npos) << n;
#else
TEST(Gdb, InfoNetpollListsTheBreakPipeAndEveryPollDesc) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  if (ptrace_forbidden(target_session())) GTEST_SKIP() << "this machine forbids ptrace";
  std::string n = section("netpoll");
  EXPECT_TRUE(std::regex_search(n, std::regex("epfd [0-9]+ +break pipe r=[0-9]+ w=[0-9]+"))) << n;
  EXPECT_NE(n.find("the break pipe (data = &netpollBreakRd)"), std::string::npos) << n;
#endif
  EXPECT_TRUE(std::regex_search(n, std::regex("rg = G[0-9]+"))) << n;
  EXPECT_NE(n.find("wg = pdReady"), std::string::npos) << n;
}

// --- goroutine N CMD never disturbs the program ---
//
// On the demo (one P), stopped where goroutines park: `goroutine 2 CMD`
// for a command that moves between frames, reads, or fails; then the
// registers of frame 0 must be what they were, and `continue` must run the
// demo to its normal end.  (Once, `goroutine 2 up` left the thread on the
// parked goroutine's registers and the demo died with "corrupted polldesc".)

namespace {

std::string demo_path() { return testutil::build_dir() + "/demo"; }

// gdb on the demo with each -ex in turn (an error in one does not stop the
// rest, as in an interactive session).
std::string run_gdb_ex(const std::vector<std::string>& cmds) {
  // LeakSanitizer cannot run under ptrace: a sanitizer build's demo would
  // end in its fatal error rather than exit normally.
  std::string cmd = "ASAN_OPTIONS=detect_leaks=0 NETPOLL_PROCS=1 gdb -batch -nx -x " PROJECT_ROOT
                    "/src/runtime/runtime-gdb.py";
  for (const std::string& c : cmds) cmd += " -ex '" + c + "'";
  cmd += " " + demo_path() + " </dev/null 2>&1";
  return testutil::output_of(cmd);
}

class GoroutineCmd : public testing::TestWithParam<const char*> {};

}  // namespace

TEST_P(GoroutineCmd, LeavesTheProgramAsFoundAndItRunsToTheEnd) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  std::string out = run_gdb_ex({"set pagination off",
                                "break runtime::netpollblockcommit",
                                "run",
                                "continue 3",
                                "select-frame 1",
                                "echo ==before\\n",
                                "p/x $pc",
                                "p/x $sp",
                                "frame 0",
                                "echo ==regs\\n",
                                "p/x $pc",
                                "p/x $sp",
                                "p/x $rbx",
                                "p/x $r12",
                                "echo ==cmd\\n",
                                std::string("goroutine 2 ") + GetParam(),
                                "echo ==after\\n",
                                "frame 0",
                                "echo ==regs\\n",
                                "p/x $pc",
                                "p/x $sp",
                                "p/x $rbx",
                                "p/x $r12",
                                "echo ==end\\n",
                                "delete",
                                "continue"});
  if (ptrace_forbidden(out)) GTEST_SKIP() << "this machine forbids ptrace";
  // The registers of frame 0, before and after.
  std::vector<std::string> regs;
  for (size_t at = 0; (at = out.find("==regs\n", at)) != std::string::npos; at++)
    regs.push_back(std::regex_replace(out.substr(at, out.find("==", at + 7) - at),
                                      std::regex("\\$[0-9]+ = "), ""));
  ASSERT_EQ(regs.size(), 2u) << out;
  EXPECT_EQ(regs[0], regs[1]) << "goroutine 2 " << GetParam() << " changed the registers:\n" << out;
  EXPECT_EQ(out.find("unmodifiable"), std::string::npos) << out;
  EXPECT_NE(out.find("every echo matched"), std::string::npos) << out;
  EXPECT_TRUE(
      std::regex_search(out, std::regex("\\[Inferior 1 \\(process [0-9]+\\) exited normally\\]")))
      << "the demo did not finish normally after goroutine 2 " << GetParam() << ":\n"
      << out;
}

INSTANTIATE_TEST_SUITE_P(Gdb, GoroutineCmd,
                         testing::Values("bt", "up", "frame 2", "info locals", "p *pd",
                                         "frame 2 p *pd", "frame 9 bt 1", "nosuchcommand"),
                         [](const auto& i) {
                           std::string n;
                           for (const char* c = i.param; *c; c++)
                             if (std::isalnum(static_cast<unsigned char>(*c))) n += *c;
                           return n;
                         });

// The transcripts in notes/gdb.md (make gdb-transcripts) name files and
// lines: each must still be, today, in the function gdb named there, and a
// source line gdb printed must still read so.  An edit that moves a line
// makes them stale, and this fails until they are produced again.
TEST(Gdb, TranscriptsInTheNotesShowTodaysSources) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::ifstream in(PROJECT_ROOT "/notes/gdb.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string note = ss.str();
  std::regex block("<!-- gdb:(\\S+) -->\\n```\\n([\\s\\S]*?)```");
  std::regex at(R"((?:^#[0-9]+ +|^|, |in )([A-Za-z_][\w:~.()<> ]*?) \(.*\) at (\S+):(\d+)$)");
  std::regex src(R"(^(\d+)\t(.*)$)");
  std::regex bp(R"(^Breakpoint \d+ at 0x[0-9a-f]+: file (\S+), line (\d+)\.$)");
  std::map<std::string, goref::File> files;
  auto load = [&](std::string path) -> const goref::File* {
    if (path[0] != '/') path = PROJECT_ROOT "/" + path;
    size_t s = path.find("/src/runtime/");
    if (path.rfind("/usr/lib/go", 0) == 0 && s != std::string::npos) path = root + path.substr(s);
    auto it = files.find(path);
    if (it == files.end()) {
      goref::File f;
      if (!goref::load(path, &f)) return nullptr;
      it = files.emplace(path, std::move(f)).first;
    }
    return &it->second;
  };
  auto last = [](std::string name) {
    for (const char* sep : {"::", "."}) {
      size_t p = name.rfind(sep);
      if (p != std::string::npos) name = name.substr(p + std::strlen(sep));
    }
    return name;
  };
  int checked = 0, blocks = 0;
  for (std::sregex_iterator b(note.begin(), note.end(), block), end; b != end; ++b) {
    blocks++;
    std::istringstream lines((*b)[2].str());
    // A source line gdb prints belongs to the frame line just above it, or
    // else (after a stepi) to where the program stopped: the last location
    // that is not an outer frame of a backtrace.
    const goref::File *stop = nullptr, *above = nullptr;
    std::string cmd_name;
    for (std::string l; std::getline(lines, l);) {
      std::smatch m;
      const goref::File* prev = above;
      above = nullptr;
      if (l.rfind("(gdb) break ", 0) == 0) {
        cmd_name = last(l.substr(12, l.find(' ', 12) - 12));
      } else if (std::regex_search(l, m, bp)) {
        const goref::File* f = load(m[1]);
        ASSERT_NE(f, nullptr) << m[1];
        const goref::Func* fn = f->func_at(std::stoi(m[2]));
        ASSERT_NE(fn, nullptr) << l;
        EXPECT_EQ(last(fn->name), cmd_name) << (*b)[1] << ": " << l;
        checked++;
      } else if (std::regex_search(l, m, at)) {
        const goref::File* f = load(m[2]);
        ASSERT_NE(f, nullptr) << m[2];
        int line = std::stoi(m[3]);
        const goref::Func* fn = f->func_at(line);
        ASSERT_NE(fn, nullptr) << (*b)[1] << ": " << l;
        EXPECT_EQ(last(fn->name), last(m[1])) << (*b)[1] << ": " << l;
        above = f;
        if (l[0] != '#' || l.rfind("#0 ", 0) == 0) stop = f;
        checked++;
      } else if (std::regex_match(l, m, src)) {
        const goref::File* f = prev ? prev : stop;
        ASSERT_NE(f, nullptr) << (*b)[1] << ": a source line before any location: " << l;
        int line = std::stoi(m[1]);
        ASSERT_LE(line, static_cast<int>(f->lines.size()));
        EXPECT_EQ(f->lines[line - 1], m[2].str()) << (*b)[1] << ": " << f->path << ":" << line;
        checked++;
      }
    }
  }
  EXPECT_GE(blocks, 6);
  EXPECT_GT(checked, 40) << "the transcripts name few places: is the parser reading them?";
}

// And the sessions themselves still get through, to the demo's end, with
// the commands the note shows.
TEST(Gdb, TranscriptsAreOfCommandsGdbStillGetsThrough) {
  if (gdb_missing()) GTEST_SKIP() << "gdb is not installed";
  std::string go = PROJECT_ROOT "/build/go/echo";
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 here";
  ASSERT_TRUE(testutil::built(go));
  std::string cmd = "python3 " PROJECT_ROOT "/src/tools/gdb_transcripts.py " +
                    testutil::build_dir() + " --check 2>&1";
  int st;
  std::string out = testutil::output_of(cmd, &st);
  if (ptrace_forbidden(out)) GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_EQ(st, 0) << out;
}
