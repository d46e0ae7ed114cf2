// panic.cpp - Go's print and throw (print.go, panic.go), reduced to what
// the netpoller needs: text to fd 2 through the write1 stub, and a fatal
// error that ends the process the way Go's does.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"

namespace runtime {

namespace {
// Formats into a buffer on the stack and writes it with one write, so
// lines from different Ms do not interleave mid-line.  (Go's print takes
// printlock instead, and reaches write through gwrite and writeErr.)
void vprint(const char* prefix, const char* fmt, va_list ap) {
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, "%s", prefix);
  int m = std::vsnprintf(buf + n, sizeof buf - n, fmt, ap);
  if (m < 0) m = 0;
  n += m;
  if (n > static_cast<int>(sizeof buf)) n = sizeof buf;
  write(2, buf, n);
}

}  // namespace

void print(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
}

// panic.go:1040  throw: print "fatal error: s" and die with status 2
// (fatalthrow, panic.go:1111, ends in exit(2)).  Go also prints every
// goroutine's stack here; gdb's `goroutine all bt` is our stand-in.
void throw_(const char* s) {
  print("fatal error: %s\n", s);  // panic.go:1044
  traceFlush();                   // NETPOLLTRACE=json: the timeline up to here
  exit(2);                        // panic.go:1132
}

}  // namespace runtime
