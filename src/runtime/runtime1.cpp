// runtime1.cpp - the traceback settings of Go 1.19.8's runtime/runtime1.go:
// GOTRACEBACK, read once (parsedebugvars's last lines, setTraceback), and
// what a traceback asks of it (gotraceback).  The rest of parsedebugvars,
// GODEBUG's variables, is not rebuilt: nothing here reads them.
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"

namespace runtime {

namespace {

// runtime1.go:19-23  The cached setting: crash and all in the low bits,
// the level (0 none, 1 without runtime frames, 2 with them) above.
constexpr uint32_t tracebackCrash = 1 << 0;  // runtime1.go:20
constexpr uint32_t tracebackAll = 1 << 1;    // runtime1.go:21
constexpr uint32_t tracebackShift = 2;       // runtime1.go:22

std::atomic<uint32_t> traceback_cache{2 << tracebackShift};  // runtime1.go:25
uint32_t traceback_env;                                      // runtime1.go:26

}  // namespace

// runtime1.go:37  How much a traceback shows now.  A fatal error of the
// runtime's (a throw, or a fatal signal such as SIGQUIT) shows everything
// whatever GOTRACEBACK says, but for none's 0 being overridden too: Go
// 1.19 prints the same stacks for SIGQUIT at none, single, all and system.
// Only crash changes what it does, and runtime::Stack's forced level 1.
void gotraceback(int32_t* level, bool* all, bool* crash) {
  m* mp = getm();                                                             // runtime1.go:38  _g_ := getg(), ours the M
  uint32_t t = traceback_cache.load();                                        // runtime1.go:39
  *crash = (t & tracebackCrash) != 0;                                         // runtime1.go:40
  *all = (mp != nullptr && mp->throwing >= throwType::User) || (t & tracebackAll) != 0;  // runtime1.go:41
  if (mp != nullptr && mp->traceback != 0) {       // runtime1.go:42
    *level = mp->traceback;                        // runtime1.go:43
  } else if (mp != nullptr && mp->throwing >= throwType::Runtime) {  // runtime1.go:44
    *level = 2;                                    // runtime1.go:47
  } else {
    *level = static_cast<int32_t>(t >> tracebackShift);  // runtime1.go:49
  }
}

// runtime1.go:358  Go reads GODEBUG here, then GOTRACEBACK; ours only the
// latter.  Called by run(), once, as Go's schedinit calls it.
void parsedebugvars() {
  // runtime1.go:360-407 left out: GODEBUG's variables.
  const char* v = std::getenv("GOTRACEBACK");  // runtime1.go:409  gogetenv
  setTraceback(v != nullptr ? v : "");
  traceback_env = traceback_cache.load();  // runtime1.go:410
}

// runtime1.go:414  GOTRACEBACK's word (or number) to the cached setting.
// traceback_env, the setting GOTRACEBACK gave at start, is a floor that
// later calls (runtime/debug.SetTraceback) cannot go below.
void setTraceback(const char* level) {
  uint32_t t;                                  // runtime1.go:415
  if (std::strcmp(level, "none") == 0) {       // runtime1.go:417
    t = 0;                                     // runtime1.go:418
  } else if (std::strcmp(level, "single") == 0 || level[0] == 0) {  // runtime1.go:419
    t = 1 << tracebackShift;                                         // runtime1.go:420
  } else if (std::strcmp(level, "all") == 0) {                       // runtime1.go:421
    t = 1 << tracebackShift | tracebackAll;                          // runtime1.go:422
  } else if (std::strcmp(level, "system") == 0) {                    // runtime1.go:423
    t = 2 << tracebackShift | tracebackAll;                          // runtime1.go:424
  } else if (std::strcmp(level, "crash") == 0) {                     // runtime1.go:425
    t = 2 << tracebackShift | tracebackAll | tracebackCrash;         // runtime1.go:426
  } else {
    t = tracebackAll;  // runtime1.go:428
    // runtime1.go:429  a number: that level, if it is all digits
    uint64_t n = 0;
    bool ok = level[0] != 0;
    for (const char* p = level; *p != 0 && ok; p++) {
      ok = *p >= '0' && *p <= '9';
      n = n * 10 + static_cast<uint64_t>(*p - '0');
      if (n > 0xffffffffu) ok = false;
    }
    if (ok) {
      t |= static_cast<uint32_t>(n) << tracebackShift;  // runtime1.go:430
    }
  }
  // runtime1.go:435-437 left out: c-archive and c-shared builds.
  t |= traceback_env;           // runtime1.go:439
  traceback_cache.store(t);     // runtime1.go:441
}

}  // namespace runtime
