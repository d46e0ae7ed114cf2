// defs_linux_amd64.h - twin of Go 1.19.8's runtime/defs_linux_amd64.go:
// the kernel's numbers and the one kernel struct the netpoller shares.
//
// Names: Go spells these with a leading underscore (_EPOLLIN), which C++
// reserves before a capital; libc owns the bare spelling (EPOLLIN, EINTR are
// macros).  So the underscore moves to the end: Go's _EPOLLIN is our
// runtime::EPOLLIN_, everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace runtime {

constexpr int32_t EINTR_ = 0x4;   // defs_linux_amd64.go:9
constexpr int32_t EAGAIN_ = 0xb;  // defs_linux_amd64.go:10
constexpr int32_t ENOMEM_ = 0xc;  // defs_linux_amd64.go:11

constexpr int32_t MADV_NOHUGEPAGE_ = 0xf;  // defs_linux_amd64.go:25

constexpr uint32_t EPOLLIN_ = 0x1;           // defs_linux_amd64.go:92
constexpr uint32_t EPOLLOUT_ = 0x4;          // defs_linux_amd64.go:93
constexpr uint32_t EPOLLERR_ = 0x8;          // defs_linux_amd64.go:94
constexpr uint32_t EPOLLHUP_ = 0x10;         // defs_linux_amd64.go:95
constexpr uint32_t EPOLLRDHUP_ = 0x2000;     // defs_linux_amd64.go:96
constexpr uint32_t EPOLLET_ = 0x80000000;    // defs_linux_amd64.go:97
constexpr int32_t EPOLL_CLOEXEC_ = 0x80000;  // defs_linux_amd64.go:98
constexpr int32_t EPOLL_CTL_ADD_ = 0x1;      // defs_linux_amd64.go:99
constexpr int32_t EPOLL_CTL_DEL_ = 0x2;      // defs_linux_amd64.go:100
constexpr int32_t EPOLL_CTL_MOD_ = 0x3;      // defs_linux_amd64.go:101

constexpr int32_t O_NONBLOCK_ = 0x800;   // defs_linux_amd64.go:184
constexpr int32_t O_CLOEXEC_ = 0x80000;  // defs_linux_amd64.go:185

// The kernel's struct epoll_event is packed on amd64: a 4-byte mask, then
// the 8-byte user datum at offset 4, unaligned.  Go declares the datum as
// [8]byte so its compiler never assumes alignment, and stores a pointer
// there through an unsafe cast; we keep the bytes and copy pointers in
// and out with memcpy (epolldata_get/set), C++'s defined way to do an
// unaligned load or store.  Bytes need no padding, so no packing attribute
// is required for the layout to be the kernel's.
struct epollevent {  // defs_linux_amd64.go:174
  uint32_t events;   // defs_linux_amd64.go:175
  uint8_t data[8];   // defs_linux_amd64.go:176  unaligned uintptr
};
static_assert(sizeof(epollevent) == 12, "kernel's epoll_event is 12 bytes on amd64");
static_assert(offsetof(epollevent, data) == 4, "data follows events with no padding");

// Go writes `*(**pollDesc)(unsafe.Pointer(&ev.data)) = pd` and reads it back
// the same way.  These are that cast, spelled as the unaligned copy it
// really is.
inline void epolldata_set(epollevent* ev, const void* p) {
  std::memcpy(ev->data, &p, sizeof p);  // netpoll_epoll.go:67  *(**pollDesc)(&ev.data) = pd
}
inline void* epolldata_get(const epollevent* ev) {
  void* p;
  std::memcpy(&p, ev->data, sizeof p);  // netpoll_epoll.go:170  pd := *(**pollDesc)(&ev.data)
  return p;
}
// go1.21 netpoll_epoll.go stores and loads a taggedPointer there instead.
inline void epolldata_set64(epollevent* ev, uint64_t v) { std::memcpy(ev->data, &v, sizeof v); }
inline uint64_t epolldata_get64(const epollevent* ev) {
  uint64_t v;
  std::memcpy(&v, ev->data, sizeof v);
  return v;
}

// go1.23 (CL 560615): eventfd2's flags, the kernel's values.
constexpr int32_t EFD_CLOEXEC_ = 0x80000;
constexpr int32_t EFD_NONBLOCK_ = 0x800;

}  // namespace runtime
