// Go's execution tracer rebuilt (src/runtime/trace.cpp), read by Go's own
// tools: `go tool trace -d` (Go 1.19's internal/trace parser, which refuses
// an event stream that breaks the scheduler's state machine), its
// network-blocking and scheduler-latency profiles, and the same counts as
// Go's runtime gives for the same program (tests/go/echo.go).
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "testutil.h"
#include "tools/goref.h"

namespace {

std::string go_tool() { return goref::goroot119() + "/bin/go"; }

// A run of cmd with NETPOLL_EXECTRACE=FILE; FILE's path.
std::string traced(const std::string& cmd, const std::string& name) {
  std::string file = testutil::build_dir() + "/tests/" + name + ".trace";
  unlink(file.c_str());
  int st;
  std::string out = testutil::output_of("NETPOLL_EXECTRACE=" + file + " " + cmd + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  return file;
}

std::string demo() { return "NETPOLL_PROCS=2 " + testutil::build_dir() + "/demo"; }

// `go tool trace -d FILE`: the events as Go's parser orders them, one a line.
std::string dump(const std::string& file, int* status) {
  return testutil::output_of(go_tool() + " tool trace -d " + file + " 2>&1", status);
}

// Each event type's count in a dump, and the unblocks by the netpoller
// (Go's parser gives them its pseudo-P, NetpollP = 1000002).
std::map<std::string, int> counts(const std::string& d) {
  std::map<std::string, int> n;
  std::istringstream in(d);
  static const std::regex ev(R"(^[0-9]+ (\w+) p=(\d+))");
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (!std::regex_search(l, m, ev)) continue;
    n[m[1]]++;
    if (m[1] == "GoUnblock" && m[2] == "1000002") n["GoUnblock by netpoll"]++;
  }
  return n;
}

// `go tool pprof -traces` of a profile `go tool trace -pprof=KIND` made.
std::string profile(const std::string& file, const char* kind) {
  std::string prof = file + "." + kind + ".pprof";
  int st;
  std::string out = testutil::output_of(
      go_tool() + " tool trace -pprof=" + kind + " " + file + " >" + prof + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  return testutil::output_of(go_tool() + " tool pprof -traces " + prof + " 2>&1");
}

#define NEED_GO()                                                    \
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 here"; \
  ASSERT_TRUE(testutil::built(std::string(PROJECT_ROOT) + "/build/go/echo"))

}  // namespace

// Go 1.19's parser reads the demo's trace without an error, and finds in
// it every kind of event the demo's run makes Go's runtime emit: the P
// starting and stopping, goroutines made, run, parked on the network and on
// a semaphore, woken by the netpoller, ended.
TEST(Trace, GoToolTraceParsesTheDemosTraceWithGo119sParser) {
  NEED_GO();
  std::string file = traced(demo(), "demo");
  int st = 0;
  std::string d = dump(file, &st);
  ASSERT_EQ(st, 0) << d.substr(0, 3000);
  auto n = counts(d);
  for (const char* ev : {"ProcStart", "ProcStop", "Gomaxprocs", "GoCreate", "GoStart", "GoEnd",
                         "GoBlockNet", "GoBlockSync", "GoUnblock", "GoUnblock by netpoll"})
    EXPECT_GT(n[ev], 0) << ev << " is missing:\n" << d.substr(0, 3000);
  EXPECT_EQ(n["Gomaxprocs"], 1);
  EXPECT_EQ(n["GoCreate"], n["GoEnd"]) << "every goroutine of the demo's run ends";
}

// `go tool trace -pprof=net`: where goroutines waited on the network, by
// Go's names, the same frames as Go's own profile of the same program
// shows (internal/poll's FD.Read, called by net's netFD.Read and conn.Read;
// FD.Accept under TCPListener.Accept); and -pprof=sched has samples.
TEST(Trace, NetBlockingProfileNamesTheGoFunctionsAsGosDoes) {
  NEED_GO();
  std::string ours = profile(traced(demo(), "demo-net"), "net");
  std::string theirs =
      profile(traced("GOMAXPROCS=2 " PROJECT_ROOT "/build/go/echo", "go-net"), "net");
  for (const char* frames :
       {R"(internal/poll\.\(\*FD\)\.Read\s+net\.\(\*netFD\)\.Read\s+net\.\(\*conn\)\.Read)",
        R"(internal/poll\.\(\*FD\)\.Accept\s+net\.\(\*netFD\)\.accept\s+net\.\(\*TCPListener\)\.accept\s+net\.\(\*TCPListener\)\.Accept)"}) {
    EXPECT_TRUE(std::regex_search(theirs, std::regex(frames))) << "Go's:\n" << theirs;
    EXPECT_TRUE(std::regex_search(ours, std::regex(frames))) << "ours:\n" << ours;
  }
  std::string sched = profile(traced(demo(), "demo-sched"), "sched");
  EXPECT_NE(sched.find("runtime.netpollgoready"), std::string::npos) << sched;
}

// The differential: the demo's workload (4 clients, 3 echoes each, and one
// read whose deadline expires) on ours and on Go 1.19's runtime, each
// traced: per echoed message, as many parks on the network, wake-ups by
// the netpoller and goroutine starts.  Go's own counts vary from run to run
// with timing (whether the bytes arrive before the read): 34 to 38 parks in
// three runs here, a spread of 12%; the tolerance is a quarter, twice that.
TEST(Trace, PerMessageCountsMatchGo119sWithinAQuarter) {
  NEED_GO();
  int st = 0;
  auto ours = counts(dump(traced(demo(), "demo-diff"), &st));
  ASSERT_EQ(st, 0);
  auto theirs = counts(dump(traced("GOMAXPROCS=2 " PROJECT_ROOT "/build/go/echo", "go-diff"), &st));
  ASSERT_EQ(st, 0);
  const double messages = 4 * 3;
  for (const char* ev : {"GoBlockNet", "GoUnblock by netpoll", "GoStart"}) {
    double o = ours[ev] / messages, t = theirs[ev] / messages;
    std::printf("%-22s per message: ours %.2f, Go's %.2f\n", ev, o, t);
    ASSERT_GT(t, 0) << ev;
    EXPECT_GE(o, 0.75 * t) << ev;
    EXPECT_LE(o, 1.25 * t) << ev;
  }
}

// NETPOLL_EXECTRACE naming a file that cannot be made says so once, and the
// run goes on untraced.
TEST(Trace, AnUnwritableTraceFileIsSaidOnceAndTheRunGoesOn) {
  int st = 0;
  std::string out = testutil::output_of(
      "NETPOLL_EXECTRACE=/nonexistent/dir/t.trace " + demo() + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("NETPOLL_EXECTRACE=/nonexistent/dir/t.trace: cannot create it; running "
                     "untraced"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("every echo matched"), std::string::npos) << out;
}
