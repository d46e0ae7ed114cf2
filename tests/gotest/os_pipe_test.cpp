// Go 1.19.8's os/pipe_test.go, ported: what a write to a pipe whose reader
// is gone does.  The rest of that file is NOT PORTABLE here:
// TestClosedPipeRace*, TestReadNonblockingFd, TestCloseWithBlockingRead*,
// TestPipeEOF, TestFdRace, TestFdReadRace and the rest read from and close
// Files in ways this os twin does not rebuild (Read, SetReadDeadline on a
// File, Fd, SetBlocking); TestStdPipe's sig=true half needs os/signal.
#include <fcntl.h>
#include <sys/wait.h>

#include <string>

#include "../gotest.h"
#include "os/file.h"
#include "../testutil.h"

// pipe_test.go:30 TestEPIPE: every write to a pipe with no reader fails
// with EPIPE, twenty times over (each raises SIGPIPE, which the runtime
// ignores: the file is neither stdout nor stderr).
TEST(OsPipeTest, TestEPIPE) {
  gotest::go([] {
    os::File *r, *w;
    ASSERT_EQ(os::Pipe(&r, &w), 0);  // pipe_test.go:31-34
    ASSERT_EQ(r->Close(), 0);        // pipe_test.go:35-37
    int expect = -EPIPE;             // pipe_test.go:39
    // Every time we write to the pipe we should get an EPIPE.
    for (int i = 0; i < 20; i++) {                // pipe_test.go:45
      auto [n, err] = w->Write("hi", 2);          // pipe_test.go:46
      ASSERT_NE(err, 0) << "unexpected success of Write to broken pipe";  // pipe_test.go:47-49
      (void)n;
      EXPECT_EQ(err, expect) << "iteration " << i;  // pipe_test.go:56-58
    }
    w->Close();
    os::Free(r);
    os::Free(w);
  });
}

// pipe_test.go:130 TestStdPipeHelper: write to the descriptor
// GO_TEST_STD_PIPE_HELPER names, which the parent made a pipe with no
// reader.  For stdout and stderr the write ends the process by SIGPIPE;
// for descriptor 3 it fails, and the helper exits 0 (3 if it succeeded).
TEST_HELPER(TestStdPipeHelper) {
  int code = 0;
  runtime::run(
      [](void* arg) {
        std::string d = std::getenv("GO_TEST_STD_PIPE_HELPER");  // pipe_test.go:134
        if (d == "1") {                                           // pipe_test.go:135
          os::Stdout->Write("stdout", 6);                         // pipe_test.go:136
        } else if (d == "2") {                                    // pipe_test.go:137
          os::Stderr->Write("stderr", 6);                         // pipe_test.go:138
        } else if (d == "3") {                                    // pipe_test.go:139
          os::File* f = os::NewFile(3, "3");
          if (f->Write("3", 1).err == 0)  // pipe_test.go:140
            *static_cast<int*>(arg) = 3;  // pipe_test.go:141
          // Go's collector frees f; ours is freed here, or LeakSanitizer's
          // report at exit, on the broken stderr, would die of SIGPIPE.
          f->Close();
          os::Free(f);
        }
      },
      &code, 1);
  // For stdout/stderr, we should have crashed with a broken pipe error.
  // The caller will be looking for that exit status, so just exit
  // normally here to cause a failure in the caller.  For descriptor 3, a
  // normal exit is expected.
  return code;  // pipe_test.go:150  os.Exit(0)
}

// pipe_test.go:62 TestStdPipe: the helper, its stdout, stderr and fd 3 all
// the write end of a pipe whose read end is closed.  Writing to stdout or
// stderr kills it by SIGPIPE; writing to fd 3 fails with EPIPE and it
// exits 0.  Then stdout alone redirected (issue 40076): SIGPIPE, and
// nothing on stderr.  (The sig=true half, with signal.Notify asking for
// SIGPIPE, is NOT PORTABLE: there is no os/signal here.)
TEST(OsPipeTest, TestStdPipe) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);  // pipe_test.go:68-71
  ::close(p[0]);                        // pipe_test.go:72-74
  for (int dest = 1; dest < 4; dest++) {  // pipe_test.go:81
    testutil::ChildOpts o;
    o.stdout_fd = p[1];  // pipe_test.go:83
    o.stderr_fd = p[1];  // pipe_test.go:84
    o.keep = {p[1]};     // pipe_test.go:85  ExtraFiles: fd 3
    o.env = {"GO_TEST_STD_PIPE_HELPER=" + std::to_string(dest)};  // pipe_test.go:86
    int st = testutil::start(testutil::helper_argv("TestStdPipeHelper"), o).wait();  // pipe_test.go:90
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {  // pipe_test.go:90  err == nil
      EXPECT_GE(dest, 3) << "unexpected success of write to closed pipe " << dest;  // pipe_test.go:91-93
    } else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) {  // pipe_test.go:98
      EXPECT_LT(dest, 3) << "unexpected SIGPIPE signal for descriptor " << dest;  // pipe_test.go:99-101
    } else {
      ADD_FAILURE() << "unexpected exit status " << st << " for descriptor " << dest;  // pipe_test.go:103
    }
  }
  // Test redirecting stdout but not stderr.  Issue 40076.
  testutil::ChildOpts o;
  o.stdout_fd = p[1];                          // pipe_test.go:110
  o.env = {"GO_TEST_STD_PIPE_HELPER=1"};       // pipe_test.go:113
  testutil::Child c = testutil::start(testutil::helper_argv("TestStdPipeHelper"), o);
  std::string stderr_ = c.stderr_all();
  int st = c.wait();
  EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE)
      << "unexpected exit status " << st << " for write to closed stdout";  // pipe_test.go:114-122
  EXPECT_EQ(stderr_, "") << "unexpected output on stderr";                  // pipe_test.go:123-125
  ::close(p[1]);
}
