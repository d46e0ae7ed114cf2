// vdso_elf64.h - twin of Go 1.19.8's runtime/vdso_elf64.go: the ELF64
// records the vDSO parser reads (src/runtime/vdso_linux.cpp).  Go declares
// its own rather than import debug/elf; so do we, rather than <elf.h>.
#pragma once

#include <cstdint>

namespace runtime {

// vdso_elf64.go:11  A dynamic symbol.
struct elfSym {
  uint32_t st_name;  // offset of its name in the string table
  uint8_t st_info;   // type (low 4 bits) and binding (high 4)
  uint8_t st_other;
  uint16_t st_shndx;  // its section; SHN_UNDEF if not defined here
  uint64_t st_value;  // its address, before relocation
  uint64_t st_size;
};

// vdso_elf64.go:20  A version definition: one per version the vDSO defines.
struct elfVerdef {
  uint16_t vd_version;
  uint16_t vd_flags;  // VER_FLG_BASE: the file's own name, not a version
  uint16_t vd_ndx;    // the index versym entries use for this version
  uint16_t vd_cnt;
  uint32_t vd_hash;  // ELF hash of the version's name
  uint32_t vd_aux;   // byte offset to its elfVerdaux (the name)
  uint32_t vd_next;  // byte offset to the next elfVerdef; 0 ends the list
};

// vdso_elf64.go:30  The ELF header.
struct elfEhdr {
  uint8_t e_ident[16];  // _EI_NIDENT
  uint16_t e_type;
  uint16_t e_machine;
  uint32_t e_version;
  uint64_t e_entry;
  uint64_t e_phoff;  // where the program headers start, from the header
  uint64_t e_shoff;
  uint32_t e_flags;
  uint16_t e_ehsize;
  uint16_t e_phentsize;
  uint16_t e_phnum;  // how many program headers there are
  uint16_t e_shentsize;
  uint16_t e_shnum;
  uint16_t e_shstrndx;
};

// vdso_elf64.go:47  A program header: one segment.
struct elfPhdr {
  uint32_t p_type;  // PT_LOAD, PT_DYNAMIC, ...
  uint32_t p_flags;
  uint64_t p_offset;  // where it starts in the file (here: the mapping)
  uint64_t p_vaddr;   // where it asked to be loaded
  uint64_t p_paddr;
  uint64_t p_filesz;
  uint64_t p_memsz;
  uint64_t p_align;
};

// vdso_elf64.go:58  A section header.  Go declares it and its vDSO code
// never reads one; ours does, in the executable's own file, for the
// symbol and line tables a traceback names frames with
// (src/runtime/symtab.cpp).
struct elfShdr {
  uint32_t sh_name;  // its name, in the section name table
  uint32_t sh_type;  // SHT_SYMTAB, SHT_NOBITS, ...
  uint64_t sh_flags;
  uint64_t sh_addr;
  uint64_t sh_offset;  // where it is in the file
  uint64_t sh_size;
  uint32_t sh_link;  // a symbol table's string table
  uint32_t sh_info;
  uint64_t sh_addralign;
  uint64_t sh_entsize;
};

// vdso_elf64.go:71  An entry of the dynamic table.
struct elfDyn {
  int64_t d_tag;   // DT_STRTAB, DT_SYMTAB, ...; DT_NULL ends the table
  uint64_t d_val;  // an address (before relocation) or a number
};

// vdso_elf64.go:76  The name of a version definition.
struct elfVerdaux {
  uint32_t vda_name;  // offset of the name in the string table
  uint32_t vda_next;
};

}  // namespace runtime
