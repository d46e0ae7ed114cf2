// goref - read this project beside Go's source.
//
//   goref check            every Go reference, checked against GOROOT
//   goref coverage [F.go]  which Go statements have a twin, per function
//   goref sxs FN           Go's FN beside ours, in the terminal
//   goref html DIR         the same for every rebuilt function, as a static site
//   goref map              the Markdown map of notes/README.md
//
// Run from the project root (make sxs / make html do).  Go's text is read
// from GOROOT at run time; nothing of it is stored here.
#include "tools/goref.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

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

std::string fit(const std::string& s, size_t w) {
  std::string e = expand_tabs(s);
  if (e.size() > w) return e.substr(0, w - 1) + "~";
  return e + std::string(w - e.size(), ' ');
}

int sxs(const std::string& name, const std::string& root) {
  auto ours = goref::load_sources(".");
  auto refs = goref::scan(ours);
  goref::View v;
  std::string why;
  if (!goref::view(name, ours, refs, root, &v, &why)) {
    std::fprintf(stderr, "goref sxs: %s\n", why.c_str());
    return 1;
  }
  winsize ws{};
  int cols = ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 80 ? ws.ws_col : 180;
  size_t half = static_cast<size_t>(cols - 3) / 2 - 6;
  std::string ourfiles;
  for (auto& [f, fn] : v.ours) ourfiles += " " + f->path + ":" + fn.name;
  std::printf("%s (Go %s, %s)  |  ours:%s\n", v.go_func.c_str(), goref::goversion(root).c_str(),
              v.go.path.c_str(), ourfiles.c_str());
  std::printf(
      "  marks: '=' twin on this row, '~' inside a cited range, '.' code with no twin, '+' ours "
      "only\n\n");
  for (const goref::Row& r : v.rows) {
    std::string left = r.go_line ? v.go.lines[r.go_line - 1] : "";
    char mark = r.go_line == 0             ? '+'
                : r.our_line               ? '='
                : r.covered                ? '~'
                : !v.go.is_code(r.go_line) ? ' '
                                           : '.';
    std::string right;
    if (r.our_line)
      for (auto& [f, fn] : v.ours)
        if (f->path == r.our_file) right = f->lines[r.our_line - 1];
    std::printf("%5s %s %c %5s %s\n", r.go_line ? std::to_string(r.go_line).c_str() : "",
                fit(left, half).c_str(), mark, r.our_line ? std::to_string(r.our_line).c_str() : "",
                expand_tabs(right).substr(0, half).c_str());
  }
  return 0;
}

std::string esc(const std::string& s) {
  std::string out;
  for (char c : expand_tabs(s)) {
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

const char* kCss =
    "body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222}"
    "table{border-collapse:collapse;width:100%;table-layout:fixed}"
    "td{font:12px/1.35 monospace;white-space:pre;overflow:hidden;vertical-align:top;padding:0 .4em}"
    "td.n{width:3.5em;text-align:right;color:#888}td.m{width:1em;text-align:center}"
    "tr.none td.go{background:#fff3f0}tr.ours td.our{background:#f0f6ff}"
    "tr.twin td.go,tr.twin td.our{background:#f3fff0}tr.range td.go{background:#fbfbef}"
    "a{color:inherit;text-decoration:none}a:hover{text-decoration:underline}"
    "th{text-align:left;font-weight:normal;color:#555;padding:.3em .4em}"
    ":target{outline:2px solid #f90}";

int html(const std::string& dir, const std::string& root) {
  mkdir(dir.c_str(), 0755);
  auto ours = goref::load_sources(".");
  auto refs = goref::scan(ours);
  std::ofstream index(dir + "/index.html");
  index << "<!doctype html><meta charset=utf-8><title>netpoll-asm beside Go</title><style>" << kCss
        << "</style><h1>netpoll-asm beside Go " << esc(goref::goversion(root))
        << "</h1><p>Each page shows a function of the Go runtime, read from your GOROOT when "
           "the site was made, beside the code that rebuilds it. Twin lines are linked both "
           "ways.</p><ul>";
  int pages = 0;
  for (const std::string& name : goref::rebuilt(ours, refs)) {
    goref::View v;
    std::string why;
    if (!goref::view(name, ours, refs, root, &v, &why)) continue;
    std::string page = v.go_func + ".html";
    std::string ourfiles;
    for (auto& [f, fn] : v.ours) ourfiles += " " + f->path + " " + fn.name;
    index << "<li><a href=\"" << esc(page) << "\">" << esc(v.go_func) << "</a> <small>("
          << esc(v.go.path.substr(v.go.path.rfind('/') + 1)) << " &rarr;" << esc(ourfiles)
          << ")</small>";
    std::ofstream out(dir + "/" + page);
    out << "<!doctype html><meta charset=utf-8><title>" << esc(v.go_func) << "</title><style>"
        << kCss << "</style><p><a href=index.html>index</a></p><h1>" << esc(v.go_func)
        << "</h1><table><colgroup><col style=\"width:3.5em\"><col><col style=\"width:1.5em\">"
           "<col style=\"width:3.5em\"><col></colgroup><tr><th colspan=2>Go: "
        << esc(v.go.path.substr(v.go.path.rfind("/src/runtime/") + 1))
        << "</th><th></th><th colspan=2>ours:" << esc(ourfiles) << "</th></tr>";
    for (const goref::Row& r : v.rows) {
      std::string cls = r.go_line == 0             ? "ours"
                        : r.our_line               ? "twin"
                        : r.covered                ? "range"
                        : !v.go.is_code(r.go_line) ? "blank"
                                                   : "none";
      std::string our_text;
      for (auto& [f, fn] : v.ours)
        if (f->path == r.our_file && r.our_line) our_text = f->lines[r.our_line - 1];
      std::string go_id = "go-" + std::to_string(r.go_line);
      std::string our_id = "our-" + r.our_file + "-" + std::to_string(r.our_line);
      for (char& c : our_id)
        if (c == '/' || c == '.') c = '_';
      out << "<tr class=" << cls << ">";
      if (r.go_line)
        out << "<td class=n id=" << go_id << ">"
            << (r.our_line ? "<a href=#" + our_id + ">" : std::string("")) << r.go_line
            << (r.our_line ? "</a>" : "") << "</td><td class=go>" << esc(v.go.lines[r.go_line - 1])
            << "</td>";
      else
        out << "<td class=n></td><td class=go></td>";
      out << "<td class=m>"
          << (cls == "ours"    ? "+"
              : cls == "twin"  ? "="
              : cls == "range" ? "~"
              : cls == "none"  ? "."
                               : "")
          << "</td>";
      if (r.our_line)
        out << "<td class=n id=" << our_id << ">"
            << (r.go_line ? "<a href=#" + go_id + ">" : std::string("")) << r.our_line
            << (r.go_line ? "</a>" : "") << "</td><td class=our>" << esc(our_text) << "</td>";
      else
        out << "<td class=n></td><td class=our></td>";
      out << "</tr>\n";
    }
    out << "</table>";
    pages++;
  }
  index << "</ul>";
  std::printf("goref html: %d pages in %s/\n", pages, dir.c_str());
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
  if (cmd == "sxs" && argc > 2) return sxs(argv[2], root);
  if (cmd == "map") {
    auto ours = goref::load_sources(".");
    std::fputs(goref::notes_map(ours, goref::scan(ours), root).c_str(), stdout);
    return 0;
  }
  if (cmd == "html" && argc > 2) return html(argv[2], root);
  if (cmd == "coverage") return coverage(argc, argv, root);
  std::fprintf(stderr, "usage: goref check | coverage [F.go...] | sxs FN | html DIR | map\n");
  return 2;
}
