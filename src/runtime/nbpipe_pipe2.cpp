// nbpipe_pipe2.cpp - twin of Go 1.19.8's runtime/nbpipe_pipe2.go.
#include "runtime/netpoll.h"

namespace runtime {

// nbpipe_pipe2.go:9  A pipe whose ends neither block nor survive exec:
// the netpoller's break pipe.  Returns errno as pipe2 does (0 or -errno).
int32_t nonblockingPipe(int32_t* r, int32_t* w) {
  int32_t rw[2] = {-1, -1};
  int32_t errno_ = pipe2(O_NONBLOCK_ | O_CLOEXEC_, rw);  // nbpipe_pipe2.go:10
  *r = rw[0];
  *w = rw[1];
  return errno_;
}

}  // namespace runtime
