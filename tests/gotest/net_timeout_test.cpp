// Go 1.19.8's net/timeout_test.go, ported in part: TestReadWriteProlongedTimeout,
// whose server, writing to a client that has gone, died of SIGPIPE in 6 of
// 10 runs before the runtime caught signals.  The rest of the file is for
// issue 21's net and poll tests.
#include <atomic>

#include "../gotest.h"
#include "net/net.h"
#include "sync/waitgroup.h"
#include "../testutil.h"

namespace {
constexpr int64_t hour = int64_t{3600} * 1000 * 1000 * 1000;
}

// timeout_test.go:1002 TestReadWriteProlongedTimeout: the server reads and
// writes, in a goroutine each, pushing its deadlines an hour ahead before
// every call; the client writes and reads a byte 1000 times and closes.
// Each server goroutine must end with an error from its call (the read's
// EOF, the write's EPIPE or ECONNRESET), not with the process.
TEST(NetTimeoutTest, TestReadWriteProlongedTimeout) {
  std::atomic<int> handlerErrors{0};
  gotest::go(
      [&] {
        net::netFD* ln;
        ASSERT_EQ(net::Listen(0, &ln), 0);  // timeout_test.go:1060  newLocalServer
        sync_::WaitGroup served;
        served.Add(1);
        gotest::spawn([&] {                       // timeout_test.go:1010  handler
          net::netFD* c;
          if (net::Accept(ln, &c) != 0) {         // timeout_test.go:1011
            handlerErrors++;                      // timeout_test.go:1013  t.Error(err)
            served.Done();
            return;
          }
          sync_::WaitGroup wg;                    // timeout_test.go:1018
          wg.Add(2);                              // timeout_test.go:1019
          gotest::spawn([&] {                     // timeout_test.go:1020
            char b[1];                            // timeout_test.go:1022
            for (;;) {                            // timeout_test.go:1023
              if (int err = c->SetReadDeadline(runtime::nanotime() + hour); err != 0) {  // timeout_test.go:1024
                handlerErrors++;                  // timeout_test.go:1028  t.Error(err)
                break;
              }
              if (c->Read(b, sizeof b).err != 0) break;  // timeout_test.go:1031-1036
            }
            wg.Done();                            // timeout_test.go:1021  defer wg.Done()
          });
          gotest::spawn([&] {                     // timeout_test.go:1039
            char b[1] = {0};                      // timeout_test.go:1041
            for (;;) {                            // timeout_test.go:1042
              if (int err = c->SetWriteDeadline(runtime::nanotime() + hour); err != 0) {  // timeout_test.go:1043
                handlerErrors++;                  // timeout_test.go:1047
                break;
              }
              if (c->Write(b, sizeof b).err != 0) break;  // timeout_test.go:1050-1055
            }
            wg.Done();                            // timeout_test.go:1040
          });
          wg.Wait();                              // timeout_test.go:1058
          c->Close();                             // timeout_test.go:1016  defer c.Close()
          net::Free(c);
          served.Done();
        });
        net::netFD* c;
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);  // timeout_test.go:1066
        char b[1] = {0};                             // timeout_test.go:1072
        for (int i = 0; i < 1000; i++) {             // timeout_test.go:1073
          c->Write(b, sizeof b);                     // timeout_test.go:1074
          c->Read(b, sizeof b);                      // timeout_test.go:1075
        }
        c->Close();  // timeout_test.go:1070  defer c.Close()
        served.Wait();
        net::Free(c);
        ln->Close();  // timeout_test.go:1061  defer ls.teardown()
        net::Free(ln);
      },
      2);
  EXPECT_EQ(handlerErrors.load(), 0);
}
