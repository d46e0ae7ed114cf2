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
      R"((?:^|[^/A-Za-z0-9_.$-])(asm/[A-Za-z0-9_./-]*\.asm|(?:src|include|tests|notes)/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.(?:cpp|h|asm|md|sh|py|go)))");
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
