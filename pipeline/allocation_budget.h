// A bound on what a call into a library may allocate, for libraries known to loop without end
// on some inputs: ZXing 1.4's Data Matrix detector can trace an edge forever, growing a vector
// until the machine's memory is gone (zxing-cpp issues 570 and 574, fixed after the version
// Debian 12 ships). Under a budget the same loop ends in std::bad_alloc within a few seconds.
#pragma once

#include <cstddef>

namespace casenote {

// While one lives, allocations on its thread beyond `bytes` in total (every allocation counts,
// freed or not) throw std::bad_alloc. Budgets do not nest: a new one replaces the running one
// until it ends.
class AllocationBudget {
 public:
  explicit AllocationBudget(std::size_t bytes);
  ~AllocationBudget();
  AllocationBudget(const AllocationBudget&) = delete;
  AllocationBudget& operator=(const AllocationBudget&) = delete;

 private:
  bool outer_active_;
  std::size_t outer_left_;
};

}  // namespace casenote
