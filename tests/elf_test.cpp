// How the program is built matters to a reader stepping through it: no
// executable stack (every asm file carries .note.GNU-stack), and position-
// independent code.  These check the running binary, not the Makefile.
#include <elf.h>
#include <gtest/gtest.h>
#include <link.h>

#include <fstream>
#include <string>

TEST(Elf, StackIsNotExecutable) {
  // The kernel maps the stack executable only when PT_GNU_STACK asks for it
  // (or is missing); a missing note in any object would ask for it.
  std::ifstream maps("/proc/self/maps");
  bool found = false;
  for (std::string line; std::getline(maps, line);) {
    if (line.find("[stack]") == std::string::npos) continue;
    found = true;
    std::string perms = line.substr(line.find(' ') + 1, 4);
    EXPECT_EQ(perms.find('x'), std::string::npos) << line;
  }
  EXPECT_TRUE(found);
}

TEST(Elf, GnuStackHeaderHasNoExecuteFlag) {
  bool found = false;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        for (int i = 0; i < info->dlpi_phnum; i++)
          if (info->dlpi_phdr[i].p_type == PT_GNU_STACK) {
            EXPECT_EQ(info->dlpi_phdr[i].p_flags & PF_X, 0u);
            *static_cast<bool*>(out) = true;
          }
        return 1;  // the first object is the program itself
      },
      &found);
  EXPECT_TRUE(found);
}

TEST(Elf, ProgramIsPositionIndependent) {
  std::ifstream exe("/proc/self/exe", std::ios::binary);
  Elf64_Ehdr h{};
  exe.read(reinterpret_cast<char*>(&h), sizeof h);
  EXPECT_EQ(h.e_type, ET_DYN) << "a PIE is ET_DYN; ET_EXEC means fixed addresses";
}
