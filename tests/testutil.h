// Helpers shared by the suite.  The tests themselves may use libc freely:
// it is the independent witness against which the stubs are checked.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/select.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/netpoll.h"
#include "runtime/sys_linux_amd64.h"

// TEST_HELPER(Name) { ... return code; }: a helper (testutil::helpers).
#define TEST_HELPER(name)                                           \
  static int name##_helper();                                       \
  static testutil::RegisterHelper name##_registered(#name, name##_helper); \
  static int name##_helper()

namespace testutil {

// A descriptor that is closed (with libc's close) when the test ends.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  operator int() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct Pair {
  Fd a, b;  // pipe: a = read end, b = write end; socketpair: two peers
};

inline Pair make_pipe(int flags = 0) {
  int p[2];
  EXPECT_EQ(::pipe2(p, flags), 0) << strerror(errno);
  return Pair{Fd(p[0]), Fd(p[1])};
}

inline Pair make_socketpair(int type = SOCK_STREAM) {
  int s[2];
  EXPECT_EQ(::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, s), 0) << strerror(errno);
  return Pair{Fd(s[0]), Fd(s[1])};
}

// A fresh descriptor that refers to nothing in particular.  (Not dup(0):
// CI may run us with standard input closed.)
inline int open_null() { return ::open("/dev/null", O_RDONLY); }

// A descriptor number that is certainly not open: open one, close it.
inline int closed_fd() {
  int fd = open_null();
  ::close(fd);
  return fd;
}

inline int gettid_() { return static_cast<int>(::syscall(SYS_gettid)); }

// Whether thread tid of this process sleeps in system call nr now (and,
// if arg0 is given, with that first argument: a futex's address, say).
// /proc/self/task/TID/syscall has the number from the call's entry, then
// its arguments; stat's state after the name is S once it really sleeps.
inline bool asleep_in_syscall(int tid, long nr, const void* arg0 = nullptr) {
  std::string task = "/proc/self/task/" + std::to_string(tid);
  std::ifstream sc(task + "/syscall"), st(task + "/stat");
  long n = -1;
  std::string arg, stat;
  if (!(sc >> n >> arg) || n != nr) return false;
  if (arg0 != nullptr && std::stoull(arg, nullptr, 16) != reinterpret_cast<uintptr_t>(arg0))
    return false;
  std::getline(st, stat);
  size_t rp = stat.rfind(')');
  return rp != std::string::npos && rp + 2 < stat.size() && stat[rp + 2] == 'S';
}

// Waits until thread tid of this process is blocked inside system call nr,
// as the kernel reports it in /proc/self/task/TID/syscall.  This is how a
// test knows a wait has really begun before it sends a signal or a wake-up,
// without sleeping and hoping.  Gives up after 30 s and returns false.
inline bool wait_until_in_syscall(int tid, long nr) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (asleep_in_syscall(tid, nr)) return true;
    sched_yield();
  }
  return false;
}

// The build directory this test binary lives in (build/tests/.. , or the
// sanitizer build's), where the other programs the tests run are.
inline std::string build_dir() {
  char buf[4096] = {};
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string self(buf, n > 0 ? static_cast<size_t>(n) : 0);
  std::string dir = self.substr(0, self.rfind('/'));  // .../build/tests
  return dir.substr(0, dir.rfind('/'));               // .../build
}

// What cmd (a shell command line) writes on stdout; *status, if given,
// gets pclose's status (a wait status: WEXITSTATUS for the exit code).
inline std::string output_of(const std::string& cmd, int* status = nullptr) {
  std::string out;
  int st = -1;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    st = ::pclose(p);
  }
  if (status) *status = st;
  return out;
}

// A program run by a test, with its standard output and error read
// through pipes (or sent where the test says), for what it prints, its
// exit status and the signals it gets.
struct Child {
  pid_t pid = -1;
  int out = -1, err = -1;  // read ends, or -1 when not captured
  // The next line of its standard output, without the newline; "" at end
  // of file or after 30 s.
  std::string line() {
    std::string l;
    char c;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < end) {
      fd_set in;
      FD_ZERO(&in);
      FD_SET(out, &in);
      timeval second{1, 0};
      if (::select(out + 1, &in, nullptr, nullptr, &second) <= 0) continue;
      if (::read(out, &c, 1) != 1 || c == '\n') break;
      l += c;
    }
    return l;
  }
  // Everything it writes on fd until it closes it (it exits).
  static std::string drain(int fd) {
    std::string all;
    char buf[4096];
    for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;) all.append(buf, static_cast<size_t>(n));
    return all;
  }
  std::string stdout_rest() { return drain(out); }
  std::string stderr_all() { return drain(err); }
  // Its wait status (WIFEXITED, WTERMSIG...).
  int wait() {
    int st = -1;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (out >= 0) ::close(out);
    if (err >= 0) ::close(err);
    out = err = -1;
    return st;
  }
};

struct ChildOpts {
  int stdout_fd = -1;  // -1: captured (Child::out); else this descriptor
  int stderr_fd = -1;  // -1: captured (Child::err)
  std::vector<std::string> env;  // NAME=value, added
  std::vector<int> ignore;       // signals it starts with ignored (SIG_IGN)
  std::vector<int> block;        // signals it starts with blocked
  std::vector<int> keep;         // descriptors it keeps, as 3, 4, ...
};

// Runs argv[0] (a path) with argv.  Nothing but async-signal-safe calls
// between fork and exec: the test process has other threads.  A child
// never writes a core file (RLIMIT_CORE 0): GOTRACEBACK=crash aborts.
inline Child start(const std::vector<std::string>& argv, const ChildOpts& o = {}) {
  Child c;
  int outp[2] = {-1, -1}, errp[2] = {-1, -1};
  if (o.stdout_fd < 0 && ::pipe2(outp, O_CLOEXEC) != 0) return c;
  if (o.stderr_fd < 0 && ::pipe2(errp, O_CLOEXEC) != 0) return c;
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; e++) envs.push_back(*e);
  for (const auto& e : o.env) envs.push_back(e);
  std::vector<char*> av, ev;
  for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  for (const auto& e : envs) ev.push_back(const_cast<char*>(e.c_str()));
  ev.push_back(nullptr);
  sigset_t blocked;
  sigemptyset(&blocked);
  for (int sig : o.block) sigaddset(&blocked, sig);
  c.pid = ::fork();
  if (c.pid == 0) {
    ::dup2(o.stdout_fd >= 0 ? o.stdout_fd : outp[1], 1);
    ::dup2(o.stderr_fd >= 0 ? o.stderr_fd : errp[1], 2);
    for (size_t i = 0; i < o.keep.size(); i++) ::dup2(o.keep[i], static_cast<int>(3 + i));
    struct sigaction dfl {};
    for (int sig = 1; sig < 65; sig++) {  // what the test process changed, back to the defaults
      dfl.sa_handler = SIG_DFL;
      ::sigaction(sig, &dfl, nullptr);
    }
    for (int sig : o.ignore) {
      struct sigaction ign {};
      ign.sa_handler = SIG_IGN;
      ::sigaction(sig, &ign, nullptr);
    }
    ::sigprocmask(SIG_SETMASK, &blocked, nullptr);
    rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    ::execve(av[0], av.data(), ev.data());
    ::_exit(127);
  }
  if (outp[1] >= 0) ::close(outp[1]);
  if (errp[1] >= 0) ::close(errp[1]);
  c.out = outp[0];
  c.err = errp[0];
  return c;
}

// Helpers: functions a test runs as a program of their own, in a child that
// is this binary run as `runtime_test --helper=NAME` (as Go's tests rerun
// their test binary with -test.run and an environment variable).  A helper
// returns the child's exit code; gtest and the run's supervisor do not
// start (tests/main.cpp).
using Helper = int (*)();
inline std::map<std::string, Helper>& helpers() {
  static std::map<std::string, Helper> h;
  return h;
}
struct RegisterHelper {
  RegisterHelper(const char* name, Helper fn) { helpers()[name] = fn; }
};
inline std::string self_exe() {
  char buf[4096] = {};
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}
inline std::vector<std::string> helper_argv(const std::string& name) {
  return {self_exe(), "--helper=" + name};
}

// A program `make test` builds before it runs the suite.  Its absence is a
// failure, never a skip: a skip says the machine cannot have a tool, not
// that the build went in another order.
inline testing::AssertionResult built(const std::string& path) {
  if (::access(path.c_str(), X_OK) == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << path << " is not built; `make test` builds it first";
}

// Raise the soft descriptor limit towards want (never past the hard
// limit), for tests with many connections: CI may start us at 1024.
inline void raise_nofile(rlim_t want) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < want) {
    rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// Every directory of ours that holds code, relative to the project root.
inline const std::vector<std::string>& code_dirs() {
  static const std::vector<std::string> dirs = {
      "asm",          "include/internal/poll", "include/net", "include/os",
      "include/runtime", "include/sync",       "include/tools", "src/cmd",
      "src/internal/poll", "src/net",          "src/os",      "src/runtime",
      "src/sync",     "src/tools",             "tests",       "tests/bench",
      "tests/go",     "tests/gotest",          "notes/gdb"};
  return dirs;
}

inline std::string errname(int e) {
  const char* n = strerrorname_np(e < 0 ? -e : e);
  return n ? n : std::to_string(e);
}

// netpollBreak's wake-ups not yet consumed: bytes in the break pipe, or
// (NETPOLL_GO=1.23) the eventfd's counter as /proc/self/fdinfo shows it.
inline int pending_breaks() {
#if NETPOLL_GO >= 123
  std::ifstream f("/proc/self/fdinfo/" + std::to_string(runtime::netpollEventFd));
  std::string key;
  while (f >> key)
    if (key == "eventfd-count:") {
      unsigned long long n;
      f >> std::hex >> n;
      return static_cast<int>(n);
    }
  return -1;
#else
  int n = -1;
  ioctl(static_cast<int>(runtime::netpollBreakRd), FIONREAD, &n);
  return n;
#endif
}

// Consume them and clear netpollWakeSig, whatever the last test did, so a
// test starts from Go's idle state.
inline void drain_breaks() {
#if NETPOLL_GO >= 123
  uint64_t n;
  runtime::read(static_cast<int32_t>(runtime::netpollEventFd), &n, sizeof n);
#else
  char buf[64];
  while (runtime::read(static_cast<int32_t>(runtime::netpollBreakRd), buf, sizeof buf) > 0) {
  }
#endif
  runtime::netpollWakeSig.store(0);
}

// For tests that play the poller's part by hand (sched.lastpoll 0: an M is
// blocked in netpoll, until sched.pollUntil): no break pending before, and
// the scheduler's fields as they were after.
class PollerStateTest : public testing::Test {
 protected:
  void SetUp() override {
    runtime::netpollGenericInit();
    drain_breaks();
    saved_lastpoll_ = runtime::sched.lastpoll.load();
  }
  void TearDown() override {
    drain_breaks();
    runtime::sched.lastpoll.store(saved_lastpoll_);
    runtime::sched.pollUntil.store(0);
  }

 private:
  int64_t saved_lastpoll_ = 0;
};

// Set ev's datum for pd as netpollopen does: the bare pointer, or (from
// NETPOLL_GO=1.21) the pointer tagged with pd's fdseq.
inline void set_datum(runtime::epollevent* ev, runtime::pollDesc* pd) {
#if NETPOLL_GO >= 121
  runtime::epolldata_set64(ev, runtime::taggedPointerPack(pd, pd->fdseq.load()));
#else
  runtime::epolldata_set(ev, pd);
#endif
}

}  // namespace testutil
