#include "cfn/rename_detection.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace stackshift::cfn {

namespace {

void flatten(const Value& v, std::string& path, std::vector<std::string>& out) {
    if (v.is_map() && v.function_name().empty()) {
        for (const auto& m : v.members()) {
            std::size_t mark = path.size();
            path += '.' + m.key;
            flatten(m.value, path, out);
            path.resize(mark);
        }
        return;
    }
    if (v.is_list()) {
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            std::size_t mark = path.size();
            path += '[' + std::to_string(i) + ']';
            flatten(v.items()[i], path, out);
            path.resize(mark);
        }
        return;
    }
    out.push_back(path + '=' + v.to_display());
}

std::vector<std::string> leaves(const Value& v) {
    std::vector<std::string> out;
    std::string path;
    flatten(v, path, out);
    std::sort(out.begin(), out.end());
    return out;
}

double similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() && b.empty()) return 1.0;
    std::vector<std::string> common;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
    return static_cast<double>(common.size()) / static_cast<double>(std::max(a.size(), b.size()));
}

}  // namespace

double body_similarity(const Value& a, const Value& b) { return similarity(leaves(a), leaves(b)); }

std::vector<std::pair<const Resource*, const Resource*>> detect_renames(const std::vector<const Resource*>& removed,
                                                                        const std::vector<const Resource*>& added,
                                                                        Evaluator& old_evaluator,
                                                                        Evaluator& new_evaluator) {
    struct Candidate {
        double score;
        std::size_t from;
        std::size_t to;
    };
    std::vector<std::vector<std::string>> old_leaves(removed.size());
    std::vector<std::vector<std::string>> new_leaves(added.size());
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < removed.size(); ++i) {
        for (std::size_t j = 0; j < added.size(); ++j) {
            if (removed[i]->type != added[j]->type) continue;
            if (old_leaves[i].empty() && removed[i]->properties) old_leaves[i] = leaves(old_evaluator.resolve(*removed[i]->properties));
            if (new_leaves[j].empty() && added[j]->properties) new_leaves[j] = leaves(new_evaluator.resolve(*added[j]->properties));
            double score = similarity(old_leaves[i], new_leaves[j]);
            if (score >= rename_threshold) candidates.push_back({score, i, j});
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
    std::unordered_set<std::size_t> used_from;
    std::unordered_set<std::size_t> used_to;
    std::vector<std::pair<const Resource*, const Resource*>> pairs;
    for (const auto& c : candidates) {
        if (used_from.count(c.from) || used_to.count(c.to)) continue;
        used_from.insert(c.from);
        used_to.insert(c.to);
        pairs.emplace_back(removed[c.from], added[c.to]);
    }
    return pairs;
}

}  // namespace stackshift::cfn
