// Every Go reference in asm/, src/ and include/runtime/ must point at a
// line of code in Go 1.19.8's runtime, inside the Go function that the
// citing function rebuilds.  Also prints how much of the netpoller's Go
// code has a twin.
#include "tools/goref.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "testutil.h"

#ifndef PROJECT_ROOT
#error "PROJECT_ROOT must be defined by the build"
#endif

namespace {

std::vector<goref::File> our_files() { return goref::load_sources(PROJECT_ROOT); }

}  // namespace

TEST(GoRef, EveryReferencePointsAtCodeInsideTheFunctionItRebuilds) {
  std::string root = goref::goroot119();
  if (root.empty())
    GTEST_SKIP() << "no Go 1.19 GOROOT here (" << goref::goroot() << "): cannot check";
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
  goref::Ref good{"src/runtime/netpoll_epoll.cpp", 1, "netpollinit", true, "netpoll_epoll.go", 33, 33};
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

TEST(GoRef, CoverageOfTheNetpollerFiles) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto refs = goref::scan(our_files());
  for (const char* name : {"netpoll_epoll.go", "netpoll.go", "sys_linux_amd64.s"}) {
    goref::File go;
    ASSERT_TRUE(goref::load(root + "/src/runtime/" + name, &go));
    goref::Coverage c = goref::coverage(refs, go);
    size_t code = 0, hit = 0;
    std::string missing;
    for (auto& [fn, lines] : c.funcs) {
      bool epoll_stub = std::string(name) != "sys_linux_amd64.s" ||
                        std::set<std::string>{
                            "epollcreate", "epollcreate1", "epollctl", "epollwait", "closeonexec",
                            "read",        "write1",       "closefd",  "pipe2",     "futex"}
                            .count(fn);
      if (!epoll_stub) continue;
      code += lines.first.size();
      hit += lines.second.size();
      std::set<int> h(lines.second.begin(), lines.second.end());
      for (int l : lines.first)
        if (!h.count(l)) missing += " " + fn + ":" + std::to_string(l);
    }
    std::printf("coverage %s: %zu of %zu statement lines have a twin%s%s\n", name, hit, code,
                missing.empty() ? "" : "; without:", missing.c_str());
    EXPECT_GT(hit, 0u);
  }
}

TEST(GoRef, SideBySideRowsPutEveryReferenceBesideTheGoLineItCites) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  auto files = our_files();
  auto refs = goref::scan(files);
  auto names = goref::rebuilt(files, refs);
  ASSERT_GT(names.size(), 40u);
  size_t checked = 0;
  for (const std::string& name : names) {
    goref::View v;
    std::string why;
    ASSERT_TRUE(goref::view(name, files, refs, root, &v, &why)) << name << ": " << why;
    const goref::Func* gf = v.go.func_at([&] {
      for (auto& r : v.rows)
        if (r.go_line) return r.go_line;
      return 0;
    }());
    ASSERT_NE(gf, nullptr) << name;
    int current = 0;  // the Go line of the row group we are in
    for (const goref::Row& row : v.rows) {
      if (row.go_line) current = row.go_line;
      if (!row.our_line) continue;
      for (const goref::Ref& r : refs) {
        if (r.file != row.our_file || r.line != row.our_line || r.first < gf->first ||
            r.first > gf->last || r.gofile != v.go.path.substr(v.go.path.rfind('/') + 1))
          continue;
        EXPECT_EQ(current, r.first)
            << name << ": " << r.file << ":" << r.line << " cites " << r.gofile << ":" << r.first
            << " but sits beside line " << current;
        checked++;
        break;
      }
    }
    // Every Go line appears once, in order.
    int prev = 0;
    for (const goref::Row& row : v.rows)
      if (row.go_line) {
        EXPECT_EQ(row.go_line, prev ? prev + 1 : gf->first) << name;
        prev = row.go_line;
      }
    EXPECT_EQ(prev, gf->last) << name;
  }
  EXPECT_GT(checked, 300u) << "few references were aligned: the view is not using them";
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
  EXPECT_NE(idx.find("href=\"netpollready.html\""), std::string::npos);
  std::ifstream page(std::string(dir) + "/netpollready.html");
  std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  // netpoll.go:448 is cited by src/runtime/netpoll.cpp's netpollready: the Go cell
  // links to our line and ours back to go-448, on one row.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      html, m,
      std::regex(
          "<tr class=twin><td class=n id=go-448><a href=#(our-src_runtime_netpoll_cpp-[0-9]+)>448</a>"
          ".*?<td class=n id=([^>]+)><a href=#go-448>")))
      << html.substr(0, 2000);
  EXPECT_EQ(m[1], m[2]) << "the two links must point at each other";
  system(("rm -rf " + std::string(dir)).c_str());
}
