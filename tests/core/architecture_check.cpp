#include "core/architecture_check.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace stackshift::testing {

namespace {

constexpr std::string_view section_heading = "## What may depend on what";

// The table, read: layers in their order (bottom first), what each may include, and which
// files may include each library header.
struct Arrows {
    std::vector<std::string> layers;
    std::map<std::string, std::set<std::string>> may_include;
    std::map<std::string, std::vector<std::string>> library_only_in;  // header -> paths or folders ("src/cli/")
    std::vector<std::set<std::string>> known_cycles;                  // files ("cfn/template_diff") of each
};

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> lines;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> cells_of(const std::string& row) {
    std::vector<std::string> cells;
    std::string_view s = row;
    s = s.substr(s.find('|') + 1);
    while (!s.empty()) {
        std::size_t bar = s.find('|');
        cells.push_back(trim(s.substr(0, bar)));
        if (bar == std::string_view::npos) break;
        s = s.substr(bar + 1);
    }
    if (!cells.empty() && cells.back().empty()) cells.pop_back();
    return cells;
}

// The names a cell writes as code: "`core`, `doc`" -> {core, doc}.
std::vector<std::string> code_spans(const std::string& cell) {
    std::vector<std::string> names;
    for (std::size_t open = cell.find('`'); open != std::string::npos; open = cell.find('`', open)) {
        std::size_t close = cell.find('`', open + 1);
        if (close == std::string::npos) break;
        names.push_back(cell.substr(open + 1, close - open - 1));
        open = close + 1;
    }
    return names;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

// The tables of the section, each as rows of cells, the header row first.
std::vector<std::vector<std::vector<std::string>>> section_tables(std::string_view markdown) {
    std::vector<std::vector<std::vector<std::string>>> tables;
    bool inside = false;
    bool in_table = false;
    for (const auto& line : lines_of(markdown)) {
        if (line.starts_with("## ")) inside = trim(line) == section_heading;
        bool row = inside && trim(line).starts_with("|");
        if (row) {
            if (!in_table) tables.emplace_back();
            auto cells = cells_of(trim(line));
            bool separator = std::all_of(cells.begin(), cells.end(), [](const std::string& c) {
                return !c.empty() && c.find_first_not_of("-: ") == std::string::npos;
            });
            if (!separator) tables.back().push_back(cells);
        }
        in_table = row;
    }
    return tables;
}

Arrows read_arrows(std::string_view markdown, std::vector<std::string>& problems) {
    Arrows arrows;
    bool found = false;
    for (const auto& table : section_tables(markdown)) {
        if (table.empty() || table[0].size() < 2) continue;
        if (table[0][0] == "layer" && table[0][1] == "may include") {
            found = true;
            for (std::size_t r = 1; r < table.size(); ++r) {
                auto names = code_spans(table[r][0]);
                if (names.size() != 1) {
                    problems.push_back("ARCHITECTURE.md: a row of the layer table names no layer: " + joined(table[r], " | "));
                    continue;
                }
                const std::string& layer = names[0];
                arrows.layers.push_back(layer);
                for (const auto& to : table[r].size() > 1 ? code_spans(table[r][1]) : std::vector<std::string>{}) {
                    if (std::find(arrows.layers.begin(), arrows.layers.end(), to) == arrows.layers.end() || to == layer)
                        problems.push_back("ARCHITECTURE.md: " + layer + " may include " + to +
                                           ", which the table does not list before it (it lists the layers from the bottom up)");
                    else
                        arrows.may_include[layer].insert(to);
                }
            }
        } else if (table[0][0] == "cycle") {
            for (std::size_t r = 1; r < table.size(); ++r) {
                auto files = code_spans(table[r][0]);
                arrows.known_cycles.emplace_back(files.begin(), files.end());
            }
        } else if (table[0][0] == "header" && table[0][1] == "only in") {
            for (std::size_t r = 1; r < table.size(); ++r) {
                auto headers = code_spans(table[r][0]);
                for (const auto& header : headers) arrows.library_only_in[header] = code_spans(table[r][1]);
            }
        }
    }
    if (!found)
        problems.push_back("ARCHITECTURE.md: no table | layer | may include | under \"" + std::string(section_heading) + "\"");
    return arrows;
}

// The layer a path under src/ belongs to: the longest layer that is a folder of it.
std::optional<std::string> layer_of(const Arrows& arrows, std::string_view path) {
    std::optional<std::string> best;
    for (const auto& layer : arrows.layers) {
        if (path.starts_with(layer + "/") && (!best || layer.size() > best->size())) best = layer;
    }
    return best;
}

struct Include {
    int line = 0;
    std::string target;
    bool quoted = false;  // "..." (a project file), else <...> (a library)
};

std::vector<Include> includes_of(const std::string& text) {
    std::vector<Include> out;
    int number = 0;
    for (const auto& raw : lines_of(text)) {
        ++number;
        std::string line = trim(raw);
        if (!line.starts_with("#")) continue;
        line = trim(line.substr(1));
        if (!line.starts_with("include")) continue;
        line = trim(line.substr(7));
        if (line.empty() || (line[0] != '"' && line[0] != '<')) continue;
        char close = line[0] == '"' ? '"' : '>';
        std::size_t end = line.find(close, 1);
        if (end == std::string::npos) continue;
        out.push_back({number, line.substr(1, end - 1), line[0] == '"'});
    }
    return out;
}

std::string without_extension(std::string_view path) {
    std::size_t dot = path.rfind('.');
    std::size_t slash = path.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::string(path);
    return std::string(path.substr(0, dot));
}

// Files as nodes ("apply/board" for board.hpp and board.cpp), each include between two of
// them an edge that remembers where it was written.
struct FileGraph {
    std::map<std::string, std::map<std::string, std::string>> edges;  // from -> to -> "file:line includes ..."

    // Cycles, one per strongly connected set of more than one file: its files, and its shortest
    // loop through its first file.
    std::vector<std::pair<std::set<std::string>, std::string>> cycles() const {
        std::vector<std::pair<std::set<std::string>, std::string>> found;
        for (auto& component : components()) {
            if (component.size() < 2) continue;
            std::string loop = describe(loop_through(component), component);
            found.emplace_back(std::move(component), std::move(loop));
        }
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        return found;
    }

private:
    std::vector<std::set<std::string>> components() const {
        // Tarjan's algorithm; a few hundred files, so recursion is fine.
        std::map<std::string, int> index;
        std::map<std::string, int> low;
        std::vector<std::string> stack;
        std::set<std::string> on_stack;
        std::vector<std::set<std::string>> out;
        int next = 0;
        std::function<void(const std::string&)> visit = [&](const std::string& v) {
            index[v] = low[v] = next++;
            stack.push_back(v);
            on_stack.insert(v);
            if (auto it = edges.find(v); it != edges.end()) {
                for (const auto& [w, where] : it->second) {
                    if (!index.contains(w)) {
                        visit(w);
                        low[v] = std::min(low[v], low[w]);
                    } else if (on_stack.contains(w)) {
                        low[v] = std::min(low[v], index[w]);
                    }
                }
            }
            if (low[v] == index[v]) {
                std::set<std::string> component;
                std::string w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack.erase(w);
                    component.insert(w);
                } while (w != v);
                out.push_back(std::move(component));
            }
        };
        for (const auto& [v, targets] : edges) {
            if (!index.contains(v)) visit(v);
        }
        return out;
    }

    std::vector<std::string> loop_through(const std::set<std::string>& component) const {
        const std::string& start = *component.begin();
        std::map<std::string, std::string> parent;
        std::deque<std::string> queue{start};
        std::set<std::string> seen{start};
        while (!queue.empty()) {
            std::string v = queue.front();
            queue.pop_front();
            for (const auto& [w, where] : edges.at(v)) {
                if (!component.contains(w)) continue;
                if (w == start) {
                    std::vector<std::string> path{start};
                    for (std::string at = v; at != start; at = parent[at]) path.insert(path.begin() + 1, at);
                    path.push_back(start);
                    return path;
                }
                if (seen.insert(w).second) {
                    parent[w] = v;
                    queue.push_back(w);
                }
            }
        }
        return {start};
    }

    std::string describe(const std::vector<std::string>& path, const std::set<std::string>& component) const {
        std::vector<std::string> where;
        for (std::size_t i = 0; i + 1 < path.size(); ++i) where.push_back(edges.at(path[i]).at(path[i + 1]));
        std::vector<std::string> others;
        for (const auto& file : component) {
            if (std::find(path.begin(), path.end(), file) == path.end()) others.push_back(file);
        }
        return "file-level include cycle " + joined(path, " -> ") + " (" + joined(where, "; ") + ")" +
               (others.empty() ? "" : "; " + joined(others, ", ") + " in the same cycle");
    }
};

bool may_include_library(const std::vector<std::string>& only_in, const std::string& path) {
    return std::any_of(only_in.begin(), only_in.end(), [&](const std::string& place) {
        return place.ends_with('/') ? path.starts_with(place) : path == place;
    });
}

}  // namespace

std::vector<std::string> check_architecture(std::string_view architecture_md, const std::vector<SourceFile>& sources) {
    std::vector<std::string> problems;
    Arrows arrows = read_arrows(architecture_md, problems);
    if (arrows.layers.empty()) return problems;

    std::set<std::string> files;  // nodes of the file graph, relative to src/
    for (const auto& source : sources) files.insert(without_extension(std::string_view(source.path).substr(4)));

    FileGraph graph;
    for (const auto& source : sources) {
        std::string_view relative = std::string_view(source.path).substr(4);  // after "src/"
        auto from = layer_of(arrows, relative);
        if (!from) {
            problems.push_back(source.path + ": its folder is no layer of ARCHITECTURE.md's table");
            continue;
        }
        std::string node = without_extension(relative);
        for (const auto& include : includes_of(source.text)) {
            std::string at = source.path + ":" + std::to_string(include.line) + ": ";
            if (!include.quoted) {
                auto only_in = arrows.library_only_in.find(include.target);
                if (only_in != arrows.library_only_in.end() && !may_include_library(only_in->second, source.path))
                    problems.push_back(at + "includes <" + include.target + ">, which only " + joined(only_in->second, ", ") +
                                       " may include (ARCHITECTURE.md)");
                continue;
            }
            auto to = layer_of(arrows, include.target);
            if (!to) {
                problems.push_back(at + "includes \"" + include.target + "\", which is in no layer of ARCHITECTURE.md's table");
                continue;
            }
            if (*to != *from && !arrows.may_include[*from].contains(*to)) {
                std::vector<std::string> allowed(arrows.may_include[*from].begin(), arrows.may_include[*from].end());
                problems.push_back(at + "includes \"" + include.target + "\": " + *from + " -> " + *to +
                                   " is no arrow of ARCHITECTURE.md (" + *from + " may include " +
                                   (allowed.empty() ? std::string("nothing") : joined(allowed, ", ")) + ")");
            }
            std::string target = without_extension(include.target);
            if (target != node && files.contains(target))
                graph.edges[node].emplace(target, source.path + ":" + std::to_string(include.line) + " includes \"" + include.target + "\"");
        }
    }
    std::vector<bool> known_seen(arrows.known_cycles.size(), false);
    for (const auto& [component, loop] : graph.cycles()) {
        auto known = std::find(arrows.known_cycles.begin(), arrows.known_cycles.end(), component);
        if (known != arrows.known_cycles.end()) known_seen[static_cast<std::size_t>(known - arrows.known_cycles.begin())] = true;
        else problems.push_back(loop);
    }
    for (std::size_t i = 0; i < arrows.known_cycles.size(); ++i) {
        if (known_seen[i]) continue;
        std::vector<std::string> listed(arrows.known_cycles[i].begin(), arrows.known_cycles[i].end());
        problems.push_back("ARCHITECTURE.md: the known cycle " + joined(listed, ", ") + " is gone: remove its row");
    }
    return problems;
}

std::vector<SourceFile> read_sources(const std::string& root) {
    std::vector<SourceFile> sources;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(root) / "src")) {
        const auto& p = entry.path();
        if (!entry.is_regular_file() || (p.extension() != ".hpp" && p.extension() != ".cpp" && p.extension() != ".inc")) continue;
        std::ifstream in(p, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        sources.push_back({std::filesystem::relative(p, root).generic_string(), text.str()});
    }
    std::sort(sources.begin(), sources.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return sources;
}

}  // namespace stackshift::testing
