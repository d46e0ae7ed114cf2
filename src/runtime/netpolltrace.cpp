// netpolltrace.cpp - NETPOLLTRACE (include/runtime/netpolltrace.h): the
// narration on stderr and the timeline file.  Ours; no Go twin.
//
// The timeline is the Chrome Trace Event Format's JSON array: one process
// "Ms" with a track per M (the goroutine it runs, netpoll, idle), one
// process "goroutines" with a track per goroutine (runnable, running,
// parked, and on what), flow arrows from the netpoll that readied a
// goroutine to where it next runs, and instant events for every rg/wg
// transition and every step of the narration.  Events are kept in memory
// and written when the process ends (traceFlush): an array without its
// closing bracket is still read by Perfetto and chrome://tracing, should
// the program die first.
#include "runtime/netpolltrace.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "runtime/netpoll.h"
#include "runtime/runtime.h"

namespace runtime {

bool netpolltrace;

namespace {

enum class Mode { off, text, json };
Mode mode = Mode::off;
intptr_t only_fd = -1;  // NETPOLLTRACE=fd=N
int32_t json_fd = -1;
int64_t start;  // nanotime at start-up: time 0

mutex tracelock;        // guards what follows
std::string events;     // the JSON array's elements, each ending ",\n"
uint64_t nextflow = 1;  // flow arrow ids
struct GState {
  std::string slice;  // the open slice on its track ("" if none)
  uint64_t flow = 0;  // an arrow from the netpoll that readied it, to land
};
std::unordered_map<int64_t, GState> gs;
std::unordered_map<int64_t, std::string> ms;  // M id -> open slice
bool named_m[1024];

double now_us() { return static_cast<double>(nanotime() - start) / 1000.0; }

int64_t m_id() {
  m* mp = getm();
  return mp ? mp->id : 999;  // a thread outside the scheduler
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') continue;
    out += c;
  }
  return out + "\"";
}

// One event; tracelock held.
void emit(const char* ph, int pid, int64_t tid, const std::string& name, double ts,
          const std::string& extra = "") {
  char head[160];
  std::snprintf(head, sizeof head, "{\"ph\":\"%s\",\"pid\":%d,\"tid\":%lld,\"ts\":%.3f,", ph, pid,
                static_cast<long long>(tid), ts);
  events += head;
  events += "\"name\":" + quote(name) + extra + "},\n";
}

void name_track(int pid, int64_t tid, const std::string& name) {
  emit("M", pid, tid, "thread_name", 0, ",\"args\":{\"name\":" + quote(name) + "}");
  emit("M", pid, tid, "thread_sort_index", 0,
       ",\"args\":{\"sort_index\":" + std::to_string(tid) + "}");
}

void ensure_m(int64_t id) {
  if (id >= 0 && id < 1024 && !named_m[id]) {
    named_m[id] = true;
    name_track(1, id,
               id == 999 ? "no M (a thread outside the scheduler)" : "M" + std::to_string(id));
  }
}

// Closes the open slice of a track, opens another ("" for none).
void set_slice(int pid, int64_t tid, std::string* open, const std::string& next, double ts) {
  if (!open->empty()) emit("E", pid, tid, *open, ts);
  *open = next;
  if (!next.empty()) emit("B", pid, tid, next, ts);
}

void set_g(int64_t goid, const std::string& state, double ts) {
  auto it = gs.find(goid);
  if (it == gs.end()) {
    it = gs.emplace(goid, GState{}).first;
    name_track(2, goid, "G" + std::to_string(goid));
  }
  set_slice(2, goid, &it->second.slice, state, ts);
}

void set_m(const std::string& what, double ts) {
  int64_t id = m_id();
  ensure_m(id);
  set_slice(1, id, &ms[id], what, ts);
}

const char* semname(uintptr_t v, char* buf, size_t n) {
  if (v == 0) return "nil";
  if (v == pdReady) return "pdReady";
  if (v == pdWait) return "pdWait";
  std::snprintf(buf, n, "G%lld", static_cast<long long>(reinterpret_cast<g*>(v)->goid));
  return buf;
}

void init() {
  const char* v = std::getenv("NETPOLLTRACE");
  if (v == nullptr || *v == 0 || std::strcmp(v, "0") == 0) return;
  start = nanotime();
  if (std::strcmp(v, "1") == 0) {
    mode = Mode::text;
  } else if (std::strncmp(v, "fd=", 3) == 0 && v[3] >= '0' && v[3] <= '9') {
    mode = Mode::text;
    only_fd = std::atoll(v + 3);
  } else if (std::strncmp(v, "json:", 5) == 0 && v[5] != 0) {
    json_fd = open(v + 5, 01 | 0100 | 01000 | 02000000 /* O_WRONLY|CREAT|TRUNC|CLOEXEC */, 0644);
    if (json_fd < 0) {
      print("netpolltrace: cannot write %s; running untraced\n", v + 5);
      return;
    }
    mode = Mode::json;
    events.reserve(1 << 20);
    emit("M", 1, 0, "process_name", 0, ",\"args\":{\"name\":\"Ms (threads)\"}");
    emit("M", 2, 0, "process_name", 0, ",\"args\":{\"name\":\"goroutines\"}");
    std::atexit(traceFlush);
  } else {
    print("netpolltrace: NETPOLLTRACE=%s is not 1, fd=N or json:FILE; running untraced\n", v);
    return;
  }
  netpolltrace = true;
}

struct Init {
  Init() { init(); }
} initialized;

}  // namespace

void tracef(const char* gofile, int goline, const char* gofn, intptr_t fd, const char* fmt, ...) {
  if (mode == Mode::off || (only_fd >= 0 && fd != only_fd)) return;
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  // "file.go:line", or a later release's file, which has no line here.
  char where[64];
  if (goline > 0)
    std::snprintf(where, sizeof where, "%s:%d", gofile, goline);
  else
    std::snprintf(where, sizeof where, "%s", gofile);
  if (mode == Mode::text) {
    m* mp = getm();
    p* pp = mp ? mp->p_.load() : nullptr;
    g* gp = getg();
    char ms_[24] = "M-", ps[16] = "P-", gs_[24] = "G-";
    if (mp) std::snprintf(ms_, sizeof ms_, "M%lld", static_cast<long long>(mp->id));
    if (pp) std::snprintf(ps, sizeof ps, "P%d", pp->id);
    if (gp) std::snprintf(gs_, sizeof gs_, "G%lld", static_cast<long long>(gp->goid));
    print("netpolltrace: %9.1f µs  %-3s %-3s %-4s %s  %s: %s\n", now_us(), ms_, ps, gs_, where, gofn,
          text);
    return;
  }
  lock(&tracelock);
  int64_t id = m_id();
  ensure_m(id);
  char name[480], args[160];
  std::snprintf(name, sizeof name, "%s: %s", gofn, text);
  std::snprintf(args, sizeof args, ",\"s\":\"t\",\"args\":{\"go\":\"%s\",\"fn\":\"%s\",\"fd\":%lld}",
                where, gofn, static_cast<long long>(fd));
  emit("i", 1, id, name, now_us(), args);
  unlock(&tracelock);
}

void traceSem(const char* gofile, int goline, const char* gofn, const pollDesc* pd, int32_t md, uintptr_t old,
              uintptr_t new_, const char* why) {
  char a[24], b[24];
  tracef(gofile, goline, gofn, static_cast<intptr_t>(pd->fd), "fd %lu %s: %s -> %s%s%s",
         static_cast<unsigned long>(pd->fd), md == 'r' ? "rg" : "wg", semname(old, a, sizeof a),
         semname(new_, b, sizeof b), *why ? ": " : "", why);
}

void narrateGoCreate(g* newg) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  set_g(newg->goid, "runnable", now_us());
  unlock(&tracelock);
}

void narrateGoStart(g* gp) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  double ts = now_us();
  std::string name = "G" + std::to_string(gp->goid);
  set_m(name, ts);
  set_g(gp->goid, "running on M" + std::to_string(m_id()), ts);
  GState& st = gs[gp->goid];
  if (st.flow) {  // the arrow from the netpoll that readied it lands here, on its own track
    emit("f", 2, gp->goid, "readied by netpoll", ts,
         ",\"cat\":\"netpoll\",\"bp\":\"e\",\"id\":" + std::to_string(st.flow));
    st.flow = 0;
  }
  unlock(&tracelock);
}

void narrateGoPark(g* gp) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  double ts = now_us();
  std::string why = "parked";
  if (gp->waitreason == waitReason::IOWait) {
    char b[80];
    std::snprintf(b, sizeof b, "parked in netpollblock fd=%lu '%c'",
                  static_cast<unsigned long>(gp->waitfd), static_cast<char>(gp->waitmode));
    why = b;
  } else if (gp->waitreason == waitReason::Sleep) {
    why = "parked: sleep";
  } else if (gp->waitreason == waitReason::Semacquire) {
    why = "parked: semacquire";
  }
  set_g(gp->goid, why, ts);
  set_m("", ts);
  unlock(&tracelock);
}

void narrateGoUnpark(g* gp, bool by_netpoll) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  double ts = now_us();
  set_g(gp->goid, "runnable", ts);
  if (by_netpoll) {
    // The arrow starts in this M's netpoll slice (netpoll_epoll.cpp opens
    // it around the wait and the events).
    uint64_t id = nextflow++;
    gs[gp->goid].flow = id;
    emit("s", 1, m_id(), "readied by netpoll", ts,
         ",\"cat\":\"netpoll\",\"id\":" + std::to_string(id) + ",\"args\":{\"g\":" +
             std::to_string(gp->goid) + "}");
  }
  unlock(&tracelock);
}

void narrateGoSched(g* gp) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  double ts = now_us();
  set_g(gp->goid, "runnable", ts);
  set_m("", ts);
  unlock(&tracelock);
}

void narrateGoEnd(g* gp) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  double ts = now_us();
  set_g(gp->goid, "", ts);
  set_m("", ts);
  unlock(&tracelock);
}

void traceNetpoll(bool begin, int64_t delay) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  set_m(!begin ? "" : delay == 0 ? "netpoll(0)" : "netpoll: blocked in epoll_wait", now_us());
  unlock(&tracelock);
}

void traceIdle(bool begin) {
  if (mode != Mode::json) return;
  lock(&tracelock);
  set_m(begin ? "idle (stopm)" : "", now_us());
  unlock(&tracelock);
}

void traceFlush() {
  if (mode != Mode::json || json_fd < 0) return;
  lock(&tracelock);
  // Close every open slice, so that each B has its E.
  double ts = now_us();
  for (auto& [id, open] : ms) set_slice(1, id, &open, "", ts);
  for (auto& [id, st] : gs) set_slice(2, id, &st.slice, "", ts);
  // The Trace Event Format's object form, which Perfetto, chrome://tracing
  // and speedscope all take.
  std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n" + events;
  if (out.size() >= 2 && out[out.size() - 2] == ',') out.erase(out.size() - 2, 1);  // the last ,
  out += "]}\n";
  for (size_t at = 0; at < out.size();) {
    int32_t n = write1(static_cast<uintptr_t>(json_fd), out.data() + at,
                       static_cast<int32_t>(std::min<size_t>(out.size() - at, 1 << 20)));
    if (n <= 0) break;
    at += static_cast<size_t>(n);
  }
  closefd(json_fd);
  json_fd = -1;
  events.clear();
  unlock(&tracelock);
}

}  // namespace runtime
