#pragma once
// Rename detection: a resource removed under one logical id and added under another, with the
// same type and the same or nearly the same body. CloudFormation still destroys and creates,
// so a rename of a stateful resource loses its data; naming it a rename tells the reviewer why.

#include <utility>
#include <vector>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"

namespace stackshift::cfn {

// Share of leaf values two bodies have in common, from 0 to 1.
double body_similarity(const Value& a, const Value& b);

// At least this similar to count as a rename.
inline constexpr double rename_threshold = 0.8;

// Pairs (removed, added), each resource in at most one pair, best matches first.
std::vector<std::pair<const Resource*, const Resource*>> detect_renames(const std::vector<const Resource*>& removed,
                                                                        const std::vector<const Resource*>& added,
                                                                        Evaluator& old_evaluator,
                                                                        Evaluator& new_evaluator);

}  // namespace stackshift::cfn
