// runtime1.cpp - Go 1.19.8's runtime/runtime1.go, the settings read from
// the environment once: GODEBUG's variables (parsedebugvars: those that
// apply to this runtime, schedtrace and scheddetail; the others Go knows
// are ignored here, as Go ignores a name it does not know), GOTRACEBACK
// (setTraceback), and what a traceback asks of it (gotraceback).
#include <atomic>
#include <cstdlib>
#include <cstdint>
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

dbgvars debug;  // runtime1.go:307

namespace {

// runtime1.go:335  The GODEBUG names and where each goes.  Go's list has
// twenty; the GC's, the allocator's, cgo's and preemption's have nothing
// to act on here, and are ignored as an unknown name is.
struct dbgVar {
  const char* name;
  int32_t* value;
};
const dbgVar dbgvarlist[] = {
    {"scheddetail", &debug.scheddetail},  // runtime1.go:349
    {"schedtrace", &debug.schedtrace},    // runtime1.go:350
};

// string.go:417  s as an int32, and whether it was one (atoi64,
// string.go:361, then the int32 check): an optional '-', then decimal
// digits only, with no overflow.
bool atoi32(const char* s, size_t n, int32_t* out) {
  if (n == 0) return false;  // string.go:362-364
  bool neg = false;          // string.go:366
  if (s[0] == '-') {         // string.go:367
    neg = true;              // string.go:368
    s++, n--;                // string.go:369
  }
  uint64_t un = 0;                                       // string.go:372
  for (size_t i = 0; i < n; i++) {                       // string.go:373
    char c = s[i];                                       // string.go:374
    if (c < '0' || c > '9') return false;                // string.go:375-377
    if (un > UINT64_MAX / 10) return false;              // string.go:378-381
    un *= 10;                                            // string.go:382
    uint64_t un1 = un + static_cast<uint64_t>(c - '0');  // string.go:383
    if (un1 < un) return false;                          // string.go:384-387
    un = un1;                                            // string.go:388
  }
  if (!neg && un > static_cast<uint64_t>(INT64_MAX)) return false;     // string.go:391-393
  if (neg && un > static_cast<uint64_t>(INT64_MAX) + 1) return false;  // string.go:394-396
  int64_t v = static_cast<int64_t>(un);                                // string.go:398
  if (neg) v = static_cast<int64_t>(0 - un);                           // string.go:399-401
  if (v != static_cast<int32_t>(v)) return false;                      // string.go:418
  *out = static_cast<int32_t>(v);                                      // string.go:419
  return true;
}

}  // namespace

// runtime1.go:358  GODEBUG, then GOTRACEBACK.  Called by run(), once, as
// Go's schedinit calls it.
void parsedebugvars() {
  // runtime1.go:360-373 left out: the defaults of variables not rebuilt.
  debug = dbgvars{};  // not in Go: a run starts from the defaults (a test runs many)
  const char* p = std::getenv("GODEBUG");                 // runtime1.go:375  gogetenv
  for (; p != nullptr && *p != 0;) {                      // runtime1.go:375
    const char* comma = std::strchr(p, ',');              // runtime1.go:377
    size_t n = comma ? static_cast<size_t>(comma - p) : std::strlen(p);
    const char* field = p;                                // runtime1.go:376-382
    p = comma ? comma + 1 : p + n;
    const char* eq = static_cast<const char*>(std::memchr(field, '=', n));  // runtime1.go:383
    if (eq == nullptr) continue;                          // runtime1.go:384-386
    size_t klen = static_cast<size_t>(eq - field);        // runtime1.go:387
    // runtime1.go:392-396 left out: memprofilerate, for the allocator.
    for (const dbgVar& v : dbgvarlist) {                  // runtime1.go:397
      if (std::strlen(v.name) == klen && std::strncmp(v.name, field, klen) == 0) {  // runtime1.go:398
        int32_t x;
        if (atoi32(eq + 1, n - klen - 1, &x)) *v.value = x;  // runtime1.go:399-401
      }
    }
  }
  // runtime1.go:407 left out: debug.malloc, for the allocator.
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
