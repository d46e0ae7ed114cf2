// The notes must name only what exists: every path, every test, every
// function or identifier they put in backticks; and the map in
// notes/README.md must be the one the references generate today.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testutil.h"
#include "tools/goref.h"

#ifndef PROJECT_ROOT
#error "PROJECT_ROOT must be defined by the build"
#endif

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> files_in(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > ext.size() && n.compare(n.size() - ext.size(), ext.size(), ext) == 0)
        out.push_back(dir + "/" + n);
    }
    closedir(d);
  }
  return out;
}

// The notes as a reader writes them: notes/README.md's map, which the
// references generate (and MapIsTheOneTheReferencesGenerate checks), is left
// out.
std::vector<std::pair<std::string, std::string>> notes() {  // (path, text)
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& p : files_in(std::string(PROJECT_ROOT) + "/notes", ".md")) {
    std::string text = slurp(p);
    size_t a = text.find("<!-- map:begin -->"), b = text.find("<!-- map:end -->");
    if (a != std::string::npos && b != std::string::npos) text.erase(a, b - a);
    out.push_back({p, text});
  }
  out.push_back(
      {std::string(PROJECT_ROOT) + "/README.md", slurp(std::string(PROJECT_ROOT) + "/README.md")});
  return out;
}

std::vector<std::string> backticked(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex re("`([^`\n]+)`");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

// A path in our tree, relative to its top: not one under /usr/include or
// GOROOT (those follow a '/'), and asm/ holds only .asm files (the kernel's
// <asm/unistd_64.h> is not ours).
const std::regex& our_path() {
  static const std::regex re(
      R"((?:^|[^/A-Za-z0-9_.$-])(asm/[A-Za-z0-9_./-]*\.asm|(?:src|include|tests|notes)/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.(?:cpp|h|asm|md|sh|py|go))(?![A-Za-z0-9_]))");
  return re;
}

}  // namespace

TEST(Notes, EveryPathTheyNameExists) {
  const std::regex& re = our_path();
  int n = 0;
  for (auto& [path, text] : notes())
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it, ++n) {
      std::string p = (*it)[1];
      EXPECT_TRUE(std::ifstream(std::string(PROJECT_ROOT) + "/" + p).good())
          << path << " names " << p << ", which does not exist";
    }
  EXPECT_GT(n, 20);
}

// The same for what the sources say, in their comments and strings: a path
// of ours that a comment points a reader to must be there.
TEST(Notes, EveryPathTheSourcesNameExists) {
  const std::regex& re = our_path();
  std::vector<std::string> sources = {std::string(PROJECT_ROOT) + "/Makefile",
                                      std::string(PROJECT_ROOT) + "/.ci/run"};
  for (const std::string& dir : testutil::code_dirs())
    for (const char* ext : {".cpp", ".h", ".asm", ".sh", ".py", ".go"})
      for (const std::string& p : files_in(std::string(PROJECT_ROOT) + "/" + dir, ext))
        sources.push_back(p);
  int n = 0;
  for (const std::string& path : sources) {
    std::string text = slurp(path);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it) {
      std::string p = (*it)[1];
      // Go's own files (GOROOT/src/runtime/proc.go) are Go's, not ours.
      if (p.rfind("src/", 0) == 0 && (p.size() > 3 && p.compare(p.size() - 3, 3, ".go") == 0))
        continue;
      n++;
      EXPECT_TRUE(std::ifstream(std::string(PROJECT_ROOT) + "/" + p).good())
          << path << " names " << p << ", which does not exist";
    }
  }
  EXPECT_GT(n, 20);
}

TEST(Notes, EveryTestTheyNameExists) {
  std::string all;
  for (const char* dir : {"/tests", "/tests/bench", "/tests/gotest"})
    for (const std::string& p : files_in(std::string(PROJECT_ROOT) + dir, ".cpp")) all += slurp(p);
  static const std::regex name(
      R"(^(?:\w+/)?([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*)(?:/[\w*]+)?$)");
  int n = 0;
  for (auto& [path, text] : notes())
    for (const std::string& tok : backticked(text)) {
      std::smatch m;
      if (!std::regex_match(tok, m, name)) continue;
      n++;
      std::regex def("TEST(?:_F|_P)?\\(" + m[1].str() + ",\\s*" + m[2].str() + "\\)");
      EXPECT_TRUE(std::regex_search(all, def))
          << path << " names test " << tok << ", which does not exist";
    }
  EXPECT_GT(n, 15);
}

TEST(Notes, EveryIdentifierTheyNameExistsInOursOrGos) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT to look Go's names up in";
  std::set<std::string> words;
  static const std::regex word("[A-Za-z_][A-Za-z0-9_]*");
  auto add = [&](const std::string& text) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), word);
         it != std::sregex_iterator(); ++it)
      words.insert(it->str());
  };
  for (const std::string& dir : testutil::code_dirs())
    for (const char* ext : {".cpp", ".h", ".asm", ".py"})
      for (const std::string& p : files_in(std::string(PROJECT_ROOT) + "/" + dir, ext))
        add(slurp(p));
  for (const char* dir : {"/src/runtime", "/src/internal/poll", "/src/net", "/src/os", "/src/sync"})
    for (const char* ext : {".go", ".s"})
      for (const std::string& p : files_in(root + dir, ext)) add(slurp(p));
  static const std::regex ident(R"(^([a-z_][A-Za-z0-9_]*)(?:\(\))?$)");
  int n = 0;
  for (auto& [path, text] : notes())
    for (const std::string& tok : backticked(text)) {
      std::smatch m;
      if (!std::regex_match(tok, m, ident)) continue;
      n++;
      EXPECT_TRUE(words.count(m[1]))
          << path << " names `" << tok << "`, found nowhere in our code or Go's runtime";
    }
  EXPECT_GT(n, 50);
}

TEST(Notes, MapIsTheOneTheReferencesGenerate) {
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here";
  std::vector<goref::File> files = goref::load_sources(PROJECT_ROOT);
  std::string want = goref::notes_map(files, goref::scan(files), root);
  std::string readme = slurp(std::string(PROJECT_ROOT) + "/notes/README.md");
  size_t a = readme.find("<!-- map:begin -->\n"), b = readme.find("<!-- map:end -->");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  a += std::string("<!-- map:begin -->\n").size();
  std::string have = readme.substr(a, b - a);
  if (have != want) {
    std::string first;  // the first line that differs, to point the reader at it
    std::istringstream h(have), w(want);
    for (std::string hl, wl; std::getline(w, wl);)
      if (!std::getline(h, hl) || hl != wl) {
        first = wl;
        break;
      }
    ADD_FAILURE() << "notes/README.md's map is stale (run make notes-map); first difference at: "
                  << first;
  }
}

// Every Mermaid diagram, rendered by Mermaid's CLI in Debian's Chromium,
// draws only what its block declares (tests/mermaid_check.py says why a
// stray state means a syntax slip).  make test installs the CLI first.
TEST(Notes, EveryMermaidDiagramRendersWithOnlyWhatItDeclares) {
  std::string mmdc = PROJECT_ROOT "/build/npm/node_modules/.bin/mmdc";
  if (access(mmdc.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << mmdc << " (make test installs it)";
  std::string cmd = "python3 " PROJECT_ROOT "/tests/mermaid_check.py " + mmdc + " " +
                    testutil::build_dir() + "/diagrams 2>&1";
  int st;
  std::string out = testutil::output_of(cmd, &st);
  std::printf("%s", out.c_str());
  EXPECT_EQ(st, 0) << out;
}

namespace {


// What a translation must keep of its English note: the headings' anchors
// in order, what every link leads to, every code span (the Go lines cited
// among them), every fenced block, and the diagrams.
struct Shape {
  std::vector<std::string> anchors;   // "2 polldesc-netpollgo73-109"
  std::multiset<std::string> links;   // resolved, repository-relative, zh/ folded
  std::multiset<std::string> code;    // `spans`, whitespace collapsed
  std::vector<std::string> blocks;    // ``` blocks but Mermaid's
  std::vector<std::string> diagrams;  // "notes/netpoll.md 1"
  std::vector<std::string> problems;
};

std::string normal(std::string p) {  // a/b/../c -> a/c
  std::vector<std::string> parts;
  std::istringstream in(p);
  for (std::string s; std::getline(in, s, '/');)
    if (s == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!s.empty() && s != ".") {
      parts.push_back(s);
    }
  std::string out;
  for (auto& s : parts) out += (out.empty() ? "" : "/") + s;
  return out;
}

Shape shape_of(const std::string& rel) {  // rel: "notes/zh/netpoll.md"
  Shape s;
  std::string text = slurp(std::string(PROJECT_ROOT) + "/" + rel);
  std::string dir = rel.substr(0, rel.rfind('/'));
  auto fold = [](std::string p) {  // notes/zh/X -> notes/X
    if (p.rfind("notes/zh/", 0) == 0) p = "notes/" + p.substr(9);
    return p;
  };
  static const std::regex fence("```(\\w*)\\n([\\s\\S]*?)```\\n");
  int n = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), fence), end; it != end; ++it) {
    if ((*it)[1] == "mermaid")
      s.diagrams.push_back(fold(rel) + " " + std::to_string(++n));
    else
      s.blocks.push_back((*it)[2]);
  }
  std::string prose = std::regex_replace(text, fence, "");
  static const std::regex include("<!-- diagram: ([\\w/.]+\\.md) (\\d+) -->");
  for (std::sregex_iterator it(prose.begin(), prose.end(), include), end; it != end; ++it)
    s.diagrams.push_back(normal(dir + "/" + (*it)[1].str()) + " " + (*it)[2].str());
  std::istringstream lines(prose);
  static const std::regex heading("^(#{1,6}) (.*?)(?: \\{#([^}]+)\\})?$");
  for (std::string l; std::getline(lines, l);) {
    std::smatch m;
    if (!std::regex_match(l, m, heading)) continue;
    std::string id = m[3].matched ? m[3].str() : goref::slug(m[2]);
    s.anchors.push_back(std::to_string(m[1].length()) + " " + id);
  }
  static const std::regex link("\\]\\(([^)\\s]+)\\)");
  for (std::sregex_iterator it(prose.begin(), prose.end(), link), end; it != end; ++it) {
    std::string href = (*it)[1];
    if (href.rfind("https:", 0) == 0 || href[0] == '#') {
      s.links.insert(href);
      continue;
    }
    std::string path = href.substr(0, href.find('#'));
    std::string frag = href.find('#') == std::string::npos ? "" : href.substr(href.find('#'));
    std::string target = normal(dir + "/" + path);
    if (target.rfind("build/", 0) != 0 && !std::ifstream(std::string(PROJECT_ROOT) + "/" + target))
      s.problems.push_back(rel + " links " + href + ", which is not there");
    s.links.insert(fold(target) + frag);
  }
  static const std::regex span("`([^`]+)`");
  for (std::sregex_iterator it(prose.begin(), prose.end(), span), end; it != end; ++it)
    s.code.insert(std::regex_replace((*it)[1].str(), std::regex("\\s+"), " "));
  return s;
}

template <typename C>
std::string missing(const C& want, const C& got) {
  std::string out;
  std::multiset<std::string> g(got.begin(), got.end());
  for (const std::string& w : want) {
    auto it = g.find(w);
    if (it == g.end())
      out += "\n    " + w;
    else
      g.erase(it);
  }
  return out;
}

}  // namespace

// 在中文里也能读: each page of notes/zh/ is its English note's twin in all
// that a reader follows, so that the two never drift apart: the same
// anchors (the side-by-side pages' "explained in" links work in both), the
// same links, code spans and Go lines, fenced blocks and diagrams.
TEST(Notes, EachTranslationKeepsItsNotesAnchorsLinksCodeAndDiagrams) {
  std::vector<std::string> zh = files_in(std::string(PROJECT_ROOT) + "/notes/zh", ".md");
  std::set<std::string> names;
  for (const std::string& p : zh) names.insert(p.substr(p.rfind('/') + 1));
  EXPECT_EQ(names, (std::set<std::string>{"start_here.md", "netpoll.md", "netpoll_epoll.md",
                                          "proc.md", "sys_linux_amd64.md", "abi.md"}));
  for (const std::string& name : names) {
    Shape en = shape_of("notes/" + name), cn = shape_of("notes/zh/" + name);
    for (const std::string& p : en.problems) ADD_FAILURE() << p;
    for (const std::string& p : cn.problems) ADD_FAILURE() << p;
    EXPECT_EQ(cn.anchors, en.anchors) << name << ": the headings' anchors differ";
    EXPECT_TRUE(cn.links == en.links) << name << ": links the translation lacks:"
                                      << missing(en.links, cn.links)
                                      << "\n  links only the translation has:"
                                      << missing(cn.links, en.links);
    EXPECT_TRUE(cn.code == en.code) << name << ": code spans the translation lacks:"
                                    << missing(en.code, cn.code)
                                    << "\n  code spans only the translation has:"
                                    << missing(cn.code, en.code);
    EXPECT_EQ(cn.blocks, en.blocks) << name;
    EXPECT_EQ(cn.diagrams, en.diagrams) << name;
    EXPECT_GT(en.anchors.size(), 3u) << name;
  }
}
