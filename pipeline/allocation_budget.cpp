#include "pipeline/allocation_budget.h"

#include <cstdlib>
#include <new>

namespace casenote {
namespace {

// Plain values, so that reading them needs no thread-local initialisation even while a
// thread starts or ends.
thread_local bool budget_active = false;
thread_local std::size_t budget_left = 0;

void* allocate(std::size_t size) {
  if (budget_active) {
    if (size > budget_left) throw std::bad_alloc();
    budget_left -= size;
  }
  if (size == 0) size = 1;
  for (;;) {
    if (void* memory = std::malloc(size)) return memory;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

AllocationBudget::AllocationBudget(std::size_t bytes) : outer_active_(budget_active), outer_left_(budget_left) {
  budget_active = true;
  budget_left = bytes;
}

AllocationBudget::~AllocationBudget() {
  budget_active = outer_active_;
  budget_left = outer_left_;
}

}  // namespace casenote

// The program's allocation functions, replaced (as C++ allows) so that a budget sees every
// allocation a library makes. All the replaceable forms a library may call are defined here,
// each allocation freed by the same pair of functions; the over-aligned forms stay the
// standard library's, which pair with each other.
void* operator new(std::size_t size) { return casenote::allocate(size); }
void* operator new[](std::size_t size) { return casenote::allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return casenote::allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& nothrow) noexcept { return operator new(size, nothrow); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
