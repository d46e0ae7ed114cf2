// print.cpp - Go 1.19.8's runtime print (print.go): text to standard
// error, or into a buffer when runtime::Stack asked for one (gwrite).
//
// Go's compiler turns print(a, b) into calls of printstring, printint,
// printhex and the rest.  Ours is one printf-style function, but like
// Go's it uses no libc at all: it formats into a buffer on its own stack
// and writes that with one write.  So it can run in a signal handler, with
// every other thread stopped anywhere, even inside malloc or a libc lock;
// and lines from different Ms do not interleave mid-line (Go takes
// printlock for the same end).  It knows d, i, u, x, X, p, s, c, f and %,
// with the -, # and 0 flags, a width, a precision and the l, ll, z and h
// sizes.  As Go's hex() does, %#x always has its 0x, even for zero, and
// %p is 0x... (Go's printpointer), never "(nil)".
#include <cstdarg>

#include "runtime/runtime.h"

namespace runtime {

namespace {

struct buffer {
  char b[512];
  int n = 0;
  void put(char c) {
    if (n < static_cast<int>(sizeof b)) b[n++] = c;
  }
  void pad(int width, int len, char c) {
    for (int i = len; i < width; i++) put(c);
  }
};

// The digits of v in base (10 or 16) into d, least significant first.
int digits(unsigned long long v, int base, bool upper, char* d) {
  const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n = 0;
  do {
    d[n++] = set[v % static_cast<unsigned>(base)];
    v /= static_cast<unsigned>(base);
  } while (v != 0);
  return n;
}

void number(buffer* out, unsigned long long v, bool neg, int base, bool upper, bool alt,
            bool left, bool zero, int width) {
  char d[24];
  int nd = digits(v, base, upper, d);
  const char* prefix = neg ? "-" : (alt && base == 16) ? "0x" : "";
  int np = 0;
  while (prefix[np] != 0) np++;
  int len = np + nd;
  if (!left && !zero) out->pad(width, len, ' ');
  for (int i = 0; i < np; i++) out->put(prefix[i]);
  if (!left && zero) out->pad(width, len, '0');
  while (nd > 0) out->put(d[--nd]);
  if (left) out->pad(width, len, ' ');
}

void fixed(buffer* out, double v, int prec, bool left, int width) {
  bool neg = v < 0;
  if (neg) v = -v;
  unsigned long long scale = 1;
  for (int i = 0; i < prec; i++) scale *= 10;
  auto all = static_cast<unsigned long long>(v * static_cast<double>(scale) + 0.5);
  unsigned long long whole = all / scale, frac = all % scale;
  char d[24], f[24];
  int nd = digits(whole, 10, false, d), nf = 0;
  for (int i = 0; i < prec; i++, frac /= 10) f[nf++] = static_cast<char>('0' + frac % 10);
  int len = (neg ? 1 : 0) + nd + (prec > 0 ? 1 + prec : 0);
  if (!left) out->pad(width, len, ' ');
  if (neg) out->put('-');
  while (nd > 0) out->put(d[--nd]);
  if (prec > 0) out->put('.');
  while (nf > 0) out->put(f[--nf]);
  if (left) out->pad(width, len, ' ');
}

void format(buffer* out, const char* fmt, va_list ap) {
  for (const char* p = fmt; *p != 0; p++) {
    if (*p != '%') {
      out->put(*p);
      continue;
    }
    bool left = false, alt = false, zero = false;
    for (p++;; p++) {
      if (*p == '-')
        left = true;
      else if (*p == '#')
        alt = true;
      else if (*p == '0')
        zero = true;
      else
        break;
    }
    int width = 0, prec = -1;
    for (; *p >= '0' && *p <= '9'; p++) width = width * 10 + (*p - '0');
    if (*p == '.')
      for (p++, prec = 0; *p >= '0' && *p <= '9'; p++) prec = prec * 10 + (*p - '0');
    int size = 0;  // 0 int, 1 long, 2 long long or size_t
    for (;; p++) {
      if (*p == 'l')
        size++;
      else if (*p == 'z')
        size = 2;
      else if (*p != 'h')
        break;
    }
    switch (*p) {
      case 'd':
      case 'i': {
        long long v = size == 0 ? va_arg(ap, int) : size == 1 ? va_arg(ap, long) : va_arg(ap, long long);
        unsigned long long u = v < 0 ? 0 - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
        number(out, u, v < 0, 10, false, false, left, zero, width);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        unsigned long long v = size == 0   ? va_arg(ap, unsigned)
                               : size == 1 ? va_arg(ap, unsigned long)
                                           : va_arg(ap, unsigned long long);
        number(out, v, false, *p == 'u' ? 10 : 16, *p == 'X', alt, left, zero, width);
        break;
      }
      case 'p':
        number(out, reinterpret_cast<uintptr_t>(va_arg(ap, void*)), false, 16, false, true, left,
               zero, width);
        break;
      case 's': {
        const char* s = va_arg(ap, const char*);
        if (s == nullptr) s = "<nil>";
        int len = 0;
        while (s[len] != 0 && (prec < 0 || len < prec)) len++;
        if (!left) out->pad(width, len, ' ');
        for (int i = 0; i < len; i++) out->put(s[i]);
        if (left) out->pad(width, len, ' ');
        break;
      }
      case 'c': out->put(static_cast<char>(va_arg(ap, int))); break;
      case 'f': fixed(out, va_arg(ap, double), prec < 0 ? 6 : prec, left, width); break;
      case '%': out->put('%'); break;
      case 0: return;
      default: out->put('%'), out->put(*p);
    }
  }
}

// write_err.go:11  Standard error.
void writeErr(const char* b, int32_t n) {
  write(2, b, n);  // write_err.go:12
}

}  // namespace

// print.go:86  Into the running M's buffer if runtime::Stack set one, and
// the M is not dying; else to standard error.  Go keeps the buffer on g
// and Stack sets it on g0; ours always reads the M's g0.
void gwrite(const char* b, int32_t n) {
  if (n == 0) {  // print.go:87
    return;      // print.go:88
  }
  // print.go:90 left out: recordForPanic, for the panic message kept by
  // the runtime's crash output on some systems.
  m* mp = getm();
  g* gp = mp != nullptr ? mp->g0 : nullptr;                           // print.go:91
  if (gp == nullptr || gp->writebuf.p == nullptr || mp->dying > 0) {  // print.go:97
    writeErr(b, n);                                                   // print.go:98
    return;                                                           // print.go:99
  }
  uint32_t room = gp->writebuf.cap - gp->writebuf.len;
  uint32_t c = static_cast<uint32_t>(n) < room ? static_cast<uint32_t>(n) : room;
  for (uint32_t i = 0; i < c; i++) gp->writebuf.p[gp->writebuf.len + i] = b[i];  // print.go:102
  gp->writebuf.len += c;                                                        // print.go:103
}

void print(const char* fmt, ...) {
  buffer out;
  va_list ap;
  va_start(ap, fmt);
  format(&out, fmt, ap);
  va_end(ap);
  gwrite(out.b, out.n);
}

}  // namespace runtime
