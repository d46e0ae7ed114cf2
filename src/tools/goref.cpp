// goref.cpp - see include/tools/goref.h.
#include "tools/goref.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

namespace goref {

namespace {

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

// C++ and Go share // comments; strip them and string literals so braces
// inside either are not counted.
std::string code_of(const std::string& line) {
  std::string out;
  bool str = false, chr = false;
  for (size_t i = 0; i < line.size(); i++) {
    char c = line[i];
    if (!str && !chr && c == '/' && i + 1 < line.size() && line[i + 1] == '/') break;
    if (c == '\\' && (str || chr)) {
      i++;
      continue;
    }
    if (c == '"' && !chr)
      str = !str;
    else if (c == '\'' && !str)
      chr = !chr;
    else if (!str && !chr)
      out += c;
  }
  return out;
}

const std::set<std::string> kNotFuncs = {
    "if",       "for",     "while",   "switch",        "catch",    "return",       "sizeof",
    "decltype", "defined", "alignof", "static_assert", "offsetof", "__attribute__"};

// The name a C++ line declares or defines as a function, or "".
std::string cpp_func_name(const std::string& code) {
  static const std::regex attr(R"(__attribute__\s*\(\(.*?\)\)\s*)");
  std::string t = trim(std::regex_replace(code, attr, ""));
  if (t.empty() || t[0] == '#' || t[0] == '}' || t[0] == '/' || t[0] == '*') return "";
  for (const char* kw : {"namespace", "struct ", "class ", "using ", "enum ", "typedef ",
                         "template", "case ", "else", "do ", "return"})
    if (t.rfind(kw, 0) == 0) return "";
  static const std::regex re(R"(([A-Za-z_~][A-Za-z0-9_]*(?:::[A-Za-z_~][A-Za-z0-9_]*)*)\s*\()");
  std::smatch m;
  if (!std::regex_search(t, m, re)) return "";
  std::string name = m[1];
  if (kNotFuncs.count(name)) return "";
  // FD::Read is Go's (fd *FD) Read: "FD.Read".  A namespace (runtime::)
  // before a free function is dropped.
  for (size_t at; (at = name.find("::")) != std::string::npos;) name.replace(at, 2, ".");
  if (name.rfind("runtime.", 0) == 0 || name.rfind("std.", 0) == 0)
    name = name.substr(name.find('.') + 1);
  // A call statement ("foo(x);" or "x = foo(y);") is not a declaration:
  // a declaration has a type before the name.
  std::string before = trim(t.substr(0, m.position(1)));
  if (before.empty() || before.back() == '=' || before.back() == '(' || before.back() == ',' ||
      before.find('=') != std::string::npos)
    return "";
  return name;
}

bool is_comment_or_blank(const std::string& line, bool asm_) {
  std::string t = trim(line);
  if (t.empty()) return true;
  if (asm_) return t[0] == ';' || t.rfind("global ", 0) == 0 || t.rfind("extern ", 0) == 0;
  return t.rfind("//", 0) == 0;
}

void load_go(File* f) {
  for (int i = 0; i < static_cast<int>(f->lines.size()); i++) {
    const std::string& l = f->lines[i];
    if (l.rfind("func ", 0) != 0) continue;
    std::string rest = l.substr(5);
    std::string recv;  // a method's receiver type: "(fd *FD)" -> "FD"
    if (!rest.empty() && rest[0] == '(') {
      std::string r = rest.substr(1, rest.find(')') - 1);
      r = trim(r.substr(r.find_last_of(" *") + 1));
      recv = r.substr(0, r.find('['));
      rest = rest.substr(rest.find(')') + 1);
    }
    rest = trim(rest);
    Func fn;
    fn.name = rest.substr(0, rest.find_first_of("([ "));
    if (!recv.empty()) fn.name = recv + "." + fn.name;
    fn.first = i + 1;
    std::string c = code_of(l);
    if (c.find('{') == std::string::npos || trim(c).back() == '}') {
      fn.last = i + 1;  // a body-less declaration, or a one-line function
    } else {
      int j = i + 1;
      while (j < static_cast<int>(f->lines.size()) && f->lines[j] != "}") j++;
      fn.last = j + 1;
    }
    f->funcs.push_back(fn);
  }
}

void load_goasm(File* f) {
  // `TEXT gogo<>(SB)` is a file-local function, and another than
  // runtime·gogo: its name keeps the <>.  `TEXT ·getpid(SB)` is the
  // package's own (runtime·getpid spelled short).
  static const std::regex re(R"(^TEXT\s+(?:runtime)?(?:·)?([A-Za-z0-9_]+)(<>)?(?:<[^>]*>)?\(SB\))");
  for (int i = 0; i < static_cast<int>(f->lines.size()); i++) {
    std::smatch m;
    if (!std::regex_search(f->lines[i], m, re)) continue;
    if (!f->funcs.empty()) f->funcs.back().last = i;
    f->funcs.push_back(Func{m[1].str() + m[2].str(), i + 1, static_cast<int>(f->lines.size())});
  }
  // A function ends at its last instruction, not at the comment that
  // introduces the next one.
  for (Func& fn : f->funcs)
    while (fn.last > fn.first && !f->is_code(fn.last)) fn.last--;
}

// A stub runs from its global label to its `.end:` label (which every stub
// has, for its ELF size), so the banner above the next stub is not in it.
void load_nasm(File* f) {
  static const std::regex re(R"(^([A-Za-z_][A-Za-z0-9_]*):)");
  for (int i = 0; i < static_cast<int>(f->lines.size()); i++) {
    const std::string& l = f->lines[i];
    std::smatch m;
    bool label = std::regex_search(l, m, re);
    bool end = l.rfind(".end:", 0) == 0 || l.rfind("section ", 0) == 0;
    if ((label || end) && !f->funcs.empty() && f->funcs.back().last == 0)
      f->funcs.back().last = end ? i + 1 : i;
    if (label) f->funcs.push_back(Func{m[1], i + 1, 0});
  }
  if (!f->funcs.empty() && f->funcs.back().last == 0)
    f->funcs.back().last = static_cast<int>(f->lines.size());
}

void load_cpp(File* f) {
  struct Open {
    Func fn;
    int depth;
  };
  std::vector<Open> stack;
  int depth = 0;
  std::string pending;  // a name whose '{' has not come yet
  int pending_line = 0;
  for (int i = 0; i < static_cast<int>(f->lines.size()); i++) {
    if (f->later_at(i + 1)) continue;  // as Go 1.19.8's build sees the file
    std::string c = code_of(f->lines[i]);
    std::string name = cpp_func_name(c);
    if (!name.empty() && trim(c).back() != ';') {
      pending = name;
      pending_line = i + 1;
    } else if (!trim(c).empty() && trim(c).back() == ';') {
      pending.clear();
    }
    for (char ch : c) {
      if (ch == '{') {
        if (!pending.empty()) {
          stack.push_back(Open{Func{pending, pending_line, 0}, depth});
          pending.clear();
        }
        depth++;
      } else if (ch == '}') {
        depth--;
        if (!stack.empty() && depth == stack.back().depth) {
          Func fn = stack.back().fn;
          fn.last = i + 1;
          stack.pop_back();
          if (stack.empty()) f->funcs.push_back(fn);  // lambdas and locals stay inside
        }
      }
    }
  }
  // A later release's version just above a function: the `#if NETPOLL_GO`
  // block whose `#else` holds the function's 1.19.8 head (or its banner).
  for (Func& fn : f->funcs) {
    int l = fn.first - 1;
    while (l >= 1 && !f->later_at(l) && is_comment_or_blank(f->lines[l - 1], false)) l--;
    if (l < 1 || !f->later_at(l) || trim(f->lines[l - 1]).rfind("#else", 0) != 0) continue;
    fn.later_last = l;
    while (l > 1 && f->later_at(l - 1)) l--;
    fn.later_first = l;
  }
}

// File::later: the release of the `#if NETPOLL_GO >= N` branch each line is
// in.  `#elif NETPOLL_GO >= M` starts release M's branch, `#else` (or
// another #elif) 1.19.8's; other #if blocks are only counted, for their
// #endif.
void find_later(File* f) {
  static const std::regex fence(R"(^\s*#\s*(if|elif)\s+NETPOLL_GO\s*>=\s*([0-9]+))");
  struct Frame {
    bool ours;
    int opened, now;  // the release of the #if, and of the branch we are in
  };
  std::vector<Frame> stack;
  f->later.assign(f->lines.size() + 1, 0);
  for (size_t i = 0; i < f->lines.size(); i++) {
    std::string t = trim(f->lines[i]);
    std::smatch m;
    int here = stack.empty() ? 0 : stack.back().now;
    if (t.empty() || t[0] != '#') {  // not a directive: the branch we are in
      f->later[i + 1] = here;
      continue;
    }
    if (std::regex_search(f->lines[i], m, fence)) {
      if (m[1] == "if") stack.push_back(Frame{true, std::stoi(m[2]), std::stoi(m[2])});
      if (m[1] == "elif" && !stack.empty()) stack.back().now = std::stoi(m[2]);
      f->later[i + 1] = stack.empty() ? 0 : stack.back().opened;
      continue;
    }
    if (t.rfind("#if", 0) == 0) {
      stack.push_back(Frame{false, here, here});
    } else if ((t.rfind("#else", 0) == 0 || t.rfind("#elif", 0) == 0) && !stack.empty() &&
               stack.back().ours) {  // a branch that is not a later release's
      f->later[i + 1] = stack.back().opened;
      stack.back().now = 0;
      continue;
    } else if (t.rfind("#endif", 0) == 0 && !stack.empty()) {
      bool ours = stack.back().ours;
      int opened = stack.back().opened;
      stack.pop_back();
      if (ours) {
        f->later[i + 1] = opened;
        continue;
      }
    }
    f->later[i + 1] = here;
  }
}

}  // namespace

// The programs (src/cmd/) cite Go lines as data, for a reader; only the
// twins must sit in the function they cite.
bool is_program(const std::string& path) { return path.rfind("src/cmd/", 0) == 0; }

bool same_func(const std::string& go, const std::string& ours) {
  if (go == ours) return true;
  // A method defined inside its class is named without the class here.
  size_t gd = go.rfind('.'), od = ours.rfind('.');
  if (gd != std::string::npos && od == std::string::npos) return go.substr(gd + 1) == ours;
  if (od != std::string::npos && gd == std::string::npos) return ours.substr(od + 1) == go;
  return false;
}

std::string gosource(const std::string& goroot, const std::string& gofile) {
  return goroot + "/src/" + (gofile.find('/') == std::string::npos ? "runtime/" : "") + gofile;
}

int File::later_at(int line) const {
  return line >= 1 && line < static_cast<int>(later.size()) ? later[line] : 0;
}

const Func* File::func_at(int line) const {
  for (const Func& fn : funcs)
    if (line >= fn.first && line <= fn.last) return &fn;
  return nullptr;
}

bool File::is_code(int line) const {
  if (line < 1 || line > static_cast<int>(lines.size())) return false;
  std::string t = trim(lines[line - 1]);
  return !t.empty() && t.rfind("//", 0) != 0 && t.rfind(";", 0) != 0;
}

bool load(const std::string& path, File* out) {
  std::ifstream in(path);
  if (!in) return false;
  out->path = path;
  out->lines.clear();
  out->funcs.clear();
  for (std::string l; std::getline(in, l);) out->lines.push_back(l);
  find_later(out);
  if (ends_with(path, ".go"))
    load_go(out);
  else if (ends_with(path, ".s"))
    load_goasm(out);
  else if (ends_with(path, ".asm"))
    load_nasm(out);
  else
    load_cpp(out);
  return true;
}

namespace {
// Line i (0-based) with the lines before it that it continues: a statement
// that clang-format broke over lines carries its citation on the last one.
// A line with a citation of its own is a statement of its own.
std::string statement(const File& f, int i, bool asm_) {
  static const std::regex cite(R"((?:[a-z]+/)*[a-z0-9_]+\.(?:go|s):[0-9]+)");
  std::string text = f.lines[i];
  if (asm_) return text;
  for (int j = i - 1; j >= 0; j--) {
    std::string prev = trim(code_of(f.lines[j]));
    if (prev.empty() || prev.back() == ';' || prev.back() == '{' || prev.back() == '}' ||
        prev.back() == ':' || is_comment_or_blank(f.lines[j], false) ||
        std::regex_search(f.lines[j], cite))
      break;
    text = prev + " " + text;
  }
  return text;
}
}  // namespace

// GitHub's heading anchors: lower case, punctuation dropped, spaces to '-'.
std::string slug(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (std::isalnum(c) || c == '_' || c == '-' || c >= 0x80)
      out += static_cast<char>(std::tolower(c));
    else if (c == ' ')
      out += '-';
  }
  return out;
}

// A line of ours without the citation its comment opens with: the citation
// goes to a gutter column of the side-by-side views, so that it never makes
// a row wrap.  The comment's words after it stay on the line (an asm comment
// line's move in to the instructions' column, from the comments' one).
Cited split_cite(const std::string& line, bool asm_) {
  Cited out{line, ""};
  bool str = false, chr = false;
  size_t at = std::string::npos;
  for (size_t i = 0; i < line.size() && at == std::string::npos; i++) {
    char c = line[i];
    if (c == '\\' && (str || chr)) {
      i++;
    } else if (c == '"' && !chr) {
      str = !str;
    } else if (c == '\'' && !str && !asm_) {
      chr = !chr;
    } else if (!str && !chr && (asm_ ? c == ';' : c == '/' && i + 1 < line.size() && line[i + 1] == '/')) {
      at = i;
    }
  }
  if (at == std::string::npos) return out;
  static const std::regex cite(R"(^(?://|;)\s*((?:[a-z]+/)*[A-Za-z0-9_]+\.(?:go|s):[0-9]+(?:-[0-9]+)?)(?:\s+(.*))?$)");
  std::smatch m;
  std::string comment = line.substr(at);
  if (!std::regex_match(comment, m, cite)) return out;
  std::string code = line.substr(0, at);
  while (!code.empty() && (code.back() == ' ' || code.back() == '\t')) code.pop_back();
  out.cite = m[1];
  std::string rest = m[2].matched ? std::string(asm_ ? "; " : "// ") + m[2].str() : "";
  if (!code.empty())
    out.line = rest.empty() ? code : code + "  " + rest;
  else  // a comment line: its words where the code of the line above begins
    out.line = rest.empty() ? "" : std::string(std::min<size_t>(at, asm_ ? 8 : at), ' ') + rest;
  return out;
}

std::vector<Ref> scan(const std::vector<File>& ours) {
  // `netpoll.go:448` or `netpoll.go:448-450`; after one of them, a bare
  // `:450` (as in "netpoll.go:605, :609") names a line of the same file.
  static const std::regex re(
      R"(((?:[a-z]+/)*[a-z0-9_]+\.(?:go|s)):([0-9]+)(?:-([0-9]+))?|([ ,(]):([0-9]+)(?:-([0-9]+))?)");
  std::vector<Ref> refs;
  for (const File& f : ours) {
    bool asm_ = ends_with(f.path, ".asm");
    for (int i = 0; i < static_cast<int>(f.lines.size()); i++) {
      const std::string& l = f.lines[i];
      std::string gofile;  // the file of the last full reference on this line
      for (auto it = std::sregex_iterator(l.begin(), l.end(), re); it != std::sregex_iterator();
           ++it) {
        const std::smatch& m = *it;
        Ref r;
        r.file = f.path;
        r.line = i + 1;
        r.text = statement(f, i, asm_);
        if (m[1].matched) {
          gofile = m[1];
          r.first = std::stoi(m[2]);
          r.last = m[3].matched ? std::stoi(m[3]) : r.first;
        } else {
          if (gofile.empty()) continue;  // a colon and a number, but no file before it
          r.first = std::stoi(m[5]);
          r.last = m[6].matched ? std::stoi(m[6]) : r.first;
        }
        r.gofile = gofile;
        r.later = f.later_at(i + 1);
        r.comment = is_comment_or_blank(l, asm_);
        if (const Func* fn = f.func_at(i + 1)) {
          r.func = fn->name;
          r.in_body = true;
          r.decl = fn->first == i + 1;
        } else if (r.comment) {
          // A comment belongs to what follows it: a function, a declaration
          // (past a later release's version of it, which 1.19.8 does not see).
          int j = i + 1;
          while (j < static_cast<int>(f.lines.size()) &&
                 (is_comment_or_blank(f.lines[j], asm_) || f.later_at(j + 1)))
            j++;
          if (j < static_cast<int>(f.lines.size())) {
            if (const Func* next = f.func_at(j + 1)) {
              r.func = next->first == j + 1 ? next->name : "";
              r.banner = !r.func.empty();
            } else if (!asm_) {
              r.func = cpp_func_name(code_of(f.lines[j]));
            }
          }
        } else if (!asm_) {
          r.func = cpp_func_name(code_of(l));  // a declaration carrying its reference
        }
        refs.push_back(r);
      }
    }
  }
  return refs;
}

std::set<std::string> names(const std::string& line, bool asm_) {
  static const std::set<std::string> skip = {
      "if",
      "else",
      "for",
      "while",
      "return",
      "break",
      "continue",
      "switch",
      "case",
      "default",
      "func",
      "var",
      "const",
      "auto",
      "static",
      "static_cast",
      "reinterpret_cast",
      "void",
      "bool",
      "true",
      "false",
      "nil",
      "nullptr",
      "int",
      "int8",
      "int16",
      "int32",
      "int64",
      "uint",
      "uint8",
      "uint16",
      "uint32",
      "uint64",
      "uintptr",
      "int32_t",
      "int64_t",
      "uint8_t",
      "uint32_t",
      "uint64_t",
      "uintptr_t",
      "size_t",
      "byte",
      "char",
      "struct",
      "delete",
      "this",
      "std",
      "atomic",
      "unsafe",
      "pointer",
      "any",
      "string",
      "type",
      "load",
      "store",  // C++ spells every atomic access; Go often reads plainly
      "sb",
      "fp",
      "pc"};  // Go asm's pseudo-registers
  static const std::map<std::string, std::string> reg = {
      {"rax", "ax"}, {"eax", "ax"}, {"al", "ax"},  {"rbx", "bx"}, {"ebx", "bx"}, {"rcx", "cx"},
      {"ecx", "cx"}, {"rdx", "dx"}, {"edx", "dx"}, {"rsi", "si"}, {"esi", "si"}, {"rdi", "di"},
      {"edi", "di"}, {"rsp", "sp"}, {"esp", "sp"}, {"rbp", "bp"}, {"ebp", "bp"}};
  // Go's assembler names conditional jumps by the flags, Intel by the test.
  static const std::map<std::string, std::string> jump = {
      {"jls", "jbe"}, {"jhi", "ja"}, {"jcs", "jb"},  {"jcc", "jae"}, {"jeq", "je"},
      {"jlt", "jl"},  {"jgt", "jg"}, {"jge", "jge"}, {"jle", "jle"}, {"jne", "jne"}};
  static const std::set<std::string> mnemonic = {"mov",  "lea",  "cmp", "add", "sub", "imul",
                                                 "not",  "inc",  "dec", "and", "xor", "or",
                                                 "test", "push", "pop", "neg"};
  std::string code;
  if (asm_) {
    code = line.substr(0, line.find(';'));
  } else {
    code = line.substr(0, line.find("//"));
  }
  std::set<std::string> out;
  static const std::regex word("[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9A-Fa-f]+|[0-9]+");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), word); it != std::sregex_iterator();
       ++it) {
    std::string w = it->str();
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!w.empty() && w.front() == '_') w.erase(0, 1);
    while (!w.empty() && w.back() == '_') w.pop_back();
    if (w.empty() || skip.count(w)) continue;
    if (auto r = reg.find(w); r != reg.end()) w = r->second;
    if (auto j = jump.find(w); j != jump.end()) w = j->second;
    static const std::regex rn("(r[0-9]+)[dwb]?");
    std::smatch m;
    if (std::regex_match(w, m, rn)) w = m[1];
    if (w.size() > 1 && (w.back() == 'q' || w.back() == 'l') &&
        mnemonic.count(w.substr(0, w.size() - 1)))
      w.pop_back();
    out.insert(w);
  }
  return out;
}

std::vector<std::string> go_names(const std::string& ours) {
  // Where our function rebuilds Go code under another name, or rebuilds
  // lines of more than one Go function.  Every entry is a deliberate
  // difference, explained where the function is defined.
  static const std::map<std::string, std::vector<std::string>> alias = {
      {"runtime_read", {"read"}},
      {"read", {"read"}},
      {"runtime_pipe2", {"pipe2"}},
      {"pipe2", {"pipe2"}},
      {"runtime_exit", {"exit"}},
      {"runtime_madvise", {"madvise"}},
      {"runtime_usleep", {"usleep"}},
      {"runtime_open", {"open"}},
      {"runtime_gettid", {"gettid"}},
      {"waitReasonString", {"waitReason.String"}},
      {"File.close", {"file.close"}},
      {"ServeBackoff", {"Server.Serve"}},
      {"runtime_raise", {"raise"}},
      {"runtime_getpid", {"getpid"}},
      {"runtime_tgkill", {"tgkill"}},
      {"runtime_sigreturn", {"sigreturn"}},
      {"runtime_sigaltstack", {"sigaltstack"}},
      {"gettid", {"gettid"}},
      {"raise", {"raise"}},
      {"getpid", {"getpid"}},
      {"tgkill", {"tgkill"}},
      {"sigreturn", {"sigreturn"}},
      {"sigaltstack", {"sigaltstack"}},
      {"open", {"open"}},
      {"ELF_ST_BIND", {"_ELF_ST_BIND"}},  // C++ reserves _ and a capital
      {"ELF_ST_TYPE", {"_ELF_ST_TYPE"}},
      {"usleep", {"usleep"}},
      {"madvise", {"madvise"}},
      {"__cyg_profile_func_enter", {"newstack"}},
      {"ErrorString", {"errNetClosing.Error", "DeadlineExceededError.Error"}},
      {"exit", {"exit"}},
      {"epollpwait", {"epollwait"}},
      {"lock", {"lock2"}},
      {"unlock", {"unlock2"}},
      {"notetsleep", {"notetsleep", "notetsleep_internal"}},
      {"netpollWaitms", {"netpoll"}},
      {"netpollMode", {"netpoll"}},
      {"gosave_gogo", {"mcall", "gogo", "gogo<>"}},
      {"gostart", {"gostartcall"}},
      {"execute", {"execute", "mcall"}},
      {"newproc1", {"newproc1", "gostartcall"}},
      {"addtimer", {"addtimer", "doaddtimer"}},
      {"checkTimers", {"checkTimers", "runtimer", "runOneTimer"}},
      {"acquirep", {"acquirep", "wirep"}},
      {"allocm", {"allocm", "checkmcount", "mcommoninit"}},
      {"newm", {"newm", "newosproc"}},
      {"mstart", {"mstart1", "mstart", "mstart0", "mexit"}},
      {"malg", {"malg", "allgadd"}},  // ours appends the new g to allgs too
      {"tracebackothers", {"tracebackothers", "forEachGRace"}},
      {"g0stack", {"mstart0"}},
      {"atoi32", {"atoi32", "atoi64"}},  // atoi64's parse, then atoi32's check  // mstart0's g0 stack bounds, asked for early for m0
      {"run", {"schedinit", "startTheWorldWithSema", "dropm"}},
      {"fastrand", {"fastrand"}},
      {"throw_", {"throw", "fatalthrow"}},
      {"ready", {"ready"}},
      {"epolldata_set", {"netpollopen", "netpollinit"}},
      {"epolldata_get", {"netpoll"}},
  };
  auto it = alias.find(ours);
  if (it != alias.end()) return it->second;
  return {ours};
}

GoRoot find_goroot() {
  GoRoot r;
  if (const char* env = std::getenv("GOROOT"); env && *env) {
    // The user's choice wins, as it does for the go command.
    r.path = env;
    r.from = "$GOROOT";
  } else {
    // `go env GOROOT`, from whichever go is Go 1.19: the one on PATH, or
    // Debian's golang-1.19-go beside a newer default.
    for (const char* cmd : {"go", "/usr/lib/go-1.19/bin/go"}) {
      std::string out;
      if (FILE* p = popen((std::string(cmd) + " env GOROOT 2>/dev/null").c_str(), "r")) {
        char buf[4096] = {};
        if (fgets(buf, sizeof buf, p)) out = trim(std::string(buf));
        pclose(p);
      }
      if (out.empty()) continue;
      if (r.path.empty() || goversion(out).rfind("go1.19", 0) == 0) {
        r.path = out;
        r.from = std::string("`") + cmd + " env GOROOT`";
      }
      if (goversion(out).rfind("go1.19", 0) == 0) break;
    }
  }
  if (!r.path.empty()) r.version = goversion(r.path);
  return r;
}

bool GoRoot::ok() const {
  struct stat st;
  return version == "go1.19.8" && stat((path + "/src/runtime/netpoll_epoll.go").c_str(), &st) == 0;
}

std::string GoRoot::problem() const {
  std::string what;
  if (path.empty())
    what = "no Go toolchain was found (neither go nor /usr/lib/go-1.19/bin/go runs)";
  else if (version.empty())
    what = "GOROOT " + path + " (from " + from + ") holds no Go: there is no " + path + "/VERSION";
  else if (version != "go1.19.8")
    what = "GOROOT " + path + " (from " + from + ") holds " + version + ", not Go 1.19.8";
  else
    what = "GOROOT " + path + " (from " + from + ") holds " + version +
           " but not its source: no src/runtime/netpoll_epoll.go";
  return what +
         ".\nEvery Go line this project cites is Go 1.19.8's. Install it with\n"
         "  sudo apt-get install golang-1.19-go\n"
         "and unset GOROOT, or set GOROOT=/usr/lib/go-1.19.";
}

std::string goroot119() {
  GoRoot r = find_goroot();
  return r.ok() ? r.path : "";
}

std::string goversion(const std::string& goroot) {
  std::ifstream in(goroot + "/VERSION");
  std::string v;
  std::getline(in, v);
  return trim(v);
}

namespace {

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& w : s) out += (out.empty() ? "" : " ") + w;
  return out;
}
std::set<std::string> common(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const std::string& w : a)
    if (b.count(w)) out.insert(w);
  return out;
}

// The words of a line's comment, without the citations in it.
std::set<std::string> comment_names(const std::string& line, bool asm_) {
  static const std::regex cite(
      R"((?:[a-z]+/)*[a-z0-9_]+\.(?:go|s):[0-9]+(?:-[0-9]+)?|[ ,(]:[0-9]+)");
  size_t c = line.find(asm_ ? ";" : "//");
  if (c == std::string::npos) return {};
  return names(std::regex_replace(line.substr(c + (asm_ ? 1 : 2)), cite, " "), false);
}

// The keywords too: `return` beside `return`, `for (;;)` beside `for {`.
std::set<std::string> words(const std::string& line, bool asm_) {
  std::string code = line.substr(0, line.find(asm_ ? ";" : "//"));
  std::set<std::string> out;
  static const std::regex word("[A-Za-z_]+");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), word); it != std::sregex_iterator();
       ++it) {
    std::string w = it->str();
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.insert(w);
  }
  return out;
}

// A statement of ours must cite the Go line it rebuilds.  It must share a
// name with it (with the first line of a range, too): its code, or failing
// that its comment, which may say how the two meet ("Go: SYS_epoll_pwait").
// And no Go line close by (three either side, same function) may share
// more of its names than the cited one does.  Returns why not, or "".
std::string names_mismatch(const Ref& r, const File& go, const Func& gf) {
  if (r.comment || !r.in_body) return "";
  bool asm_ = ends_with(r.file, ".asm");
  std::set<std::string> code = names(r.text, asm_), said = comment_names(r.text, asm_);
  std::set<std::string> ours = code;
  ours.insert(said.begin(), said.end());
  auto go_names = [&](int from, int to) {
    std::set<std::string> out;
    for (int l = from; l <= to; l++)
      for (const std::string& w : names(go.lines[l - 1], false)) out.insert(w);
    return out;
  };
  auto shares = [&](int from, int to) {
    if (!common(ours, go_names(from, to)).empty()) return true;
    // Lines of keywords and punctuation only: compare the keywords.
    std::set<std::string> kw;
    for (int l = from; l <= to; l++)
      for (const std::string& w : words(go.lines[l - 1], false)) kw.insert(w);
    return !common(words(r.text, asm_), kw).empty();
  };
  char why[512];
  if (!shares(r.first, r.last)) {
    snprintf(why, sizeof why, "shares no name with %s:%d (ours: %s; Go's: %s)", r.gofile.c_str(),
             r.first, join(ours).c_str(), join(go_names(r.first, r.last)).c_str());
    return why;
  }
  if (r.first != r.last) {
    if (!shares(r.first, r.first)) {
      snprintf(why, sizeof why, "the range starts on a line it does not rebuild: %s:%d is {%s}",
               r.gofile.c_str(), r.first, join(go_names(r.first, r.first)).c_str());
      return why;
    }
    return "";
  }
  // A one-line function carries its own declaration; Go's is a line above.
  if (r.decl) return "";
  std::set<std::string> shared = common(ours, go_names(r.first, r.first));
  for (int l = std::max(gf.first, r.first - 3); l <= std::min(gf.last, r.first + 3); l++) {
    if (l == r.first || !go.is_code(l)) continue;
    std::set<std::string> near = common(ours, go_names(l, l));
    if (near.size() > shared.size()) {
      snprintf(why, sizeof why, "%s:%d fits better: it shares {%s}, the cited line only {%s}",
               r.gofile.c_str(), l, join(near).c_str(), join(shared).c_str());
      return why;
    }
  }
  return "";
}

}  // namespace

std::vector<Problem> check(const std::vector<Ref>& refs, const std::string& goroot) {
  std::map<std::string, File> cache;
  std::vector<Problem> out;
  for (const Ref& r : refs) {
    auto it = cache.find(r.gofile);
    if (it == cache.end()) {
      File f;
      if (!load(gosource(goroot, r.gofile), &f)) f.path.clear();
      it = cache.emplace(r.gofile, std::move(f)).first;
    }
    const File& go = it->second;
    char why[256];
    if (r.later) {  // GOROOT holds 1.19.8: a later block names its release instead
      snprintf(why, sizeof why,
               "a Go 1.19.8 line cited inside a Go %d.%d block (cite it as `go%d.%d %s`)",
               r.later / 100, r.later % 100, r.later / 100, r.later % 100, r.gofile.c_str());
      out.push_back({r, why});
      continue;
    }
    if (go.path.empty()) {
      out.push_back({r, "no such file in GOROOT/src"});
      continue;
    }
    int n = static_cast<int>(go.lines.size());
    if (r.first < 1 || r.last > n || r.last < r.first) {
      snprintf(why, sizeof why, "the file has %d lines", n);
      out.push_back({r, why});
      continue;
    }
    if (!go.is_code(r.first) || !go.is_code(r.last)) {
      out.push_back({r, "cites a blank line or a comment"});
      continue;
    }
    const Func* gf = go.func_at(r.first);
    if (gf && r.last > gf->last) {
      out.push_back({r, "the range runs past the end of Go's " + gf->name});
      continue;
    }
    if (is_program(r.file)) continue;
    if (r.func.empty()) {
      if (gf) out.push_back({r, "cites Go's " + gf->name + " from outside any function of ours"});
      continue;
    }
    std::vector<std::string> want = go_names(r.func);
    if (!gf) {
      if (r.in_body) out.push_back({r, "cites a top-level Go line from inside " + r.func});
      continue;
    }
    if (std::none_of(want.begin(), want.end(),
                     [&](const std::string& w) { return same_func(gf->name, w); })) {
      out.push_back({r, "lies in Go's " + gf->name + ", not in " + want[0]});
      continue;
    }
    if (r.banner && r.first == r.last && r.first != gf->first) {
      snprintf(why, sizeof why,
               "a banner cites the function's first line (%s:%d), not a line inside %s",
               r.gofile.c_str(), gf->first, gf->name.c_str());
      out.push_back({r, why});
      continue;
    }
    if (std::string w = names_mismatch(r, go, *gf); !w.empty()) out.push_back({r, w});
  }
  return out;
}

Coverage coverage(const std::vector<Ref>& refs, const File& go) {
  Coverage c;
  std::string base = go.path.substr(go.path.rfind('/') + 1);
  c.gofile = base;
  std::set<int> cited;
  for (const Ref& r : refs)
    if (r.gofile == base)
      for (int l = r.first; l <= r.last; l++) cited.insert(l);
  for (const Func& fn : go.funcs) {
    auto& [code, hit] = c.funcs[fn.name];
    for (int l = fn.first + (fn.last > fn.first ? 1 : 0); l <= fn.last; l++) {
      std::string t = trim(go.lines[l - 1]);
      if (!go.is_code(l) || t == "}" || t == "{" || t == ")" || t == "} else {") continue;
      static const std::regex label(R"(^[A-Za-z_][A-Za-z0-9_]*:$)");  // Go asm's `ok:`
      if (std::regex_match(t, label)) continue;
      code.push_back(l);
      if (cited.count(l)) hit.push_back(l);
    }
  }
  // A Go file's declarations outside functions (constants, variables, type
  // fields), under the name "(top level)"; not in an assembly file, whose
  // top level is #defines.  The package clause, imports and the brackets
  // of a block are not statements.
  if (!ends_with(go.path, ".s")) {
    auto& [code, hit] = c.funcs["(top level)"];
    bool imports = false;
    for (int l = 1; l <= static_cast<int>(go.lines.size()); l++) {
      std::string t = trim(go.lines[l - 1]);
      if (t == "import (") imports = true;
      bool skip = imports || go.func_at(l) || !go.is_code(l) || t.rfind("package ", 0) == 0 ||
                  t.rfind("import ", 0) == 0 || t == ")" || t == "}" || t == "var (" ||
                  t == "const (" || t == "type (";
      if (t == ")") imports = false;
      if (skip) continue;
      code.push_back(l);
      if (cited.count(l)) hit.push_back(l);
    }
  }
  return c;
}

std::vector<std::string> our_sources(const std::string& root) {
  std::vector<std::string> out;
  for (const char* dir :
       {"asm", "include/internal/poll", "include/net", "include/os", "include/runtime",
        "include/sync", "src/cmd", "src/internal/poll", "src/net", "src/os", "src/runtime",
        "src/sync"}) {
    std::string d = root + "/" + dir;
    if (DIR* dp = opendir(d.c_str())) {
      while (dirent* e = readdir(dp)) {
        std::string n = e->d_name;
        if (ends_with(n, ".asm") || ends_with(n, ".cpp") || ends_with(n, ".h"))
          out.push_back(std::string(dir) + "/" + n);
      }
      closedir(dp);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<File> load_sources(const std::string& root) {
  std::vector<File> files;
  for (const std::string& rel : our_sources(root)) {
    File f;
    if (load(root + "/" + rel, &f)) {
      f.path = rel;
      files.push_back(std::move(f));
    }
  }
  return files;
}

}  // namespace goref

namespace goref {

namespace {

// The note that explains each Go file, as the notes map says.
const std::map<std::string, std::string>& notes_for() {
  static const std::map<std::string, std::string> note = {
      {"sys_linux_amd64.s", "sys_linux_amd64.md"},
      {"defs_linux_amd64.go", "sys_linux_amd64.md"},
      {"netpoll_epoll.go", "netpoll_epoll.md"},
      {"nbpipe_pipe2.go", "netpoll_epoll.md"},
      {"time_nofake.go", "netpoll_epoll.md"},
      {"netpoll.go", "netpoll.md"},
      {"proc.go", "proc.md"},
      {"asm_amd64.s", "proc.md"},
      {"runtime2.go", "proc.md"},
      {"stubs.go", "proc.md"},
      {"sys_x86.go", "proc.md"},
      {"time.go", "proc.md"},
      {"lock_futex.go", "proc.md"},
      {"os_linux.go", "proc.md"},
      {"runtime1.go", "traceback.md"},
      {"vdso_linux.go", "sys_linux_amd64.md"},
      {"vdso_linux_amd64.go", "sys_linux_amd64.md"},
      {"vdso_elf64.go", "sys_linux_amd64.md"},
      {"panic.go", "traceback.md"},
      {"print.go", "traceback.md"},
      {"write_err.go", "traceback.md"},
      {"traceback.go", "traceback.md"},
      {"symtab.go", "traceback.md"},
      {"mprof.go", "traceback.md"},
      {"signal_unix.go", "signal_unix.md"},
      {"signal_amd64.go", "signal_unix.md"},
      {"signal_linux_amd64.go", "signal_unix.md"},
      {"sigtab_linux_generic.go", "signal_unix.md"},
      {"sigqueue.go", "signal_unix.md"},
      {"os_linux_generic.go", "signal_unix.md"},
      {"sema.go", "net.md"},
      {"stack.go", "proc.md"},
      {"internal/poll/fd.go", "net.md"},
      {"internal/poll/fd_mutex.go", "net.md"},
      {"internal/poll/fd_poll_runtime.go", "net.md"},
      {"internal/poll/fd_posix.go", "net.md"},
      {"internal/poll/fd_unix.go", "net.md"},
      {"internal/poll/hook_cloexec.go", "net.md"},
      {"internal/poll/hook_unix.go", "net.md"},
      {"internal/poll/sock_cloexec.go", "net.md"},
      {"net/fd_posix.go", "net.md"},
      {"net/fd_unix.go", "net.md"},
      {"net/net.go", "net.md"},
      {"net/tcpsock.go", "net.md"},
      {"net/tcpsock_posix.go", "net.md"},
      {"os/file.go", "net.md"},
      {"os/file_posix.go", "net.md"},
      {"os/file_unix.go", "net.md"},
      {"os/pipe2_unix.go", "net.md"},
      {"net/http/server.go", "net.md"},
      {"net/sock_cloexec.go", "net.md"},
      {"sync/waitgroup.go", "net.md"}};
  return note;
}

// Lines of ours that watch the program rather than rebuild Go: the trace,
// sanitizer and valgrind hooks, and the #if blocks that hold them.  A
// statement that starts as one stays one until its parentheses close.
std::vector<bool> instrumentation(const File& f) {
  static const std::regex hook(
      R"(\b(netpolltrace|tracef|traceSem|trace(?:Netpoll|Idle|Flush)\w*|narrate\w+|__tsan_\w+|__sanitizer_\w+|__asan_\w+|__lsan_\w+|VALGRIND_\w+|sanitizer_(before|after)_switch)\b)");
  static const std::regex guard(R"(^\s*#\s*if.*(__SANITIZE_|NETPOLL_VALGRIND))");
  static const std::regex bare_if(R"(^\s*if\s*\(\s*netpolltrace\b.*\)\s*$)");
  std::vector<bool> out(f.lines.size() + 1, false);
  int pp_depth = 0;            // inside an #if block of hooks
  int parens = 0, braces = 0;  // a hook statement still open
  bool open = false;
  for (size_t i = 0; i < f.lines.size(); i++) {
    std::string t = trim(f.lines[i]);
    bool pp = !t.empty() && t[0] == '#';
    if (pp_depth > 0) {
      out[i + 1] = true;
      if (pp && t.rfind("#if", 0) == 0) pp_depth++;
      if (pp && t.rfind("#endif", 0) == 0) pp_depth--;
      continue;
    }
    if (pp && std::regex_search(f.lines[i], guard)) {
      out[i + 1] = true;
      pp_depth = 1;
      continue;
    }
    std::string c = code_of(f.lines[i]);
    // Every hook's name holds one of these; most lines hold none, and the
    // regex is slow.
    bool maybe = c.find("trace") != std::string::npos || c.find("narrate") != std::string::npos ||
                 c.find("__") != std::string::npos ||
                 c.find("VALGRIND_") != std::string::npos ||
                 c.find("sanitizer_") != std::string::npos;
    if (!open && !(maybe && std::regex_search(c, hook))) continue;
    out[i + 1] = true;
    for (char ch : c) {
      parens += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      braces += ch == '{' ? 1 : ch == '}' ? -1 : 0;
    }
    // Open until its parentheses and braces close, and past a bare
    // `if (netpolltrace ...)`, whose statement is on the next line.
    open = parens > 0 || braces > 0 || std::regex_search(c, bare_if);
    if (!open) parens = braces = 0;
  }
  return out;
}

int edit_distance(const std::string& a, const std::string& b) {
  std::vector<int> d(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) d[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); i++) {
    int prev = d[0];
    d[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); j++) {
      int cur = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1,
                       prev + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1)});
      prev = cur;
    }
  }
  return d[b.size()];
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<Page> pages(const std::vector<File>& ours, const std::vector<Ref>& refs,
                        const std::string& goroot) {
  std::map<std::pair<std::string, int>, Page> by;  // (go file, first line) -> page
  std::map<std::string, File> gofiles;
  for (const Ref& r : refs) {
    if (r.func.empty() || is_program(r.file)) continue;
    // Our function: the one named so that holds the line, else the one
    // below it (the line is in its banner).
    const Func* ofn = nullptr;
    for (const File& f : ours)
      if (f.path == r.file)
        for (const Func& fn : f.funcs) {
          if (fn.name != r.func) continue;
          if (r.line >= fn.first && r.line <= fn.last) ofn = &fn;
          if (!ofn && fn.first > r.line) ofn = &fn;
        }
    if (!ofn) continue;
    auto it = gofiles.find(r.gofile);
    if (it == gofiles.end()) {
      File g;
      load(gosource(goroot, r.gofile), &g);
      it = gofiles.emplace(r.gofile, std::move(g)).first;
    }
    const Func* gf = it->second.func_at(r.first);
    if (!gf) continue;
    Page& p = by[{r.gofile, gf->first}];
    p.gofile = r.gofile;
    p.go = *gf;
    bool have = false;
    for (auto& [file, fn] : p.ours) have = have || (file == r.file && fn.first == ofn->first);
    if (!have) p.ours.push_back({r.file, *ofn});
  }
  for (auto& [key, p] : by)
    std::sort(p.ours.begin(), p.ours.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second.first < b.second.first;
    });
  std::vector<Page> out;
  std::map<std::string, int> uses;
  for (auto& [key, p] : by) {
    uses[p.go.name]++;
    auto n = notes_for().find(p.gofile);
    if (n != notes_for().end()) p.note = n->second;
    // Two functions of one file of ours that each rebuild the whole of
    // Go's (asm's epollwait, 232, and epollpwait, 281, both twins of
    // TEXT runtime·epollwait): a page each, every stub beside its own
    // Go lines, never two interleaved.  Helpers go with each.
    auto primary = [&](const std::pair<std::string, Func>& o) {
      for (const Ref& r : refs)
        if (r.file == o.first && r.func == o.second.name && r.first == p.go.first &&
            r.gofile == p.gofile)
          return true;
      return false;
    };
    std::map<std::string, int> per_file;
    for (const auto& o : p.ours) per_file[o.first] += primary(o);
    bool split = false;
    for (auto& [file, k] : per_file) split = split || k > 1;
    if (!split) {
      out.push_back(p);
      continue;
    }
    for (const auto& o : p.ours) {
      if (!primary(o)) continue;
      Page one = p;
      one.ours.clear();
      for (const auto& h : p.ours)
        if (&h == &o || !primary(h)) one.ours.push_back(h);
      if (o.second.name != p.go.name.substr(p.go.name.rfind('.') + 1)) one.variant = o.second.name;
      out.push_back(one);
    }
  }
  for (Page& p : out) {
    p.id = p.go.name;
    if (!p.variant.empty()) {
      p.id += "." + p.variant;
      continue;
    }
    // A file-local asm function (gogo<>): a name that is also a file name.
    if (p.id.size() > 2 && p.id.compare(p.id.size() - 2, 2, "<>") == 0)
      p.id = p.id.substr(0, p.id.size() - 2) + ".local";
    if (uses[p.go.name] > 1) {
      std::string stem = p.gofile.substr(p.gofile.rfind('/') + 1);
      p.id = stem.substr(0, stem.rfind('.')) + "." + p.go.name;
    }
  }
  return out;
}

std::vector<const Page*> find(const std::vector<Page>& ps, const std::string& name) {
  std::vector<const Page*> out;
  auto add = [&](const Page& p) {
    if (std::find(out.begin(), out.end(), &p) == out.end()) out.push_back(&p);
  };
  for (const Page& p : ps)
    if (p.id == name || same_func(p.go.name, name)) add(p);
  if (out.empty())
    for (const Page& p : ps)
      for (auto& [file, fn] : p.ours)
        if (same_func(fn.name, name)) add(p);
  // A body before a body-less declaration (stubs.go's `func mcall(fn
  // func(*g))` before asm_amd64.s's TEXT runtime·mcall): only when both exist.
  bool body =
      std::any_of(out.begin(), out.end(), [](const Page* p) { return p->go.last > p->go.first; });
  if (body)
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Page* p) { return p->go.last == p->go.first; }),
              out.end());
  return out;
}

std::vector<std::string> nearest(const std::vector<Page>& ps, const std::string& name, size_t n) {
  std::vector<std::pair<int, std::string>> scored;
  std::string want = lower(name);
  for (const Page& p : ps) {
    std::string short_name = p.go.name.substr(p.go.name.rfind('.') + 1);
    int d = std::min(edit_distance(want, lower(p.go.name)), edit_distance(want, lower(short_name)));
    if (!want.empty() && lower(p.go.name).find(want) != std::string::npos) d = std::min(d, 1);
    scored.push_back({d, p.id});
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, id] : scored) {
    if (out.size() == n || d > std::max<int>(3, static_cast<int>(want.size()) / 2)) break;
    out.push_back(id);
  }
  return out;
}

bool view(const Page& page, const std::vector<File>& ours, const std::vector<Ref>& refs,
          const std::string& goroot, View* out, std::string* why) {
  *out = View{};
  out->page = page;
  out->go_func = page.go.name;
  if (!load(gosource(goroot, page.gofile), &out->go)) {
    *why = "cannot read " + gosource(goroot, page.gofile);
    return false;
  }
  for (auto& [path, fn] : page.ours)
    for (const File& f : ours)
      if (f.path == path) out->ours.push_back({&f, fn});
  if (out->ours.empty()) {
    *why = "no function of ours rebuilds " + page.go.name;
    return false;
  }
  const Func* gf = &page.go;
  // Anchor each line of ours on the first Go line it cites in Go's
  // function; every other line of our function (comments and blank lines
  // too) comes right after the row of the nearest anchored line above it.
  std::map<int, std::vector<std::pair<std::string, int>>> at;  // go line -> our lines
  std::set<std::pair<std::string, int>> twins;                 // our lines that cite
  std::set<int> covered;
  std::map<std::string, std::vector<bool>> instr;
  for (auto& [file, fn] : out->ours) {
    if (!instr.count(file->path)) instr[file->path] = instrumentation(*file);
    // Our function rebuilds this Go function itself (its banner or a line
    // cites Go's first line) or lends it a few lines (a helper).
    bool primary = false;
    for (const Ref& r : refs)
      primary = primary || (r.file == file->path && r.func == fn.name && r.first == gf->first &&
                            r.gofile == page.gofile);
    int last_anchor = 0;
    std::vector<std::pair<std::string, int>> before;  // lines before the first anchor
    // 1.19.8's head, then a later release's version of it, then the rest:
    // a later change comes after the 1.19 line it changes, never first.
    std::vector<int> lines{fn.first};
    for (int l = fn.later_first; l && l <= fn.later_last; l++) lines.push_back(l);
    for (int l = fn.first + 1; l <= fn.last; l++) lines.push_back(l);
    for (int l : lines) {
      int anchor = 0;
      for (const Ref& r : refs)
        if (r.file == file->path && r.line == l && r.gofile == page.gofile &&
            r.first >= gf->first && r.first <= gf->last) {
          if (!anchor) anchor = r.first;
          for (int k = r.first; k <= r.last; k++) covered.insert(k);
        }
      if (anchor) {
        auto& dst = at[anchor];
        dst.insert(dst.end(), before.begin(), before.end());  // a helper's head, just above
        before.clear();
        dst.push_back({file->path, l});
        twins.insert({file->path, l});
        last_anchor = anchor;
      } else if (primary && l == fn.last && fn.last > fn.first) {
        at[gf->last].push_back({file->path, l});  // closing brace beside Go's
      } else if (last_anchor) {
        at[last_anchor].push_back({file->path, l});
      } else if (primary) {
        at[gf->first].push_back({file->path, l});
      } else {
        before.push_back({file->path, l});
      }
    }
    auto& dst = at[last_anchor ? last_anchor : gf->first];
    dst.insert(dst.end(), before.begin(), before.end());
  }
  for (int gl = gf->first; gl <= gf->last; gl++) {
    auto it = at.find(gl);
    if (it == at.end() || it->second.empty()) {
      out->rows.push_back(Row{gl, 0, "", covered.count(gl) > 0, false});
      continue;
    }
    // The Go line goes beside the first of them 1.19.8 builds: a later
    // release's version above it is shown, but is not its twin.
    auto later_of = [&](const std::string& file, int l) {
      for (auto& [f, fn] : out->ours)
        if (f->path == file) return f->later_at(l);
      return 0;
    };
    // Within a Go line's rows, 1.19.8's lines first, a later release's after.
    std::stable_partition(it->second.begin(), it->second.end(),
                          [&](const auto& fl) { return !later_of(fl.first, fl.second); });
    size_t beside = 0;
    while (beside + 1 < it->second.size() &&
           later_of(it->second[beside].first, it->second[beside].second))
      beside++;
    for (size_t k = 0; k < it->second.size(); k++) {
      auto& [file, l] = it->second[k];
      out->rows.push_back(Row{k == beside ? gl : 0, l, file, true, instr[file][l],
                              twins.count({file, l}) > 0, later_of(file, l)});
    }
  }
  return true;
}

}  // namespace goref

namespace goref {

std::string notes_map(const std::vector<File>& ours, const std::vector<Ref>& refs,
                      const std::string& goroot) {
  std::string out = "| Go 1.19.8 | Go function | ours | note |\n|---|---|---|---|\n";
  for (const Page& p : pages(ours, refs, goroot)) {
    std::set<std::string> ourset;
    for (auto& [file, fn] : p.ours) ourset.insert("`" + file + "` `" + fn.name + "`");
    std::string oursj;
    for (const std::string& o : ourset) oursj += (oursj.empty() ? "" : "<br>") + o;
    out += "| `" + p.gofile + ":" + std::to_string(p.go.first) + "` | `" + p.go.name + "` | " +
           oursj + " | " + (p.note.empty() ? "" : "[" + p.note + "](" + p.note + ")") + " |\n";
  }
  return out;
}

}  // namespace goref
