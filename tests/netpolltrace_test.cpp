// NETPOLLTRACE (src/runtime/netpolltrace.cpp): the narration's format and
// order, the descriptor filter, bad values, and the JSON timeline.  Each
// runs the demo, as a reader would.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "testutil.h"
#include "tools/goref.h"

namespace {

std::string sh(const std::string& cmd, int* status = nullptr) {
  int st;
  std::string out = testutil::output_of(cmd + " 2>&1", &st);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

std::string demo(const std::string& trace) {
  return sh("NETPOLLTRACE='" + trace + "' NETPOLL_PROCS=2 " + testutil::build_dir() + "/demo");
}

std::vector<std::string> trace_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("netpolltrace:", 0) == 0) lines.push_back(l);
  return lines;
}

// netpolltrace:   1885.2 µs  M2  P1  G1   netpoll_epoll.go:85  netpollBreak: 1 byte ...
// or, in a later release's block (make NETPOLL_GO), its file without a line:
// netpolltrace:   1885.2 µs  M2  P1  G1   go1.23 netpoll_epoll.go  netpollBreak: 8 bytes ...
// Groups: 1 time, 2 M, 3 P, 4 G, 5 later release, 6 Go file, 7 its line,
// 8 the Go function, 9 the event.
const std::regex kLine(
    R"(^netpolltrace: +([0-9]+\.[0-9]) µs +M([0-9]+|-) +P([0-9]+|-) +G([0-9]+|-) +(?:go1\.([0-9]+) )?([a-z0-9_/]+\.(?:go|s))(?::([0-9]+))?  ([A-Za-z_][A-Za-z0-9_]*): (.+)$)");

}  // namespace

TEST(Netpolltrace, EveryLineHasTimeMPGoroutineTheGoLineItNarratesAndTheGoFunctionHoldingIt) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto lines = trace_lines(demo("1"));
  ASSERT_GT(lines.size(), 50u);
  std::map<std::string, goref::File> go;
  std::map<std::string, double> last;  // per M, time never goes back
  for (const std::string& l : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, kLine)) << l;
    double t = std::stod(m[1]);
    EXPECT_GE(t, last[m[2]]) << l;
    last[m[2]] = t;
    std::string file = m[6];
    if (m[5].matched) {  // a later release's step: only in a build of it, and without a line
      EXPECT_LE(100 + std::stoi(m[5]), NETPOLL_GO) << l;
      EXPECT_FALSE(m[7].matched) << l;
      continue;
    }
    ASSERT_TRUE(m[7].matched) << "a Go 1.19.8 step without its line: " << l;
    if (!go.count(file)) {
      ASSERT_TRUE(goref::load(goref::gosource(root, file), &go[file])) << file;
    }
    int line = std::stoi(m[7]);
    EXPECT_TRUE(go[file].is_code(line)) << file << ":" << line << " is not code: " << l;
    const goref::Func* fn = go[file].func_at(line);
    ASSERT_NE(fn, nullptr) << file << ":" << line << " is in no function";
    EXPECT_TRUE(goref::same_func(fn->name, m[8])) << file << ":" << line << " is in " << fn->name
                                                  << ", not " << m[8] << ": " << l;
  }
}

// Every change of rg and wg is told, the one nobody waits for included.
TEST(Netpolltrace, EverySemaphoreTransitionIsToldEvenWithNobodyWaiting) {
  std::string out = demo("1");
  EXPECT_TRUE(std::regex_search(
      out, std::regex("netpoll.go:556  netpollunblock: fd [0-9]+ [rw]g: nil -> pdReady: nobody waits")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("netpoll.go:511  netpollblock: fd [0-9]+ [rw]g: nil -> pdWait")));
  EXPECT_TRUE(std::regex_search(
      out, std::regex("netpoll.go:480  netpollblockcommit: fd [0-9]+ [rw]g: pdWait -> G[0-9]+: parked")));
  EXPECT_TRUE(
      std::regex_search(out, std::regex("netpoll.go:556  netpollunblock: fd [0-9]+ [rw]g: G[0-9]+ -> pdReady")));
  EXPECT_TRUE(std::regex_search(
      out, std::regex("netpoll.go:529  netpollblock: fd [0-9]+ [rw]g: pdReady -> nil: I/O ready")));
}

// What calls comes before what it calls: the deadline before the wake-up it
// causes, netpoll's report of a ready descriptor before netpollunblock's
// change of its semaphore.
TEST(Netpolltrace, ACallersLineComesBeforeItsCallees) {
  auto lines = trace_lines(demo("1"));
  auto find = [&](const std::regex& re, size_t from) {
    for (size_t i = from; i < lines.size(); i++)
      if (std::regex_search(lines[i], re)) return i;
    return lines.size();
  };
  size_t expired =
      find(std::regex("netpolldeadlineimpl: fd ([0-9]+): the read deadline expired"), 0);
  ASSERT_LT(expired, lines.size());
  std::smatch m;
  std::regex_search(lines[expired], m, std::regex("fd ([0-9]+)"));
  size_t woken = find(std::regex("fd " + m[1].str() + " rg: G[0-9]+ -> nil"), 0);
  ASSERT_LT(woken, lines.size());
  EXPECT_LT(expired, woken);
  size_t ready = find(std::regex("netpoll: fd ([0-9]+) ready"), 0);
  ASSERT_LT(ready, lines.size());
  std::regex_search(lines[ready], m, std::regex("fd ([0-9]+) ready"));
  size_t sem = find(std::regex("netpoll.go:556  netpollunblock: fd " + m[1].str() + " "), 0);
  EXPECT_LT(ready, sem);
}

// A descriptor has the same number every run, so that a reader can follow
// "fd 3" from one run to the next (and the test below can): no thread of
// the run opens a file for a moment once another M runs.  glibc reads
// /proc/self/maps for the main thread's stack bounds; m0 once asked for
// them after the first M had started, and 1 run in 30 numbered the
// listener 4.
TEST(Netpolltrace, NoDescriptorIsOpenedForAMomentOnceTheMsRun) {
  std::string log = testutil::build_dir() + "/tests/fdnumbers.strace";
  sh("strace -f -e trace=openat,clone,clone3 -o " + log + " env NETPOLL_PROCS=2 " +
     testutil::build_dir() + "/demo >/dev/null");
  std::string out = sh("cat " + log);
  size_t clone = out.find("clone"), maps = out.find("/proc/self/maps");
  ASSERT_NE(clone, std::string::npos) << out;
  if (maps != std::string::npos) {
    EXPECT_LT(maps, clone) << out.substr(0, 4000);
  }
}

TEST(Netpolltrace, FdFilterKeepsOnlyThatDescriptor) {
  // The listener's descriptor, the first the demo registers: 3 when the
  // demo starts with 0, 1 and 2 only, higher when it inherits more.
  std::smatch m;
  std::string all = demo("1");
  ASSERT_TRUE(std::regex_search(all, m, std::regex("netpollopen: fd ([0-9]+):"))) << all;
  std::string fd = m[1];
  auto lines = trace_lines(demo("fd=" + fd));
  ASSERT_FALSE(lines.empty());
  for (const std::string& l : lines)
    EXPECT_TRUE(std::regex_search(l, std::regex("fd " + fd + "[ :]"))) << l;
}

TEST(Netpolltrace, ABadValueIsSaidOnceAndTheDemoRunsUntraced) {
  for (const char* bad : {"bogus", "json:/nonexistent/dir/t.json", "fd=x"}) {
    std::string out = demo(bad);
    auto lines = trace_lines(out);
    ASSERT_EQ(lines.size(), 1u) << bad << ":\n" << out;
    EXPECT_NE(lines[0].find("running untraced"), std::string::npos) << lines[0];
    EXPECT_NE(out.find("every echo matched"), std::string::npos) << out;
  }
}

// The timeline: tests/trace_check.py says whether Perfetto and
// chrome://tracing will draw it as meant.
TEST(Netpolltrace, JsonTimelineIsWellFormedAndEveryArrowLands) {
  char path[] = "/tmp/netpoll-trace-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::string out = demo(std::string("json:") + path);
  EXPECT_NE(out.find("every echo matched"), std::string::npos) << out;
  int st = 0;
  std::string check = sh("python3 " PROJECT_ROOT "/tests/trace_check.py " + std::string(path), &st);
  std::printf("%s", check.c_str());
  EXPECT_EQ(st, 0) << check;
  unlink(path);
}

// The excerpts in notes/trace.md are in today's format, each line's Go
// file:line a line of code.
TEST(Netpolltrace, TheExcerptsInTheNoteAreInTodaysFormat) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::string note = sh("cat " PROJECT_ROOT "/notes/trace.md");
  std::vector<std::string> lines;
  for (const std::string& l : trace_lines(note))
    if (l.find(" TIME µs ") == std::string::npos) lines.push_back(l);  // the pattern itself
  ASSERT_GT(lines.size(), 10u);
  for (const std::string& l : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, kLine)) << l;
    ASSERT_TRUE(m[7].matched) << "the note's excerpts are of the 1.19.8 build: " << l;
    goref::File f;
    ASSERT_TRUE(goref::load(goref::gosource(root, m[6]), &f));
    EXPECT_TRUE(f.is_code(std::stoi(m[7]))) << l;
    const goref::Func* fn = f.func_at(std::stoi(m[7]));
    ASSERT_NE(fn, nullptr) << l;
    EXPECT_TRUE(goref::same_func(fn->name, m[8])) << l;
  }
}

// The timeline in a maintained offline viewer: speedscope's static build
// (pinned, tests/npm) opens the file in headless Chromium, with a track
// for each M and goroutine, and is photographed (src/tools/speedscope.js).
TEST(Netpolltrace, SpeedscopeOpensTheTimelineOffline) {
  std::string viewer = PROJECT_ROOT "/build/npm/node_modules/speedscope/dist/release/index.html";
  if (access(viewer.c_str(), R_OK) != 0) GTEST_SKIP() << "no " << viewer << " (make test installs it)";
  std::string json = testutil::build_dir() + "/tests/speedscope.json";
  std::string png = testutil::build_dir() + "/tests/speedscope.png";
  unlink(png.c_str());
  demo("json:" + json);
  int st = 0;
  std::string out =
      sh("node " PROJECT_ROOT "/src/tools/speedscope.js " + json + " " + png, &st);
  ASSERT_EQ(st, 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Ms \(threads\) \(pid 1\), M0 \(tid 0\) \(1/([0-9]+)\))")))
      << out;
  EXPECT_GE(std::stoi(m[1]), 10) << "a track for each M and goroutine";
  EXPECT_EQ(access(png.c_str(), R_OK), 0) << out;
}
