// Held against the real Go runtime: tests/go/echo.go (built with Go 1.19)
// and build/demo do the same thing; both run under strace, and the system
// calls of their netpollers, normalized, must agree.
//
// Normalized, because these differ by design (notes/conformance.md):
//   - epoll_wait (232, ours) against epoll_pwait (281, Go's): both are "wait";
//   - descriptors and pointers are named by role (epfd, break-r, break-w, a
//     pollDesc), never by number;
//   - Go runs more threads, and makes calls the netpoller does not (signals,
//     memory, its own files): only epoll_*, pipe2, and reads and writes on the
//     break pipe are compared.
//   - Go writes the break byte only if an M happens to be blocked in netpoll
//     when the deadline is armed; ours makes sure one is.  So ours must show
//     the write and the drain, and Go's, when it shows them, must show the
//     same shapes.
//   - Built with NETPOLL_GO=1.23, ours wakes the poller through Go 1.23's
//     eventfd: Go 1.19's pipe2 and its 1-byte writes are expected as
//     eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) and 8-byte writes and reads.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testutil.h"
#include "tools/goref.h"

#ifndef PROJECT_ROOT
#error "PROJECT_ROOT must be defined by the build"
#endif

namespace {

struct Trace {
  std::string text;              // every line, for the failure message
  std::string out;               // the program's stdout and stderr
  std::set<std::string> facts;   // what the netpoller did, normalized
  std::set<std::string> breaks;  // the break-pipe writes and drains, normalized
  std::set<std::string> waits;   // each wait on epfd exactly as issued, its numbers named
  int clock_gettime = 0;         // system calls to read the clock (the vDSO makes none)
  bool ok = false;
  std::string why;
};

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// stacks: strace -k, so that a clock_gettime a sanitizer's own runtime
// makes (ASan's allocator reads the clock that way) is not counted as ours.
Trace trace(const std::string& cmd, bool stacks = false) {
  Trace t;
  char dir[] = "/tmp/netpoll-strace-XXXXXX";
  if (!mkdtemp(dir)) {
    t.why = "mkdtemp failed";
    return t;
  }
  std::string run = std::string("strace -ff ") + (stacks ? "-k " : "") +
                    "-e signal=none -e trace=epoll_create,epoll_create1,epoll_ctl,"
                    "epoll_wait,epoll_pwait,pipe2,eventfd2,read,write,clock_gettime -o " +
                    std::string(dir) + "/t " + cmd + " >" + dir + "/stdout 2>&1";
  int st = system(run.c_str());
  std::string out = slurp(std::string(dir) + "/stdout");
  t.out = out;
  if (out.find("Operation not permitted") != std::string::npos ||
      out.find("PTRACE_TRACEME") != std::string::npos) {
    t.why = "strace cannot trace here: " + out.substr(0, 200);
    return t;
  }
  if (st != 0) {
    t.why = "`" + cmd + "` failed under strace: " + out;
    return t;
  }
  std::vector<std::string> threads;  // one strace file per thread
  if (DIR* d = opendir(dir)) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.rfind("t.", 0) == 0) threads.push_back(slurp(std::string(dir) + "/" + n));
      unlink((std::string(dir) + "/" + n).c_str());
    }
    closedir(d);
  }
  rmdir(dir);
  for (const std::string& th : threads) t.text += th;

  static const std::regex create(R"(^epoll_create1\((\w+)\)\s+= (\d+))");
  static const std::regex pipe(R"(^pipe2\(\[(\d+), (\d+)\], ([\w|]+)\)\s+= 0)");
  static const std::regex eventfd(R"(^eventfd2\((\d+), ([\w|]+)\)\s+= (\d+))");
  static const std::regex ctl(
      R"(^epoll_ctl\((\d+), (EPOLL_CTL_\w+), (\d+), (?:\{events=([\w|]+), data=\{u32=\d+, u64=(\d+)\}\}|(0x[0-9a-f]+|NULL))\)\s+= 0)");
  static const std::regex wait(
      R"(^(epoll_p?wait)\((\d+), .*, (\d+), (-?\d+)(, NULL, \d+|, 0x[0-9a-f]+, \d+)?\)\s+= (-?\d+))");
  static const std::regex rw(R"(^(read|write)\((\d+), .*, (\d+)\)\s+= (-?\d+))");
  static const std::regex clock(R"(^clock_gettime\(CLOCK_MONOTONIC,)");
  std::string epfd, br, bw, brk_data;
  std::istringstream in(t.text);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  // First the roles, from the thread that ran netpollinit: the epoll set
  // (its epoll_create1), the break pipe's read end (the first descriptor
  // that thread then registers), the pipe that end came from, and the datum
  // it was registered with.  Other pipes (a sanitizer's, say) play no role.
  std::map<std::string, std::pair<std::string, std::string>> pipes;  // r -> (w, flags)
  std::map<std::string, std::string> eventfds;                       // fd -> "initval, flags"
  for (const std::string& l : lines) {
    std::smatch m;
    if (std::regex_search(l, m, pipe)) pipes[m[1]] = {m[2], m[3]};
    if (std::regex_search(l, m, eventfd)) eventfds[m[3]] = m[1].str() + ", " + m[2].str();
  }
  for (const std::string& th : threads) {
    std::istringstream tin(th);
    bool created = false;
    for (std::string l; std::getline(tin, l) && br.empty();) {
      std::smatch m;
      if (!created && std::regex_search(l, m, create)) {
        t.facts.insert("epoll_create1(" + m[1].str() + ")");
        epfd = m[2];
        created = true;
      } else if (created && std::regex_search(l, m, ctl) && m[1] == epfd) {
        br = m[3];
        brk_data = m[5];
      }
    }
    if (created) break;
  }
  std::string brname = "break-r", bwname = "break-w", brdata = "&netpollBreakRd";
  if (pipes.count(br)) {
    bw = pipes[br].first;
    t.facts.insert("pipe2(" + pipes[br].second + ")");
  } else if (eventfds.count(br)) {  // Go 1.23's: one descriptor, both ends
    bw = br;
    brname = bwname = "eventfd";
    brdata = "&netpollEventFd";
    t.facts.insert("eventfd2(" + eventfds[br] + ")");
  }
  for (size_t i = 0; i < lines.size(); i++) {
    const std::string& l = lines[i];
    std::smatch m;
    if (std::regex_search(l, clock)) {
      t.clock_gettime++;
      for (size_t j = i + 1; j < lines.size() && lines[j].rfind(" > ", 0) == 0; j++)
        if (lines[j].find("/libasan.so") != std::string::npos ||
            lines[j].find("/libtsan.so") != std::string::npos) {
          t.clock_gettime--;  // the sanitizer's, not the program's
          break;
        }
    } else if (std::regex_search(l, m, ctl)) {
      if (m[1] != epfd) continue;
      std::string op = m[2], fd = m[3];
      if (op == "EPOLL_CTL_DEL") {
        t.facts.insert("epoll_ctl(DEL, a descriptor)");
      } else if (fd == br) {
        t.facts.insert("epoll_ctl(ADD, " + brname + ", " + m[4].str() +
                       (m[5] == brk_data ? ", data=" + brdata + ")" : ", data=?)"));
      } else {
        bool pd = m[5].matched && m[5] != brk_data && m[5] != "0";
        t.facts.insert("epoll_ctl(" + op.substr(10) + ", a descriptor, " + m[4].str() +
                       (pd ? ", data=a pollDesc)" : ", data=?)"));
      }
    } else if (std::regex_search(l, m, wait)) {
      if (m[2] != epfd) continue;
      long timeout = std::stol(m[4]);
      t.waits.insert(m[1].str() + "(epfd, events, " + m[3].str() + ", timeout" +
                     (!m[5].matched                      ? ""
                      : m[5].str().rfind(", NULL", 0) == 0 ? ", NULL"
                                                         : ", a mask") +
                     ")");
      t.facts.insert("wait(epfd, maxevents=" + m[3].str() + ")");
      t.facts.insert(std::string("wait timeout ") + (timeout < 0    ? "-1 (block)"
                                                     : timeout == 0 ? "0 (poll)"
                                                                    : "> 0 (a timer)"));
    } else if (std::regex_search(l, m, rw)) {
      if (m[1] == "write" && m[2] == bw)
        t.breaks.insert("write(" + bwname + ", " + m[3].str() + " byte) = " + m[4].str());
      else if (m[1] == "read" && m[2] == br && std::stol(m[4]) > 0)
        t.breaks.insert("read(" + brname + ", buffer of " + m[3].str() + ") > 0");
    }
  }
  t.ok = true;
  return t;
}

// What Go 1.19's calls become in the release this build is: from Go 1.23
// the break pipe is an eventfd (include/runtime/netpoll.h).
std::string as_built(const std::string& fact) {
#if NETPOLL_GO >= 123
  static const std::map<std::string, std::string> eventfd = {
      {"pipe2(O_NONBLOCK|O_CLOEXEC)", "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK)"},
      {"epoll_ctl(ADD, break-r, EPOLLIN, data=&netpollBreakRd)",
       "epoll_ctl(ADD, eventfd, EPOLLIN, data=&netpollEventFd)"},
      {"write(break-w, 1 byte) = 1", "write(eventfd, 8 byte) = 8"},
      {"read(break-r, buffer of 16) > 0", "read(eventfd, buffer of 8) > 0"}};
  auto it = eventfd.find(fact);
  if (it != eventfd.end()) return it->second;
#endif
  return fact;
}

std::set<std::string> as_built(const std::set<std::string>& facts) {
  std::set<std::string> out;
  for (const std::string& f : facts) out.insert(as_built(f));
  return out;
}

std::string show(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += "    " + x + "\n";
  return out;
}

}  // namespace

TEST(Conformance, NetpollerSystemCallsMatchGo119sRuntime) {
  std::string go = std::string(PROJECT_ROOT) + "/build/go/echo";
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 here (apt-get install golang-go)";
  ASSERT_TRUE(testutil::built(go));
  if (system("command -v strace >/dev/null 2>&1") != 0) GTEST_SKIP() << "strace is not installed";
  Trace theirs = trace(go);
  if (!theirs.ok && theirs.why.rfind("strace cannot", 0) == 0) GTEST_SKIP() << theirs.why;
  ASSERT_TRUE(theirs.ok) << theirs.why;
  // Whether Go's M ever finds nothing to do and no timer, and so blocks
  // with -1, depends on how the clients' bytes fall in time: 1 run in 20 or
  // so it never does.  Go's facts are those of up to five runs of it, until
  // one has blocked.
  for (int run = 1; run < 5 && !theirs.facts.count(as_built("wait timeout -1 (block)")); run++) {
    Trace again = trace(go);
    ASSERT_TRUE(again.ok) << again.why;
    theirs.facts.insert(again.facts.begin(), again.facts.end());
    theirs.breaks.insert(again.breaks.begin(), again.breaks.end());
  }
  // LeakSanitizer cannot run under ptrace; the sanitizer builds keep the rest.
  Trace ours = trace(
      "env ASAN_OPTIONS=detect_leaks=0 NETPOLL_PROCS=2 " + testutil::build_dir() + "/demo", true);
  ASSERT_TRUE(ours.ok) << ours.why;

  std::string both = "Go 1.19's netpoller:\n" + show(theirs.facts) + show(theirs.breaks) +
                     "ours:\n" + show(ours.facts) + show(ours.breaks);
  EXPECT_EQ(ours.facts, as_built(theirs.facts)) << both;
  // The break pipe (eventfd): ours must use it; Go, if it did, in the same way.
  EXPECT_TRUE(ours.breaks.count(as_built("write(break-w, 1 byte) = 1"))) << both;
  EXPECT_TRUE(ours.breaks.count(as_built("read(break-r, buffer of 16) > 0"))) << both;
  for (const std::string& b : theirs.breaks)
    EXPECT_TRUE(ours.breaks.count(as_built(b))) << b << "\n" << both;
  std::printf("%s", both.c_str());
  // And the facts we expect are there at all (a parser that matched nothing
  // would make the two equal and empty).
  for (const char* f :
       {"epoll_create1(EPOLL_CLOEXEC)", "pipe2(O_NONBLOCK|O_CLOEXEC)",
        "epoll_ctl(ADD, break-r, EPOLLIN, data=&netpollBreakRd)",
        "epoll_ctl(ADD, a descriptor, EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, data=a pollDesc)",
        "epoll_ctl(DEL, a descriptor)", "wait(epfd, maxevents=128)", "wait timeout -1 (block)",
        "wait timeout 0 (poll)", "wait timeout > 0 (a timer)"})
    EXPECT_TRUE(ours.facts.count(as_built(f))) << "missing: " << as_built(f) << "\n" << both;
  // The clock: Go reads it through the vDSO, so strace sees no
  // clock_gettime at all; ours must not either.
  EXPECT_EQ(theirs.clock_gettime, 0) << "Go 1.19 made clock_gettime system calls";
  EXPECT_EQ(ours.clock_gettime, 0) << "ours read the clock with a system call";
}

// The one call the default build makes differently from Go, by design:
// epoll_wait (232) where Go 1.19 issues epoll_pwait (281) with a NULL
// mask.  NETPOLL_EPOLL=pwait makes netpoll call epollpwait, Go's very call,
// and then every wait matches Go's as issued; an unknown value is said on
// stderr and the default kept.
TEST(Conformance, WithNetpollEpollPwaitEveryWaitIsGo119sOwnEpollPwait) {
  std::string go = std::string(PROJECT_ROOT) + "/build/go/echo";
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 here (apt-get install golang-go)";
  ASSERT_TRUE(testutil::built(go));
  if (system("command -v strace >/dev/null 2>&1") != 0) GTEST_SKIP() << "strace is not installed";
  Trace theirs = trace(go);
  if (!theirs.ok && theirs.why.rfind("strace cannot", 0) == 0) GTEST_SKIP() << theirs.why;
  ASSERT_TRUE(theirs.ok) << theirs.why;
  std::string demo = "env ASAN_OPTIONS=detect_leaks=0 NETPOLL_PROCS=2 ";
  Trace pwait = trace(demo + "NETPOLL_EPOLL=pwait " + testutil::build_dir() + "/demo", true);
  Trace plain = trace(demo + testutil::build_dir() + "/demo", true);
  Trace odd = trace(demo + "NETPOLL_EPOLL=poll " + testutil::build_dir() + "/demo", true);
  ASSERT_TRUE(pwait.ok && plain.ok && odd.ok) << pwait.why << plain.why << odd.why;
  std::set<std::string> gos = {"epoll_pwait(epfd, events, 128, timeout, NULL)"};
  std::set<std::string> ours = {"epoll_wait(epfd, events, 128, timeout)"};
  EXPECT_EQ(theirs.waits, gos) << show(theirs.waits);
  EXPECT_EQ(pwait.waits, gos) << show(pwait.waits);
  EXPECT_EQ(plain.waits, ours) << show(plain.waits);
  EXPECT_EQ(odd.waits, ours) << show(odd.waits);
  EXPECT_NE(odd.out.find("NETPOLL_EPOLL=poll is not wait or pwait; epoll_wait (232) it is\n"),
            std::string::npos)
      << odd.out;
}

// NETPOLL_VDSO=0 keeps nanotime1's system call, for a reader to step to:
// then strace sees it (and the count above is not blind).
TEST(Conformance, WithNetpollVdsoZeroTheClockIsASystemCall) {
  if (system("command -v strace >/dev/null 2>&1") != 0) GTEST_SKIP() << "strace is not installed";
  Trace ours = trace("env ASAN_OPTIONS=detect_leaks=0 NETPOLL_VDSO=0 NETPOLL_PROCS=2 " +
                     testutil::build_dir() + "/demo");
  if (!ours.ok && ours.why.rfind("strace cannot", 0) == 0) GTEST_SKIP() << ours.why;
  ASSERT_TRUE(ours.ok) << ours.why;
  EXPECT_GT(ours.clock_gettime, 10);
}

namespace {

// GODEBUG=schedtrace's lines of a run, each as its shape: the kind of line
// (SCHED, P, M, G) and its field names in order, the values left out; a
// non-detailed SCHED line's per-P list as "[" and one "n" per P.
std::vector<std::string> schedtrace_shapes(const std::string& cmd, const std::string& godebug) {
  std::string out = testutil::output_of("GODEBUG='" + godebug + "' " + cmd + " 2>&1 >/dev/null");
  std::vector<std::string> shapes;
  std::istringstream in(out);
  static const std::regex line(R"(^(SCHED) [0-9]+ms:(.*)$|^  ([PMG])[0-9]+:(.*)$)");
  static const std::regex field(R"(([a-z]+)=)");
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (!std::regex_match(l, m, line)) continue;
    std::string kind = m[1].matched ? m[1].str() : m[3].str();
    std::string rest = m[1].matched ? m[2].str() : m[4].str();
    std::string shape = kind;
    for (std::sregex_iterator it(rest.begin(), rest.end(), field), end; it != end; ++it)
      shape += " " + (*it)[1].str();
    size_t list = rest.find('[');
    if (list != std::string::npos) {
      std::istringstream ns(rest.substr(list + 1, rest.find(']') - list - 1));
      shape += " [";
      for (std::string n; ns >> n;) shape += " n";
    }
    shapes.push_back(shape);
  }
  return shapes;
}

}  // namespace

// GODEBUG=schedtrace=N,scheddetail=1 (runtime1.go:358 parsedebugvars,
// proc.go:5417 schedtrace, called from sysmon as proc.go:5272 calls it):
// every line ours prints has the shape of a line Go 1.19 prints running the
// same program (tests/go/echo.go), the same fields in the same order, and
// every kind of line Go prints ours prints too.
TEST(Conformance, GodebugSchedtraceLinesHaveTheShapeOfGo119s) {
  std::string go = std::string(PROJECT_ROOT) + "/build/go/echo";
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 here (apt-get install golang-go)";
  ASSERT_TRUE(testutil::built(go));
  for (const char* godebug : {"schedtrace=5", "schedtrace=5,scheddetail=1"}) {
    auto theirs = schedtrace_shapes("GOMAXPROCS=2 " + go, godebug);
    auto ours = schedtrace_shapes("NETPOLL_PROCS=2 " + testutil::build_dir() + "/demo", godebug);
    std::set<std::string> want(theirs.begin(), theirs.end()), got(ours.begin(), ours.end());
    std::string both = "Go's:\n" + show(want) + "ours:\n" + show(got);
    EXPECT_FALSE(want.empty()) << godebug << ": Go printed no schedtrace line";
    EXPECT_EQ(got, want) << godebug << "\n" << both;
    EXPECT_EQ(ours.empty() ? "" : ours[0].substr(0, 5), "SCHED") << godebug;
  }
}

// parsedebugvars's rules (runtime1.go:375-405): a name it does not know,
// or a field without '=', is passed over and the rest still read; a value
// that is not an int32 (string.go:417 atoi32) leaves the variable as it was.
TEST(Conformance, GodebugIgnoresWhatItDoesNotKnowAsGoDoes) {
  std::string demo = "NETPOLL_PROCS=2 " + testutil::build_dir() + "/demo";
  EXPECT_FALSE(schedtrace_shapes(demo, "gctrace=1,nosuchname=3,bare,schedtrace=5").empty());
  EXPECT_TRUE(schedtrace_shapes(demo, "schedtrace=5ms").empty());
  EXPECT_TRUE(schedtrace_shapes(demo, "schedtrace=99999999999").empty());
  EXPECT_TRUE(schedtrace_shapes(demo, "schedtrace=-5").empty());
  EXPECT_TRUE(schedtrace_shapes(demo, "").empty());
}
