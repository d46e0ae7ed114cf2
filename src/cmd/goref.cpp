// goref - read this project beside Go's source.
//
//   goref check            every Go reference, checked against GOROOT
//   goref coverage [F.go]  which Go statements have a twin, per function
//   goref sxs [--width N] [--wrap] FN  Go's FN beside ours, in the terminal
//   goref html DIR         the same for every rebuilt function, as a static site
//   goref map              the Markdown map of notes/README.md
//
// Run from the project root (make sxs / make html do).  Go's text is read
// from GOROOT at run time; nothing of it is stored here.
#include "tools/goref.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string expand_tabs(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\t') do
        out += ' ';
      while (out.size() % 4);
    else
      out += c;
  }
  return out;
}

// Cuts s (tabs expanded) into pieces of at most w characters, preferring a
// break after a space in the second half of a piece: `make sxs` wraps a
// long line onto the rows below it rather than cutting it off.
std::vector<std::string> wrap(const std::string& s, size_t w) {
  std::string e = expand_tabs(s);
  std::vector<std::string> out;
  while (e.size() > w) {
    size_t cut = e.rfind(' ', w);
    if (cut == std::string::npos || cut < w / 2) cut = w;
    out.push_back(e.substr(0, cut));
    e = std::string(4, ' ') + e.substr(e[cut] == ' ' ? cut + 1 : cut);  // indent continuations
  }
  out.push_back(e);
  return out;
}

// Columns on the screen: UTF-8 continuation bytes take none (Go's asm
// names are runtime·epollwait).
size_t width_of(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// s (tabs expanded) in at most w columns, as `diff -y` and `less -S` show a
// long line: what does not fit is cut, and '…' says so.  Every row of a
// page stays one row, whatever the width; `--wrap` shows the whole text.
std::string cut(const std::string& s, size_t w, int* cuts) {
  std::string e = expand_tabs(s);
  if (width_of(e) <= w) return e;
  (*cuts)++;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < e.size(); i++) {
    unsigned char c = static_cast<unsigned char>(e[i]);
    if ((c & 0xC0) != 0x80 && ++n == w) break;
    out += e[i];
  }
  return out + "\u2026";
}

// The terminal's width: --width, else $COLUMNS, else the terminal that
// stdout is, else the controlling terminal (stdout may be a pipe into a
// pager), else 120.
int terminal_width(int asked) {
  if (asked > 0) return asked;
  if (const char* c = std::getenv("COLUMNS"); c && std::atoi(c) > 0) return std::atoi(c);
  winsize ws{};
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  int tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);
  if (tty >= 0) {
    bool ok = ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0;
    close(tty);
    if (ok) return ws.ws_col;
  }
  return 120;
}

const char* kMarks =
    "marks: '=' twin on this row  '~' inside a range ours cites  '.' Go code with no twin  "
    "'+' ours only  '-' ours, watching the program (trace, sanitizer and valgrind hooks)  "
    "'>' a later Go's change, built by make NETPOLL_GO=1.21 (1.22, 1.23) as its #if says";

char mark_of(const goref::View& v, const goref::Row& r) {
  if (r.later) return '>';
  if (r.instr) return '-';
  if (r.twin) return '=';
  if (r.go_line == 0) return '+';
  if (r.our_line) return '=';
  if (r.covered) return '~';
  return v.go.is_code(r.go_line) ? '.' : ' ';
}

// Says what a name that no page has might have meant, and fails.
int unknown(const std::vector<goref::Page>& ps, const std::string& name, const char* who) {
  std::fprintf(stderr, "%s: no rebuilt function is called \"%s\".", who, name.c_str());
  auto near = goref::nearest(ps, name, 6);
  if (!near.empty()) {
    std::fprintf(stderr, "  Nearest:");
    for (const std::string& n : near) std::fprintf(stderr, " %s", n.c_str());
  }
  std::fprintf(stderr, "\n(make html lists them all, by Go file.)\n");
  return 2;
}

// `make sxs` asks this first: nothing, and success, if a page has the name;
// else the message, on one line, for make to stop with.
int sxs_check(const std::string& name, const std::string& root) {
  auto ours = goref::load_sources(".");
  auto refs = goref::scan(ours);
  auto ps = goref::pages(ours, refs, root);
  if (!goref::find(ps, name).empty()) return 0;
  std::printf("no rebuilt function is called \"%s\".", name.c_str());
  auto near = goref::nearest(ps, name, 6);
  if (!near.empty()) {
    std::printf("  Nearest:");
    for (const std::string& n : near) std::printf(" %s", n.c_str());
  }
  std::printf("  make html lists them all\n");
  return 2;
}

bool is_asm(const std::string& path) { return path.size() > 4 && path.substr(path.size() - 4) == ".asm"; }

// A line of ours as the views show it: the citation its trailing comment
// opens with moved to the gutter, where the page's own Go file goes without
// its name ("699", "429-431"); a citation of another file keeps it.
goref::Cited shown(const goref::View& v, const goref::Row& r) {
  for (auto& [f, fn] : v.ours)
    if (f->path == r.our_file) {
      goref::Cited c = goref::split_cite(f->lines[r.our_line - 1], is_asm(f->path));
      std::string base = v.page.gofile.substr(v.page.gofile.rfind('/') + 1);
      for (const std::string& own : {v.page.gofile + ":", base + ":"})
        if (c.cite.rfind(own, 0) == 0) {
          c.cite = c.cite.substr(own.size());
          break;
        }
      return c;
    }
  return {};
}

std::string ourfiles(const goref::View& v) {
  std::string out;
  for (auto& [f, fn] : v.ours) out += " " + f->path + ":" + fn.name;
  return out;
}

int sxs(const std::string& name, const std::string& root, int width, bool wrap_all) {
  auto ours = goref::load_sources(".");
  auto refs = goref::scan(ours);
  auto ps = goref::pages(ours, refs, root);
  auto found = goref::find(ps, name);
  if (found.empty()) return unknown(ps, name, "goref sxs");
  int cols = terminal_width(width);
  if (cols < 60) cols = 60;
  bool tty = isatty(1);
  for (const goref::Page* p : found) {
    goref::View v;
    std::string why;
    if (!goref::view(*p, ours, refs, root, &v, &why)) {
      std::fprintf(stderr, "goref sxs: %s\n", why.c_str());
      return 1;
    }
    // number(5) sp text mark(3) number(5) sp text [sp gutter]: the gutter
    // as wide as the page's widest citation, and never wrapped.
    size_t gw = 0;
    for (const goref::Row& r : v.rows)
      if (r.our_line) gw = std::max(gw, shown(v, r).cite.size());
    size_t half = static_cast<size_t>(cols - 5 - 1 - 3 - 5 - 1 - static_cast<int>(gw ? gw + 1 : 0)) / 2;
    char head[512];
    std::snprintf(head, sizeof head, "%s (Go %s, %s:%d-%d)  |  ours:", v.go_func.c_str(),
                  goref::goversion(root).c_str(), p->gofile.c_str(), p->go.first, p->go.last);
    for (const std::string& l : wrap(head + ourfiles(v), static_cast<size_t>(cols)))
      std::printf("%s\n", l.c_str());
    for (const std::string& l : wrap(kMarks, static_cast<size_t>(cols - 2)))
      std::printf("  %s\n", l.c_str());
    std::printf("\n");
    int cuts = 0;
    for (const goref::Row& r : v.rows) {
      std::vector<std::string> left{""}, right{""};
      goref::Cited c = r.our_line ? shown(v, r) : goref::Cited{};
      if (r.go_line)
        left = wrap_all ? wrap(v.go.lines[r.go_line - 1], half)
                        : std::vector<std::string>{cut(v.go.lines[r.go_line - 1], half, &cuts)};
      if (r.our_line)
        right = wrap_all ? wrap(c.line, half) : std::vector<std::string>{cut(c.line, half, &cuts)};
      size_t n = std::max(left.size(), right.size());
      for (size_t i = 0; i < n; i++) {
        std::string gl = i == 0 && r.go_line ? std::to_string(r.go_line) : "";
        std::string ol = i == 0 && r.our_line ? std::to_string(r.our_line) : "";
        std::string lt = i < left.size() ? left[i] : "", rt = i < right.size() ? right[i] : "";
        lt += std::string(half - width_of(lt), ' ');
        std::string gut =
            i == 0 && !c.cite.empty() ? std::string(half - width_of(rt) + 1, ' ') + c.cite : "";
        char m = i == 0 ? mark_of(v, r) : ' ';
        if (r.instr && tty)  // dim, on a terminal
          std::printf("%5s %s \033[2m%c %5s %s%s\033[0m\n", gl.c_str(), lt.c_str(), m, ol.c_str(),
                      rt.c_str(), gut.c_str());
        else
          std::printf("%5s %s %c %5s %s%s\n", gl.c_str(), lt.c_str(), m, ol.c_str(), rt.c_str(),
                      gut.c_str());
      }
    }
    std::printf("\n");
    if (cuts) {
      std::string note = std::to_string(cuts) + " lines cut at " + std::to_string(cols) +
                         " columns (\u2026): make sxs WRAP=1 (goref sxs --wrap), or a wider "
                         "terminal, shows them whole";
      for (const std::string& l : wrap(note, static_cast<size_t>(cols))) std::printf("%s\n", l.c_str());
      std::printf("\n");
    }
  }
  return 0;
}

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

// Pygments, once for every file a site shows: file -> its lines as HTML.
// src/tools/highlight.py runs under Debian's python3 (python3-pygments)
// when it can, else the python3 on PATH.
bool highlight_all(const std::vector<std::pair<std::string, std::string>>& files,  // (lexer, path)
                   std::map<std::string, std::vector<std::string>>* out, std::string* css) {
  std::string py = "python3";
  if (std::system("/usr/bin/python3 -c 'import pygments' >/dev/null 2>&1") == 0)
    py = "/usr/bin/python3";
  else if (std::system("python3 -c 'import pygments' >/dev/null 2>&1") != 0)
    return false;
  auto run = [&](const std::string& args, std::string* text) {
    FILE* p = popen((py + " src/tools/highlight.py " + args).c_str(), "r");
    if (!p) return false;
    char buf[65536];
    while (size_t n = fread(buf, 1, sizeof buf, p)) text->append(buf, n);
    return pclose(p) == 0;
  };
  if (!run("--css .hl", css)) return false;
  // Paths are ours or GOROOT's, with no quote in them; quoted for the shell.
  std::string args;
  for (auto& [lexer, path] : files) args += " '" + lexer + "=" + path + "'";
  std::string text;
  if (!run(args, &text)) return false;
  size_t at = 0;
  for (auto& [lexer, path] : files) {
    size_t end = text.find(std::string("\0\n", 2), at);
    if (end == std::string::npos) return false;
    std::vector<std::string> lines;
    std::istringstream in(text.substr(at, end - at));
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    (*out)[path] = std::move(lines);
    at = end + 2;
  }
  return true;
}

std::string lexer_for(const std::string& path) {
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".go") == 0) return "go";
  if (path.size() > 2 && path.compare(path.size() - 2, 2, ".s") == 0) return "gas";
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".asm") == 0) return "nasm";
  return "cpp";
}


// The section of a note that explains a page's function: a heading that
// names it, else one whose Go line range holds it, else the heading above
// the first place the note names it in backticks.  "" if none does.
std::string section_in(const std::string& note, const goref::Page& p, bool by_range) {
  static std::map<std::string, std::vector<std::string>> read;  // each note, read once
  if (!read.count(note)) {
    std::ifstream in("notes/" + note);
    std::vector<std::string>& ls = read[note];
    for (std::string l; std::getline(in, l);) ls.push_back(l);
  }
  const std::vector<std::string>& lines = read[note];
  std::string name = p.go.name.substr(p.go.name.rfind('.') + 1);
  auto names = [&](const std::string& t) {  // name as a word of t
    auto inword = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t at = t.find(name); at != std::string::npos; at = t.find(name, at + 1))
      if ((at == 0 || !inword(t[at - 1])) &&
          (at + name.size() == t.size() || !inword(t[at + name.size()])))
        return true;
    return false;
  };
  auto heading = [](const std::string& l) {
    return l.rfind("## ", 0) == 0 || l.rfind("### ", 0) == 0;
  };
  auto text_of = [](const std::string& l) { return l.substr(l.find(' ') + 1); };
  for (const std::string& l : lines)
    if (heading(l) && names(text_of(l))) return goref::slug(text_of(l));
  std::string base = p.gofile.substr(p.gofile.rfind('/') + 1);
  if (by_range)
    for (const std::string& l : lines) {
      if (!heading(l) || l.find(base + ":") == std::string::npos) continue;
      std::regex range(base + R"(:([0-9]+)(?:-([0-9]+))?)");
      for (std::sregex_iterator it(l.begin(), l.end(), range), end; it != end; ++it) {
        int a = std::stoi((*it)[1]), b = (*it)[2].matched ? std::stoi((*it)[2]) : a;
        if (p.go.first >= a && p.go.first <= b) return goref::slug(text_of(l));
      }
    }
  std::string current;
  for (const std::string& l : lines) {
    if (heading(l)) current = text_of(l);
    if (!heading(l) && l.find("`" + name + "`") != std::string::npos && !current.empty())
      return goref::slug(current);
  }
  return "";
}

// Where a page's function is explained: its file's note, at the section
// that names it; else any note with such a section; else the top of its
// file's note.  (note, anchor); note "" when there is none.
std::pair<std::string, std::string> note_link(const goref::Page& p) {
  if (!p.note.empty())
    if (std::string s = section_in(p.note, p, true); !s.empty()) return {p.note, s};
  std::vector<std::string> all;
  if (DIR* d = opendir("notes")) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 3 && n.compare(n.size() - 3, 3, ".md") == 0 && n != "README.md")
        all.push_back(n);
    }
    closedir(d);
  }
  std::sort(all.begin(), all.end());
  for (const std::string& n : all)
    if (n != p.note)
      if (std::string s = section_in(n, p, false); !s.empty()) return {n, s};
  return {p.note, ""};
}

// Functions with a page that this page's code calls: `name(` in Go's body
// or ours, outside comments, where exactly one page (or one in the same Go
// file) has that name.
std::vector<const goref::Page*> callees(const goref::View& v, const std::vector<goref::Page>& ps) {
  std::set<std::string> called;
  static const std::regex call(R"(([A-Za-z_][A-Za-z0-9_]*)\s*\()");
  auto scan = [&](const std::string& line) {
    std::string code = line.substr(0, line.find("//"));
    for (std::sregex_iterator it(code.begin(), code.end(), call), end; it != end; ++it)
      called.insert((*it)[1]);
  };
  for (int l = v.page.go.first + 1; l <= v.page.go.last; l++) scan(v.go.lines[l - 1]);
  for (auto& [f, fn] : v.ours)
    for (int l = fn.first + 1; l <= fn.last; l++) scan(f->lines[l - 1]);
  std::vector<const goref::Page*> out;
  for (const std::string& n : called) {
    std::vector<const goref::Page*> hit;
    for (const goref::Page& p : ps) {
      std::string short_name = p.go.name.substr(p.go.name.rfind('.') + 1);
      if (short_name == n && &p.go != &v.page.go && p.id != v.page.id) hit.push_back(&p);
    }
    if (hit.size() > 1) {
      std::vector<const goref::Page*> same;
      for (auto* p : hit)
        if (p->gofile == v.page.gofile) same.push_back(p);
      hit = same;
    }
    if (hit.size() == 1) out.push_back(hit[0]);
  }
  return out;
}

// The Go source browser's address for the page's lines.
std::string go_url(const goref::Page& p, const std::string& root, const std::string& version) {
  std::string path = goref::gosource(root, p.gofile).substr(root.size() + 1);  // src/...
  return "https://cs.opensource.google/go/go/+/refs/tags/" + version + ":" + path +
         ";l=" + std::to_string(p.go.first) + "-" + std::to_string(p.go.last);
}

const char* kCss =
    "body{font:15px/1.45 sans-serif;margin:1em 1.5em;color:#222;max-width:100%}"
    "h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.3em;margin:1.4em 0 .3em;border-bottom:1px "
    "solid #ddd}h3{font-size:1.05em;margin:1em 0 .2em}"
    "nav{display:flex;gap:1.5em;flex-wrap:wrap;margin-bottom:.5em}"
    ".meta{margin:.2em 0;overflow-wrap:anywhere}"
    ".legend{font-size:13px;margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}"
    ".legend span{white-space:nowrap}.key{display:inline-block;width:1.6em;text-align:center;"
    "font-family:monospace;border:1px solid #ccc;margin-right:.3em}"
    "table.sxs{border-collapse:collapse;width:100%;table-layout:fixed}"
    "table.sxs td{font:12.5px/1.4 monospace;white-space:pre;overflow:hidden;"
    "text-overflow:ellipsis;vertical-align:top;padding:0 .4em}"
    "table.sxs tr:hover td,#wrap:checked~table.sxs td{white-space:pre-wrap;overflow-wrap:anywhere}"
    "table.sxs td.cite{color:#777;font-size:11.5px}"
    "table.sxs td.n{text-align:right;color:#888;white-space:nowrap}"
    "table.sxs td.m{text-align:center;color:#666}"
    "tr.twin td.go,tr.twin td.our,.key.twin{background:#eefbe9}"
    "tr.range td.go,.key.range{background:#fbf8e3}"
    "tr.none td.go,.key.none{background:#f3f3f3}"
    "tr.ours td.our,.key.ours{background:#eaf2fd}"
    "tr.instr td{opacity:.45}tr.instr td.our{font-size:11px}"
    "#hide-instr:checked~table tr.instr{display:none}"
    "tr.later td.our,.key.later{background:#f3eafa}#hide-later:checked~table tr.later{display:none}"
    ".rel{float:right;font:11px sans-serif;background:#7a4fa3;color:#fff;border-radius:3px;"
    "padding:0 .4em;margin-left:.5em}"
    "a{color:#1a55a0;text-decoration:none}a:hover{text-decoration:underline}"
    "td a{color:inherit}th{text-align:left;font-weight:normal;color:#555;padding:.3em .4em;"
    "overflow-wrap:anywhere}"
    ":target td{outline:2px solid #f90}"
    "ul.fns{columns:2 28em;padding-left:1.2em}ul.fns li{break-inside:avoid}"
    ".hl .err{border:none!important;color:inherit!important;background:none!important}";

// The layers of the index, from the program down to the kernel: the order
// a Read takes them (notes/start_here.md).
struct Layer {
  const char* id;
  const char* title;
  const char* what;
};
const Layer kLayers[] = {
    {"net", "net and os", "The program's side: Listen, Accept, Read, Write, Close, deadlines."},
    {"poll", "internal/poll", "FD: the descriptor's lock, EAGAIN, and waiting on its pollDesc."},
    {"netpoll", "runtime netpoll",
     "The pollDesc, its two semaphores, and epoll: parking, readying, deadlines."},
    {"sched", "the scheduler", "Gs, Ms and Ps: gopark, schedule, findRunnable, the locks under them."},
    {"timers", "timers", "The P's timer heap that runs deadlines, and the clock."},
    {"stubs", "stubs: the system calls", "The assembly the runtime reaches the kernel through."},
    {"signals", "signals and tracebacks", "What the process says when the OS or a throw stops it."},
};

int layer_of(const std::string& gofile) {
  auto in = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (gofile == n || (gofile.rfind(n, 0) == 0 && std::string(n).back() == '/')) return true;
    return false;
  };
  if (in({"net/", "os/"})) return 0;
  if (in({"internal/poll/"})) return 1;
  if (in({"netpoll.go", "netpoll_epoll.go", "nbpipe_pipe2.go"})) return 2;
  if (in({"time.go", "time_nofake.go"})) return 4;
  if (in({"sys_linux_amd64.s", "vdso_linux.go", "os_linux.go", "os_linux_generic.go"})) return 5;
  if (in({"signal_unix.go", "signal_amd64.go", "signal_linux_amd64.go", "sigqueue.go",
          "traceback.go", "symtab.go", "panic.go", "print.go", "write_err.go", "mprof.go"}))
    return 6;
  return 3;  // proc.go and what the scheduler stands on
}

// Where notes_html.py puts the language switch and the start-here walk.
const char* kLangMarker = "<!-- lang -->";
const char* kStartMarker = "<!-- start-here -->";

std::string legend() {
  return "<div class=legend><span><span class='key twin'>=</span>a line of ours beside the Go "
         "line it rebuilds</span><span><span class='key range'>~</span>Go inside a range ours "
         "cites</span><span><span class='key none'>.</span>Go with no twin</span><span><span "
         "class='key ours'>+</span>ours only</span><span><span class=key "
         "style='opacity:.45'>-</span>dimmed: ours, watching the program (trace, sanitizer, "
         "valgrind)</span><span><span class='key later'>&gt;</span>a later Go's change, "
         "built by <code>make NETPOLL_GO=1.21</code> (1.22, 1.23)</span></div>";
}

// A highlighted line of ours without the citation that shown() moved to the
// gutter: Pygments put the trailing comment in one span (c1), after the
// spaces before it; the comment's other words stay, in that span.
std::string uncite(const std::string& html, const goref::Cited& c) {
  if (c.cite.empty()) return html;
  static const std::regex tail(
      R"re((?:<span class="w">\s*</span>|\s*)<span class="(c[a-z0-9]*)">(//|;)\s*)re"
      R"re(((?:[a-z]+/)*[A-Za-z0-9_]+\.(?:go|s):[0-9]+(?:-[0-9]+)?)(?:\s+(.*?))?</span>\s*$)re");
  std::smatch m;
  if (!std::regex_search(html, m, tail)) return html;
  std::string out = html.substr(0, m.position(0));
  // On a comment line, the words keep the indent shown() gave them.
  std::string gap = out.empty() ? c.line.substr(0, c.line.find_first_not_of(' ')) : "  ";
  if (m[4].matched && m[4].length())
    out += "<span class=\"w\">" + gap + "</span><span class=\"" + m[1].str() + "\">" +
           m[2].str() + " " + m[4].str() + "</span>";
  return out;
}

// On the #if or #elif that opens a later release's block: which release.
std::string release_badge(const goref::View& v, const goref::Row& r) {
  if (!r.later) return "";
  for (auto& [f, fn] : v.ours) {
    if (f->path != r.our_file) continue;
    static const std::regex open(R"(^\s*#\s*(if|elif)\s+NETPOLL_GO\s*>=\s*1([0-9]+))");
    std::smatch m;
    if (std::regex_search(f->lines[r.our_line - 1], m, open))
      return "<span class=rel>Go 1." + m[2].str() + "</span>";
  }
  return "";
}

int html(const std::string& dir, const std::string& root) {
  mkdir(dir.c_str(), 0755);
  auto ours = goref::load_sources(".");
  auto refs = goref::scan(ours);
  auto ps = goref::pages(ours, refs, root);
  std::string version = goref::goversion(root);
  std::vector<goref::View> views;
  for (const goref::Page& p : ps) {
    goref::View v;
    std::string why;
    if (!goref::view(p, ours, refs, root, &v, &why)) {
      std::fprintf(stderr, "goref html: %s: %s\n", p.id.c_str(), why.c_str());
      return 1;
    }
    views.push_back(std::move(v));
  }
  // Highlight every file the pages show, in one run of Pygments.
  std::vector<std::pair<std::string, std::string>> files;
  std::set<std::string> seen;
  for (const goref::View& v : views) {
    if (seen.insert(v.go.path).second) files.push_back({lexer_for(v.go.path), v.go.path});
    for (auto& [f, fn] : v.ours)
      if (seen.insert(f->path).second) files.push_back({lexer_for(f->path), f->path});
  }
  std::map<std::string, std::vector<std::string>> hl;
  std::string css;
  if (!highlight_all(files, &hl, &css)) {
    std::fprintf(stderr,
                 "goref html: needs Pygments for the highlighting: "
                 "sudo apt-get install python3-pygments\n");
    return 1;
  }
  // The notes, as pages of the same site (src/tools/notes_html.py renders
  // them, make html runs it after this): a note NAME.md is notes/NAME.html.
  auto note_page = [](const std::string& note) {
    return "notes/" + note.substr(0, note.size() - 3) + ".html";
  };
  std::string head_css = std::string(kCss) + css;

  // The index: the start-here walk on top (notes/start_here.md, put in at
  // the marker by notes_html.py), then every page by layer, from the
  // program down to the kernel, each Go file in its layer, Go's order.
  std::ofstream index(dir + "/index.html");
  index << "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport "
           "content='width=device-width'><title>netpoll-asm beside Go "
        << esc(version) << "</title><style>" << head_css << "</style>" << kLangMarker
        << "<h1>netpoll-asm beside Go " << esc(version) << "</h1>" << kStartMarker
        << "<h2 id=index>Every function, by layer</h2><p>Each page shows a function of the Go "
           "runtime, read from "
        << esc(root) << " when the site was made, beside the code that rebuilds it, "
        << "highlighted by Pygments: by layer, from the program down to the kernel, and in "
           "Go's order within each Go file.</p>"
        << legend();
  std::vector<size_t> order(views.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return layer_of(views[a].page.gofile) < layer_of(views[b].page.gofile);
  });
  std::string current;
  int current_layer = -1;
  for (size_t i : order) {
    const goref::Page& p = views[i].page;
    if (p.gofile != current) {
      if (!current.empty()) index << "</ul>";
      current = p.gofile;
      if (layer_of(p.gofile) != current_layer) {
        current_layer = layer_of(p.gofile);
        const Layer& l = kLayers[current_layer];
        index << "<h2 id='layer-" << l.id << "'>" << l.title << "</h2><p class=meta>" << l.what
              << "</p>";
      }
      index << "<h3 id='" << esc(goref::slug(p.gofile)) << "'>" << esc(p.gofile) << "</h3>";
      if (!p.note.empty())
        index << "<p class=meta>explained in <a href='" << esc(note_page(p.note)) << "'>notes/"
              << esc(p.note) << "</a></p>";
      index << "<ul class=fns>";
    }
    std::string o;
    for (auto& [f, fn] : views[i].ours) o += (o.empty() ? "" : ", ") + fn.name;
    index << "<li><a href='" << esc(p.id) << ".html'>" << esc(p.go.name)
          << "</a> <small>:" << p.go.first << " &rarr; " << esc(o) << "</small>";
  }
  index << "</ul>";

  // Where each page is explained, for notes_html.py: under that section's
  // heading it links the pages it explains.  note TAB anchor TAB id TAB name.
  std::ofstream explains(dir + "/explains.tsv");
  for (const goref::View& v : views)
    if (auto [note, sec] = note_link(v.page); !note.empty() && !sec.empty())
      explains << note << "\t" << sec << "\t" << v.page.id << "\t" << v.page.go.name << "\n";

  // Called by: the same model as "calls", turned round, so that a reader
  // can walk up the path as well as down.
  std::map<std::string, std::vector<const goref::Page*>> callers;
  for (const goref::View& v : views)
    for (const goref::Page* c : callees(v, ps)) callers[c->id].push_back(&v.page);
  for (size_t i = 0; i < views.size(); i++) {
    const goref::View& v = views[i];
    const goref::Page& p = v.page;
    std::ofstream out(dir + "/" + p.id + ".html");
    out << "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport "
           "content='width=device-width'><title>"
        << esc(p.go.name) << " — netpoll-asm beside Go</title><style>" << head_css << "</style>"
        << kLangMarker << "<nav><a href=index.html>index</a><a href=index.html#start-here>start "
           "here</a>";
    if (i > 0)
      out << "<a href='" << esc(views[i - 1].page.id) << ".html' rel=prev>&larr; "
          << esc(views[i - 1].page.go.name) << "</a>";
    if (i + 1 < views.size())
      out << "<a href='" << esc(views[i + 1].page.id) << ".html' rel=next>"
          << esc(views[i + 1].page.go.name) << " &rarr;</a>";
    out << "</nav><h1>" << esc(p.go.name) << "</h1>";
    out << "<p class=meta>Go " << esc(version) << ": <a href='" << esc(go_url(p, root, version))
        << "'>" << esc(goref::gosource(root, p.gofile).substr(root.size() + 1)) << ":" << p.go.first
        << "-" << p.go.last << "</a> (Go's source browser)</p>";
    out << "<p class=meta>ours:";
    for (auto& [f, fn] : v.ours)
      out << " <code>" << esc(f->path) << "</code> <code>" << esc(fn.name) << "</code>";
    out << "</p>";
    if (auto [note, sec] = note_link(p); !note.empty())
      out << "<p class=meta>explained in <a href='" << esc(note_page(note))
          << (sec.empty() ? "" : "#" + sec) << "'>notes/" << esc(note)
          << (sec.empty() ? "" : "#" + sec) << "</a></p>";
    auto calls = callees(v, ps);
    if (!calls.empty()) {
      out << "<p class=meta>calls:";
      for (const goref::Page* c : calls)
        out << " <a href='" << esc(c->id) << ".html'>" << esc(c->go.name) << "</a>";
      out << "</p>";
    }
    if (auto by = callers.find(p.id); by != callers.end()) {
      out << "<p class=meta>called by:";
      for (const goref::Page* c : by->second)
        out << " <a href='" << esc(c->id) << ".html'>" << esc(c->go.name) << "</a>";
      out << "</p>";
    }
    bool later = std::any_of(v.rows.begin(), v.rows.end(), [](auto& r) { return r.later; });
    // Every row is one row, as in the terminal: the citations in a gutter
    // of their own, and the two code columns shared as the page's longest
    // lines ask; what does not fit ends in '…' (text-overflow), and the row
    // under the pointer, or every row with "wrap long lines", shows it all.
    size_t gw = 0, gomax = 1, ourmax = 1;
    for (const goref::Row& r : v.rows) {
      if (r.go_line) gomax = std::max(gomax, width_of(expand_tabs(v.go.lines[r.go_line - 1])));
      if (r.our_line) {
        goref::Cited c = shown(v, r);
        gw = std::max(gw, c.cite.size());
        ourmax = std::max(ourmax, width_of(expand_tabs(c.line)));
      }
    }
    gomax = std::min<size_t>(gomax, 100), ourmax = std::min<size_t>(ourmax, 100);
    int go_share = static_cast<int>(72 * gomax / (gomax + ourmax));
    out << legend()
        << "<input type=checkbox id=hide-instr><label for=hide-instr> hide the hooks that "
           "watch the program</label>"
        << (later ? " <input type=checkbox id=hide-later><label for=hide-later> hide the later "
                    "releases' changes</label>"
                  : "")
        << " <input type=checkbox id=wrap><label for=wrap> wrap long lines (a row under the "
           "pointer wraps by itself)</label>"
        << "<table class='sxs hl'><colgroup><col style='width:3.2em'><col style='width:"
        << go_share << "%'><col style='width:1.4em'><col style='width:3.2em'><col><col "
           "style='width:"
        << (gw ? gw + 1 : 0) * 0.62 + 0.8
        << "em'></colgroup><tr><th colspan=2>Go: " << esc(p.gofile)
        << "</th><th></th><th colspan=3>ours:" << esc(ourfiles(v)) << "</th></tr>\n";
    for (const goref::Row& r : v.rows) {
      char m = mark_of(v, r);
      std::string cls = r.twin           ? "twin"
                        : r.go_line == 0 ? "ours"
                        : r.our_line     ? "twin"
                        : r.covered      ? "range"
                        : m == '.'       ? "none"
                                         : "blank";
      if (r.instr) cls += " instr";
      if (r.later) cls = "later";
      std::string go_id = "go-" + std::to_string(r.go_line);
      std::string our_id = "our-" + r.our_file + "-" + std::to_string(r.our_line);
      for (char& c : our_id)
        if (c == '/' || c == '.') c = '_';
      out << "<tr class='" << cls << "'>";
      if (r.go_line)
        out << "<td class=n id=" << go_id << ">"
            << (r.our_line ? "<a href=#" + our_id + ">" : std::string("")) << r.go_line
            << (r.our_line ? "</a>" : "") << "</td><td class=go>" << hl[v.go.path][r.go_line - 1]
            << "</td>";
      else
        out << "<td class=n></td><td class=go></td>";
      out << "<td class=m>" << (m == ' ' ? std::string() : std::string(1, m)) << "</td>";
      if (r.our_line) {
        goref::Cited c = shown(v, r);
        out << "<td class=n id=" << our_id << ">"
            << (r.go_line ? "<a href=#" + go_id + ">" : std::string("")) << r.our_line
            << (r.go_line ? "</a>" : "") << "</td><td class=our>" << release_badge(v, r)
            << uncite(hl[r.our_file][r.our_line - 1], c) << "</td><td class=cite>";
        if (!c.cite.empty()) {
          // The page's own Go lines link to their row.
          bool own = std::isdigit(static_cast<unsigned char>(c.cite[0]));
          int at = own ? std::atoi(c.cite.c_str()) : 0;
          if (at >= p.go.first && at <= p.go.last)
            out << "<a href=#go-" << at << ">" << esc(c.cite) << "</a>";
          else
            out << esc(c.cite);
        }
        out << "</td>";
      } else {
        out << "<td class=n></td><td class=our></td><td class=cite></td>";
      }
      out << "</tr>\n";
    }
    out << "</table>";
  }
  std::printf("goref html: %zu pages in %s/\n", views.size(), dir.c_str());
  return 0;
}

}  // namespace

// For each Go file, each function we rebuild (one we cite at all): how many
// of its statement lines have a twin; then the functions not rebuilt.
int coverage(int argc, char** argv, const std::string& root) {
  std::vector<std::string> files;
  for (int i = 2; i < argc; i++) files.push_back(argv[i]);
  if (files.empty())
    files = {"netpoll.go",  "netpoll_epoll.go", "nbpipe_pipe2.go", "time_nofake.go",
             "proc.go",     "time.go",          "vdso_linux.go",   "vdso_linux_amd64.go",
             "os_linux.go", "sema.go",          "lock_futex.go",   "sys_linux_amd64.s",
             "asm_amd64.s"};
  auto refs = goref::scan(goref::load_sources("."));
  for (const std::string& f : files) {
    goref::File go;
    if (!goref::load(goref::gosource(root, f), &go)) {
      std::fprintf(stderr, "goref coverage: no %s in %s\n", f.c_str(), root.c_str());
      return 1;
    }
    goref::Coverage c = goref::coverage(refs, go);
    size_t code = 0, hit = 0;
    std::vector<std::string> left;
    std::string rows;
    for (auto& [fn, lines] : c.funcs) {
      if (lines.second.empty()) {
        if (fn != "(top level)") left.push_back(fn);
        continue;
      }
      code += lines.first.size();
      hit += lines.second.size();
      char row[160];
      std::snprintf(row, sizeof row, "  %-28s %4zu / %-4zu %3zu%%\n", fn.c_str(),
                    lines.second.size(), lines.first.size(),
                    lines.first.empty() ? 100 : 100 * lines.second.size() / lines.first.size());
      rows += row;
    }
    std::printf("%s: %zu of %zu statement lines of the functions rebuilt have a twin\n%s",
                f.c_str(), hit, code, rows.c_str());
    if (!left.empty()) {
      std::printf("  not rebuilt (%zu):", left.size());
      for (const std::string& fn : left) std::printf(" %s", fn.c_str());
      std::printf("\n");
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  goref::GoRoot gr = goref::find_goroot();
  if (!gr.ok()) {
    std::fprintf(stderr, "goref: needs Go 1.19's source, and %s\n", gr.problem().c_str());
    return 1;
  }
  std::string root = gr.path;
  if (cmd == "check") {
    auto refs = goref::scan(goref::load_sources("."));
    auto problems = goref::check(refs, root);
    for (auto& p : problems)
      std::printf("%s:%d -> %s:%d: %s\n", p.ref.file.c_str(), p.ref.line, p.ref.gofile.c_str(),
                  p.ref.first, p.why.c_str());
    std::printf("%zu references, %zu problems\n", refs.size(), problems.size());
    return problems.empty() ? 0 : 1;
  }
  if (cmd == "sxs" && argc > 2) {
    int width = 0;
    bool check = false, wrap_all = false;
    std::string name;
    for (int i = 2; i < argc; i++) {
      std::string a = argv[i];
      if (a.rfind("--width=", 0) == 0)
        width = std::atoi(a.c_str() + 8);
      else if (a == "--width" && i + 1 < argc)
        width = std::atoi(argv[++i]);
      else if (a == "--check")
        check = true;
      else if (a == "--wrap")
        wrap_all = true;
      else
        name = a;
    }
    if (check) return sxs_check(name, root);
    return sxs(name, root, width, wrap_all);
  }
  if (cmd == "map") {
    auto ours = goref::load_sources(".");
    std::fputs(goref::notes_map(ours, goref::scan(ours), root).c_str(), stdout);
    return 0;
  }
  if (cmd == "html" && argc > 2) return html(argv[2], root);
  if (cmd == "coverage") return coverage(argc, argv, root);
  std::fprintf(stderr,
               "usage: goref check | coverage [F.go...] | sxs [--width N] [--wrap] FN | html DIR | map\n");
  return 2;
}
