// The commands a reader types, given bad input: shell metacharacters in a
// make variable, a GOROOT that is not Go 1.19.  Each gets a clear message
// and changes nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "testutil.h"

namespace {

// Runs cmd with make's own variables cleared (we may be running under
// make -j, whose jobserver this child must not join); output and status.
std::string sh(const std::string& cmd, int* status) {
  std::string full = "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh -c '" + cmd + "' 2>&1";
  int st;
  std::string out = testutil::output_of(full, &st);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

// make, for the build this test binary belongs to: build/ or a sanitizer's
// build/san-*/ (whose name gives back SANITIZE), of the netpoller it was
// compiled with (NETPOLL_GO).
std::string make_here() {
  std::string b = testutil::build_dir();
  std::string cmd = "make -s -C " PROJECT_ROOT;
  if (NETPOLL_GO != 119)
    cmd +=
        " NETPOLL_GO=" + std::to_string(NETPOLL_GO / 100) + "." + std::to_string(NETPOLL_GO % 100);
  size_t at = b.rfind("/san-");
  if (at != std::string::npos) {
    std::string san = b.substr(at + 5);
    for (char& c : san)
      if (c == '-') c = ',';
    cmd += " SANITIZE=" + san;
  }
  return cmd;
}

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

TEST(Make, SxsPassesFnToGorefAsOneNameNotAsShellText) {
  std::string flag = "/tmp/netpoll-sxs-" + std::to_string(getpid());
  std::remove(flag.c_str());
  int st = 0;
  std::string out =
      sh("make -s -C " PROJECT_ROOT " sxs FN=\"netpollready; touch " + flag + "\"", &st);
  EXPECT_FALSE(exists(flag)) << "the shell ran the text after ';':\n" << out;
  EXPECT_NE(st, 0);
  EXPECT_NE(out.find("netpollready; touch"), std::string::npos)
      << "goref should name the odd FN back:\n"
      << out;
  std::remove(flag.c_str());
  out = sh("cd / && make -s -C " PROJECT_ROOT " sxs FN=\"*\"", &st);
  EXPECT_EQ(out.find("bin"), std::string::npos) << "FN=* was globbed:\n" << out;
}

// One line, goref's, naming the nearest functions; no recipe error after it.
TEST(Make, SxsWithAnUnknownNameStopsOnOneLineNamingTheNearest) {
  int st = 0;
  std::string out = sh(make_here() + " sxs FN=netpol", &st);
  EXPECT_NE(st, 0);
  EXPECT_NE(out.find("no rebuilt function is called \"netpol\""), std::string::npos) << out;
  EXPECT_NE(out.find("Nearest: netpoll "), std::string::npos) << out;
  EXPECT_EQ(out.find("Error"), std::string::npos) << out;
  size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, 1u) << out;
}

// NETPOLL_GO is one of four releases; anything else stops make before it
// builds or runs anything, its text said back and never run by a shell.
TEST(Make, NetpollGoOtherThanTheFourReleasesStopsBeforeAnythingRuns) {
  std::string flag = "/tmp/netpoll-go-" + std::to_string(getpid());
  std::remove(flag.c_str());
  for (const std::string& bad :
       std::vector<std::string>{"1.20", "1.19 1.21", "%", "1.21; touch " + flag,
                                "$(shell touch " + flag + ")", "`touch " + flag + "`"}) {
    int st = 0;
    std::string quoted;  // for sh's double quotes: make gets the text as it is
    for (char c : bad) quoted += c == '$' || c == '`' ? std::string("\\") + c : std::string(1, c);
    std::string out = sh("make -s -C " PROJECT_ROOT " run NETPOLL_GO=\"" + quoted + "\"", &st);
    EXPECT_NE(st, 0) << bad << ":\n" << out;
    EXPECT_NE(out.find("NETPOLL_GO=" + bad + ": not one of 1.19 1.21 1.22 1.23"), std::string::npos)
        << out;
    EXPECT_FALSE(exists(flag)) << bad << " ran:\n" << out;
    EXPECT_EQ(out.find("netpoll-asm demo"), std::string::npos) << "the demo ran:\n" << out;
  }
  std::remove(flag.c_str());
}

TEST(Make, DepsRefusesAGorootThatIsNotGo119AndInstallsNothing) {
  char dir[] = "/tmp/netpoll-goroot-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::ofstream(std::string(dir) + "/VERSION") << "go1.21.0\n";
  int st = 0;
  std::string out = sh(std::string("GOROOT=") + dir + " make -C " PROJECT_ROOT " deps", &st);
  EXPECT_NE(st, 0) << out;
  EXPECT_NE(out.find(std::string("GOROOT=") + dir + " holds go1.21.0"), std::string::npos) << out;
  EXPECT_NE(out.find("GOROOT=/usr/lib/go-1.19"), std::string::npos) << out;
  EXPECT_EQ(out.find("installing"), std::string::npos) << "it ran apt-get:\n" << out;
  out = sh("GOROOT=/nonexistent/go make -C " PROJECT_ROOT " deps", &st);
  EXPECT_NE(st, 0) << out;
  EXPECT_NE(out.find("GOROOT=/nonexistent/go holds no Go at all"), std::string::npos) << out;
  std::remove((std::string(dir) + "/VERSION").c_str());
  rmdir(dir);
}

// What `make GOAL` asks apt-get for on a machine that has none of the
// tools PATH finds: a PATH holding only what the recipe itself runs, an
// `id` that says root, and an apt-get that notes it was called and fails,
// so nothing is installed and nothing is built.  Go's toolchain, Pygments
// and the headers are found by absolute path and stay found.
struct Installs {
  const char* goal;
  const char* asks;  // the "installing:" line's list
};

class EachTarget : public testing::TestWithParam<Installs> {};

TEST_P(EachTarget, InstallsOnlyWhatItUses) {
  char dir[] = "/tmp/netpoll-bare-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d = dir;
  for (const char* tool : {"sh", "cat", "cmp", "find", "grep", "head", "mkdir", "rm", "sed", "tr"})
    ASSERT_EQ(symlink(("/usr/bin/" + std::string(tool)).c_str(), (d + "/" + tool).c_str()), 0)
        << tool;
  std::ofstream(d + "/id") << "#!/bin/sh\necho 0\n";
  std::ofstream(d + "/apt-get") << "#!/bin/sh\necho \"$*\" >>" << d << "/apt.log\nexit 1\n";
  chmod((d + "/id").c_str(), 0755);
  chmod((d + "/apt-get").c_str(), 0755);
  int st = 0;
  std::string out =
      sh("unset GOROOT; PATH=" + d + " /usr/bin/make -s -C " PROJECT_ROOT " " + GetParam().goal,
         &st);
  EXPECT_NE(st, 0) << out;
  EXPECT_NE(out.find(std::string("installing: ") + GetParam().asks + "\n"), std::string::npos)
      << out;
  std::ifstream log(d + "/apt.log");
  std::string calls((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(calls, "update -qq\n") << "apt-get ran on past its failure";
  testutil::output_of("rm -rf " + d);
}

INSTANTIATE_TEST_SUITE_P(
    Make, EachTarget,
    testing::Values(Installs{"run", "nasm g++"}, Installs{"tour", "nasm g++"},
                    Installs{"gdb", "nasm g++ gdb"}, Installs{"timeline", "nasm g++ chromium npm"},
                    Installs{"html", "nasm g++ chromium npm"},
                    Installs{"html-check", "nasm g++ chromium npm"},
                    Installs{"test", "nasm g++ gdb strace valgrind chromium npm"}),
    [](const testing::TestParamInfo<Installs>& i) {
      std::string n = i.param.goal;
      for (char& c : n)
        if (c == '-') c = '_';
      return n;
    });

TEST(GoRef, NamesTheGorootItFoundAndWhatToInstall) {
  std::string goref = testutil::build_dir() + "/goref";
  ASSERT_EQ(access(goref.c_str(), X_OK), 0) << "no " << goref;
  char dir[] = "/tmp/netpoll-goroot-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::ofstream(std::string(dir) + "/VERSION") << "go1.21.0\n";
  int st = 0;
  std::string out = sh(std::string("GOROOT=") + dir + " " + goref + " check", &st);
  EXPECT_EQ(st, 1);
  EXPECT_NE(out.find(std::string("GOROOT ") + dir + " (from $GOROOT) holds go1.21.0, not Go 1.19"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("apt-get install golang-1.19-go"), std::string::npos) << out;
  out = sh("GOROOT=/nonexistent/go " + goref + " check", &st);
  EXPECT_EQ(st, 1);
  EXPECT_NE(out.find("GOROOT /nonexistent/go (from $GOROOT) holds no Go"), std::string::npos)
      << out;
  // Another Go 1.19 is not enough: its lines are not the ones we cite.
  std::ofstream(std::string(dir) + "/VERSION") << "go1.19.5\n";
  out = sh(std::string("GOROOT=") + dir + " " + goref + " html /tmp/nowhere", &st);
  EXPECT_EQ(st, 1);
  EXPECT_NE(out.find("holds go1.19.5, not Go 1.19.8"), std::string::npos) << out;
  std::remove((std::string(dir) + "/VERSION").c_str());
  rmdir(dir);
}

// make mutate ONLY=...: the names reach the runner through the environment,
// never a shell, and an unknown one stops it before it copies or builds.
TEST(Make, MutateWithAnUnknownOrOddMutantNameStopsBeforeAnythingRuns) {
  std::string flag = "/tmp/netpoll-mutate-" + std::to_string(getpid());
  std::remove(flag.c_str());
  int st = 0;
  std::string out = sh("make -s -C " PROJECT_ROOT " mutate ONLY=\"x; touch " + flag + "\"", &st);
  EXPECT_FALSE(exists(flag)) << "the shell ran the text after ';':\n" << out;
  EXPECT_NE(st, 0);
  EXPECT_NE(out.find("mutate: no mutant named 'x; touch"), std::string::npos) << out;
  EXPECT_EQ(out.find("scratch copy"), std::string::npos) << "it went on:\n" << out;
  std::remove(flag.c_str());
}

// The catalog make mutate plants still fits today's sources: each mutant's
// text is on exactly one line of its file (a change to a line a mutant
// names must update the mutant), and there are at least sixty.
// (make mutate leaves this test out: in its scratch copy one mutant is
// always planted, so the catalog never fits there.)
TEST(Mutate, CatalogFitsTodaysSources) {
  int st = 0;
  std::string out = sh("python3 " PROJECT_ROOT "/src/tools/mutate.py --list", &st);
  ASSERT_EQ(st, 0) << out;
  size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_GE(lines, 60u) << out;
}
