// gdb_target - a program in a known state, for the gdb tests and for a
// reader trying the gdb extension: one goroutine parked reading an empty
// pipe (in netpollblock), one parked on a semaphore (semacquire), two
// runnable ones in P0's queues and a gList naming them, pollDescs with
// known semaphore states and deadlines (one an hour away, so P0 has a
// timer), an epollevent for a pollDesc and one for the break pipe (the eventfd
// under NETPOLL_GO=1.23).
// gdb_stop_here() is where to look; then the program cleans up and exits 0.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <initializer_list>

#include "runtime/netpoll.h"
#include "testutil.h"

namespace rt = runtime;

extern "C" __attribute__((noinline)) void gdb_stop_here() { asm volatile("" ::: "memory"); }

// Globals with plain names, so a gdb session can print them.
rt::epollevent ev_pd, ev_break;
rt::pollDesc *reader_pd, *ready_pd, *deadline_pd;
rt::gList two;  // the two runnable goroutines, for the gList printer; the runtime never reads it

namespace {

int pipefd[2];
std::atomic<uint32_t> sema{0};  // G3 waits on it until the end
std::atomic<bool> parked{false};

// The parked goroutine's own function: `goroutine N bt` must reach it.
__attribute__((noinline)) void reader_entry(void*) {
  char b;
  rt::poll_runtime_pollReset(reader_pd, 'r');
  while (::read(pipefd[0], &b, 1) < 0) rt::poll_runtime_pollWait(reader_pd, 'r');
}

void main_goroutine(void*) {
  int32_t err;
  rt::poll_runtime_pollServerInit();
  ::pipe2(pipefd, O_NONBLOCK | O_CLOEXEC);
  reader_pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(pipefd[0]), &err);
  ready_pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(pipefd[1]), &err);
  ready_pd->wg.store(rt::pdReady);  // a write notification pending
  int other[2];
  ::pipe2(other, O_NONBLOCK | O_CLOEXEC);
  deadline_pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(other[0]), &err);
  rt::poll_runtime_pollSetDeadline(deadline_pd, int64_t{3600} * 1000000000, 'r');  // an hour
  // The two data as netpollopen and netpollinit store them.
  ev_pd.events = rt::EPOLLIN_ | rt::EPOLLOUT_ | rt::EPOLLRDHUP_ | rt::EPOLLET_;
  testutil::set_datum(&ev_pd, reader_pd);
  ev_break.events = rt::EPOLLIN_;
#if NETPOLL_GO >= 123
  rt::epolldata_set(&ev_break, &rt::netpollEventFd);
#else
  rt::epolldata_set(&ev_break, &rt::netpollBreakRd);
#endif

  rt::newproc(reader_entry, nullptr);
  while (reader_pd->rg.load() <= rt::pdWait) rt::Gosched();  // until it is parked on rg
  rt::g* waiter = rt::newproc([](void*) { rt::sync_runtime_Semacquire(&sema); }, nullptr);
  while (waiter->atomicstatus.load() != rt::Gwaiting) rt::Gosched();  // until it is parked
  // Two runnable goroutines: G4 in P0's run queue, then G5, the newer, in
  // its runnext (newproc puts a new goroutine there).
  two.push(rt::newproc([](void*) {}, nullptr));
  two.push(rt::newproc([](void*) {}, nullptr));

  gdb_stop_here();

  ::write(pipefd[1], "x", 1);  // wake the reader
  rt::sync_runtime_Semrelease(&sema, false);  // and the waiter
  while (reader_pd->rg.load() != 0 || rt::sched.nlive.load() != 0) rt::Gosched();
  rt::poll_runtime_pollSetDeadline(deadline_pd, 0, 'r');
  for (rt::pollDesc* pd : {reader_pd, ready_pd, deadline_pd}) {
    rt::poll_runtime_pollUnblock(pd);
    rt::poll_runtime_pollClose(pd);
  }
}

}  // namespace

int main() { return rt::run(main_goroutine, nullptr, 1) == 0 ? 0 : 1; }
