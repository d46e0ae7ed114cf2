// echo_bench - the echo benchmark of `make bench`.  Starts each server in
// turn (ours, Go 1.19's, a plain epoll loop), drives it with one load
// generator (this process, one thread, epoll), and prints a table: messages
// per second, round-trip p50 and p99, the server's peak RSS, and the ratios
// ours/Go.  Servers alternate within each round, so a noisy machine hits
// all three alike; each figure is the median over the rounds.
//
//   echo_bench --ours BIN --go BIN --epoll BIN [--conns 1,100,1000,10000]
//              [--seconds 2] [--rounds 3]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMsg = 64;

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts argv, reads the port it prints on its first line.
Server start(const std::vector<std::string>& argv) {
  int p[2];
  if (pipe(p) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
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

struct Result {
  double msgs_per_s = 0;
  double p50_us = 0, p99_us = 0;
  long rss_kib = 0;
  bool ok = false;
};

// Ping-pong over `conns` connections: each sends 64 bytes, waits for them
// to come back, sends again.  Counts round trips in `seconds` after a
// warm-up, and samples their durations.
Result load(int port, int conns, double seconds) {
  Result r;
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
    if (write(c.fd, msg, kMsg) != kMsg) return r;
  }
  epoll_event evs[256];
  char buf[kMsg];
  bool measuring = false;
  for (;;) {
    int n = epoll_wait(ep, evs, 256, 100);
    auto now = Clock::now();
    if (now >= end) break;
    if (!measuring && now >= warm) measuring = true, count = 0, samples.clear();
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
      if (write(c.fd, msg, kMsg) != kMsg) continue;
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
  signal(SIGPIPE, SIG_IGN);
  std::vector<int> conns;
  for (const char* p = opt["--conns"].c_str(); *p;) {
    conns.push_back(std::atoi(p));
    const char* c = std::strchr(p, ',');
    p = c ? c + 1 : p + std::strlen(p);
  }
  double seconds = std::atof(opt["--seconds"].c_str());
  int rounds = std::atoi(opt["--rounds"].c_str());
  const std::vector<std::pair<std::string, std::vector<std::string>>> servers = {
      {"ours", {opt["--ours"]}},
      {"go", {opt["--go"], "-serve", "127.0.0.1:0"}},
      {"epoll", {opt["--epoll"]}}};

  // results[conns][server] -> one Result per round
  std::map<int, std::map<std::string, std::vector<Result>>> res;
  for (int round = 0; round < rounds; round++)
    for (int c : conns) {
      if (static_cast<rlim_t>(c) + 64 > rl.rlim_cur) {
        std::fprintf(stderr, "echo_bench: skipping %d connections: RLIMIT_NOFILE is %lu\n", c,
                     static_cast<unsigned long>(rl.rlim_cur));
        continue;
      }
      for (auto& [name, cmd] : servers) {
        Server s = start(cmd);
        if (s.port == 0) {
          std::fprintf(stderr, "echo_bench: %s did not start\n", name.c_str());
          stop(s);
          continue;
        }
        Result r = load(s.port, c, seconds);
        r.rss_kib = peak_rss_kib(s.pid);
        stop(s);
        res[c][name].push_back(r);
        std::fprintf(stderr, "  round %d, %5d connections, %-5s: %.0f msgs/s\n", round + 1, c,
                     name.c_str(), r.msgs_per_s);
      }
    }

  std::printf("\n%6s  %-6s %12s %10s %10s %12s\n", "conns", "server", "msgs/s", "p50 us", "p99 us",
              "peak RSS KiB");
  std::map<int, std::map<std::string, std::vector<double>>> med;
  for (auto& [c, by] : res) {
    for (auto& [name, rs] : by) {
      std::vector<double> t, p50, p99, rss;
      for (auto& r : rs)
        if (r.ok)
          t.push_back(r.msgs_per_s), p50.push_back(r.p50_us), p99.push_back(r.p99_us),
              rss.push_back(static_cast<double>(r.rss_kib));
      med[c][name] = {median(t), median(p50), median(p99), median(rss)};
      std::printf("%6d  %-6s %12.0f %10.1f %10.1f %12.0f\n", c, name.c_str(), median(t),
                  median(p50), median(p99), median(rss));
    }
    auto& o = med[c]["ours"];
    auto& g = med[c]["go"];
    auto& e = med[c]["epoll"];
    if (!o.empty() && !g.empty() && g[0] > 0 && g[3] > 0)
      std::printf(
          "%6d  ours/go: throughput %.2fx  p99 %.2fx  RSS %.2fx;  ours/epoll throughput %.2fx\n", c,
          o[0] / g[0], g[2] > 0 ? o[2] / g[2] : 0.0, o[3] / g[3],
          !e.empty() && e[0] > 0 ? o[0] / e[0] : 0.0);
  }
  return 0;
}
