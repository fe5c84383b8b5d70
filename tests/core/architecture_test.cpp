// ARCHITECTURE.md's layers hold: every #include of src/ follows the table of "What may depend
// on what", libraries stay in the files it names, and no files of a layer include each other in
// a cycle. And the check fails when they do not: each kind of violation, forged.

#include "core/architecture_check.hpp"
#include "test_support.hpp"

namespace stackshift::testing {
namespace {

std::string architecture() { return read_text(source_path("ARCHITECTURE.md")); }

std::vector<SourceFile> sources_with(std::vector<SourceFile> forged) {
    auto sources = read_sources(STACKSHIFT_SOURCE_DIR);
    sources.insert(sources.end(), forged.begin(), forged.end());
    return sources;
}

std::string lines(const std::vector<std::string>& problems) {
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
}

TEST(Architecture, EveryIncludeFollowsTheArrows) {
    auto sources = read_sources(STACKSHIFT_SOURCE_DIR);
    EXPECT_GT(sources.size(), 100u);
    EXPECT_EQ(lines(check_architecture(architecture(), sources)), "");
}

TEST(Architecture, ForgedBackArrowIsNamedWithItsLine) {
    auto problems = check_architecture(architecture(), sources_with({{"src/profile/forged.cpp", "// forged\n\n#include \"cfn/template.hpp\"\n"}}));
    EXPECT_EQ(lines(problems),
              "src/profile/forged.cpp:3: includes \"cfn/template.hpp\": profile -> cfn is no arrow of ARCHITECTURE.md "
              "(profile may include core, doc)\n");
}

TEST(Architecture, ForgedIncludeOfTheSimulatorFromTheExecutor) {
    auto problems = check_architecture(architecture(), sources_with({{"src/apply/forged.cpp", "#include \"cloud/sim/world.hpp\"\n"}}));
    EXPECT_EQ(lines(problems),
              "src/apply/forged.cpp:1: includes \"cloud/sim/world.hpp\": apply -> cloud/sim is no arrow of ARCHITECTURE.md "
              "(apply may include cfn, cloud, core, plan)\n");
}

TEST(Architecture, ForgedCycleBetweenTheFilesOfALayer) {
    auto problems = check_architecture(architecture(), sources_with({
        {"src/apply/forged_a.hpp", "#pragma once\n#include \"apply/forged_b.hpp\"\n"},
        {"src/apply/forged_b.cpp", "#include \"apply/forged_b.hpp\"\n\n#include \"apply/forged_a.hpp\"\n"},
        {"src/apply/forged_b.hpp", "#pragma once\n"},
    }));
    EXPECT_EQ(lines(problems),
              "file-level include cycle apply/forged_a -> apply/forged_b -> apply/forged_a "
              "(src/apply/forged_a.hpp:2 includes \"apply/forged_b.hpp\"; src/apply/forged_b.cpp:3 includes \"apply/forged_a.hpp\")\n");
}

TEST(Architecture, ACycleNamesEveryFileInIt) {
    const std::string table = "## What may depend on what\n\n| layer | may include |\n| --- | --- |\n| `core` | |\n";
    auto problems = check_architecture(table, {{"src/core/a.hpp", "#include \"core/b.hpp\"\n"},
                                               {"src/core/b.hpp", "#include \"core/a.hpp\"\n#include \"core/c.hpp\"\n"},
                                               {"src/core/c.hpp", "#include \"core/a.hpp\"\n"}});
    EXPECT_EQ(lines(problems),
              "file-level include cycle core/a -> core/b -> core/a (src/core/a.hpp:1 includes \"core/b.hpp\"; "
              "src/core/b.hpp:1 includes \"core/a.hpp\"); core/c in the same cycle\n");
}

TEST(Architecture, ForgedLibraryOutsideItsFile) {
    auto problems = check_architecture(architecture(), sources_with({{"src/plan/forged.cpp", "#include <sqlite3.h>\n#include <string>\n"}}));
    EXPECT_EQ(lines(problems), "src/plan/forged.cpp:1: includes <sqlite3.h>, which only src/apply/journal.cpp may include (ARCHITECTURE.md)\n");
}

TEST(Architecture, ForgedFolderThatIsNoLayer) {
    auto problems = check_architecture(architecture(), sources_with({{"src/extra/forged.cpp", "#include \"core/text.hpp\"\n"},
                                                                    {"src/core/forged.cpp", "#include \"extra/forged.hpp\"\n"}}));
    EXPECT_EQ(lines(problems),
              "src/extra/forged.cpp: its folder is no layer of ARCHITECTURE.md's table\n"
              "src/core/forged.cpp:1: includes \"extra/forged.hpp\", which is in no layer of ARCHITECTURE.md's table\n");
}

TEST(Architecture, TableThatNamesALayerAboveIsACycle) {
    const std::string table =
        "## What may depend on what\n\n"
        "| layer | may include | why |\n| --- | --- | --- |\n"
        "| `core` | `cfn` | |\n"
        "| `cfn` | `core` | |\n\n"
        "## Next\n";
    EXPECT_EQ(lines(check_architecture(table, {})),
              "ARCHITECTURE.md: core may include cfn, which the table does not list before it (it lists the layers from the bottom up)\n");
}

TEST(Architecture, WithoutTheTableNothingPasses) {
    EXPECT_EQ(lines(check_architecture("# Architecture\n\n## What may depend on what\n\nArrows point one way.\n",
                                       {{"src/core/text.cpp", "#include \"core/text.hpp\"\n"}})),
              "ARCHITECTURE.md: no table | layer | may include | under \"## What may depend on what\"\n");
}

TEST(Architecture, OnlyTheKnownCycleIsAllowedAndOnlyWhileItLasts) {
    const std::string table =
        "## What may depend on what\n\n| layer | may include |\n| --- | --- |\n| `core` | |\n\n"
        "| cycle | why |\n| --- | --- |\n| `core/a`, `core/b` | known |\n| `core/x`, `core/y` | fixed since |\n";
    auto problems = check_architecture(table, {{"src/core/a.hpp", "#include \"core/b.hpp\"\n"},
                                               {"src/core/b.cpp", "#include \"core/a.hpp\"\n"},
                                               {"src/core/c.hpp", "#include \"core/d.hpp\"\n"},
                                               {"src/core/d.hpp", "#include \"core/c.hpp\"\n"}});
    EXPECT_EQ(lines(problems),
              "file-level include cycle core/c -> core/d -> core/c (src/core/c.hpp:1 includes \"core/d.hpp\"; "
              "src/core/d.hpp:1 includes \"core/c.hpp\")\n"
              "ARCHITECTURE.md: the known cycle core/x, core/y is gone: remove its row\n");
}

TEST(Architecture, IncludesInCommentsAndOtherSectionsDoNotCount) {
    const std::string table =
        "## Folders\n\n| layer | may include |\n| --- | --- |\n| `core` | |\n| `cfn` | `core` |\n\n"
        "## What may depend on what\n\n| layer | may include |\n| --- | --- |\n| `core` | |\n| `cfn` | |\n";
    auto problems = check_architecture(table, {{"src/cfn/a.cpp", "// #include \"core/x.hpp\"\n  #  include \"core/y.hpp\"\n"}});
    EXPECT_EQ(lines(problems),
              "src/cfn/a.cpp:2: includes \"core/y.hpp\": cfn -> core is no arrow of ARCHITECTURE.md (cfn may include nothing)\n");
}

}  // namespace
}  // namespace stackshift::testing
