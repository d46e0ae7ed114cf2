// vdso_linux.cpp - twin of Go 1.19.8's runtime/vdso_linux.go: find a
// function in the vDSO, the small shared object the kernel maps into every
// process so that reading the clock needs no system call.
//
// The vDSO is an ELF image already in memory; nobody relocates it.  So the
// lookup is a dynamic linker's, cut to the bone: from the ELF header to the
// program headers (the load offset and the dynamic table), from the
// dynamic table to the symbol, string, hash and version tables, then a hash
// lookup of each wanted name, checked against its version ("LINUX_2.6").
// The ELF records are in include/runtime/vdso_elf64.h; the names wanted
// and where their addresses go, in vdso_linux_amd64.cpp.
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"
#include "runtime/vdso_elf64.h"

namespace runtime {

namespace {

// vdso_linux.go:22-49  Numbers from the ELF specification.
constexpr uintptr_t AT_SYSINFO_EHDR_ = 33;    // vdso_linux.go:23  the vDSO's address, in auxv
constexpr uint32_t PT_LOAD_ = 1;              // vdso_linux.go:25  a loadable segment
constexpr uint32_t PT_DYNAMIC_ = 2;           // vdso_linux.go:26  the dynamic table
constexpr int64_t DT_NULL_ = 0;               // vdso_linux.go:28  ends the dynamic table
constexpr int64_t DT_HASH_ = 4;               // vdso_linux.go:29  SysV symbol hash table
constexpr int64_t DT_STRTAB_ = 5;             // vdso_linux.go:30
constexpr int64_t DT_SYMTAB_ = 6;             // vdso_linux.go:31
constexpr int64_t DT_GNU_HASH_ = 0x6ffffef5;  // vdso_linux.go:32  GNU symbol hash table
constexpr int64_t DT_VERSYM_ = 0x6ffffff0;    // vdso_linux.go:33  a version index per symbol
constexpr int64_t DT_VERDEF_ = 0x6ffffffc;    // vdso_linux.go:34  the version definitions
constexpr uint16_t VER_FLG_BASE_ = 0x1;       // vdso_linux.go:36  the file's own entry
constexpr uint16_t SHN_UNDEF_ = 0;            // vdso_linux.go:38
constexpr uint8_t STT_FUNC_ = 2;              // vdso_linux.go:42
constexpr uint8_t STT_NOTYPE_ = 0;            // vdso_linux.go:44
constexpr uint8_t STB_GLOBAL_ = 1;            // vdso_linux.go:46
constexpr uint8_t STB_WEAK_ = 2;              // vdso_linux.go:47
// vdso_linux.go:53-57  Go types each table as a maximal array so that
// indexing it needs no bounds; ours are plain pointers.
// vdso_linux.go:61  A GNU hash table's bloom words are uintptrs in a table
// of uint32s: each is this many uint32s.
constexpr uint32_t vdsoBloomSizeScale = sizeof(uintptr_t) / 4;

uint8_t ELF_ST_BIND(uint8_t val) { return val >> 4; }   // vdso_linux.go:65
uint8_t ELF_ST_TYPE(uint8_t val) { return val & 0xf; }  // vdso_linux.go:66

// vdso_linux.go:80  What vdsoInitFromSysinfoEhdr found.  Go's bucket and
// chain are slices; ours are a pointer and, for bucket, a length.
struct vdsoInfo {
  bool valid;
  uintptr_t loadAddr;    // where the image is mapped
  uintptr_t loadOffset;  // loadAddr minus the address it was linked at
  const elfSym* symtab;
  const char* symstrings;
  const uint32_t* chain;
  const uint32_t* bucket;
  uint32_t nbucket;  // Go's len(info.bucket)
  uint32_t symOff;   // the first symbol the GNU hash table covers
  bool isGNUHash;
  const uint16_t* versym;
  const elfVerdef* verdef;
};

// vdso_linux.go:102  Fills *info from the ELF image at hdr; info->valid says
// whether every table a lookup needs was found.
void vdsoInitFromSysinfoEhdr(vdsoInfo* info, const elfEhdr* hdr) {
  info->valid = false;                                // vdso_linux.go:103
  info->loadAddr = reinterpret_cast<uintptr_t>(hdr);  // vdso_linux.go:104
  uintptr_t pt = info->loadAddr + hdr->e_phoff;       // vdso_linux.go:106
  // Two things from the program headers: the load offset and the dynamic
  // table.
  bool foundVaddr = false;                                                   // vdso_linux.go:110
  const elfDyn* dyn = nullptr;                                               // vdso_linux.go:111
  for (uint16_t i = 0; i < hdr->e_phnum; i++) {                              // vdso_linux.go:112
    auto* ph = reinterpret_cast<const elfPhdr*>(pt + i * sizeof(elfPhdr));   // vdso_linux.go:113
    switch (ph->p_type) {                                                    // vdso_linux.go:114
      case PT_LOAD_:                                                         // vdso_linux.go:115
        if (!foundVaddr) {                                                   // vdso_linux.go:116
          foundVaddr = true;                                                 // vdso_linux.go:117
          info->loadOffset = info->loadAddr + (ph->p_offset - ph->p_vaddr);  // vdso_linux.go:118
        }
        break;
      case PT_DYNAMIC_:                                                        // vdso_linux.go:121
        dyn = reinterpret_cast<const elfDyn*>(info->loadAddr + ph->p_offset);  // vdso_linux.go:122
        break;
    }
  }
  if (!foundVaddr || dyn == nullptr) return;  // vdso_linux.go:126-127  failed

  // vdso_linux.go:132-136  The tables, from the dynamic table.
  const uint32_t *hash = nullptr, *gnuhash = nullptr;
  info->symstrings = nullptr;
  info->symtab = nullptr;
  info->versym = nullptr;
  info->verdef = nullptr;
  for (int i = 0; dyn[i].d_tag != DT_NULL_; i++) {            // vdso_linux.go:137
    const elfDyn* dt = &dyn[i];                               // vdso_linux.go:138
    uintptr_t p = info->loadOffset + dt->d_val;               // vdso_linux.go:139
    switch (dt->d_tag) {                                      // vdso_linux.go:140
      case DT_STRTAB_:                                        // vdso_linux.go:141
        info->symstrings = reinterpret_cast<const char*>(p);  // vdso_linux.go:142
        break;
      case DT_SYMTAB_:                                      // vdso_linux.go:143
        info->symtab = reinterpret_cast<const elfSym*>(p);  // vdso_linux.go:144
        break;
      case DT_HASH_:                                  // vdso_linux.go:145
        hash = reinterpret_cast<const uint32_t*>(p);  // vdso_linux.go:146
        break;
      case DT_GNU_HASH_:                                 // vdso_linux.go:147
        gnuhash = reinterpret_cast<const uint32_t*>(p);  // vdso_linux.go:148
        break;
      case DT_VERSYM_:                                        // vdso_linux.go:149
        info->versym = reinterpret_cast<const uint16_t*>(p);  // vdso_linux.go:150
        break;
      case DT_VERDEF_:                                         // vdso_linux.go:151
        info->verdef = reinterpret_cast<const elfVerdef*>(p);  // vdso_linux.go:152
        break;
    }
  }
  if (info->symstrings == nullptr || info->symtab == nullptr ||
      (hash == nullptr && gnuhash == nullptr))  // vdso_linux.go:156
    return;                                     // vdso_linux.go:157  failed
  // vdso_linux.go:160-161  Versions without their names are no use.
  if (info->verdef == nullptr) info->versym = nullptr;

  if (gnuhash != nullptr) {  // vdso_linux.go:164
    // The GNU table: nbucket, symOff, bloom words, bloom shift, the
    // bloom filter, the buckets, then one hash per symbol from symOff.
    uint32_t nbucket = gnuhash[0];                                // vdso_linux.go:166
    info->symOff = gnuhash[1];                                    // vdso_linux.go:167
    uint32_t bloomSize = gnuhash[2];                              // vdso_linux.go:168
    info->bucket = gnuhash + 4 + bloomSize * vdsoBloomSizeScale;  // vdso_linux.go:169
    info->nbucket = nbucket;
    info->chain = gnuhash + 4 + bloomSize * vdsoBloomSizeScale + nbucket;  // vdso_linux.go:170
    info->isGNUHash = true;                                                // vdso_linux.go:171
  } else {
    // The SysV table: nbucket, nchain, the buckets, the chains.
    uint32_t nbucket = hash[0];  // vdso_linux.go:174
    info->bucket = hash + 2;     // vdso_linux.go:176
    info->nbucket = nbucket;
    info->chain = hash + 2 + nbucket;  // vdso_linux.go:177  (nchain: Go's slice bound)
  }
  info->valid = true;  // vdso_linux.go:181
}

// vdso_linux.go:184  The index of version ver among the vDSO's version
// definitions; 0 if info is not valid (then any version will do), -1 if
// the vDSO does not define it (then no symbol will match).
int32_t vdsoFindVersion(const vdsoInfo* info, const vdsoVersionKey* ver) {
  if (!info->valid) return 0;           // vdso_linux.go:185-186
  const elfVerdef* def = info->verdef;  // vdso_linux.go:189
  // Go reads def without a check: every Linux vDSO has version
  // definitions.  An image without them (verdef nil) would fault Go here;
  // ours looks the symbols up without a version instead.
  if (def == nullptr) return 0;
  for (;;) {
    if ((def->vd_flags & VER_FLG_BASE_) == 0) {  // vdso_linux.go:191
      auto* aux = reinterpret_cast<const elfVerdaux*>(reinterpret_cast<uintptr_t>(def) +
                                                      def->vd_aux);  // vdso_linux.go:192
      if (def->vd_hash == ver->verHash &&
          std::strcmp(ver->version, &info->symstrings[aux->vda_name]) == 0)  // vdso_linux.go:193
        return def->vd_ndx & 0x7fff;                                         // vdso_linux.go:194
    }
    if (def->vd_next == 0) break;  // vdso_linux.go:198-199
    def = reinterpret_cast<const elfVerdef*>(reinterpret_cast<uintptr_t>(def) +
                                             def->vd_next);  // vdso_linux.go:201
  }
  return -1;  // vdso_linux.go:204  cannot match any version
}

// vdso_linux.go:207  Looks up every vdsoSymbolKeys name through the hash
// table and stores what it finds.
void vdsoParseSymbols(const vdsoInfo* info, int32_t version) {
  if (!info->valid) return;  // vdso_linux.go:208-209
  // vdso_linux.go:212  If symbol symIndex is k's function, of the wanted
  // version, store its address in *k.ptr.
  auto apply = [&](uint32_t symIndex, const vdsoSymbolKey& k) {
    const elfSym* sym = &info->symtab[symIndex];  // vdso_linux.go:213
    uint8_t typ = ELF_ST_TYPE(sym->st_info);      // vdso_linux.go:214
    uint8_t bind = ELF_ST_BIND(sym->st_info);     // vdso_linux.go:215
    if ((typ != STT_FUNC_ && typ != STT_NOTYPE_) || (bind != STB_GLOBAL_ && bind != STB_WEAK_) ||
        sym->st_shndx == SHN_UNDEF_)                                // vdso_linux.go:217
      return false;                                                 // vdso_linux.go:218
    if (std::strcmp(k.name, &info->symstrings[sym->st_name]) != 0)  // vdso_linux.go:220
      return false;                                                 // vdso_linux.go:221
    if (info->versym != nullptr && version != 0 &&
        (info->versym[symIndex] & 0x7fff) != version)  // vdso_linux.go:224
      return false;                                    // vdso_linux.go:225
    *k.ptr = info->loadOffset + sym->st_value;         // vdso_linux.go:228
    return true;                                       // vdso_linux.go:229
  };
  if (!info->isGNUHash) {                            // vdso_linux.go:232  old-style DT_HASH
    for (const vdsoSymbolKey& k : vdsoSymbolKeys) {  // vdso_linux.go:234
      if (info->nbucket > 0) {                       // vdso_linux.go:235
        for (uint32_t chain = info->bucket[k.symHash % info->nbucket]; chain != 0;
             chain = info->chain[chain]) {  // vdso_linux.go:236
          if (apply(chain, k)) break;       // vdso_linux.go:237-238
        }
      }
    }
    return;  // vdso_linux.go:243
  }
  // DT_GNU_HASH: a bucket names the first symbol of its chain; the chain
  // holds each symbol's hash, its low bit marking the end.
  for (const vdsoSymbolKey& k : vdsoSymbolKeys) {                 // vdso_linux.go:247
    uint32_t symIndex = info->bucket[k.gnuHash % info->nbucket];  // vdso_linux.go:248
    if (symIndex < info->symOff) continue;                        // vdso_linux.go:249-250
    for (;; symIndex++) {                                         // vdso_linux.go:252
      uint32_t hash = info->chain[symIndex - info->symOff];       // vdso_linux.go:253
      if ((hash | 1) == (k.gnuHash | 1)) {                        // vdso_linux.go:254  a hash match
        if (apply(symIndex, k)) break;                            // vdso_linux.go:256-257
      }
      if ((hash & 1) != 0) break;  // vdso_linux.go:260-262  end of chain
    }
  }
}

}  // namespace

// vdso_linux.go:268  sysauxv hands every auxv entry here; the vDSO's
// address is the one wanted.
void vdsoauxv(uintptr_t tag, uintptr_t val) {
  switch (tag) {
    case AT_SYSINFO_EHDR_: {  // vdso_linux.go:270
      if (val == 0) return;   // vdso_linux.go:271-273  something went wrong
      // Ours only: NETPOLL_VDSO=0 leaves vdsoClockgettimeSym 0, so that
      // nanotime1 issues clock_gettime and a reader can step into it.
      if (const char* e = std::getenv("NETPOLL_VDSO"); e != nullptr && std::strcmp(e, "0") == 0)
        return;
      vdsoInfo info{};                                                        // vdso_linux.go:275
      vdsoInitFromSysinfoEhdr(&info, reinterpret_cast<const elfEhdr*>(val));  // vdso_linux.go:279
      vdsoParseSymbols(&info, vdsoFindVersion(&info, &vdsoLinuxVersion));     // vdso_linux.go:280
      break;
    }
  }
}

// inVDSOPage is left out: it tells the SIGPROF profiler's traceback that a
// pc is in the vDSO, and we have no profiler.

}  // namespace runtime
