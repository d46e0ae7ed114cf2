// goref.h - the Go references in our sources (`// netpoll_epoll.go:126`,
// `; sys_linux_amd64.s:697`), read and checked against the Go source in the
// user's GOROOT.  One model feeds the reference test, the coverage report,
// `make sxs` and `make html`.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace goref {

// A function (or asm stub) and the lines it spans, 1-based, inclusive.
// later_first..later_last: a later release's version of its head (or of
// all of it) in the `#if NETPOLL_GO >= N ... #else` just above it; 0 if none.
struct Func {
  std::string name;
  int first = 0, last = 0;
  int later_first = 0, later_last = 0;
};

// One source file, ours or Go's.
struct File {
  std::string path;  // as given
  std::vector<std::string> lines;
  std::vector<Func> funcs;
  // later[line]: 121, 122 or 123 on a line of an `#if NETPOLL_GO >= N`
  // block (a later release's change, include/runtime/netpoll.h) and on its
  // #if, #elif, #else and #endif; 0 on a line Go 1.19.8's build compiles.
  // Functions are found as the 1.19.8 build sees them.
  std::vector<int> later;
  int later_at(int line) const;
  const Func* func_at(int line) const;  // the function whose span holds line
  bool is_code(int line) const;         // not blank, not only a comment
};

// A reference: our file:line cites Go's gofile:first[-last].
struct Ref {
  std::string file;  // ours
  int line = 0;
  std::string func;      // our function it belongs to ("" at top level)
  bool in_body = false;  // inside that function's body (not a comment above it)
  std::string gofile;
  int first = 0, last = 0;
  std::string text;      // our statement: the line, and the lines it continues
  bool decl = false;     // the line declares our function too (a one-line function)
  bool comment = false;  // the line is only a comment (a banner, or a kept Go line)
  bool banner = false;   // in the comment right above the function it belongs to
  int later = 0;         // the line is in a later release's block (File::later)
};

struct Problem {
  Ref ref;
  std::string why;
};

// Reads a file and finds its functions: Go `func` to the closing `}`,
// Go asm `TEXT` to the next `TEXT`, C++ definitions by their braces, NASM
// stubs from one global label to the next.
bool load(const std::string& path, File* out);

// Every reference in the given files of ours.
std::vector<Ref> scan(const std::vector<File>& ours);

// Whether Go's function `go` and ours are the same: equal names, or the
// same method where one of them is written without its receiver type
// ("pollDesc.publishInfo" and a publishInfo defined inside struct pollDesc).
bool same_func(const std::string& go, const std::string& ours);

// Where Go's file is: GOROOT/src/runtime/ for a bare name (netpoll.go), or
// GOROOT/src/ and the path for another package's (internal/poll/fd_mutex.go).
std::string gosource(const std::string& goroot, const std::string& gofile);

// The Go name a function of ours rebuilds, where the names differ.
std::vector<std::string> go_names(const std::string& ours);

// Where Go's source is: $GOROOT when it is set, else `go env GOROOT` of a
// Go 1.19 toolchain (the go on PATH, or Debian's /usr/lib/go-1.19).
struct GoRoot {
  std::string path;             // "" if none was found
  std::string from;             // how: "$GOROOT" or "`go env GOROOT`"
  std::string version;          // its VERSION file's first line, "" if none
  bool ok() const;              // Go 1.19's source is there
  std::string problem() const;  // what was found, where, and what to install
};
GoRoot find_goroot();
// The Go version string ("go1.19.8"), from GOROOT/VERSION.
std::string goversion(const std::string& goroot);
// goroot() if it holds Go 1.19's source, the only one our references name;
// "" otherwise.
std::string goroot119();

// Checks every reference against GOROOT/src/runtime: the file exists, the
// cited lines are code, they lie in the Go function ours rebuilds; a banner
// (the comment over a function) that cites one line cites that Go function's
// first line; and a statement cites the Go line it rebuilds (names()).
std::vector<Problem> check(const std::vector<Ref>& refs, const std::string& goroot);

// The names and numbers a line of code mentions, normalised so that Go's
// spelling and ours meet: lower case, no leading or trailing '_'
// (_Grunning, EPOLLIN_), registers by their 64-bit name without width
// (edi, DI -> di), mnemonics without Go's size suffix (MOVL -> mov), and
// no keywords or type names.  Comments are not code: `//`, and `;` in asm.
std::set<std::string> names(const std::string& line, bool asm_);

// Which code lines of a Go function have a twin.  For a Go file: function
// name -> (code lines, lines cited).
struct Coverage {
  std::string gofile;
  std::map<std::string, std::pair<std::vector<int>, std::vector<int>>> funcs;
};
Coverage coverage(const std::vector<Ref>& refs, const File& go);

// A program of ours (src/cmd/): it cites Go lines as data for a reader,
// not as the twin of the function it sits in.
bool is_program(const std::string& path);

// The sources of ours that may cite Go, relative to the project root.
std::vector<std::string> our_sources(const std::string& root);
// Those sources, loaded, each File's path relative to root.
std::vector<File> load_sources(const std::string& root);

}  // namespace goref

namespace goref {

// A page of the side-by-side view: one Go function and the functions of
// ours that cite lines inside it.
struct Page {
  std::string gofile;  // as our references name it: "proc.go", "internal/poll/fd.go"
  Func go;             // Go's function in that file
  std::vector<std::pair<std::string, Func>> ours;  // (our file, our function), in order
  std::string id;    // unique: Go's name, or "file.name" where two files share it
  std::string note;  // the note that explains the Go file ("proc.md"), or ""
  // Where two functions of one file of ours each rebuild all of Go's, a
  // page each: the one not named as Go's is this page's variant
  // ("epollpwait", id "epollwait.epollpwait"); "" on every other page.
  std::string variant;
};

// Every page, grouped by Go file and in Go's order within it (the order of
// the notes map).
std::vector<Page> pages(const std::vector<File>& ours, const std::vector<Ref>& refs,
                        const std::string& goroot);
// The pages a name asks for: Go's function (with or without its receiver,
// or a page id) or one of ours.  Where Go has both, the definition with a
// body (asm_amd64.s's TEXT runtime·mcall) and not the declaration
// (stubs.go's `func mcall(fn func(*g))`).
std::vector<const Page*> find(const std::vector<Page>& ps, const std::string& name);
// The page ids nearest to a name no page has, closest first, at most n.
std::vector<std::string> nearest(const std::vector<Page>& ps, const std::string& name, size_t n);

// One row of a side-by-side view: a Go line and/or one of ours.
struct Row {
  int go_line = 0;   // 0: no Go line on this row (ours has no twin here)
  int our_line = 0;  // 0: no line of ours (this Go line has no twin)
  std::string our_file;
  bool covered = false;  // the Go line lies in a range that ours cites
  bool instr = false;    // our line watches the program (trace, sanitizer, valgrind hooks)
  bool twin = false;     // our line cites a line of this Go function
  int later = 0;         // our line is a later release's (121: Go 1.21), not 1.19's
};

// GitHub's anchor for a Markdown heading (and make html's: the notes'
// pages use the same, src/tools/notes_html.py).
std::string slug(const std::string& heading);

// A line of ours split for the side-by-side views: the line without the
// citation its trailing comment opens with (the comment's other words
// kept), and that citation ("netpoll.go:429-431"), "" if it has none.
struct Cited {
  std::string line;
  std::string cite;
};
Cited split_cite(const std::string& line, bool asm_);

// A page made ready to show: Go's text and ours, and the rows that align them.
struct View {
  Page page;
  std::string go_func;                             // Go's function
  File go;                                         // Go's file
  std::vector<std::pair<const File*, Func>> ours;  // our function(s), in source order
  std::vector<Row> rows;
};

// Every Go line of the page's function in order, each beside the line(s) of
// ours that cite it; every other line of our functions (comments and blank
// lines too) right after the row of the nearest citing line above it.
bool view(const Page& page, const std::vector<File>& ours, const std::vector<Ref>& refs,
          const std::string& goroot, View* out, std::string* why);

}  // namespace goref

namespace goref {

// The map of notes/README.md: for each Go function that has a twin, in Go's
// file order, our file and function and the note that explains it.
std::string notes_map(const std::vector<File>& ours, const std::vector<Ref>& refs,
                      const std::string& goroot);

}  // namespace goref
