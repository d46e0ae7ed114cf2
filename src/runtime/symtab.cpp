// symtab.cpp - what Go 1.19.8's runtime/symtab.go answers for a
// traceback: which function a pc is in (findfunc), that function's name
// (funcname) and the file and line of a pc (funcline).
//
// Go's linker writes its own table for these into every Go binary, the
// pclntab, and symtab.go reads it in place.  A C++ toolchain leaves two
// others, and this file reads those instead: the ELF symbol table
// (.symtab) for where each function starts and ends and its linker name,
// and DWARF's line table (.debug_line) for the source line of every
// instruction.  They are in the executable's file, not in its memory, so
// the file (/proc/self/exe) is mapped, read-only, the first time a
// traceback asks; an index of the functions, sorted by address, and of
// the line table's units, by the addresses each covers, is built then.
// All of it with the runtime's own stubs (open, read, mmap): no libc and
// no malloc, so that a signal handler may ask (a SIGQUIT can interrupt
// malloc itself).
//
// The names.  A C++ linker name is mangled (Itanium C++ ABI):
// _ZN8internal4poll2FD4ReadEPvm is internal::poll::FD::Read(void*,
// unsigned long).  funcname takes the name apart far enough for its
// qualified parts (below, a small demangler that never allocates) and
// spells it as Go spells the function it rebuilds: the namespace is the
// Go package (internal::poll is internal/poll, sync_ is sync), a member
// function is a method on a pointer, so internal/poll.(*FD).Read; a
// function of the program (the anonymous namespace, or none) is in
// package main; a lambda is a closure, numbered as Go numbers them
// (main.serve.func1); a C name defined by the runtime or its assembly is
// in package runtime (epollwait is runtime.epollwait, runtime_read is
// runtime.read).  Go's linknames are kept: poll_runtime_pollWait is
// internal/poll.runtime_pollWait, timeSleep is time.Sleep.  A function
// with no Go twin keeps its C++ name, with no dot in it, which Go's own
// rule hides at GOTRACEBACK=single (showfuncinfo): goroutine_start, the C
// entry every goroutine runs first; a lambda's _FUN; std's and
// GoogleTest's functions.
#include <cstring>

#include "runtime/runtime.h"
#include "runtime/vdso_elf64.h"

extern "C" char __ehdr_start[];  // the linker's: this executable's ELF header, in memory

namespace runtime {

namespace {

// ---- The executable, mapped --------------------------------------------

struct sym {         // a function: [lo, hi) in the file's addresses
  uint64_t lo, hi;
  uint32_t name;     // offset in .strtab
};
struct lineunit {    // a unit of .debug_line and the addresses it covers
  uint64_t lo, hi;
  uint32_t off;
};

struct image {
  const uint8_t* file = nullptr;
  uintptr_t bias = 0;  // runtime address minus file address
  const char* strtab = nullptr;
  sym* funcs = nullptr;
  int32_t nfuncs = 0;
  const uint8_t* line = nullptr;  // .debug_line
  uint64_t linesize = 0;
  const char* linestr = nullptr;  // .debug_line_str
  uint64_t linestrsize = 0;
  const char* str = nullptr;  // .debug_str
  uint64_t strsize = 0;
  lineunit* units = nullptr;
  int32_t nunits = 0;
  const char* compdir = nullptr;  // where our units were compiled (make's directory)
} img;

// 0: not yet; 1: being read; 2: ready; 3: not to be had.
std::atomic<int> imgstate{0};

void* anon(uint64_t bytes) {
  mmapResult r = sysMmap(nullptr, bytes, 3 /* PROT_READ|WRITE */, 0x22 /* MAP_PRIVATE|ANON */, -1, 0);
  return r.p;
}

// A little-endian reader over [p, end): DWARF's encodings.
struct reader {
  const uint8_t* p;
  const uint8_t* end;
  bool bad = false;
  bool have(uint64_t n) {
    if (bad || static_cast<uint64_t>(end - p) < n) bad = true;
    return !bad;
  }
  uint64_t u(int n) {
    if (!have(static_cast<uint64_t>(n))) return 0;
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    p += n;
    return v;
  }
  uint64_t uleb() {
    uint64_t v = 0;
    for (int shift = 0; have(1); shift += 7) {
      uint8_t b = *p++;
      if (shift < 64) v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    return v;
  }
  int64_t sleb() {
    int64_t v = 0;
    int shift = 0;
    uint8_t b = 0;
    while (have(1)) {
      b = *p++;
      if (shift < 64) v |= static_cast<int64_t>(static_cast<uint64_t>(b & 0x7f) << shift);
      shift += 7;
      if ((b & 0x80) == 0) break;
    }
    if (shift < 64 && (b & 0x40) != 0) v |= -(int64_t{1} << shift);
    return v;
  }
  const char* cstr() {
    const char* s = reinterpret_cast<const char*>(p);
    while (have(1) && *p != 0) p++;
    if (have(1)) p++;
    return s;
  }
};

void sortfuncs(sym* a, int32_t n) {  // heap sort: no recursion, no allocation
  auto less = [](const sym& x, const sym& y) { return x.lo < y.lo; };
  auto sift = [&](int32_t i, int32_t len) {
    for (;;) {
      int32_t c = 2 * i + 1;
      if (c >= len) return;
      if (c + 1 < len && less(a[c], a[c + 1])) c++;
      if (!less(a[i], a[c])) return;
      sym t = a[i];
      a[i] = a[c];
      a[c] = t;
      i = c;
    }
  };
  for (int32_t i = n / 2 - 1; i >= 0; i--) sift(i, n);
  for (int32_t end = n - 1; end > 0; end--) {
    sym t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift(0, end);
  }
}

// A line unit's header, as much of it as the line program needs.
struct linehdr {
  int version = 0, addrsize = 8, offsize = 4;
  uint8_t min_inst = 1, default_is_stmt = 1, line_range = 1, opcode_base = 1;
  int8_t line_base = 0;
  const uint8_t* std_lengths = nullptr;
  const uint8_t* dirs = nullptr;   // the directory table (v5: its formats first)
  const uint8_t* files = nullptr;  // the file name table
  const uint8_t* prog = nullptr;   // the line program
  const uint8_t* end = nullptr;    // the unit's end
};

bool readhdr(const uint8_t* at, linehdr* h) {
  reader r{at, img.line + img.linesize};
  uint64_t len = r.u(4);
  if (len == 0xffffffff) {
    len = r.u(8);
    h->offsize = 8;
  }
  if (r.bad || len > static_cast<uint64_t>(r.end - r.p)) return false;
  h->end = r.p + len;
  r.end = h->end;
  h->version = static_cast<int>(r.u(2));
  if (h->version < 2 || h->version > 5) return false;
  if (h->version >= 5) {
    h->addrsize = static_cast<int>(r.u(1));
    r.u(1);  // segment selector size
  }
  uint64_t hlen = r.u(h->offsize);
  const uint8_t* after = r.p + hlen;
  h->min_inst = static_cast<uint8_t>(r.u(1));
  if (h->version >= 4) r.u(1);  // maximum operations per instruction (VLIW only)
  h->default_is_stmt = static_cast<uint8_t>(r.u(1));
  h->line_base = static_cast<int8_t>(r.u(1));
  h->line_range = static_cast<uint8_t>(r.u(1));
  h->opcode_base = static_cast<uint8_t>(r.u(1));
  h->std_lengths = r.p;
  if (h->opcode_base == 0 || h->line_range == 0 || !r.have(h->opcode_base - 1)) return false;
  r.p += h->opcode_base - 1;
  h->dirs = r.p;
  h->files = nullptr;
  if (h->version < 5) {  // the directories, strings until an empty one
    while (r.have(1) && *r.p != 0) r.cstr();
    r.u(1);
    h->files = r.p;
  }
  h->prog = after;
  return !r.bad && after <= h->end;
}

// A form's value: a string (inline or in a string section), or a number.
bool formvalue(reader* r, const linehdr& h, uint64_t form, const char** s, uint64_t* v) {
  *s = nullptr;
  *v = 0;
  switch (form) {
    case 0x08: *s = r->cstr(); return !r->bad;  // DW_FORM_string
    case 0x1f:                                   // DW_FORM_line_strp
    case 0x0e: {                                 // DW_FORM_strp
      uint64_t off = r->u(h.offsize);
      const char* base = form == 0x1f ? img.linestr : img.str;
      uint64_t size = form == 0x1f ? img.linestrsize : img.strsize;
      if (base == nullptr || off >= size) return false;
      *s = base + off;
      return !r->bad;
    }
    case 0x0b: *v = r->u(1); return !r->bad;  // DW_FORM_data1
    case 0x05: *v = r->u(2); return !r->bad;  // DW_FORM_data2
    case 0x06: *v = r->u(4); return !r->bad;  // DW_FORM_data4
    case 0x07: *v = r->u(8); return !r->bad;  // DW_FORM_data8
    case 0x0f: *v = r->uleb(); return !r->bad;  // DW_FORM_udata
    case 0x1e: r->u(8), r->u(8); return !r->bad;  // DW_FORM_data16 (an MD5)
    case 0x09: {                                // DW_FORM_block
      uint64_t n = r->uleb();
      if (!r->have(n)) return false;
      r->p += n;
      return true;
    }
    default: return false;
  }
}

// DWARF 5's directory or file entry i: its path and directory index.
bool entry5(reader* r, const linehdr& h, uint64_t i, const char** path, uint64_t* dir) {
  uint8_t nformats = static_cast<uint8_t>(r->u(1));
  uint64_t formats[16][2];
  if (nformats > 16) return false;
  for (int k = 0; k < nformats; k++) formats[k][0] = r->uleb(), formats[k][1] = r->uleb();
  uint64_t count = r->uleb();
  if (i >= count) return false;
  *path = nullptr;
  *dir = 0;
  for (uint64_t e = 0; e <= i; e++) {
    for (int k = 0; k < nformats; k++) {
      const char* s;
      uint64_t v;
      if (!formvalue(r, h, formats[k][1], &s, &v)) return false;
      if (e != i) continue;
      if (formats[k][0] == 1) *path = s;  // DW_LNCT_path
      if (formats[k][0] == 2) *dir = v;   // DW_LNCT_directory_index
    }
  }
  return *path != nullptr;
}

void append(char* buf, size_t n, size_t* at, const char* s) {
  while (*s != 0 && *at + 1 < n) buf[(*at)++] = *s++;
  buf[*at] = 0;
}

// File number f of the unit, as a path, into buf.
void filename(const linehdr& h, uint64_t f, char* buf, size_t n) {
  size_t at = 0;
  buf[0] = 0;
  const char* path = nullptr;
  const char* dirpath = nullptr;
  uint64_t dir = 0;
  if (h.version >= 5) {
    reader r{h.dirs, h.end};
    const uint8_t* start = r.p;
    // Skip the directory table to reach the files; remember it for the dir.
    uint8_t nformats = static_cast<uint8_t>(r.u(1));
    uint64_t formats[16][2];
    if (nformats > 16) return;
    for (int k = 0; k < nformats; k++) formats[k][0] = r.uleb(), formats[k][1] = r.uleb();
    uint64_t ndirs = r.uleb();
    for (uint64_t e = 0; e < ndirs; e++)
      for (int k = 0; k < nformats; k++) {
        const char* s;
        uint64_t v;
        if (!formvalue(&r, h, formats[k][1], &s, &v)) return;
      }
    if (!entry5(&r, h, f, &path, &dir)) return;
    reader d{start, h.end};
    uint64_t unused;
    if (!entry5(&d, h, dir, &dirpath, &unused)) dirpath = nullptr;
    // Directory 0 is the compilation's; the others may be relative to it.
    reader d0{start, h.end};
    const char* top = nullptr;
    if (!entry5(&d0, h, 0, &top, &unused)) top = nullptr;
    if (dirpath != nullptr && dirpath[0] != '/' && path[0] != '/' && top != nullptr) {
      append(buf, n, &at, top);
      append(buf, n, &at, "/");
    }
  } else {
    if (f == 0) return;  // DWARF 2-4 count files from 1
    reader r{h.files, h.end};
    for (uint64_t e = 1; e <= f; e++) {
      if (!r.have(1) || *r.p == 0) return;
      path = r.cstr();
      dir = r.uleb();
      r.uleb(), r.uleb();
    }
    if (dir != 0) {
      reader d{h.dirs, h.end};
      for (uint64_t e = 1; e <= dir; e++) {
        if (!d.have(1) || *d.p == 0) return;
        dirpath = d.cstr();
      }
    }
    // Directory 0 is the compilation's, which a DWARF 2-4 table does not
    // name (.debug_info does, and NASM's names the source's directory
    // there).  Every unit of ours is compiled in one directory, the one
    // our C++ units name: use it.
    if (path != nullptr && path[0] != '/' && (dirpath == nullptr || dirpath[0] != '/') &&
        img.compdir != nullptr) {
      append(buf, n, &at, img.compdir);
      append(buf, n, &at, "/");
    }
  }
  if (path == nullptr) return;
  if (path[0] != '/' && dirpath != nullptr && dirpath[0] != 0) {
    append(buf, n, &at, dirpath);
    append(buf, n, &at, "/");
  }
  append(buf, n, &at, path);
}

// Runs a unit's line program.  With want == 0 it finds the lowest and
// highest address it covers; otherwise the row that holds want, whose
// file and line go to *file and *line.  Sequences at address 0 are
// the linker's leftovers of discarded copies (COMDAT), and are skipped.
bool runprogram(const linehdr& h, uint64_t want, uint64_t* lo, uint64_t* hi, uint64_t* file,
                int64_t* line) {
  reader r{h.prog, h.end};
  uint64_t addr = 0, f = 1;
  int64_t ln = 1;
  bool live = true;
  uint64_t prevaddr = 0, prevf = 0;
  int64_t prevln = 0;
  bool haveprev = false;
  *lo = ~uint64_t{0};
  *hi = 0;
  auto row = [&](bool endseq) {
    if (live && addr != 0) {
      if (want == 0) {
        if (addr < *lo) *lo = addr;
        if (addr > *hi) *hi = addr;
      } else if (haveprev && prevaddr <= want && want < addr) {
        *file = prevf;
        *line = prevln;
        return true;
      }
    }
    prevaddr = addr, prevf = f, prevln = ln, haveprev = !endseq;
    if (endseq) {
      addr = 0, f = 1, ln = 1, live = true;
    }
    return false;
  };
  while (!r.bad && r.p < r.end) {
    uint8_t op = static_cast<uint8_t>(r.u(1));
    if (op >= h.opcode_base) {  // special: advance both, then a row
      uint8_t adj = static_cast<uint8_t>(op - h.opcode_base);
      addr += static_cast<uint64_t>(h.min_inst) * (adj / h.line_range);
      ln += h.line_base + adj % h.line_range;
      if (row(false)) return true;
      continue;
    }
    switch (op) {
      case 0: {  // extended
        uint64_t len = r.uleb();
        const uint8_t* next = r.p + len;
        if (!r.have(len) || len == 0) return false;
        uint8_t sub = static_cast<uint8_t>(r.u(1));
        if (sub == 1) {  // DW_LNE_end_sequence
          if (row(true)) return true;
        } else if (sub == 2) {  // DW_LNE_set_address
          addr = r.u(static_cast<int>(len - 1));
          if (addr == 0) live = false;
        }
        r.p = next;
        break;
      }
      case 1: if (row(false)) return true; break;                  // DW_LNS_copy
      case 2: addr += h.min_inst * r.uleb(); break;                  // DW_LNS_advance_pc
      case 3: ln += r.sleb(); break;                                 // DW_LNS_advance_line
      case 4: f = r.uleb(); break;                                   // DW_LNS_set_file
      case 5: r.uleb(); break;                                       // DW_LNS_set_column
      case 8: addr += h.min_inst * ((255 - h.opcode_base) / h.line_range); break;  // const_add_pc
      case 9: addr += r.u(2); break;                                 // DW_LNS_fixed_advance_pc
      default:
        for (uint8_t k = 0; k < h.std_lengths[op - 1]; k++) r.uleb();
    }
  }
  return false;
}

// Maps the executable and builds the indexes.  False if it cannot.
bool readimage() {
  int32_t fd = open("/proc/self/exe", 0 /* O_RDONLY */, 0);
  if (fd < 0) return false;
  elfEhdr eh;
  if (read(fd, &eh, sizeof eh) != static_cast<int32_t>(sizeof eh) ||
      std::memcmp(eh.e_ident, "\177ELF", 4) != 0 || eh.e_shentsize != sizeof(elfShdr)) {
    closefd(fd);
    return false;
  }
  uint64_t size = eh.e_shoff + uint64_t{eh.e_shnum} * eh.e_shentsize;
  mmapResult m = sysMmap(nullptr, size, 1 /* PROT_READ */, 2 /* MAP_PRIVATE */, fd, 0);
  closefd(fd);
  if (m.p == nullptr) return false;
  img.file = static_cast<const uint8_t*>(m.p);
  auto* sh = reinterpret_cast<const elfShdr*>(img.file + eh.e_shoff);
  const char* shstr = reinterpret_cast<const char*>(img.file + sh[eh.e_shstrndx].sh_offset);
  const elfShdr* symtab = nullptr;
  for (int i = 0; i < eh.e_shnum; i++) {
    if (sh[i].sh_type != 8 /* SHT_NOBITS */ && sh[i].sh_offset + sh[i].sh_size > size) return false;
    const char* name = shstr + sh[i].sh_name;
    const char* at = reinterpret_cast<const char*>(img.file + sh[i].sh_offset);
    if (sh[i].sh_type == 2 /* SHT_SYMTAB */) {
      symtab = &sh[i];
      img.strtab = reinterpret_cast<const char*>(img.file + sh[sh[i].sh_link].sh_offset);
    } else if (std::strcmp(name, ".debug_line") == 0) {
      img.line = reinterpret_cast<const uint8_t*>(at), img.linesize = sh[i].sh_size;
    } else if (std::strcmp(name, ".debug_line_str") == 0) {
      img.linestr = at, img.linestrsize = sh[i].sh_size;
    } else if (std::strcmp(name, ".debug_str") == 0) {
      img.str = at, img.strsize = sh[i].sh_size;
    }
  }
  // Where the file's addresses are in memory: the ELF header is at the
  // start of the segment that maps file offset 0.
  auto* ph = reinterpret_cast<const elfPhdr*>(img.file + eh.e_phoff);
  for (int i = 0; i < eh.e_phnum; i++)
    if (ph[i].p_type == 1 /* PT_LOAD */ && ph[i].p_offset == 0)
      img.bias = reinterpret_cast<uintptr_t>(__ehdr_start) - ph[i].p_vaddr;
  if (symtab == nullptr) return false;
  auto* syms = reinterpret_cast<const elfSym*>(img.file + symtab->sh_offset);
  int32_t nsyms = static_cast<int32_t>(symtab->sh_size / sizeof(elfSym));
  img.funcs = static_cast<sym*>(anon(sizeof(sym) * static_cast<uint64_t>(nsyms) + 1));
  if (img.funcs == nullptr) return false;
  for (int32_t i = 0; i < nsyms; i++) {
    if ((syms[i].st_info & 0xf) != 2 /* STT_FUNC */ || syms[i].st_shndx == 0 || syms[i].st_value == 0)
      continue;
    img.funcs[img.nfuncs++] = {syms[i].st_value, syms[i].st_value + syms[i].st_size, syms[i].st_name};
  }
  sortfuncs(img.funcs, img.nfuncs);
  // A function of size 0 (hand-written assembly without one) runs to the next.
  for (int32_t i = 0; i + 1 < img.nfuncs; i++)
    if (img.funcs[i].hi == img.funcs[i].lo) img.funcs[i].hi = img.funcs[i + 1].lo;
  if (img.line != nullptr) {
    int32_t cap = 0;
    for (const uint8_t* p = img.line; p < img.line + img.linesize; cap++) {
      linehdr h;
      if (!readhdr(p, &h)) break;
      p = h.end;
    }
    img.units = static_cast<lineunit*>(anon(sizeof(lineunit) * static_cast<uint64_t>(cap) + 1));
    for (const uint8_t* p = img.line; img.units != nullptr && p < img.line + img.linesize;) {
      linehdr h;
      if (!readhdr(p, &h)) break;
      uint64_t lo, hi, f;
      int64_t ln;
      runprogram(h, 0, &lo, &hi, &f, &ln);
      if (lo <= hi)
        img.units[img.nunits++] = {lo, hi, static_cast<uint32_t>(p - img.line)};
      p = h.end;
    }
    // The build directory, for filename: directory 0 of the unit that
    // holds this function.  Every file of ours is compiled there; not the
    // first unit's, which may be a library's (AddressSanitizer links one in).
    uint64_t self = reinterpret_cast<uintptr_t>(&readimage) - img.bias;
    for (int32_t i = 0; i < img.nunits && img.compdir == nullptr; i++) {
      linehdr h;
      if (self < img.units[i].lo || self > img.units[i].hi ||
          !readhdr(img.line + img.units[i].off, &h) || h.version < 5)
        continue;
      reader d{h.dirs, h.end};
      const char* top;
      uint64_t unused;
      if (entry5(&d, h, 0, &top, &unused) && top[0] == '/') img.compdir = top;
    }
  }
  return true;
}

bool ready() {
  int s = imgstate.load();
  if (s == 0 && imgstate.compare_exchange_strong(s, 1)) {
    imgstate.store(readimage() ? 2 : 3);
    s = imgstate.load();
  }
  return s == 2;  // 1: another thread (or the code this signal interrupted) is at it
}

// ---- The demangler --------------------------------------------------------

// One part of a qualified name.
struct part {
  enum kind_t { Name, Anon, Lambda, Ctor, Dtor, Op, Other } kind;
  const char* s;  // Name, Op: the text
  int len;
  int num;  // Lambda: 1, 2, ... as C++ numbers them
};

struct demangler {
  const char* p = nullptr;
  const char* end = nullptr;
  bool bad = false;
  part parts[24];
  int nparts = 0;
  int entity = -1;     // a local name: where the enclosed entity's parts begin
  int enclosing = -1;  // and where the enclosing function's begin
  struct { int from, to; } subs[64];  // prefixes seen, as runs of parts
  int nsubs = 0;

  bool at(char c) const { return p < end && *p == c; }
  bool eat(char c) {
    if (!at(c)) return false;
    p++;
    return true;
  }
  void add(part::kind_t k, const char* s, int len, int num = 0) {
    if (nparts < 24) parts[nparts++] = {k, s, len, num};
  }
  void addsub(int from) {
    if (nsubs < 64) subs[nsubs++] = {from, nparts};
  }
  uint64_t number() {
    uint64_t n = 0;
    if (p >= end || *p < '0' || *p > '9') bad = true;
    while (p < end && *p >= '0' && *p <= '9') n = n * 10 + static_cast<uint64_t>(*p++ - '0');
    return n;
  }
  // <seq-id> _: base 36, S_ is 0, S0_ is 1.
  int seqid() {
    if (eat('_')) return 0;
    int n = 0;
    while (p < end && *p != '_') {
      char c = *p++;
      if (c >= '0' && c <= '9')
        n = n * 36 + (c - '0');
      else if (c >= 'A' && c <= 'Z')
        n = n * 36 + (c - 'A' + 10);
      else
        bad = true;
    }
    if (!eat('_')) bad = true;
    return n + 1;
  }
  void sourcename(bool record) {
    uint64_t n = number();
    if (bad || n > static_cast<uint64_t>(end - p)) {
      bad = true;
      return;
    }
    if (record) {
      if (n >= 10 && std::strncmp(p, "_GLOBAL__N", 10) == 0)
        add(part::Anon, p, static_cast<int>(n));
      else
        add(part::Name, p, static_cast<int>(n));
    }
    p += n;
  }
  // A substitution: S_, S<n>_, St, Sa, Sb, Ss, Si, So, Sd.  In a name,
  // its parts are copied (prefixes only; a type's cannot be named here).
  void substitution(bool record) {
    p++;  // 'S'
    if (p < end && (*p == 't' || *p == 'a' || *p == 'b' || *p == 's' || *p == 'i' || *p == 'o' || *p == 'd')) {
      char c = *p++;
      if (record) add(part::Name, c == 't' ? "std" : "std::?", c == 't' ? 3 : 6);
      return;
    }
    int id = seqid();
    if (!record || bad) return;
    if (id >= nsubs) {
      add(part::Other, "?", 1);
      return;
    }
    for (int i = subs[id].from; i < subs[id].to && nparts < 24; i++) parts[nparts++] = parts[i];
  }
  void templateargs() {  // I <arg>* E, skipped
    p++;
    while (!bad && p < end && !at('E')) templatearg();
    if (!eat('E')) bad = true;
  }
  void templatearg() {
    if (eat('L')) {
      if (at('_') && p + 1 < end && p[1] == 'Z') {
        p += 2;
        encoding(false);
      } else {
        type();
        while (p < end && *p != 'E') p++;
      }
      if (!eat('E')) bad = true;
    } else if (eat('J')) {
      while (!bad && p < end && !at('E')) templatearg();
      if (!eat('E')) bad = true;
    } else if (at('X')) {
      bad = true;  // an expression: not demangled here
    } else {
      type();
    }
  }
  void type() {
    if (bad || p >= end) {
      bad = true;
      return;
    }
    char c = *p;
    if (std::strchr("vwbcahstijlmxynofdegz", c) != nullptr) {
      p++;
      return;
    }
    switch (c) {
      case 'r': case 'V': case 'K': case 'P': case 'R': case 'O': case 'C': case 'G':
        p++;
        type();
        return;
      case 'u':
        p++;
        sourcename(false);
        return;
      case 'D':
        p++;
        if (p < end && std::strchr("defhisuacn", *p) != nullptr) {
          p++;
          return;
        }
        if (eat('p')) {
          type();
          return;
        }
        if (eat('v')) {
          number();
          if (!eat('_')) bad = true;
          type();
          return;
        }
        bad = true;
        return;
      case 'F':
        p++;
        eat('Y');
        while (!bad && p < end && !at('E')) {
          if ((at('R') || at('O')) && p + 1 < end && p[1] == 'E') {
            p++;
            break;
          }
          type();
        }
        if (!eat('E')) bad = true;
        return;
      case 'A':
        p++;
        if (!at('_')) number();
        if (!eat('_')) bad = true;
        type();
        return;
      case 'M':
        p++;
        type();
        type();
        return;
      case 'T':
        p++;
        if (!at('_')) number();
        if (!eat('_')) bad = true;
        if (at('I')) templateargs();
        return;
      case 'S':
        substitution(false);
        if (at('I')) templateargs();
        return;
      default:
        name(false);
    }
  }
  // <unqualified-name>, recorded when record.
  void unqualified(bool record) {
    if (p >= end) {
      bad = true;
      return;
    }
    char c = *p;
    if (c >= '0' && c <= '9') {
      sourcename(record);
    } else if (c == 'U' && p + 1 < end && p[1] == 'l') {  // a lambda's closure type
      p += 2;
      while (!bad && p < end && !at('E')) type();
      if (!eat('E')) bad = true;
      int n = 1;
      if (!at('_')) n = static_cast<int>(number()) + 2;
      if (!eat('_')) bad = true;
      if (record) add(part::Lambda, "", 0, n);
    } else if (c == 'U' && p + 1 < end && p[1] == 't') {  // an unnamed type
      p += 2;
      if (!at('_')) number();
      if (!eat('_')) bad = true;
      if (record) add(part::Other, "{unnamed}", 9);
    } else if (c == 'C') {  // a constructor
      p++;
      if (eat('I')) {
        p++;
        type();
      } else {
        p++;
      }
      if (record) add(part::Ctor, "", 0);
    } else if (c == 'D' && p + 1 < end && p[1] >= '0' && p[1] <= '5') {  // a destructor
      p += 2;
      if (record) add(part::Dtor, "", 0);
    } else if (c == 'L') {  // internal linkage
      p++;
      unqualified(record);
      return;
    } else if (c >= 'a' && c <= 'z' && p + 1 < end) {  // an operator
      const char* op = p;
      p += 2;
      if (op[0] == 'c' && op[1] == 'v') type();
      if (op[0] == 'l' && op[1] == 'i') sourcename(false);
      if (record) add(part::Op, op, 2);
    } else {
      bad = true;
    }
    while (at('B')) {  // abi tags
      p++;
      sourcename(false);
    }
  }
  void nested(bool record) {
    p++;  // 'N'
    while (at('r') || at('V') || at('K')) p++;
    if (at('R') || at('O')) p++;
    int from = nparts;
    while (!bad && p < end && !at('E')) {
      if (at('S')) {
        substitution(record);
      } else if (at('I')) {
        templateargs();
      } else if (at('T')) {
        p++;
        if (!at('_')) number();
        if (!eat('_')) bad = true;
        if (record) add(part::Other, "T", 1);
      } else if (at('M')) {
        p++;  // a lambda's context: a data member's initializer
      } else {
        unqualified(record);
      }
      if (!at('E')) addsub(from);
    }
    if (!eat('E')) bad = true;
  }
  void name(bool record) {
    if (at('N')) {
      nested(record);
    } else if (at('Z')) {
      p++;
      int outer = nparts;
      encoding(record);
      if (!eat('E')) bad = true;
      if (record) {
        enclosing = outer;
        entity = nparts;
      }
      if (eat('s')) {
        if (record) add(part::Other, "string literal", 14);
      } else {
        name(record);
      }
      if (eat('_')) {  // a discriminator
        if (eat('_')) {
          number();
          eat('_');
        } else {
          number();
        }
      }
    } else if (at('S') && p + 1 < end && p[1] == 't') {
      p += 2;
      if (record) add(part::Name, "std", 3);
      unqualified(record);
      if (at('I')) templateargs();
    } else if (at('S')) {
      substitution(record);
      if (at('I')) templateargs();
    } else {
      int from = nparts;
      unqualified(record);
      if (at('I')) {
        addsub(from);
        templateargs();
      }
    }
  }
  // <encoding>: a name, then the parameter types (up to an E or the end).
  void encoding(bool record) {
    name(record);
    while (!bad && p < end && !at('E') && !at('.')) type();
  }
};

// ---- Go's spelling ----------------------------------------------------

struct builder {
  char* buf;
  size_t n;
  size_t at = 0;
  void s(const char* t, int len = -1) {
    for (int i = 0; (len < 0 ? t[i] != 0 : i < len) && at + 1 < n; i++) buf[at++] = t[i];
    buf[at] = 0;
  }
  void num(int v) {
    char d[12];
    int k = 0;
    do d[k++] = static_cast<char>('0' + v % 10), v /= 10;
    while (v != 0);
    while (k > 0 && at + 1 < n) buf[at++] = d[--k];
    buf[at] = 0;
  }
};

bool is(const part& x, const char* t) {
  return x.kind == part::Name && static_cast<int>(std::strlen(t)) == x.len &&
         std::strncmp(x.s, t, static_cast<size_t>(x.len)) == 0;
}

bool hasprefix(const part& x, const char* t) {
  size_t n = std::strlen(t);
  return x.kind == part::Name && static_cast<size_t>(x.len) > n && std::strncmp(x.s, t, n) == 0;
}

// The Go package of the namespaces at parts[i...]; how many parts it took.
int package(const part* parts, int n, const char** pkg) {
  if (n >= 2 && is(parts[0], "internal") && is(parts[1], "poll")) return *pkg = "internal/poll", 2;
  if (n >= 1 && is(parts[0], "runtime")) return *pkg = "runtime", 1;
  if (n >= 1 && is(parts[0], "net")) return *pkg = "net", 1;
  if (n >= 1 && is(parts[0], "sync_")) return *pkg = "sync", 1;
  if (n >= 1 && is(parts[0], "os")) return *pkg = "os", 1;
  if (n >= 1 && parts[0].kind == part::Anon) return *pkg = "main", 1;
  *pkg = nullptr;
  return 0;
}

// A C++ name as it is, "::" between its parts.
void cxxname(builder* b, const part* parts, int n) {
  for (int i = 0; i < n; i++) {
    if (i > 0) b->s("::");
    switch (parts[i].kind) {
      case part::Name:
      case part::Other: b->s(parts[i].s, parts[i].len); break;
      case part::Anon: b->s("(anonymous namespace)"); break;
      case part::Lambda: b->s("{lambda#"), b->num(parts[i].num), b->s("}"); break;
      case part::Ctor: b->s(i > 0 ? parts[i - 1].s : "?", i > 0 ? parts[i - 1].len : 1); break;
      case part::Dtor: b->s("~"), b->s(i > 0 ? parts[i - 1].s : "?", i > 0 ? parts[i - 1].len : 1); break;
      case part::Op: b->s("operator"), b->s(parts[i].s, parts[i].len); break;
    }
  }
}

// Go's name for parts[0, n), if the function is a Go twin.
bool goname(builder* b, const part* parts, int n, bool program) {
  const char* pkg;
  int k = package(parts, n, &pkg);
  // A program's function in no namespace at all is main's too.  (A name
  // with more parts at the top is a class's or a named namespace's, which
  // a mangled name does not tell apart: ours, then, not Go's.)
  if (pkg == nullptr && program && n == 1) pkg = "main";
  if (pkg == nullptr) return false;
  while (k < n && parts[k].kind == part::Anon) k++;  // runtime's own anonymous namespace
  int rest = n - k;
  if (rest < 1) return false;
  for (int i = k; i < n; i++)
    if (parts[i].kind != part::Name) return false;
  const part& fn = parts[n - 1];
  // Go's linknames: pkg_runtime_X is pkg's runtime_X; timeSleep is time.Sleep.
  if (std::strcmp(pkg, "runtime") == 0 && rest == 1) {
    static const struct { const char* ours; const char* pkg; } links[] = {
        {"poll_runtime_", "internal/poll"}, {"sync_runtime_", "sync"}, {"net_runtime_", "net"}};
    for (const auto& l : links)
      if (hasprefix(fn, l.ours)) {
        size_t skip = std::strlen(l.ours) - std::strlen("runtime_");
        b->s(l.pkg), b->s("."), b->s(fn.s + skip, fn.len - static_cast<int>(skip));
        return true;
      }
    if (is(fn, "timeSleep")) return b->s("time.Sleep"), true;
  }
  b->s(pkg);
  b->s(".");
  if (rest >= 2) {  // Type::method: a method on a pointer
    b->s("(*");
    for (int i = k; i < n - 1; i++) {
      if (i > k) b->s(".");
      b->s(parts[i].s, parts[i].len);
    }
    b->s(").");
  }
  // C++ reserves some of Go's spellings: throw is throw_.
  int len = fn.len;
  if (len > 1 && fn.s[len - 1] == '_') len--;
  b->s(fn.s, len);
  return true;
}

// A lambda's operator() is a closure of the function around it: Go names
// the first main.serve.func1, and one inside it main.serve.func1.1.
// Returns how deep in closures the name is, or -1 if it names no Go twin.
int closurename(builder* b, const part* parts, int n, bool program) {
  if (n >= 3 && parts[n - 2].kind == part::Lambda && parts[n - 1].kind == part::Op &&
      std::strncmp(parts[n - 1].s, "cl", 2) == 0) {
    char outer[256];
    builder ob{outer, sizeof outer};
    outer[0] = 0;
    int depth = closurename(&ob, parts, n - 2, program);
    if (depth < 0) return -1;
    b->s(outer);
    b->s(depth == 0 ? ".func" : ".");
    b->num(parts[n - 2].num);
    return depth + 1;
  }
  return goname(b, parts, n, program) ? 0 : -1;
}

}  // namespace

// symtab.go:828  The function pc is in; not valid() if none of ours.
funcInfo findfunc(uintptr_t pc) {
  funcInfo f;
  if (!ready() || pc < img.bias) return f;
  uint64_t addr = pc - img.bias;
  int32_t lo = 0, hi = img.nfuncs;  // the last function starting at or below addr
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (img.funcs[mid].lo <= addr)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return f;
  const sym& s = img.funcs[lo - 1];
  if (addr >= s.hi) return f;
  f.entry = s.lo + img.bias;
  f.end = s.hi + img.bias;
  f.name = img.strtab + s.name;
  return f;
}

// symtab.go:977  The function's name as Go would print it (see the top of
// this file), into buf; "?" for none.  *twin says whether it names a Go
// function (else it is our C++ name).
const char* funcname(funcInfo f, char* buf, size_t n, bool* twin) {
  builder b{buf, n};
  buf[0] = 0;
  bool dummy;
  if (twin == nullptr) twin = &dummy;
  *twin = false;
  if (!f.valid()) return b.s("?"), buf;
  char file[256];
  funcline(f, f.entry, file, sizeof file);
  bool runtime_file = std::strstr(file, "/src/runtime/") != nullptr || std::strstr(file, "asm/") != nullptr;
  bool program = std::strstr(file, "/src/cmd/") != nullptr || std::strstr(file, "/tests/") != nullptr;
  const char* name = f.name;
  if (name[0] != '_' || name[1] != 'Z') {  // a C name
    if (runtime_file && std::strcmp(name, "goroutine_start") != 0) {
      b.s("runtime.");
      b.s(std::strncmp(name, "runtime_", 8) == 0 ? name + 8 : name);
      *twin = true;
    } else {
      b.s(name);
    }
    return buf;
  }
  demangler d;
  d.p = name + 2;
  d.end = name + std::strlen(name);
  d.encoding(true);
  if (d.bad || d.nparts == 0) return b.s(name), buf;
  if (closurename(&b, d.parts, d.nparts, program) >= 0) {
    *twin = true;
    return buf;
  }
  b.at = 0;
  buf[0] = 0;
  cxxname(&b, d.parts, d.nparts);
  return buf;
}

// symtab.go:1036  The file and line of targetpc, in f; the file into
// file ("?" and 0 if the line table does not have it).
int32_t funcline(funcInfo f, uintptr_t targetpc, char* file, size_t n) {
  file[0] = '?';
  file[1] = 0;
  if (!f.valid() || !ready() || img.units == nullptr) return 0;
  uint64_t want = targetpc - img.bias;
  for (int32_t i = 0; i < img.nunits; i++) {
    if (want < img.units[i].lo || want > img.units[i].hi) continue;
    linehdr h;
    if (!readhdr(img.line + img.units[i].off, &h)) continue;
    uint64_t lo, hi, fnum;
    int64_t line;
    if (runprogram(h, want, &lo, &hi, &fnum, &line)) {
      filename(h, fnum, file, n);
      return static_cast<int32_t>(line);
    }
  }
  return 0;
}

}  // namespace runtime
