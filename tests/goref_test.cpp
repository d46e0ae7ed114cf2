// Every Go reference in asm/, src/ and include/runtime/ must point at a
// line of code in Go 1.19.8's runtime, inside the Go function that the
// citing function rebuilds.  Also prints how much of the netpoller's Go
// code has a twin.
#include "tools/goref.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

#include "testutil.h"

#ifndef PROJECT_ROOT
#error "PROJECT_ROOT must be defined by the build"
#endif

namespace {

std::vector<goref::File> our_files() { return goref::load_sources(PROJECT_ROOT); }

// The one page of Go's function `name`, made ready to show, with what it
// was made from (its View points into files).
struct PageView {
  std::vector<goref::File> files = our_files();
  std::vector<goref::Ref> refs = goref::scan(files);
  std::vector<goref::Page> pages;
  std::vector<const goref::Page*> found;
  goref::View v;
  std::string why;
  bool ok = false;
  PageView(const std::string& root, const std::string& name) {
    pages = goref::pages(files, refs, root);
    found = goref::find(pages, name);
    ok = found.size() == 1 && goref::view(*found[0], files, refs, root, &v, &why);
  }
  PageView(const PageView&) = delete;
};

}  // namespace

TEST(GoRef, EveryReferencePointsAtCodeInsideTheFunctionItRebuilds) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << goref::find_goroot().problem();
  auto refs = goref::scan(our_files());
  ASSERT_GT(refs.size(), 300u) << "the scan found suspiciously few references";
  auto problems = goref::check(refs, root);
  for (const auto& p : problems)
    ADD_FAILURE() << p.ref.file << ":" << p.ref.line << " -> " << p.ref.gofile << ":" << p.ref.first
                  << (p.ref.last != p.ref.first ? "-" + std::to_string(p.ref.last) : "") << " ("
                  << (p.ref.func.empty() ? "top level" : p.ref.func) << "): " << p.why;
  std::printf("goref: %zu references checked against %s, %zu problems\n", refs.size(),
              goref::goversion(root).c_str(), problems.size());
}

TEST(GoRef, CheckCatchesAWrongLineNumber) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  goref::Ref good;
  good.file = "src/runtime/netpoll_epoll.cpp";
  good.line = 1;
  good.func = "netpollinit";
  good.in_body = true;
  good.gofile = "netpoll_epoll.go";
  good.first = good.last = 33;
  good.text = "  epfd = epollcreate1(EPOLL_CLOEXEC_);  // netpoll_epoll.go:33";
  EXPECT_TRUE(goref::check({good}, root).empty())
      << "netpoll_epoll.go:33 is netpollinit's first line";
  goref::Ref blank = good;
  blank.first = blank.last = 31;  // the blank line before func netpollinit
  EXPECT_EQ(goref::check({blank}, root).size(), 1u);
  goref::Ref other = good;
  other.first = other.last = 126;  // inside netpoll, not netpollinit
  auto p = goref::check({other}, root);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].why.find("netpoll"), std::string::npos) << p[0].why;
  goref::Ref past = good;
  past.first = past.last = 100000;
  EXPECT_EQ(goref::check({past}, root).size(), 1u);
}

namespace {
// Our file `name` with these lines, written to a scratch directory and
// loaded as the scanner loads ours.
goref::File our_file(const std::string& name, const std::string& text) {
  char dir[] = "/tmp/goref-test-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/" + name.substr(name.rfind('/') + 1);
  std::ofstream(path) << text;
  goref::File f;
  EXPECT_TRUE(goref::load(path, &f));
  f.path = name;
  std::remove(path.c_str());
  rmdir(dir);
  return f;
}
std::vector<goref::Problem> check_text(const std::string& name, const std::string& text) {
  std::string root = goref::goroot119();
  return goref::check(goref::scan({our_file(name, text)}), root);
}
std::string whys(const std::vector<goref::Problem>& ps) {
  std::string out;
  for (const auto& p : ps)
    out += "  " + p.ref.gofile + ":" + std::to_string(p.ref.first) + " " + p.why + "\n";
  return out;
}
}  // namespace

// Three citations that lay inside the right Go function but named the wrong
// line, as they once stood in src/runtime/proc.cpp, each beside its fix.
TEST(GoRef, CheckCatchesAStatementCitingItsNeighbour) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto wrong = check_text("src/runtime/proc.cpp",
                          "// proc.go:2517\n"
                          "void execute(g* gp) {\n"
                          "  mp->curg = gp;                        // proc.go:2530\n"
                          "  gp->mp = mp;                          // proc.go:2531\n"
                          "  casgstatus(gp, Grunnable, Grunning);  // proc.go:2532\n"
                          "}\n");
  std::printf("execute, as it was:\n%s", whys(wrong).c_str());
  ASSERT_EQ(wrong.size(), 2u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("proc.go:2529 fits better"), std::string::npos);
  EXPECT_NE(wrong[1].why.find("proc.go:2531 fits better"), std::string::npos);
  auto right = check_text("src/runtime/proc.cpp",
                          "// proc.go:2517\n"
                          "void execute(g* gp) {\n"
                          "  mp->curg = gp;                        // proc.go:2529\n"
                          "  gp->mp = mp;                          // proc.go:2530\n"
                          "  casgstatus(gp, Grunnable, Grunning);  // proc.go:2531\n"
                          "}\n");
  EXPECT_TRUE(right.empty()) << whys(right);
}

TEST(GoRef, CheckCatchesABannerNamingALineInsideTheFunction) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto wrong = check_text("src/runtime/proc.cpp",
                          "// proc.go:4250  Put a dead g on the free list.\n"
                          "void gfput(g* gp) {\n"
                          "  push(gp);\n"
                          "}\n");
  std::printf("gfput, as it was:\n%s", whys(wrong).c_str());
  ASSERT_EQ(wrong.size(), 1u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("first line (proc.go:4241)"), std::string::npos) << wrong[0].why;
  // A second line in a banner (", :4250") is read and held to the same rule.
  auto bare = check_text("src/runtime/proc.cpp",
                         "// proc.go:4241, :4250  Put a dead g on the free list.\n"
                         "void gfput(g* gp) {\n"
                         "  push(gp);\n"
                         "}\n");
  EXPECT_EQ(bare.size(), 1u) << whys(bare);
  auto right = check_text("src/runtime/proc.cpp",
                          "// proc.go:4241  Put a dead g on the free list.\n"
                          "void gfput(g* gp) {\n"
                          "  push(gp);\n"
                          "}\n");
  EXPECT_TRUE(right.empty()) << whys(right);
}

TEST(GoRef, CheckCatchesARangeStartingOnALineItDoesNotRebuild) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  const char* body =
      "// proc.go:843\n"
      "void ready(g* gp) {\n"
      "  if (gp->atomicstatus.load() != Gwaiting) throw_(\"bad g->status in ready\");  // %s\n"
      "}\n";
  char text[512];
  std::snprintf(text, sizeof text, body, "proc.go:852-855");
  auto wrong = check_text("src/runtime/proc.cpp", text);
  std::printf("ready, as it was:\n%s", whys(wrong).c_str());
  ASSERT_EQ(wrong.size(), 1u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("range starts on a line it does not rebuild"), std::string::npos);
  std::snprintf(text, sizeof text, body, "proc.go:853-856");
  auto right = check_text("src/runtime/proc.cpp", text);
  EXPECT_TRUE(right.empty()) << whys(right);
}

// A citation must name code: a Go comment line, or a range whose last line
// is a comment or blank, is caught for that reason, not another.
TEST(GoRef, CheckCatchesACitationOfAGoCommentLine) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  const char* body =
      "// netpoll.go:296\n"
      "int poll_runtime_pollWait(pollDesc* pd, int mode) {\n"
      "  int32_t errcode = netpollcheckerr(pd, mode);  // %s\n"
      "}\n";
  char text[512];
  // netpoll.go:301 is the comment "As for now only Solaris, illumos, and AIX ...".
  std::snprintf(text, sizeof text, body, "netpoll.go:301");
  auto wrong = check_text("src/runtime/netpoll.cpp", text);
  ASSERT_EQ(wrong.size(), 1u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("cites a blank line or a comment"), std::string::npos)
      << wrong[0].why;
  std::snprintf(text, sizeof text, body, "netpoll.go:297");
  auto right = check_text("src/runtime/netpoll.cpp", text);
  EXPECT_TRUE(right.empty()) << whys(right);
}

TEST(GoRef, CheckCatchesARangeEndingOnACommentOrABlankLine) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  const char* wait =
      "// netpoll.go:296\n"
      "int poll_runtime_pollWait(pollDesc* pd, int mode) {\n"
      "  int32_t errcode = netpollcheckerr(pd, mode);  // %s\n"
      "}\n";
  const char* open =
      "// netpoll.go:216\n"
      "pollDesc* poll_runtime_pollOpen(uintptr_t fd, int32_t* errno_) {\n"
      "  unlock(&pd->lock);  // %s\n"
      "}\n";
  char text[512];
  struct {
    const char* body;
    const char* wrong;  // ends on a comment (301) or on a blank line (239)
    const char* right;
  } cases[] = {{wait, "netpoll.go:297-301", "netpoll.go:297"},
               {open, "netpoll.go:238-239", "netpoll.go:238"}};
  for (auto& c : cases) {
    std::snprintf(text, sizeof text, c.body, c.wrong);
    auto wrong = check_text("src/runtime/netpoll.cpp", text);
    ASSERT_EQ(wrong.size(), 1u) << c.wrong << "\n" << whys(wrong);
    EXPECT_NE(wrong[0].why.find("cites a blank line or a comment"), std::string::npos)
        << c.wrong << ": " << wrong[0].why;
    std::snprintf(text, sizeof text, c.body, c.right);
    auto right = check_text("src/runtime/netpoll.cpp", text);
    EXPECT_TRUE(right.empty()) << c.right << "\n" << whys(right);
  }
}

// A range may not run on into the next Go function.
TEST(GoRef, CheckCatchesARangeRunningPastItsGoFunction) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  const char* body =
      "// netpoll.go:479\n"
      "bool netpollblockcommit(g* gp, void* gpp) {\n"
      "  return r;  // %s\n"
      "}\n";
  char text[512];
  // netpoll.go:487 is `return r`; 488 closes netpollblockcommit, and 490,
  // after a blank line, is `func netpollgoready`.
  std::snprintf(text, sizeof text, body, "netpoll.go:487-490");
  auto wrong = check_text("src/runtime/netpoll.cpp", text);
  ASSERT_EQ(wrong.size(), 1u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("runs past the end of Go's netpollblockcommit"), std::string::npos)
      << wrong[0].why;
  std::snprintf(text, sizeof text, body, "netpoll.go:487");
  auto right = check_text("src/runtime/netpoll.cpp", text);
  EXPECT_TRUE(right.empty()) << whys(right);
}

TEST(GoRef, CheckCatchesAStatementSharingNoNameWithItsLine) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  // netpoll.go:491 is `atomic.Xadd(&netpollWaiters, -1)`; 492 is goready.
  auto wrong = check_text("src/runtime/netpoll.cpp",
                          "// netpoll.go:490\n"
                          "void netpollgoready(g* gp) {\n"
                          "  goready(gp);  // netpoll.go:491\n"
                          "}\n");
  ASSERT_EQ(wrong.size(), 1u) << whys(wrong);
  EXPECT_NE(wrong[0].why.find("shares no name"), std::string::npos) << wrong[0].why;
}

// Every statement line of the Go files we rebuild whole, and of every stub
// of sys_linux_amd64.s we rebuild, has a twin or a comment of ours that
// cites it and says why it is left out.  The figures are printed and must
// be complete: a line of Go with neither is a twin missing without a word.
TEST(GoRef, CoverageOfTheFilesRebuiltWholeIsComplete) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto refs = goref::scan(our_files());
  for (const char* name : {"netpoll_epoll.go", "netpoll.go", "nbpipe_pipe2.go", "time_nofake.go",
                           "sys_linux_amd64.s"}) {
    goref::File go;
    ASSERT_TRUE(goref::load(root + "/src/runtime/" + name, &go));
    goref::Coverage c = goref::coverage(refs, go);
    size_t code = 0, hit = 0, funcs = 0;
    std::string missing;
    for (auto& [fn, lines] : c.funcs) {
      // Of sys_linux_amd64.s, the stubs we have: those we cite at all.
      if (std::string(name) == "sys_linux_amd64.s" && lines.second.empty()) continue;
      funcs++;
      code += lines.first.size();
      hit += lines.second.size();
      std::set<int> h(lines.second.begin(), lines.second.end());
      for (int l : lines.first) {
        if (!h.count(l)) missing += " " + fn + ":" + std::to_string(l);
        // The figure counts statements only: never a comment or a blank line.
        std::string t = go.lines[l - 1];
        t.erase(0, t.find_first_not_of(" \t"));
        EXPECT_TRUE(!t.empty() && t.rfind("//", 0) != 0)
            << name << ":" << l << " is counted as a statement line: " << t;
      }
    }
    std::printf("coverage %s: %zu of %zu statement lines in %zu functions have a twin\n", name, hit,
                code, funcs);
    EXPECT_GT(funcs, 0u) << name;
    EXPECT_EQ(hit, code) << name << ": Go lines with neither a twin nor a comment saying why not:"
                         << missing;
  }
}

TEST(GoRef, SideBySideRowsPutEveryReferenceBesideTheGoLineItCites) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto refs = goref::scan(files);
  auto ps = goref::pages(files, refs, root);
  ASSERT_GT(ps.size(), 40u);
  size_t checked = 0;
  for (const goref::Page& p : ps) {
    goref::View v;
    std::string why;
    ASSERT_TRUE(goref::view(p, files, refs, root, &v, &why)) << p.id << ": " << why;
    const goref::Func* gf = &p.go;
    int current = 0;  // the Go line of the row group we are in
    for (const goref::Row& row : v.rows) {
      if (row.go_line) current = row.go_line;
      if (!row.our_line) continue;
      for (const goref::Ref& r : refs) {
        if (r.file != row.our_file || r.line != row.our_line || r.first < gf->first ||
            r.first > gf->last || r.gofile != p.gofile)
          continue;
        EXPECT_EQ(current, r.first)
            << p.id << ": " << r.file << ":" << r.line << " cites " << r.gofile << ":" << r.first
            << " but sits beside line " << current;
        checked++;
        break;
      }
    }
    // Every Go line appears once, in order.
    int prev = 0;
    for (const goref::Row& row : v.rows)
      if (row.go_line) {
        EXPECT_EQ(row.go_line, prev ? prev + 1 : gf->first) << p.id;
        prev = row.go_line;
      }
    EXPECT_EQ(prev, gf->last) << p.id;
  }
  EXPECT_GT(checked, 300u) << "few references were aligned: the view is not using them";
}

// Nothing of ours is lost: every line of every function on a page -- its
// comments, continuation lines and blank lines too, and a later release's
// version of its head just above it -- is on exactly one row.
TEST(GoRef, EveryLineOfOurFunctionsIsOnItsPageOnce) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto refs = goref::scan(files);
  for (const goref::Page& p : goref::pages(files, refs, root)) {
    goref::View v;
    std::string why;
    ASSERT_TRUE(goref::view(p, files, refs, root, &v, &why)) << why;
    std::multiset<std::pair<std::string, int>> shown, want;
    for (const goref::Row& r : v.rows)
      if (r.our_line) shown.insert({r.our_file, r.our_line});
    for (auto& [f, fn] : v.ours) {
      for (int l = fn.first; l <= fn.last; l++) want.insert({f->path, l});
      for (int l = fn.later_first; l && l <= fn.later_last; l++) want.insert({f->path, l});
    }
    EXPECT_EQ(shown, want) << p.id;
  }
}

TEST(GoRef, PagesHaveUniqueIdsInTheOrderOfTheNotesMap) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto ps = goref::pages(files, goref::scan(files), root);
  std::set<std::string> ids;
  for (size_t i = 0; i < ps.size(); i++) {
    EXPECT_TRUE(ids.insert(ps[i].id).second) << "two pages are " << ps[i].id;
    if (i > 0) {
      EXPECT_TRUE(ps[i - 1].gofile < ps[i].gofile ||
                  (ps[i - 1].gofile == ps[i].gofile && ps[i - 1].go.first < ps[i].go.first) ||
                  (ps[i - 1].go.first == ps[i].go.first && !ps[i].variant.empty()))
          << ps[i - 1].id << " before " << ps[i].id;
    }
  }
  EXPECT_TRUE(ids.count("gList.empty") && ids.count("gQueue.empty"));
}

// mcall is assembly in Go (asm_amd64.s:424); stubs.go only declares it.
TEST(GoRef, AnAsmFunctionResolvesToItsTextInTheDotSFile) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto ps = goref::pages(files, goref::scan(files), root);
  auto found = goref::find(ps, "mcall");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->gofile, "asm_amd64.s");
  EXPECT_EQ(found[0]->go.first, 424);
  auto epw = goref::find(ps, "epollwait");  // a page per stub: 232 and 281
  ASSERT_EQ(epw.size(), 2u);
  for (const goref::Page* p : epw) EXPECT_EQ(p->gofile, "sys_linux_amd64.s");
}

TEST(GoRef, AnUnknownNameGetsTheNearestOnes) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto ps = goref::pages(files, goref::scan(files), root);
  EXPECT_TRUE(goref::find(ps, "netpol").empty());
  auto near = goref::nearest(ps, "netpol", 5);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0], "netpoll");
  near = goref::nearest(ps, "findrunable", 5);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near[0], "findRunnable");
}

// The trace and sanitizer hooks inside a function are marked, so the views
// can dim or fold them; the code around them is not.
TEST(GoRef, HooksThatWatchTheProgramAreMarkedAndNothingElse) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  PageView pv(root, "netpoll");
  ASSERT_EQ(pv.found.size(), 1u);
  ASSERT_TRUE(pv.ok) << pv.why;
  const goref::View& v = pv.v;
  int hooks = 0;
  for (const goref::Row& r : v.rows) {
    if (!r.our_line) continue;
    std::string text;
    for (auto& [f, fn] : v.ours)
      if (f->path == r.our_file) text = f->lines[r.our_line - 1];
    bool trace =
        text.find("tracef(") != std::string::npos || text.find("netpolltrace") != std::string::npos;
    if (trace) {
      EXPECT_TRUE(r.instr) << r.our_file << ":" << r.our_line << " " << text;
    }
    if (text.find("epollwait(epfd") != std::string::npos && !trace) {
      EXPECT_FALSE(r.instr) << text;
    }
    hooks += r.instr;
  }
  EXPECT_GE(hooks, 3);
}

// make NETPOLL_GO: a later release's block is read as Go 1.19.8's build
// reads it, around it.  The function below has a Go 1.22 head before its
// 1.19.8 head, a Go 1.21 statement inside, and a banner above both.
const char* const kLaterBlocks =
    "// netpoll.go:446  banner\n"                                      // 1
    "#if NETPOLL_GO >= 122\n"                                          // 2
    "int32_t netpollready(gList* toRun, pollDesc* pd, int32_t m) {\n"  // 3
    "#else\n"                                                          // 4
    "void netpollready(gList* toRun, pollDesc* pd, int32_t mode) {\n"  // 5
    "#endif\n"                                                         // 6
    "  g *rg = nullptr, *wg = nullptr;  // netpoll.go:447\n"           // 7
    "#if NETPOLL_GO >= 121\n"                                          // 8
    "  { int x = 0; }\n"                                               // 9
    "#elif defined(X)\n"                                               // 10
    "#endif\n"                                                         // 11
    "#ifdef __SANITIZE_THREAD__\n"                                     // 12
    "  __tsan_acquire(pd);\n"                                          // 13
    "#endif\n"                                                         // 14
    "}\n";                                                             // 15

TEST(GoRef, LaterReleaseBlocksAreFencedAndFunctionsFoundAs119BuildsThem) {
  goref::File f = our_file("src/runtime/netpoll.cpp", kLaterBlocks);
  std::vector<int> want = {0, 0, 122, 122, 122, 0, 122, 0, 121, 121, 121, 121, 0, 0, 0, 0};
  ASSERT_EQ(f.later.size(), want.size());
  for (size_t l = 1; l < want.size(); l++) EXPECT_EQ(f.later[l], want[l]) << "line " << l;
  ASSERT_EQ(f.funcs.size(), 1u) << "the two heads are one function";
  EXPECT_EQ(f.funcs[0].name, "netpollready");
  EXPECT_EQ(f.funcs[0].first, 5) << "1.19.8's head";
  EXPECT_EQ(f.funcs[0].last, 15);
  EXPECT_EQ(f.funcs[0].later_first, 2) << "the Go 1.22 head above it";
  EXPECT_EQ(f.funcs[0].later_last, 4);
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto refs = goref::scan({f});
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_TRUE(refs[0].banner) << "the banner above the #if belongs to the function below it";
  EXPECT_EQ(refs[0].func, "netpollready");
  auto ps = goref::check(refs, goref::goroot119());
  EXPECT_TRUE(ps.empty()) << whys(ps);
}

TEST(GoRef, CheckCatchesAGo119CitationInsideALaterBlock) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto ps = check_text("src/runtime/netpoll.cpp",
                       "// netpoll.go:446\n"
                       "void netpollready(gList* toRun, pollDesc* pd, int32_t mode) {\n"
                       "#if NETPOLL_GO >= 122\n"
                       "  int32_t delta = 0;  // netpoll.go:447\n"
                       "#endif\n"
                       "}\n");
  ASSERT_EQ(ps.size(), 1u) << whys(ps);
  EXPECT_NE(ps[0].why.find("inside a Go 1.22 block"), std::string::npos) << ps[0].why;
}

// make sxs: netpollready's Go 1.22 version is on its page, marked '>', and
// Go's first line sits beside 1.19.8's head, not beside the later one.
TEST(GoRef, SxsShowsALaterReleasesVersionBesideThe119Twin) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  PageView pv(root, "netpollready");
  ASSERT_EQ(pv.found.size(), 1u);
  ASSERT_TRUE(pv.ok) << pv.why;
  const goref::View& v = pv.v;
  const std::vector<const goref::Page*>& found = pv.found;
  int later = 0;
  for (const goref::Row& r : v.rows) {
    std::string text;
    for (auto& [file, fn] : v.ours)
      if (file->path == r.our_file && r.our_line) text = file->lines[r.our_line - 1];
    if (r.later) {
      later++;
      EXPECT_EQ(r.later, 122) << text;
      EXPECT_EQ(r.go_line, 0) << "a later line is no Go 1.19.8 line's twin: " << text;
    }
    if (r.go_line == found[0]->go.first) {
      EXPECT_EQ(text.rfind("void netpollready(", 0), 0u) << text;
    }
  }
  EXPECT_GE(later, 10);
}

// A later release's rows come after the 1.19.8 line they change: no page
// opens with them (netpoll's and netpollready's once opened with 4 and 13
// rows of Go 1.22 before Go's signature).
TEST(GoRef, NoPageShowsALaterReleaseBeforeGosFirstLine) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto refs = goref::scan(files);
  int with_later = 0;
  for (const goref::Page& p : goref::pages(files, refs, root)) {
    goref::View v;
    std::string why;
    ASSERT_TRUE(goref::view(p, files, refs, root, &v, &why)) << why;
    bool later = false;
    for (const goref::Row& r : v.rows) {
      if (r.go_line == p.go.first) break;
      EXPECT_FALSE(r.later) << p.id << ": a Go 1." << r.later % 100 << " row before Go's line "
                            << p.go.first;
    }
    for (const goref::Row& r : v.rows) later = later || r.later;
    with_later += later;
  }
  EXPECT_GE(with_later, 5) << "the pages hold few later releases' rows: nothing was checked";
}

// One stub per page: epollwait (232) and epollpwait (281) each rebuild the
// whole of Go's TEXT runtime·epollwait, and each has a page of its own with
// only its own instructions beside Go's; the sxs of either name shows it.
TEST(GoRef, EachStubHasAPageOfItsOwnBesideGosLines) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto refs = goref::scan(files);
  auto ps = goref::pages(files, refs, root);
  auto found = goref::find(ps, "epollwait");
  ASSERT_EQ(found.size(), 2u);
  std::set<std::string> stubs, ids;
  for (const goref::Page* p : found) {
    ASSERT_EQ(p->ours.size(), 1u) << p->id;
    stubs.insert(p->ours[0].second.name);
    ids.insert(p->id);
    goref::View v;
    std::string why;
    ASSERT_TRUE(goref::view(*p, files, refs, root, &v, &why)) << why;
    int beside = 0;
    for (const goref::Row& r : v.rows) beside += r.go_line && r.our_line;
    EXPECT_EQ(beside, p->go.last - p->go.first) << p->id << ": every Go line but the comment";
  }
  EXPECT_EQ(stubs, (std::set<std::string>{"epollwait", "epollpwait"}));
  EXPECT_EQ(ids, (std::set<std::string>{"epollwait", "epollwait.epollpwait"}));
  auto pw = goref::find(ps, "epollpwait");
  ASSERT_EQ(pw.size(), 1u);
  EXPECT_EQ(pw[0]->id, "epollwait.epollpwait");
}

TEST(GoRef, HtmlSiteLinksEveryTwinBothWays) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::string bin = testutil::build_dir() + "/goref";
  if (access(bin.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << bin;
  char dir[] = "/tmp/netpoll-html-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string cmd = "cd " PROJECT_ROOT " && " + bin + " html " + dir + " >/dev/null";
  ASSERT_EQ(system(cmd.c_str()), 0);
  std::ifstream index(std::string(dir) + "/index.html");
  std::string idx((std::istreambuf_iterator<char>(index)), std::istreambuf_iterator<char>());
  EXPECT_NE(idx.find("href='netpollready.html'"), std::string::npos);
  std::ifstream page(std::string(dir) + "/netpollready.html");
  std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  // netpoll.go:448 is cited by src/runtime/netpoll.cpp's netpollready: the Go cell
  // links to our line and ours back to go-448, on one row.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m,
                                std::regex("<tr class='twin'><td class=n id=go-448><a "
                                           "href=#(our-src_runtime_netpoll_cpp-[0-9]+)>448</a>"
                                           ".*?<td class=n id=([^>]+)><a href=#go-448>")))
      << html.substr(0, 2000);
  EXPECT_EQ(m[1], m[2]) << "the two links must point at each other";
  // Go 1.22's version of it: rows of their own, the #if carrying the release.
  EXPECT_TRUE(std::regex_search(html, std::regex("<tr class='later'>.*?<span class=rel>Go "
                                                 "1\\.22</span>.*?#if NETPOLL_GO")))
      << html.substr(0, 2000);
  EXPECT_NE(html.find("id=hide-later"), std::string::npos);
  system(("rm -rf " + std::string(dir)).c_str());
}

// make html's whole site: the side-by-side pages, the notes and the README
// rendered beside them (their diagrams drawn), the walk at the index's top,
// the translations; every link of every page resolves, an "explained in"
// link names a section the rendered note has, and a note's section links
// back to the pages it explains.
TEST(GoRef, HtmlSiteOfPagesNotesAndReadmeHasNoLinkToNothing) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::string bin = testutil::build_dir() + "/goref";
  std::string mmdc = PROJECT_ROOT "/build/npm/node_modules/.bin/mmdc";
  if (access(bin.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << bin;
  if (access(mmdc.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << mmdc << " (make test installs it)";
  char dir[] = "/tmp/netpoll-site-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  int st = 0;
  std::string out = testutil::output_of(
      "cd " PROJECT_ROOT " && " + bin + " html " + dir + " >/dev/null && /usr/bin/python3 "
      "src/tools/notes_html.py " + dir + " " + mmdc + " && python3 tests/html_check.py --links " +
      dir + " 2>&1", &st);
  ASSERT_EQ(st, 0) << out;
  EXPECT_NE(out.find(", 0 lead nowhere"), std::string::npos) << out;
  auto read = [&](const std::string& rel) {
    std::ifstream in(std::string(dir) + "/" + rel);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_NE(read("netpoll.html")
                .find("explained in <a href='notes/netpoll_epoll.html#netpoll-netpoll_epollgo106-176'>"),
            std::string::npos);
  std::string note = read("notes/netpoll_epoll.html");
  EXPECT_NE(note.find("id=\"netpoll-netpoll_epollgo106-176\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(note, std::regex("<p class=sxs>side by side: [^\n]*href=\"\\.\\./"
                                                 "netpoll\\.html\">netpoll</a>")))
      << "the note's netpoll section links its page";
  std::string netpoll = read("notes/netpoll.html");
  EXPECT_NE(netpoll.find("<figure class=diagram><img src=\"diagrams/"), std::string::npos)
      << "netpoll.md's Mermaid diagrams drawn as SVG";
  EXPECT_EQ(netpoll.find("```mermaid"), std::string::npos);
  std::string index = read("index.html");
  size_t walk = index.find("<section id=start-here"), layers = index.find("id='layer-net'");
  ASSERT_NE(walk, std::string::npos);
  ASSERT_NE(layers, std::string::npos);
  EXPECT_LT(walk, layers) << "the walk is the index's top";
  size_t at = 0;
  for (const char* l : {"net", "poll", "netpoll", "sched", "timers", "stubs", "signals"}) {
    size_t here = index.find(std::string("id='layer-") + l + "'");
    EXPECT_NE(here, std::string::npos) << l;
    EXPECT_GE(here, at) << "layer " << l << " out of order";
    at = here;
  }
  for (const char* zh : {"index.zh.html", "notes/zh/netpoll.html", "notes/zh/proc.html"})
    EXPECT_NE(read(zh).find("hreflang=en"), std::string::npos) << zh << " has no switch";
  system(("rm -rf " + std::string(dir)).c_str());
}

// "called by" is "calls" turned round: A's page lists B among its calls
// exactly when B's lists A among its callers, and netpollblock's callers
// are the two Go functions that call it.
TEST(GoRef, HtmlCalledByIsCallsTurnedRound) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::string bin = testutil::build_dir() + "/goref";
  if (access(bin.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << bin;
  char dir[] = "/tmp/netpoll-html-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string cmd = "cd " PROJECT_ROOT " && " + bin + " html " + dir + " >/dev/null";
  ASSERT_EQ(system(cmd.c_str()), 0);
  std::set<std::pair<std::string, std::string>> calls, called;  // (caller, callee) page ids
  auto links = [](const std::string& html, const std::string& label) {
    std::vector<std::string> ids;
    size_t a = html.find("<p class=meta>" + label + ":");
    if (a == std::string::npos) return ids;
    std::string line = html.substr(a, html.find("</p>", a) - a);
    std::regex href("href='([^']+)\\.html'");
    for (std::sregex_iterator it(line.begin(), line.end(), href), end; it != end; ++it)
      ids.push_back((*it)[1]);
    return ids;
  };
  DIR* d = opendir(dir);
  ASSERT_NE(d, nullptr);
  int pages = 0;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() < 6 || n.substr(n.size() - 5) != ".html" || n == "index.html") continue;
    std::ifstream in(std::string(dir) + "/" + n);
    std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string id = n.substr(0, n.size() - 5);
    pages++;
    for (const std::string& c : links(html, "calls")) calls.insert({id, c});
    for (const std::string& c : links(html, "called by")) called.insert({c, id});
  }
  closedir(d);
  EXPECT_GT(pages, 100);
  EXPECT_GT(calls.size(), 100u);
  EXPECT_EQ(calls, called);
  EXPECT_TRUE(called.count({"poll_runtime_pollWait", "netpollblock"}));
  system(("rm -rf " + std::string(dir)).c_str());
}

// `goref coverage proc.go` (notes/proc.md): a row per function we rebuild,
// twinned lines over statement lines, and the functions left out.
TEST(GoRef, CoverageCommandGivesEachRebuiltFunctionItsFigures) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::string bin = testutil::build_dir() + "/goref";
  if (access(bin.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << bin;
  std::string cmd = "cd " PROJECT_ROOT " && " + bin + " coverage proc.go";
  int st;
  std::string out = testutil::output_of(cmd, &st);
  ASSERT_EQ(st, 0) << out;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(out, m, std::regex("\n  findRunnable +([0-9]+) / ([0-9]+) +[0-9]+%")))
      << out;
  EXPECT_GT(std::stoi(m[1]), 100) << "findRunnable is rebuilt line by line";
  EXPECT_LE(std::stoi(m[1]), std::stoi(m[2]));
  EXPECT_TRUE(std::regex_search(out, std::regex("not rebuilt \\([0-9]+\\):.* entersyscall ")))
      << out;
}

namespace {

std::string goref_out(const std::string& args, int* status) {
  std::string cmd =
      "cd " PROJECT_ROOT " && env -u COLUMNS " + testutil::build_dir() + "/goref " + args + " 2>&1";
  int st;
  std::string out = testutil::output_of(cmd, &st);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

}  // namespace

static size_t columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// `make sxs` at any width: one printed line per row, none wider than the
// terminal, the citations in a gutter of their own (the page's Go file
// left out: "107-109"), and what does not fit cut and counted.
TEST(GoRef, SxsKeepsEveryRowOneRowAtEveryWidth) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  PageView pv(root, "netpoll");
  ASSERT_EQ(pv.found.size(), 1u);
  ASSERT_TRUE(pv.ok) << pv.why;
  const goref::View& v = pv.v;
  for (int width : {80, 120, 200}) {
    int st = 0;
    std::string out = goref_out("sxs --width " + std::to_string(width) + " netpoll", &st);
    ASSERT_EQ(st, 0) << out;
    std::istringstream in(out);
    size_t rows = 0;
    bool body = false;
    for (std::string l; std::getline(in, l);) {
      EXPECT_LE(columns(l), static_cast<size_t>(width)) << l;
      if (l.empty()) {
        body = !body && rows == 0;
        continue;
      }
      if (body) {
        rows++;
        EXPECT_FALSE(std::regex_search(l, std::regex(R"([;{})]\s+//\s*netpoll_epoll\.go:[0-9])")))
            << "a citation left in the code, not in the gutter:\n" << l;
      }
    }
    EXPECT_EQ(rows, v.rows.size()) << "at " << width << " columns:\n" << out;
    EXPECT_TRUE(std::regex_search(out, std::regex(R"(243 +if \(epfd == -1\) return g.* 107-109\n)")))
        << out;
    if (width == 80) { EXPECT_NE(out.find("cut at 80 columns"), std::string::npos) << out; }
  }
}

// `make sxs WRAP=1`: no line longer than the width, and a long line of ours
// wrapped onto the rows below it, whole.
TEST(GoRef, SxsWrapsToTheWidthAndLosesNoText) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  for (int width : {80, 120, 200}) {
    int st = 0;
    std::string out = goref_out("sxs --wrap --width " + std::to_string(width) + " netpoll", &st);
    ASSERT_EQ(st, 0) << out;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) EXPECT_LE(columns(l), static_cast<size_t>(width)) << l;
    // Wrapped pieces sit on the rows below, in the same column: with the
    // padding between them squeezed out, the text reads on.
    // (The gutter's citation, at the end of a row's first line, left out.)
    std::string joined = std::regex_replace(
        std::regex_replace(out, std::regex(" {2,}[0-9]+(?:-[0-9]+)?\n"), "\n"), std::regex("\\s+"),
        " ");
    // netpoll_epoll.cpp's three-line comment, each line's last words.
    for (const char* words : {"cut short by a signal", "an unbounded one", "simply waits again."})
      EXPECT_NE(joined.find(words), std::string::npos)
          << "missing \"" << words << "\" at " << width;
  }
  int st = 0;
  std::string out = goref_out("sxs --width 150 netpoll", &st);
  EXPECT_TRUE(std::regex_search(out, std::regex(" - +[0-9]+ +if \\(netpolltrace\\)")))
      << "the trace hook is marked '-':\n"
      << out;
}

// Every call into NETPOLLTRACE is dimmed as watching, not rebuilding: the
// statement under `if (netpolltrace && old != 0)` once showed as ours only.
TEST(GoRef, SxsMarksEveryTraceCallAsWatchingTheProgram) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::regex unmarked(R"(^ +[=~+.] +[0-9]+ +.*\b(?:trace(?:Sem|f|Netpoll|Idle)|narrate\w+)\()");
  int calls = 0;
  for (const char* fn : {"netpollblock", "netpollunblock", "netpollblockcommit", "netpoll",
                         "poll_runtime_pollReset", "netpolldeadlineimpl", "runOneTimer"}) {
    int st = 0;
    std::string out = goref_out(std::string("sxs --width 250 ") + fn, &st);
    ASSERT_EQ(st, 0) << fn << ":\n" << out;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) {
      if (std::regex_search(l, std::regex(R"(\btrace(?:Sem|f)\()"))) calls++;
      EXPECT_FALSE(std::regex_search(l, unmarked)) << fn << ": not dimmed:\n" << l;
    }
  }
  EXPECT_GT(calls, 10) << "the pages show no trace calls at all";
}

TEST(GoRef, SxsWithAnUnknownNameSuggestsAndFails) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  int st = 0;
  std::string out = goref_out("sxs findrunable", &st);
  EXPECT_EQ(st, 2);
  EXPECT_NE(out.find("Nearest: findRunnable"), std::string::npos) << out;
}

// The same in the terminal: the later rows marked '>', the mark explained.
TEST(GoRef, SxsMarksALaterReleasesLines) {
  if (goref::goroot119().empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  int st = 0;
  std::string out = goref_out("sxs --width 200 netpollready", &st);
  ASSERT_EQ(st, 0) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(> +[0-9]+ #if NETPOLL_GO >= 122)"))) << out;
  EXPECT_NE(out.find("'>' a later Go's change"), std::string::npos) << out;
}
