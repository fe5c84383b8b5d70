#include "cli/memory.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

// AddressSanitizer brings its own allocator: leave it alone.
#if defined(__SANITIZE_ADDRESS__)
#define STACKSHIFT_OWN_ALLOCATOR 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STACKSHIFT_OWN_ALLOCATOR 0
#endif
#endif
#ifndef STACKSHIFT_OWN_ALLOCATOR
#define STACKSHIFT_OWN_ALLOCATOR 1
#endif

namespace stackshift::cli {

void prefer_huge_pages() {
#if STACKSHIFT_OWN_ALLOCATOR
    constexpr std::size_t pad = std::size_t{64} << 20;   // the heap grows in 64 MiB steps
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    mallopt(M_TOP_PAD, static_cast<int>(pad));
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // big vectors stay on the heap, in the huge pages
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * pad));
    void* probe = std::malloc(std::size_t{1} << 20);  // more than the heap has left: it grows by the pad now
    auto begin = (reinterpret_cast<std::uintptr_t>(probe) + huge - 1) & ~(huge - 1);
    auto end = reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(huge - 1);
    // Only a request: memory is still committed as it is touched, and a kernel that does not
    // grant huge pages ignores it.
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
    std::free(probe);
#endif
}

}  // namespace stackshift::cli
