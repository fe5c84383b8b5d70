// Benchmarks of the template engine on generated pairs (bench/gen_pairs.py writes them):
//   LoadAndDiff/N   both templates parsed and checked, then diffed: the target is < 10 ms for N=500
//   Diff/N          the diff alone, templates loaded once
//   Parse*/N        the raw YAML libraries on the old template, for the library choice
// Usage: bench_diff --pairs DIR [google benchmark flags]

#include <benchmark/benchmark.h>
#include <libfyaml.h>
#include <sys/resource.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cfn/template.hpp"
#include "cfn/template_diff.hpp"

#ifdef STACKSHIFT_BENCH_YAML_CPP
#include <yaml-cpp/yaml.h>
#endif

namespace {

std::string g_pairs = "bench/pairs";

struct Pair {
    std::string old_text;
    std::string new_text;
};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "bench_diff: cannot read " << path << "; run python3 bench/gen_pairs.py " << g_pairs << " first\n";
        std::exit(2);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const Pair& pair(int n) {
    static std::map<int, Pair> cache;
    auto it = cache.find(n);
    if (it != cache.end()) return it->second;
    std::string base = g_pairs + "/pair-" + std::to_string(n);
    return cache[n] = Pair{read(base + ".old.yaml"), read(base + ".new.yaml")};
}

void LoadAndDiff(benchmark::State& state) {
    const Pair& p = pair(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto a = stackshift::cfn::parse_template(p.old_text, "old.yaml");
        auto b = stackshift::cfn::parse_template(p.new_text, "new.yaml");
        if (!a || !b) state.SkipWithError("template does not load");
        auto diff = stackshift::cfn::diff_templates(*a, *b, nullptr);
        benchmark::DoNotOptimize(diff);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (p.old_text.size() + p.new_text.size())));
}

void Diff(benchmark::State& state) {
    const Pair& p = pair(static_cast<int>(state.range(0)));
    auto a = stackshift::cfn::parse_template(p.old_text, "old.yaml");
    auto b = stackshift::cfn::parse_template(p.new_text, "new.yaml");
    for (auto _ : state) {
        auto diff = stackshift::cfn::diff_templates(*a, *b, nullptr);
        benchmark::DoNotOptimize(diff);
    }
}

void ParseStackshift(benchmark::State& state) {
    const Pair& p = pair(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto v = stackshift::cfn::parse_document(p.old_text, "old.yaml", stackshift::cfn::Format::yaml);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.old_text.size()));
}

void ParseLibfyamlEvents(benchmark::State& state) {
    const Pair& p = pair(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        fy_parse_cfg cfg{};
        cfg.flags = FYPCF_QUIET;
        fy_parser* parser = fy_parser_create(&cfg);
        fy_parser_set_string(parser, p.old_text.data(), p.old_text.size());
        std::size_t events = 0;
        while (fy_event* e = fy_parser_parse(parser)) {
            ++events;
            fy_parser_event_free(parser, e);
        }
        fy_parser_destroy(parser);
        benchmark::DoNotOptimize(events);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.old_text.size()));
}

#ifdef STACKSHIFT_BENCH_YAML_CPP
void ParseYamlCpp(benchmark::State& state) {
    const Pair& p = pair(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        YAML::Node node = YAML::Load(p.old_text);
        benchmark::DoNotOptimize(node);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.old_text.size()));
}
BENCHMARK(ParseYamlCpp)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);
#endif

BENCHMARK(LoadAndDiff)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(Diff)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(ParseStackshift)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(ParseLibfyamlEvents)->Arg(50)->Arg(500)->Arg(2000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) {
            g_pairs = argv[++i];
            continue;
        }
        rest.push_back(argv[i]);
    }
    int rest_count = static_cast<int>(rest.size());
    benchmark::Initialize(&rest_count, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << "peak memory (max RSS) of the benchmark process: " << usage.ru_maxrss / 1024 << " MiB\n";
    return 0;
}
