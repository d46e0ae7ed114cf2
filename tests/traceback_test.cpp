// traceback.cpp, symtab.cpp, panic.cpp and mprof.cpp: the stacks a Go
// program prints when it dies (SIGQUIT, throw, a fault) and runtime.Stack,
// held against Go 1.19's own output for the same program (tests/go/echo.go
// beside build/demo).
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gotest.h"
#include "net/net.h"
#include "runtime/netpoll.h"
#include "runtime/signal_unix.h"
#include "sync/waitgroup.h"
#include "testutil.h"

namespace rt = runtime;

namespace {

// One goroutine of a dump: its header, and the frames' function names in
// order, then its "created by" (if any) as a last name.
struct Goroutine {
  std::string header;  // "goroutine 7 [IO wait]:"
  std::string state;   // "IO wait"
  std::vector<std::string> frames;
  std::string createdBy;
};

struct Dump {
  std::string text;
  std::vector<std::string> lines;
  std::vector<Goroutine> gs;
  int status = -1;  // wait status
};

Dump parse(const std::string& text) {
  Dump d;
  d.text = text;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) d.lines.push_back(l);
  static const std::regex header(R"(^goroutine (\d+) \[([^\]]*)\]:$)");
  for (size_t i = 0; i < d.lines.size(); i++) {
    std::smatch m;
    if (!std::regex_match(d.lines[i], m, header)) continue;
    Goroutine g;
    g.header = d.lines[i];
    g.state = m[2];
    for (i++; i < d.lines.size() && !d.lines[i].empty(); i++) {
      const std::string& l = d.lines[i];
      if (l[0] == '\t') continue;  // the file:line under a frame
      if (l.rfind("created by ", 0) == 0) {
        g.createdBy = l.substr(11);
      } else if (l.rfind("goroutine ", 0) == 0 || l.rfind("rax ", 0) == 0) {
        i--;
        break;
      } else {  // name(args): the name, without the last parenthesised group
        size_t open = l.size();
        for (int depth = 0; open > 0;) {
          char ch = l[--open];
          depth += ch == ')' ? 1 : ch == '(' ? -1 : 0;
          if (depth == 0) break;
        }
        g.frames.push_back(l.substr(0, open));
      }
    }
    d.gs.push_back(g);
  }
  return d;
}

// A Go name: a package path and a dot (internal/poll.(*FD).Read,
// runtime.gopark).  A frame of ours with no Go twin keeps its C++ name
// (goroutine_start, "(anonymous namespace)::serve::{lambda#1}::_FUN").
bool goshaped(const std::string& name) {
  return name.find('.') != std::string::npos && name.find("::") == std::string::npos &&
         name[0] != '(';
}

// The goroutines waiting on the network, each as its Go frames and what
// created it: what must be the same in our dump and Go's.
std::multiset<std::vector<std::string>> network_waiters(const Dump& d) {
  std::multiset<std::vector<std::string>> out;
  for (const Goroutine& g : d.gs) {
    if (g.state.rfind("IO wait", 0) != 0) continue;
    std::vector<std::string> names;
    for (const std::string& f : g.frames)
      if (goshaped(f)) names.push_back(f);
    names.push_back("created by " + g.createdBy);
    out.insert(names);
  }
  return out;
}

std::string show(const std::multiset<std::vector<std::string>>& gs) {
  std::string s;
  for (const auto& g : gs) {
    s += "  goroutine:\n";
    for (const auto& f : g) s += "    " + f + "\n";
  }
  return s;
}

// `prog -serve 127.0.0.1:0`, one client connected and echoed (so that one
// goroutine waits in Read, another in Accept), then sig: what it printed
// on stderr, and its status.
Dump serve_and_signal(const std::string& prog, int sig, std::vector<std::string> env = {}) {
  testutil::ChildOpts o;
  o.env = std::move(env);
  testutil::Child c = testutil::start({prog, "-serve", "127.0.0.1:0"}, o);
  std::string addr = c.line();
  int port = std::atoi(addr.substr(addr.rfind(':') + 1).c_str());
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char buf[2];
  bool echoed = port > 0 && ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                ::send(s, "hi", 2, MSG_NOSIGNAL) == 2 && ::recv(s, buf, 2, MSG_WAITALL) == 2;
  // The echo goroutine is back in Read, parked, once its netpollblock has
  // committed: the server's stack says so in /proc: its threads all sleep.
  if (echoed) {
    auto all_asleep = [&] {
      std::string dir = "/proc/" + std::to_string(c.pid) + "/task";
      std::string ls = testutil::output_of("ls " + dir);
      std::istringstream in(ls);
      int running = 0;
      for (std::string t; in >> t;) {
        std::ifstream st(dir + "/" + t + "/stat");
        std::string all((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
        size_t rp = all.rfind(')');
        if (rp != std::string::npos && rp + 2 < all.size() && all[rp + 2] == 'R') running++;
      }
      return running == 0;
    };
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!all_asleep() && std::chrono::steady_clock::now() < end) sched_yield();
  }
  ::kill(c.pid, sig);
  Dump d = parse(c.stderr_all());
  d.status = c.wait();
  ::close(s);
  if (!echoed) d.text = "(the server at " + addr + " did not echo)\n" + d.text;
  return d;
}

std::string demo() { return testutil::build_dir() + "/demo"; }
std::string goecho() { return std::string(PROJECT_ROOT) + "/build/go/echo"; }

}  // namespace

// The dump Go 1.19 prints for SIGQUIT (signal_unix.go's sighandler):
// "SIGQUIT: quit", the pc, the M and the signal's code; every goroutine,
// with runtime frames (a runtime throw shows them at any GOTRACEBACK);
// then the registers; exit status 2.  Ours must name, for each goroutine
// waiting on the network, the same Go functions in the same order and the
// same creator: frames with no Go twin left out, arguments, addresses,
// lines and goroutine ids not compared.
TEST(Traceback, SIGQUITDumpNamesTheSameGoFunctionsAsGo119s) {
  ASSERT_TRUE(testutil::built(demo()));
  ASSERT_TRUE(testutil::built(goecho()));
  Dump ours = serve_and_signal(demo(), SIGQUIT);
  Dump go = serve_and_signal(goecho(), SIGQUIT);
  for (const Dump* d : {&ours, &go}) {
    const char* who = d == &ours ? "ours" : "Go's";
    EXPECT_TRUE(WIFEXITED(d->status) && WEXITSTATUS(d->status) == 2)
        << who << " status " << d->status << "\n" << d->text;
    ASSERT_GE(d->lines.size(), 3u) << who << ":\n" << d->text;
    EXPECT_EQ(d->lines[0], "SIGQUIT: quit") << who;
    EXPECT_TRUE(std::regex_match(d->lines[1], std::regex(R"(PC=0x[0-9a-f]+ m=\d+ sigcode=0)")))
        << who << ": " << d->lines[1];
    EXPECT_EQ(d->lines[2], "") << who;
    // The interrupted goroutine first; the registers last, in Go's order.
    EXPECT_TRUE(std::regex_match(d->lines[3], std::regex(R"(goroutine \d+ \[[^\]]+\]:)")))
        << who << ": " << d->lines[3];
    std::string regs;
    for (const std::string& l : d->lines)
      if (std::regex_match(l, std::regex(R"([a-z0-9]+ +0x[0-9a-f]+)"))) regs += l.substr(0, l.find(' ')) + " ";
    EXPECT_EQ(regs, "rax rbx rcx rdx rdi rsi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 rip rflags cs fs gs ")
        << who;
  }
  auto mine = network_waiters(ours), gos = network_waiters(go);
  EXPECT_EQ(mine.size(), 2u) << "the accept loop and the echo goroutine\n" << ours.text;
  EXPECT_EQ(mine, gos) << "ours:\n" << show(mine) << "Go's:\n" << show(gos) << "\nour dump:\n"
                       << ours.text;
}

// GOTRACEBACK does not change a SIGQUIT dump below crash: a runtime throw
// (which a fatal signal is) shows every frame of every goroutine at
// none, single, all and system alike, in Go 1.19 (runtime1.go's
// gotraceback).  Ours and Go's print as many goroutines at each level as
// with no GOTRACEBACK.
class GotracebackLevel : public testing::TestWithParam<const char*> {};

TEST_P(GotracebackLevel, SIGQUITPrintsTheWholeDumpAsGo119Does) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    Dump plain = serve_and_signal(prog, SIGQUIT);
    Dump at = serve_and_signal(prog, SIGQUIT, {std::string("GOTRACEBACK=") + GetParam()});
    EXPECT_TRUE(WIFEXITED(at.status) && WEXITSTATUS(at.status) == 2) << prog;
    EXPECT_EQ(at.gs.size(), plain.gs.size()) << prog << " at " << GetParam() << ":\n" << at.text;
    EXPECT_NE(at.text.find("fp="), std::string::npos) << prog << ": runtime frames' fp, sp, pc";
  }
}
INSTANTIATE_TEST_SUITE_P(Traceback, GotracebackLevel,
                         testing::Values("none", "single", "all", "system"));

// GOTRACEBACK=crash: each M in turn prints its own stack (the first passes
// SIGQUIT on with kill, the next M takes it; "-----" between them), and the
// last aborts: the process dies of SIGABRT, for a core dump.  Go's does.
TEST(Traceback, GotracebackCrashRelaysSIGQUITFromMToMThenAborts) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    Dump d = serve_and_signal(prog, SIGQUIT, {"GOTRACEBACK=crash"});
    EXPECT_TRUE(WIFSIGNALED(d.status) && WTERMSIG(d.status) == SIGABRT)
        << prog << " status " << d.status << "\n" << d.text;
    int relays = 0, dumps = 0;
    for (const std::string& l : d.lines) relays += l == "-----", dumps += l == "SIGQUIT: quit";
    EXPECT_GE(relays, 1) << prog << ":\n" << d.text;
    EXPECT_EQ(dumps, relays + 1) << prog << ": one dump per M that took the signal";
  }
}

// panic.go's throw: "fatal error: ...", then the throwing goroutine (with
// runtime frames: runtime.throw first) and every other, exit status 2.
void throw_beside_a_parked_goroutine() {
  gotest::go(
      [] {
        std::atomic<bool> parked{false};
        rt::g* gp = gotest::spawn([&] {
          parked = true;
          gotest::park();
        });
        (void)gp;
        gotest::until([&] { return parked.load() && gotest::parked(rt::waitReason::zero) == 1; });
        rt::throw_("test: thrown on purpose");
      },
      1);
}

TEST(TracebackDeathTest, ThrowPrintsFatalErrorThenTheThrowerThenEveryGoroutine) {
  EXPECT_EXIT(throw_beside_a_parked_goroutine(), testing::ExitedWithCode(2),
              "^fatal error: test: thrown on purpose\n\n"
              "goroutine [0-9]+ \\[running\\]:\n"
              "runtime.throw\\(...\\)\n\t[^\n]*/src/runtime/panic.cpp:[0-9]+ [^\n]*\n"
              "(.*\n)*goroutine [0-9]+ \\[waiting\\]:\nruntime.gopark\\(...\\)\n");
}

// mprof.go's runtime.Stack: the caller's goroutine, its header saying it
// runs, and at GOTRACEBACK=single's level: no runtime frames, no fp, sp
// and pc; Stack's own caller is the first frame.
std::string stack_of_mine(int64_t* goid) {
  *goid = rt::getg()->goid;
  char buf[16384];
  int32_t n = rt::Stack(buf, sizeof buf, false);
  return std::string(buf, static_cast<size_t>(n));
}

TEST(Traceback, StackGivesTheCallersStackWithoutRuntimeFrames) {
  std::string text;
  int64_t goid = 0;
  gotest::go([&] { text = stack_of_mine(&goid); });
  Dump d = parse(text);
  ASSERT_EQ(d.gs.size(), 1u) << text;
  EXPECT_EQ(d.gs[0].header, "goroutine " + std::to_string(goid) + " [running]:");
  ASSERT_FALSE(d.gs[0].frames.empty()) << text;
  EXPECT_EQ(d.gs[0].frames[0], "main.stack_of_mine") << text;
  for (const std::string& f : d.gs[0].frames)
    EXPECT_TRUE(f.rfind("runtime.", 0) != 0 || (f.size() > 8 && std::isupper(f[8])))
        << "an unexported runtime frame at level 1: " << f;
  EXPECT_EQ(text.find("fp="), std::string::npos) << "fp, sp, pc only at level 2";
}

// runtime.Stack(all) gives every goroutine, each header saying why it
// waits in Go's words (runtime2.go's waitReasonStrings): a Read on the
// network "IO wait", a WaitGroup "semacquire", time.Sleep "sleep", a bare
// gopark "waiting"; and, once a goroutine has waited a minute or more,
// for how long ("[IO wait, 3 minutes]", traceback.go's goroutineheader).
TEST(Traceback, StackAllSaysWhyAndHowLongEachGoroutineWaits) {
  std::string text;
  int64_t ids[4] = {};
  gotest::go(
      [&] {
        net::netFD *ln, *c;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
        sync_::WaitGroup wg, done;
        wg.Add(1);
        done.Add(4);
        rt::g* reader = gotest::spawn([&] {
          char b;
          c->Read(&b, 1);
          done.Done();
        });
        rt::g* waiter = gotest::spawn([&] {
          wg.Wait();
          done.Done();
        });
        rt::g* sleeper = gotest::spawn([&] {
          rt::timeSleep(int64_t{3600} * 1000000000);
          done.Done();
        });
        rt::g* parker = gotest::spawn([&] {
          gotest::park();
          done.Done();
        });
        rt::g* gs[] = {reader, waiter, sleeper, parker};
        for (int i = 0; i < 4; i++) ids[i] = gs[i]->goid;
        gotest::until([&] {
          return gotest::parked(rt::waitReason::IOWait) >= 1 &&
                 gotest::parked(rt::waitReason::Semacquire) >= 1 &&
                 gotest::parked(rt::waitReason::Sleep) >= 1 &&
                 gotest::parked(rt::waitReason::zero) >= 1;
        });
        reader->waitsince = rt::nanotime() - int64_t{3} * 60 * 1000000000;  // parked 3 minutes ago
        std::vector<char> buf(1 << 20);
        int32_t n = rt::Stack(buf.data(), static_cast<int32_t>(buf.size()), true);
        text.assign(buf.data(), static_cast<size_t>(n));
        // Let them all go.
        c->Close();
        wg.Done();
        rt::deltimer(sleeper->timer);
        rt::goready(sleeper);
        rt::goready(parker);
        done.Wait();
        ln->Close();
        net::Free(c);
        net::Free(ln);
      },
      1);
  const char* want[] = {"[IO wait, 3 minutes]:", "[semacquire]:", "[sleep]:", "[waiting]:"};
  for (int i = 0; i < 4; i++)
    EXPECT_NE(text.find("goroutine " + std::to_string(ids[i]) + " " + want[i]), std::string::npos)
        << "goroutine " << ids[i] << " should be " << want[i] << "\n" << text;
}

// symtab.cpp's funcname: Go's name for each kind of function of ours.
TEST(Symtab, FuncnameSpellsEachFunctionAsGoNamesTheOneItRebuilds) {
  auto name = [](const void* fn) {
    char buf[256];
    bool twin;
    rt::funcname(rt::findfunc(reinterpret_cast<uintptr_t>(fn)), buf, sizeof buf, &twin);
    return std::string(buf) + (twin ? "" : " (no Go twin)");
  };
  // A method: the type's pointer; a package path for a nested namespace.
  // (A non-virtual member function pointer holds the address first.)
  auto method = [](auto pmf) {
    const void* p;
    std::memcpy(&p, &pmf, sizeof p);
    return p;
  };
  EXPECT_EQ(name(method(&internal::poll::FD::Read)), "internal/poll.(*FD).Read");
  EXPECT_EQ(name(method(&net::conn::Read)), "net.(*conn).Read");
  // Go's linknames.
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::poll_runtime_pollWait)),
            "internal/poll.runtime_pollWait");
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::sync_runtime_Semacquire)),
            "sync.runtime_Semacquire");
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::timeSleep)), "time.Sleep");
  // A spelling C++ reserves: throw is throw_.
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::throw_)), "runtime.throw");
  // The stubs: Go's runtime, whatever their C symbol.
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::epollwait)), "runtime.epollwait");
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::read)), "runtime.read");
  EXPECT_EQ(name(reinterpret_cast<const void*>(&rt::sigtramp)), "runtime.sigtramp");
  // The C function every goroutine starts in has no Go twin, nor has libc's.
  char gs[64];
  rt::funcname(rt::findfunc(reinterpret_cast<uintptr_t>(&gotest::go)), gs, sizeof gs, nullptr);
  EXPECT_EQ(std::string(gs).find('.'), std::string::npos) << gs << ": gotest is no Go package";
  EXPECT_FALSE(rt::findfunc(reinterpret_cast<uintptr_t>(&::write)).valid())
      << "libc's write is not in this executable's symbol table";
}

namespace {
int line_of_this_function() { return __LINE__ - 0; }  // the line funcline must give
}  // namespace

// symtab.cpp's funcline: our file and line, from the line table.
TEST(Symtab, FunclineGivesOurFileAndLine) {
  auto pc = reinterpret_cast<uintptr_t>(&line_of_this_function);
  rt::funcInfo f = rt::findfunc(pc);
  ASSERT_TRUE(f.valid());
  char file[512];
  int32_t line = rt::funcline(f, pc, file, sizeof file);
  EXPECT_EQ(line, line_of_this_function());
  EXPECT_EQ(std::string(file), std::string(PROJECT_ROOT) + "/tests/traceback_test.cpp");
  // An asm stub's lines are the .asm file's, for gdb and a traceback alike.
  auto stub = reinterpret_cast<uintptr_t>(&rt::epollwait);
  line = rt::funcline(rt::findfunc(stub), stub, file, sizeof file);
  EXPECT_EQ(std::string(file), std::string(PROJECT_ROOT) + "/asm/sys_linux_amd64.asm");
  EXPECT_GT(line, 0);
}
