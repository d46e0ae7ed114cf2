// echo_bench - the echo benchmark of `make bench`.  Starts each server in
// turn (ours and Go 1.19's, each with 1 and with 2 Ps, and a plain epoll
// loop), drives it with one load generator (this process, one thread,
// epoll), and prints a table: messages per second, round-trip p50 and p99,
// the server's peak RSS, its system calls per echoed message, and the
// ratios ours/Go at each P count.  Servers alternate within each round, so
// a noisy machine hits all alike; each figure is the median over the rounds.
//
// System calls are counted in a run of their own after each measured one
// (1 s), so that counting does not slow the throughput figures: with perf's
// raw_syscalls:sys_enter tracepoint when perf can open it (started
// disabled, enabled and disabled through its control pipe exactly at the
// edges of the measured window), else with strace -c -f attached to the
// server (slower, so only the ratio of calls to messages is kept).
//
//   echo_bench --ours BIN --go BIN --epoll BIN [--conns 1,100,1000,10000]
//              [--seconds 2] [--rounds 3]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMsg = 64;

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// The load generator runs on CPU 0, every server on the other CPUs, so that
// the two never compete for a core and the scheduler cannot move them onto
// one (with 2 CPUs: one each).  With one CPU, nothing is pinned.
bool pinning() { return sysconf(_SC_NPROCESSORS_ONLN) >= 2; }
void pin_load_generator() {
  if (!pinning()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  sched_setaffinity(0, sizeof set, &set);
}
void pin_server() {
  if (!pinning()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (long c = 1; c < sysconf(_SC_NPROCESSORS_ONLN); c++) CPU_SET(c, &set);
  sched_setaffinity(0, sizeof set, &set);
}

// Starts argv with env added, reads the port it prints on its first line.
Server start(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int p[2];
  if (pipe(p) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    pin_server();
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    execv(a[0], a.data());
    _exit(127);
  }
  close(p[1]);
  char line[128] = {};
  size_t n = 0;
  while (n < sizeof line - 1 && read(p[0], line + n, 1) == 1 && line[n] != '\n') n++;
  close(p[0]);
  std::string s(line, n);
  Server sv{pid, 0};
  size_t colon = s.rfind(':');  // Go prints 127.0.0.1:PORT, ours just PORT
  sv.port = std::atoi(s.c_str() + (colon == std::string::npos ? 0 : colon + 1));
  return sv;
}

long peak_rss_kib(pid_t pid) {
  std::ifstream st("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(st, l);)
    if (l.rfind("VmHWM:", 0) == 0) return std::atol(l.c_str() + 6);
  return -1;
}

void stop(const Server& s) {
  kill(s.pid, SIGKILL);
  waitpid(s.pid, nullptr, 0);
}

// Counts a running server's system calls between on() and off().
class SyscallCounter {
 public:
  // How this machine can count: "perf", "strace", or "" (neither works).
  static std::string method() {
    static std::string m = [] {
      if (std::system("perf stat -x, -e raw_syscalls:sys_enter -o /dev/null -- true "
                      ">/dev/null 2>&1") == 0)
        return std::string("perf");
      if (std::system("command -v strace >/dev/null 2>&1") == 0) return std::string("strace");
      return std::string();
    }();
    return m;
  }

  explicit SyscallCounter(pid_t server) : server_(server) {
    char tmpl[] = "/tmp/echo-bench-count-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0) close(fd);
    out_ = tmpl;
  }
  ~SyscallCounter() { unlink(out_.c_str()); }

  // Attached and counting from here.
  bool on() {
    if (method() == "perf") {
      if (pipe(ctl_) != 0 || pipe(ack_) != 0) return false;
      std::string ctl = "fd:" + std::to_string(ctl_[0]) + "," + std::to_string(ack_[1]);
      pid_ = spawn({"perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "-D", "-1", "--control",
                    ctl, "-p", std::to_string(server_), "-o", out_},
                   -1);
      close(ctl_[0]);
      close(ack_[1]);
      return command("enable\n");
    }
    if (method() == "strace") {
      // strace says "Process N attached" for each thread; then it counts.
      int err[2];
      if (pipe(err) != 0) return false;
      pid_ = spawn({"strace", "-f", "-c", "-o", out_, "-p", std::to_string(server_)}, err[1]);
      close(err[1]);
      std::string seen;
      char c;
      while (seen.find("attached") == std::string::npos && read(err[0], &c, 1) == 1) seen += c;
      err_ = err[0];
      return seen.find("attached") != std::string::npos;
    }
    return false;
  }

  // Stops counting; returns the number of calls, or -1.
  long off() {
    if (method() == "perf") {
      bool ok = command("disable\n");
      kill(pid_, SIGINT);
      waitpid(pid_, nullptr, 0);
      close(ctl_[1]);
      close(ack_[0]);
      if (!ok) return -1;
      std::ifstream in(out_);
      for (std::string l; std::getline(in, l);)
        if (l.find("raw_syscalls:sys_enter") != std::string::npos) return std::atol(l.c_str());
      return -1;
    }
    kill(pid_, SIGINT);  // strace detaches and writes its summary
    waitpid(pid_, nullptr, 0);
    close(err_);
    std::ifstream in(out_);
    for (std::string l; std::getline(in, l);)
      if (l.find(" total") != std::string::npos) {
        // % time, seconds, usecs/call, calls, errors, "total"
        std::istringstream f(l);
        std::string pct, secs, per;
        long calls = -1;
        f >> pct >> secs >> per >> calls;
        return calls;
      }
    return -1;
  }

 private:
  static pid_t spawn(const std::vector<std::string>& argv, int errfd) {
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(errfd >= 0 ? errfd : null, 2);
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
      a.push_back(nullptr);
      execvp(a[0], a.data());
      _exit(127);
    }
    return pid;
  }
  bool command(const char* cmd) {
    if (write(ctl_[1], cmd, std::strlen(cmd)) < 0) return false;
    char ack[8] = {};
    return read(ack_[0], ack, sizeof ack) > 0 && std::strncmp(ack, "ack", 3) == 0;
  }
  pid_t server_, pid_ = -1;
  int ctl_[2] = {-1, -1}, ack_[2] = {-1, -1}, err_ = -1;
  std::string out_;
};

struct Result {
  double msgs_per_s = 0;
  double p50_us = 0, p99_us = 0;
  long rss_kib = 0;
  double syscalls_per_msg = -1;  // the counting pass only
  bool ok = false;
};

// Ping-pong over `conns` connections: each sends 64 bytes, waits for them
// to come back, sends again.  Counts round trips in `seconds` after a
// warm-up, and samples their durations.
Result load(int port, int conns, double seconds, SyscallCounter* counter = nullptr) {
  Result r;
  long calls = -1;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct Conn {
    int fd;
    int got;
    Clock::time_point sent;
  };
  std::vector<Conn> cs(conns);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char msg[kMsg];
  std::memset(msg, 'x', sizeof msg);
  int one = 1;
  for (int i = 0; i < conns; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      std::fprintf(stderr, "echo_bench: connection %d: %s\n", i, strerror(errno));
      for (int j = 0; j < i; j++) close(cs[j].fd);
      if (fd >= 0) close(fd);
      close(ep);
      return r;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    linger lg{1, 0};  // close with RST: no TIME_WAIT pile-up across runs
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int fl = 1;
    ioctl(fd, FIONBIO, &fl);
    cs[i] = Conn{fd, 0, {}};
    epoll_event ev{EPOLLIN, {}};
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  std::vector<uint32_t> samples;  // round trips in ns, measured window only
  samples.reserve(1 << 22);
  long count = 0;
  auto t0 = Clock::now();
  auto warm = t0 + std::chrono::milliseconds(300);
  auto end = warm + std::chrono::duration<double>(seconds);
  for (auto& c : cs) {
    c.sent = Clock::now();
    // MSG_NOSIGNAL: a server that has gone away fails the send with EPIPE
    // rather than kill the load generator (a C program, with no runtime to
    // catch SIGPIPE for it).
    if (send(c.fd, msg, kMsg, MSG_NOSIGNAL) != kMsg) return r;
  }
  epoll_event evs[256];
  char buf[kMsg];
  bool measuring = false;
  for (;;) {
    int n = epoll_wait(ep, evs, 256, 100);
    auto now = Clock::now();
    if (now >= end) {
      if (counter) calls = counter->off();
      break;
    }
    if (!measuring && now >= warm) {
      if (counter && !counter->on()) counter = nullptr;
      // The window starts once the counter counts (attaching takes time).
      measuring = true, count = 0, samples.clear();
      seconds = std::chrono::duration<double>(end - Clock::now()).count();
    }
    for (int i = 0; i < n; i++) {
      Conn& c = cs[evs[i].data.u32];
      ssize_t got = read(c.fd, buf, kMsg - c.got);
      if (got <= 0) continue;
      c.got += static_cast<int>(got);
      if (c.got < kMsg) continue;
      c.got = 0;
      if (measuring) {
        count++;
        if (samples.size() < samples.capacity())
          samples.push_back(static_cast<uint32_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.sent).count()));
      }
      c.sent = now;
      if (send(c.fd, msg, kMsg, MSG_NOSIGNAL) != kMsg) continue;
    }
  }
  for (auto& c : cs) close(c.fd);
  close(ep);
  r.msgs_per_s = count / seconds;
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end());
    r.p50_us = samples[samples.size() / 2] / 1000.0;
    r.p99_us = samples[samples.size() * 99 / 100] / 1000.0;
  }
  r.ok = count > 0;
  if (calls >= 0 && count > 0) r.syscalls_per_msg = static_cast<double>(calls) / count;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {
      {"--conns", "1,100,1000,10000"}, {"--seconds", "2"}, {"--rounds", "3"}};
  for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  for (const char* k : {"--ours", "--go", "--epoll"})
    if (!opt.count(k)) {
      std::fprintf(stderr, "usage: echo_bench --ours BIN --go BIN --epoll BIN ...\n");
      return 2;
    }
  rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  pin_load_generator();
  std::vector<int> conns;
  for (const char* p = opt["--conns"].c_str(); *p;) {
    conns.push_back(std::atoi(p));
    const char* c = std::strchr(p, ',');
    p = c ? c + 1 : p + std::strlen(p);
  }
  double seconds = std::atof(opt["--seconds"].c_str());
  int rounds = std::atoi(opt["--rounds"].c_str());
  struct Config {
    std::string name;
    std::vector<std::string> argv, env;
  };
  const std::vector<Config> servers = {
      {"ours/1", {opt["--ours"]}, {"NETPOLL_PROCS=1"}},
      {"go/1", {opt["--go"], "-serve", "127.0.0.1:0"}, {"GOMAXPROCS=1"}},
      {"ours/2", {opt["--ours"]}, {"NETPOLL_PROCS=2"}},
      {"go/2", {opt["--go"], "-serve", "127.0.0.1:0"}, {"GOMAXPROCS=2"}},
      {"epoll", {opt["--epoll"]}, {}}};

  // System calls are counted in a run of their own after each measured one.
  std::string how = SyscallCounter::method();
  double count_seconds = std::min(seconds, 1.0);
  // results[conns][server] -> one Result per round
  std::map<int, std::map<std::string, std::vector<Result>>> res;
  for (int round = 0; round < rounds; round++)
    for (int c : conns) {
      if (static_cast<rlim_t>(c) + 64 > rl.rlim_cur) {
        std::fprintf(stderr, "echo_bench: skipping %d connections: RLIMIT_NOFILE is %lu\n", c,
                     static_cast<unsigned long>(rl.rlim_cur));
        continue;
      }
      for (auto& sv : servers) {
        Server s = start(sv.argv, sv.env);
        if (s.port == 0) {
          std::fprintf(stderr, "echo_bench: %s did not start\n", sv.name.c_str());
          stop(s);
          continue;
        }
        Result r = load(s.port, c, seconds);
        r.rss_kib = peak_rss_kib(s.pid);
        stop(s);
        // Then a shorter run of the same, counting its system calls.
        if (!how.empty()) {
          Server s2 = start(sv.argv, sv.env);
          SyscallCounter counter(s2.pid);
          if (s2.port != 0)
            r.syscalls_per_msg = load(s2.port, c, count_seconds, &counter).syscalls_per_msg;
          stop(s2);
        }
        res[c][sv.name].push_back(r);
        std::fprintf(stderr, "  round %d, %5d connections, %-6s: %.0f msgs/s, %.2f calls/msg\n",
                     round + 1, c, sv.name.c_str(), r.msgs_per_s, r.syscalls_per_msg);
      }
    }

  std::printf(
      "\nservers: ours/N and go/N run N Ps (NETPOLL_PROCS, GOMAXPROCS); system calls "
      "counted with %s\n",
      how.empty() ? "nothing (neither perf nor strace works here)" : how.c_str());
  std::printf("\n%6s  %-6s %12s %10s %10s %12s %10s\n", "conns", "server", "msgs/s", "p50 us",
              "p99 us", "peak RSS KiB", "calls/msg");
  std::map<int, std::map<std::string, std::vector<double>>> med;
  for (auto& [c, by] : res) {
    for (auto& [name, rs] : by) {
      std::vector<double> t, p50, p99, rss, per;
      for (auto& r : rs) {
        if (r.ok)
          t.push_back(r.msgs_per_s), p50.push_back(r.p50_us), p99.push_back(r.p99_us),
              rss.push_back(static_cast<double>(r.rss_kib));
        if (r.syscalls_per_msg > 0) per.push_back(r.syscalls_per_msg);
      }
      double k = per.empty() ? -1 : median(per);
      med[c][name] = {median(t), median(p50), median(p99), median(rss), k};
      std::printf("%6d  %-6s %12.0f %10.1f %10.1f %12.0f %10s\n", c, name.c_str(), median(t),
                  median(p50), median(p99), median(rss),
                  k < 0 ? "-" : std::to_string(k).substr(0, 4).c_str());
    }
    for (const char* n : {"1", "2"}) {
      auto& o = med[c][std::string("ours/") + n];
      auto& g = med[c][std::string("go/") + n];
      auto& e = med[c]["epoll"];
      if (o.empty() || g.empty() || g[0] <= 0 || g[3] <= 0) continue;
      std::printf("%6d  ours/go at %s P: throughput %.2fx  p99 %.2fx  RSS %.2fx", c, n, o[0] / g[0],
                  g[2] > 0 ? o[2] / g[2] : 0.0, o[3] / g[3]);
      if (o[4] > 0 && g[4] > 0)
        std::printf("  calls/msg %.2f vs %.2f (%.2fx)", o[4], g[4], o[4] / g[4]);
      if (!e.empty() && e[0] > 0) std::printf(";  ours/epoll throughput %.2fx", o[0] / e[0]);
      std::printf("\n");
    }
  }
  return 0;
}
