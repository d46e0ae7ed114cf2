// Micro-benchmarks (make bench): each stub against glibc's wrapper, netpoll(0)
// as idle descriptors grow, and a park/ready round trip through our context
// switch.  Google Benchmark reports times; the stub/glibc pairs and the
// 1/100/10000 rows are meant to be read as ratios within one run.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <vector>

#include "runtime/netpoll.h"

namespace rt = runtime;

namespace {

void BM_EpollwaitStub(benchmark::State& state) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  rt::epollevent ev[128];
  for (auto _ : state) benchmark::DoNotOptimize(rt::epollwait(ep, ev, 128, 0));
  ::close(ep);
}
BENCHMARK(BM_EpollwaitStub);

void BM_EpollwaitGlibc(benchmark::State& state) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev[128];
  for (auto _ : state) benchmark::DoNotOptimize(::epoll_wait(ep, ev, 128, 0));
  ::close(ep);
}
BENCHMARK(BM_EpollwaitGlibc);

void BM_EpollctlModStub(benchmark::State& state) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC), efd = ::eventfd(0, EFD_NONBLOCK);
  rt::epollevent ev{rt::EPOLLIN_, {}};
  rt::epollctl(ep, rt::EPOLL_CTL_ADD_, efd, &ev);
  for (auto _ : state) benchmark::DoNotOptimize(rt::epollctl(ep, rt::EPOLL_CTL_MOD_, efd, &ev));
  ::close(efd), ::close(ep);
}
BENCHMARK(BM_EpollctlModStub);

void BM_EpollctlModGlibc(benchmark::State& state) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC), efd = ::eventfd(0, EFD_NONBLOCK);
  epoll_event ev{EPOLLIN, {}};
  ::epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  for (auto _ : state) benchmark::DoNotOptimize(::epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev));
  ::close(efd), ::close(ep);
}
BENCHMARK(BM_EpollctlModGlibc);

// netpoll(0) with one ready descriptor among N registered.  Each iteration
// makes a new edge on the ready one (an eventfd write) and polls; the rest
// are idle eventfds.  Edge-triggered epoll keeps only ready descriptors on
// its ready list, so the cost should not grow with N.
void BM_Netpoll0OneReadyAmong(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < static_cast<rlim_t>(n + 64)) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  rt::netpollGenericInit();
  std::vector<int> fds;
  std::vector<rt::pollDesc*> pds;
  for (int i = 0; i < n; i++) {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int32_t err;
    rt::pollDesc* pd =
        fd >= 0 ? rt::poll_runtime_pollOpen(static_cast<uintptr_t>(fd), &err) : nullptr;
    if (!pd) {
      state.SkipWithError("cannot open enough descriptors");
      break;
    }
    fds.push_back(fd);
    pds.push_back(pd);
  }
  rt::netpoll(0);  // the initial EPOLLOUT edges of every eventfd
  for (rt::pollDesc* pd : pds) pd->rg.store(0), pd->wg.store(0);
  uint64_t one = 1;
  for (auto _ : state) {
    if (::write(fds[0], &one, sizeof one) != sizeof one) state.SkipWithError("write");
    rt::gList l = rt::netpoll(0);
    benchmark::DoNotOptimize(l);
    pds[0]->rg.store(0);
    pds[0]->wg.store(0);
  }
  for (size_t i = 0; i < pds.size(); i++) {
    rt::poll_runtime_pollUnblock(pds[i]);
    rt::poll_runtime_pollClose(pds[i]);
    ::close(fds[i]);
  }
}
BENCHMARK(BM_Netpoll0OneReadyAmong)->Arg(1)->Arg(100)->Arg(10000);

// Park the calling goroutine, leaving its g in *slot for whoever readies it.
void park_on(std::atomic<rt::g*>* slot) {
  rt::gopark(
      [](rt::g* gp, void* s) {
        static_cast<std::atomic<rt::g*>*>(s)->store(gp);
        return true;
      },
      slot, rt::waitReason::zero, rt::traceEvGoBlock, 1);
}

// Two goroutines on one M hand a token back and forth with gopark and
// goready: each iteration is two parks, two readies, two context switches.
void BM_ParkReadyRoundTrip(benchmark::State& state) {
  struct Ctx {
    benchmark::State* state;
    std::atomic<rt::g*> a{nullptr}, b{nullptr};
    bool done = false, exited = false;
  } ctx{&state};
  rt::run(
      [](void* p) {
        auto* c = static_cast<Ctx*>(p);
        rt::newproc(
            [](void* p) {
              auto* c = static_cast<Ctx*>(p);
              for (;;) {
                park_on(&c->b);  // wait for the token
                if (c->done) {
                  c->exited = true;
                  return;
                }
                rt::goready(c->a.exchange(nullptr));  // hand it back
              }
            },
            c);
        while (c->b.load() == nullptr) rt::Gosched();
        for (auto _ : *c->state) {
          rt::goready(c->b.exchange(nullptr));
          park_on(&c->a);
        }
        c->done = true;
        rt::goready(c->b.exchange(nullptr));
        // Wait for it to finish: run() returns when main does, and a
        // goroutine left runnable would outlive this frame's Ctx.
        while (!c->exited) rt::Gosched();
      },
      &ctx, 1);
}
BENCHMARK(BM_ParkReadyRoundTrip);

}  // namespace

BENCHMARK_MAIN();
