// The build keeps the stubs steppable: gdb, stopped in a stub, shows the
// .asm source line, and at the `syscall` instruction rax holds the stub's
// number.  Runs gdb in batch mode on the tour (which, under a debugger,
// calls the stubs in its own process).
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

std::string tour_path() {
  std::array<char, 4096> buf{};
  ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  std::string self(buf.data(), n > 0 ? n : 0);
  std::string dir = self.substr(0, self.rfind('/'));  // .../build/tests
  return dir.substr(0, dir.rfind('/')) + "/tour";     // .../build/tour
}

std::string run_gdb(const std::string& script) {
  char path[] = "/tmp/netpoll-gdb-XXXXXX";
  int fd = mkstemp(path);
  std::string cmd = "gdb -batch -nx -x " + std::string(path) + " " + tour_path() + " 2>&1";
  if (write(fd, script.data(), script.size()) != static_cast<ssize_t>(script.size())) return "";
  close(fd);
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char line[512];
    while (fgets(line, sizeof line, p)) out += line;
    pclose(p);
  }
  unlink(path);
  return out;
}

}  // namespace

TEST(Gdb, StepiThroughEpollwaitShowsAsmLinesAndRax232AtSyscall) {
  if (system("command -v gdb >/dev/null 2>&1") != 0) GTEST_SKIP() << "gdb is not installed";
  if (access(tour_path().c_str(), X_OK) != 0) GTEST_SKIP() << "no " << tour_path();
  std::string out = run_gdb(
      "set pagination off\n"
      "set confirm off\n"
      "break epollwait\n"
      "run >/dev/null\n"
      "stepi\n"
      "stepi\n"
      "x/i $pc\n"
      "printf \"rax=%d\\n\", $rax\n"
      "kill\n");
  if (out.find("ptrace: Operation not permitted") != std::string::npos)
    GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_NE(out.find("Breakpoint 1, epollwait () at asm/sys_linux_amd64.asm:"), std::string::npos)
      << out;
  // stepi prints the new source line, from the .asm file, with its Go citation.
  EXPECT_NE(out.find("syscall                                 ; sys_linux_amd64.s:705"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<epollwait+8>:\tsyscall"), std::string::npos) << out;
  EXPECT_NE(out.find("rax=232"), std::string::npos) << out;
}
