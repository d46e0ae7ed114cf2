// signal_unix.cpp, sigtab_linux_generic.cpp, os_linux.cpp's signal half
// and the stubs they call: what the process does with each signal, as Go
// 1.19's does (the same programs, build/demo and Go's tests/go/echo.go,
// side by side where both can be asked).
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "gotest.h"
#include "net/net.h"
#include "os/file.h"
#include "runtime/netpoll.h"
#include "runtime/signal_unix.h"
#include "testutil.h"

namespace rt = runtime;

namespace {

std::string demo() { return testutil::build_dir() + "/demo"; }
std::string goecho() { return std::string(PROJECT_ROOT) + "/build/go/echo"; }

// `prog -serve`, its address read: a server that runs until it is told.
struct Server {
  testutil::Child c;
  int port = -1;
  explicit Server(const std::string& prog, testutil::ChildOpts o = {}) {
    c = testutil::start({prog, "-serve", "127.0.0.1:0"}, o);
    std::string addr = c.line();
    if (addr.find(':') != std::string::npos) port = std::atoi(addr.substr(addr.rfind(':') + 1).c_str());
  }
  // Whether it still echoes: a fresh connection, a byte there and back.
  bool echoes() const {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char b = 0;
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
              ::send(s, "x", 1, MSG_NOSIGNAL) == 1 && ::recv(s, &b, 1, MSG_WAITALL) == 1 && b == 'x';
    ::close(s);
    return ok;
  }
  // The process's signal dispositions, as the kernel reports them (a mask
  // of caught signals, bit sig-1).
  uint64_t caught() const {
    std::ifstream st("/proc/" + std::to_string(c.pid) + "/status");
    for (std::string l; std::getline(st, l);)
      if (l.rfind("SigCgt:", 0) == 0) return std::stoull(l.substr(7), nullptr, 16);
    return 0;
  }
};

}  // namespace

// A server writing to a peer that has closed its end, with data unread so
// that the peer's kernel resets the connection: the write raises SIGPIPE,
// which the runtime catches and ignores (sigtable: SigNotify, and nobody
// asked), and returns EPIPE or ECONNRESET, and the server carries on.
// Before the runtime had handlers, the same test died of SIGPIPE.
TEST(Signal, AServerWritingToAPeerThatHasGoneGetsAnErrorAndCarriesOn) {
  int errors = 0, rounds = 100;
  gotest::go(
      [&] {
        net::netFD* ln;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        for (int i = 0; i < rounds; i++) {
          net::netFD *c, *s;
          ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
          ASSERT_EQ(net::Accept(ln, &s), 0);
          c->Write("unread", 6);  // left unread: the close below resets the connection
          c->Close();
          net::Free(c);
          int err = 0;
          for (int k = 0; k < 1000 && err == 0; k++) err = s->Write("more", 4).err;
          errors += err == -EPIPE || err == -ECONNRESET;
          s->Close();
          net::Free(s);
        }
        ln->Close();
        net::Free(ln);
      },
      2);
  EXPECT_EQ(errors, rounds) << "every server write past the reset fails with EPIPE or ECONNRESET";
}

// os.File.Write's epipecheck: standard output with its reader gone ends
// the process by SIGPIPE, silently, as any Unix program that writes to a
// closed pipe; Go's does.  (Each program's first output goes there.)
TEST(Signal, AProgramWhoseStdoutReaderIsGoneDiesOfSIGPIPEAsGosDoes) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    ::close(p[0]);
    testutil::ChildOpts o;
    o.stdout_fd = p[1];
    testutil::Child c = testutil::start({prog, "-serve", "127.0.0.1:0"}, o);
    ::close(p[1]);
    std::string err = c.stderr_all();
    int st = c.wait();
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) << prog << ": status " << st;
    EXPECT_EQ(err, "") << prog;
  }
}

// SIGINT, SIGTERM and SIGHUP: SigKill (sigtable), so the process ends by
// the signal itself, its default action (dieFromSignal): a shell sees
// 128+sig.  Go's does.
class KillSignal : public testing::TestWithParam<int> {};

TEST_P(KillSignal, EndsTheProcessByTheSignalAsGosDefaultDoes) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    Server s(prog);
    ASSERT_TRUE(s.echoes()) << prog;
    ::kill(s.c.pid, GetParam());
    std::string err = s.c.stderr_all();
    int st = s.c.wait();
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == GetParam())
        << prog << ": status " << st << "\n" << err;
  }
}
INSTANTIATE_TEST_SUITE_P(Signal, KillSignal, testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// A process started with SIGHUP or SIGINT ignored (nohup, a shell's
// background job) keeps ignoring it: signal_unix.go's sigInstallGoHandler.
class InheritedIgnore : public testing::TestWithParam<int> {};

TEST_P(InheritedIgnore, IsKeptAsGosIs) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    testutil::ChildOpts o;
    o.ignore = {GetParam()};
    Server s(prog, o);
    ::kill(s.c.pid, GetParam());
    EXPECT_TRUE(s.echoes()) << prog << " died of a signal it was started ignoring";
    EXPECT_EQ(s.caught() & (uint64_t{1} << (GetParam() - 1)), 0u) << prog << " took it over";
    ::kill(s.c.pid, SIGKILL);
    s.c.wait();
  }
}
INSTANTIATE_TEST_SUITE_P(Signal, InheritedIgnore, testing::Values(SIGHUP, SIGINT),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// SIGURG is Go's preemption signal.  There is no preemption here, so it is
// only ever the kernel's (out-of-band data), and, as in Go, caught and
// ignored: the process goes on.
TEST(Signal, SIGURGIsCaughtAndIgnored) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    Server s(prog);
    EXPECT_NE(s.caught() & (uint64_t{1} << (SIGURG - 1)), 0u) << prog << " does not catch SIGURG";
    for (int i = 0; i < 10; i++) ::kill(s.c.pid, SIGURG);
    EXPECT_TRUE(s.echoes()) << prog;
    ::kill(s.c.pid, SIGKILL);
    s.c.wait();
  }
}

// Every signal the runtime must be able to take is unblocked on every M,
// whatever the thread that started the process had blocked (minitSignalMask):
// started with SIGQUIT blocked, the server still dumps its goroutines.
TEST(Signal, EveryMUnblocksTheSignalsThatKillOrThrow) {
  for (const std::string& prog : {demo(), goecho()}) {
    ASSERT_TRUE(testutil::built(prog));
    testutil::ChildOpts o;
    o.block = {SIGQUIT, SIGTERM, SIGURG};
    Server s(prog, o);
    ASSERT_TRUE(s.echoes()) << prog;
    ::kill(s.c.pid, SIGQUIT);
    std::string err = s.c.stderr_all();
    int st = s.c.wait();
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 2) << prog << ": status " << st;
    EXPECT_EQ(err.rfind("SIGQUIT: quit\n", 0), 0u) << prog << ":\n" << err;
  }
}

// The handlers are in place before the runtime starts its second thread,
// as Go's are: Go's m0 installs them in mstart (proc.go:1421) while it is
// the only M.  Ours may start Ms before m0 reaches mstart (run's wakep),
// so m0 installs them first; had it not, a goroutine on such an M could
// write to a closed socket under the default SIGPIPE, and die (it did,
// under ThreadSanitizer, 1 run in 10 of the server test above).  In
// strace's order: after the runtime's first sigsave (schedinit's,
// proc.go:703; a sanitizer's own threads start before it), SIGPIPE's
// handler comes before the first clone.
TEST(Signal, TheHandlersAreInstalledBeforeTheRuntimeStartsAThreadAsGosAre) {
  if (system("command -v strace >/dev/null 2>&1") != 0) GTEST_SKIP() << "strace is not installed";
  for (const std::string& prog : {goecho(), demo()}) {
    ASSERT_TRUE(testutil::built(prog));
    std::string out = testing::TempDir() + "handlers-strace.txt";
    std::string cmd = "ASAN_OPTIONS=detect_leaks=0 NETPOLL_PROCS=2 strace -f -qq -e signal=none "
                      "-e trace=rt_sigaction,rt_sigprocmask,clone,clone3 -o " + out + " " + prog +
                      " >/dev/null 2>&1";
    ASSERT_EQ(system(cmd.c_str()), 0) << cmd;
    std::ifstream in(out);
    static const std::regex sigsave(R"(rt_sigprocmask\(SIG_SETMASK, NULL,)");
    static const std::regex handler(R"(rt_sigaction\(SIGPIPE, \{sa_handler=0x)");
    static const std::regex clone(R"(\bclone3?\()");
    int n = 0, saved = 0, installed = 0, cloned = 0;
    for (std::string l; std::getline(in, l);) {
      n++;
      if (saved == 0 && std::regex_search(l, sigsave)) saved = n;
      if (saved == 0) continue;
      if (installed == 0 && std::regex_search(l, handler)) installed = n;
      if (cloned == 0 && std::regex_search(l, clone)) cloned = n;
    }
    std::remove(out.c_str());
    ASSERT_NE(saved, 0) << prog << ": no sigsave";
    ASSERT_NE(installed, 0) << prog << ": SIGPIPE's handler never installed";
    ASSERT_NE(cloned, 0) << prog << ": no thread started";
    EXPECT_LT(installed, cloned) << prog << ": a thread started (strace line " << cloned
                                 << ") before SIGPIPE's handler (line " << installed << ")";
  }
}

namespace {

// What the SIGUSR1 hook saw (Go's testSigusr1, signal_unix.go:595).
std::atomic<int> g_usr1{0};
std::atomic<uintptr_t> g_usr1_sp{0};
std::atomic<rt::m*> g_usr1_m{nullptr};
std::atomic<rt::g*> g_usr1_g{nullptr};

bool count_usr1(rt::g* gp) {
  g_usr1_sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  g_usr1_m = rt::getm();
  g_usr1_g = gp;
  g_usr1++;
  return true;
}

// The thread of this process, other than the caller's, asleep in system
// call nr; 0 if none.
int asleep_in(long nr) {
  int self = testutil::gettid_();
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    int tid = std::atoi(e.path().filename().c_str());
    if (tid != self && testutil::asleep_in_syscall(tid, nr)) return tid;
  }
  return 0;
}

// The idle M (on sched.midle, asleep in stopm or on its way) running on
// thread tid, or nullptr.  Under sched.lock, which the M took to put
// itself there after minit gave it its procid.
rt::m* idle_m_of(int tid) {
  rt::m* found = nullptr;
  rt::lock(&rt::sched.lock);
  for (rt::m* mp = rt::sched.midle; mp != nullptr; mp = mp->schedlink)
    if (static_cast<int>(mp->procid) == tid) found = mp;
  rt::unlock(&rt::sched.lock);
  return found;
}

}  // namespace

// A signal landing on an M asleep in epoll_wait with no timeout: the
// runtime's handler runs on the M's gsignal stack (the alternate stack,
// SA_ONSTACK), with the g it interrupted (the M's g0: it was in netpoll);
// epoll_wait, which SA_RESTART never restarts, fails with EINTR, and
// netpoll waits again (netpoll_epoll.go:127-137): the M is back asleep
// in epoll_wait, still the poller.
TEST(Signal, ASignalOnAnMInEpollWaitRunsOnItsGsignalStackAndTakesTheEINTRRetry) {
  rt::setsig(rt::SIGUSR1_, rt::sighandlerPC());  // the runtime's, whatever an earlier test installed
  bool handled = false, onstack = false, g0 = false, back = false, polling = false;
  gotest::go(
      [&] {
        net::netFD *ln, *c;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
        std::atomic<bool> readDone{false};
        gotest::spawn([&] {
          char b;
          c->Read(&b, 1);  // nobody writes: parked until the Close below
          readDone = true;
        });
        int tid = 0;
        // The other M, with nothing to do, blocks in netpoll.
        gotest::until([&] {
          return gotest::parked_on_io() >= 1 && rt::sched.lastpoll.load() == 0 &&
                 (tid = asleep_in(SYS_epoll_wait)) != 0;
        });
        g_usr1 = 0;
        rt::testSigusr1 = count_usr1;
        ::syscall(SYS_tgkill, ::getpid(), tid, SIGUSR1);
        gotest::until([&] { return g_usr1.load() > 0; });
        rt::testSigusr1 = nullptr;
        handled = true;
        // The M the handler ran on, which must be the one signalled.
        rt::m* poller = g_usr1_m.load();
        uintptr_t sp = g_usr1_sp;
        onstack = poller != nullptr && static_cast<int>(poller->procid) == tid &&
                  sp >= poller->gsignal->stack_lo && sp < poller->gsignal->stack_hi;
        g0 = poller != nullptr && g_usr1_g.load() == poller->g0;
        back = testutil::wait_until_in_syscall(tid, SYS_epoll_wait);
        polling = rt::sched.lastpoll.load() == 0;
        c->Close();
        gotest::until([&] { return readDone.load(); });
        net::Free(c);
        ln->Close();
        net::Free(ln);
      },
      2);
  EXPECT_TRUE(handled);
  EXPECT_TRUE(onstack) << "the handler ran off the signalled M's gsignal stack";
  EXPECT_TRUE(g0) << "the handler did not see the M's g0 as the g it interrupted";
  EXPECT_TRUE(back) << "netpoll did not go back to sleep in epoll_wait";
  EXPECT_TRUE(polling) << "netpoll returned: EINTR on an unbounded wait must retry";
}

// A signal landing on an M asleep on its note (futex, in stopm): the
// kernel restarts the wait (SA_RESTART), and the M sleeps on until
// startm wakes it; the program goes on as before.  Three Ps: this
// goroutine keeps one M busy (no Gosched: a yield would hand it to another
// M), a reader parked on the network makes another the poller, and a
// third, woken for a goroutine that returns at once, finds a poller there
// and nothing to do: it sleeps in stopm.
TEST(Signal, ASignalOnAnMAsleepInAFutexLeavesItAsleep) {
  rt::setsig(rt::SIGUSR1_, rt::sighandlerPC());
  bool handled = false, back = false, ran = false;
  gotest::go(
      [&] {
        net::netFD *ln, *c;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
        std::atomic<bool> readDone{false}, quick{false};
        gotest::spawn([&] {
          char b;
          c->Read(&b, 1);  // parked until the Close below
          readDone = true;
        });
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < end &&
               !(gotest::parked_on_io() >= 1 && rt::sched.lastpoll.load() == 0)) {
        }
        gotest::spawn([&] { quick = true; });
        int tid = 0;
        while (std::chrono::steady_clock::now() < end) {
          tid = asleep_in(SYS_futex);
          rt::m* mp = tid != 0 ? idle_m_of(tid) : nullptr;
          if (quick.load() && mp != nullptr && mp->p_.load() == nullptr) break;
          tid = 0;
        }
        if (tid != 0) {
          g_usr1 = 0;
          rt::testSigusr1 = count_usr1;
          ::syscall(SYS_tgkill, ::getpid(), tid, SIGUSR1);
          while (g_usr1.load() == 0 && std::chrono::steady_clock::now() < end) {
          }
          rt::testSigusr1 = nullptr;
          handled = g_usr1.load() > 0;
          back = testutil::wait_until_in_syscall(tid, SYS_futex);
          std::atomic<bool> again{false};
          gotest::spawn([&] { again = true; });  // an M is woken for it, and runs it
          gotest::until([&] { return again.load(); });
          ran = true;
        }
        c->Close();
        gotest::until([&] { return readDone.load(); });
        net::Free(c);
        ln->Close();
        net::Free(ln);
      },
      3);
  EXPECT_TRUE(handled) << "no M asleep in stopm took the signal";
  EXPECT_TRUE(back) << "the M did not go back to sleep in futex";
  EXPECT_TRUE(ran);
}

// A fault in a goroutine: the handler makes the faulting instruction call
// sigpanic (signal_amd64.go's preparePanic), which, with no panics here,
// throws as Go does for a fault in the runtime: the signal, its code and
// address, then the stacks, sigpanic above the function that faulted.
// (Address 0x10, not 0: the same fault, a page no program may map, but
// not a null pointer, which UndefinedBehaviorSanitizer would stop first.)
void fault_in_a_goroutine() {
  gotest::go([] {
    volatile int* low = reinterpret_cast<volatile int*>(uintptr_t{0x10});
    *low = 1;
  });
}

TEST(SignalDeathTest, AFaultInAGoroutineThrowsWithTheSignalAndTheStack) {
  EXPECT_EXIT(fault_in_a_goroutine(), testing::ExitedWithCode(2),
              "^fatal error: unexpected signal during runtime execution\n"
              "\\[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x[0-9a-f]+\\]\n\n"
              "goroutine [0-9]+ \\[running\\]:\n"
              "runtime.throw\\(...\\)\n[^\n]*\nruntime.sigpanic\\(...\\)\n[^\n]*\n"
              "main.fault_in_a_goroutine.func1\\(...\\)\n");
}

// A signal on a thread with no M (here the test's own, once a run has
// installed the handlers): Go's cgo path, raisebadsignal, without the
// extra M it borrows to ask os/signal.  SIGPIPE then takes the action it
// had before the runtime installed its handler, the default: death, as
// in a Go program whose C thread writes to a closed pipe.
void sigpipe_on_a_thread_with_no_m() {
  gotest::go([] {}, 1);  // the handlers are installed
  int p[2];
  if (::pipe(p) != 0) return;
  ::close(p[0]);
  if (::write(p[1], "x", 1) < 0) {
  }
  ::_exit(0);  // survived the SIGPIPE: wrong
}

TEST(SignalDeathTest, SIGPIPEOnAThreadWithNoMTakesTheActionItHadBefore) {
  EXPECT_EXIT(sigpipe_on_a_thread_with_no_m(), testing::KilledBySignal(SIGPIPE), "");
}

// No program or test here ignores SIGPIPE to get by: the runtime's
// handler is what makes a write to a closed peer fail instead of kill.
TEST(Signal, NothingHereIgnoresSIGPIPE) {
  std::regex ignore(R"((SIGPIPE[^;\n]*SIG_IGN|SIG_IGN[^;\n]*SIGPIPE|ignore\s*=\s*\{[^}]*SIGPIPE))");
  for (const char* dir : {"src", "tests", "asm", "include"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(PROJECT_ROOT) + "/" + dir)) {
      if (!e.is_regular_file()) continue;
      std::string ext = e.path().extension();
      if (ext != ".cpp" && ext != ".h" && ext != ".go" && ext != ".asm") continue;
      std::ifstream in(e.path());
      int n = 0;
      for (std::string l; std::getline(in, l);) {
        n++;
        if (l.find("std::regex ignore") != std::string::npos) continue;  // this test
        EXPECT_FALSE(std::regex_search(l, ignore)) << e.path().string() << ":" << n << ": " << l;
      }
    }
}
