// syscall_tracer.cpp - see include/tools/syscall_tracer.h.
#include "tools/syscall_tracer.h"

#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace tracer {

namespace {
constexpr uint64_t kMagic = 0x6e6574706f6c6cULL;  // "netpoll"
constexpr int kTraceMeFailed = 99;
}  // namespace

void mark() { syscall(SYS_getppid, kMagic); }

bool traced() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("TracerPid:", 0) == 0) return std::stoi(line.substr(10)) != 0;
  return false;
}

bool run(void (*body)(void*), void* arg, std::vector<std::vector<Call>>* segments,
         std::string* why) {
  segments->clear();
  pid_t pid = fork();
  if (pid < 0) {
    *why = std::string("fork: ") + strerror(errno);
    return false;
  }
  if (pid == 0) {
    if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) _exit(kTraceMeFailed);
    raise(SIGSTOP);  // let the parent set options before anything happens
    body(arg);
    _exit(0);  // no atexit handlers, no sanitizer reports in the child
  }

  int st;
  waitpid(pid, &st, 0);
  if (WIFEXITED(st)) {
    *why = WEXITSTATUS(st) == kTraceMeFailed ? "ptrace(PTRACE_TRACEME) is not permitted here"
                                             : "traced child exited early";
    return false;
  }
  ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);

  bool inside = false;  // between a mark and the next
  Call cur{};
  int sig = 0;
  for (;;) {
    if (ptrace(PTRACE_SYSCALL, pid, nullptr, sig) != 0) {
      *why = std::string("ptrace(PTRACE_SYSCALL): ") + strerror(errno);
      return false;
    }
    sig = 0;
    if (waitpid(pid, &st, 0) < 0) {
      *why = std::string("waitpid: ") + strerror(errno);
      return false;
    }
    if (WIFEXITED(st)) break;
    if (WIFSIGNALED(st)) {
      *why = std::string("traced child killed by ") + strsignal(WTERMSIG(st));
      return false;
    }
    if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {  // a signal for the child: pass it on
      sig = WSTOPSIG(st);
      continue;
    }
    __ptrace_syscall_info info{};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) <= 0) {
      *why = std::string("ptrace(PTRACE_GET_SYSCALL_INFO): ") + strerror(errno);
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      return false;
    }
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
      cur.nr = info.entry.nr;
      for (int i = 0; i < 6; i++) cur.args[i] = info.entry.args[i];
      if (cur.nr == SYS_getppid && cur.args[0] == kMagic) {
        inside = true;
        segments->emplace_back();
        cur.nr = ~0ULL;  // the mark itself is not recorded
      } else if (inside && (cur.nr == SYS_exit_group || cur.nr == SYS_exit)) {
        cur.ret = 0;  // these never return: recorded as they enter
        segments->back().push_back(cur);
        cur.nr = ~0ULL;
      }
    } else if (info.op == PTRACE_SYSCALL_INFO_EXIT && inside && cur.nr != ~0ULL) {
      cur.ret = info.exit.rval;
      segments->back().push_back(cur);
    }
  }
  return true;
}

}  // namespace tracer
