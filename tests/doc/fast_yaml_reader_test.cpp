// The fast YAML path against libfyaml, the reference: wherever the fast path accepts a text,
// both must build the same tree, kinds and positions included; where it gives up, libfyaml
// reads the text, so errors always come from libfyaml.

#include <filesystem>

#include "doc/readers.hpp"
#include "test_support.hpp"

namespace stackshift::doc {
namespace {

enum class Expect { fast, either };

void check_same(const std::string& text, const std::string& label, Expect expect = Expect::fast) {
    auto fast = read_yaml_fast(text);
    auto reference = read_yaml_reference(text, "t.yaml");
    if (expect == Expect::fast) {
        ASSERT_TRUE(fast.has_value()) << label << ": the fast path gave up";
    }
    if (!fast) return;
    ASSERT_TRUE(reference.ok()) << label << ": the fast path accepted what libfyaml refuses: " << to_string(reference.diagnostics());
    EXPECT_EQ(first_difference(*fast, *reference), "") << label;
}

void check_gives_up(const std::string& text) { EXPECT_FALSE(read_yaml_fast(text).has_value()) << text; }

TEST(FastYamlReader, EveryProjectTemplateTakesTheFastPathAndMatchesLibfyaml) {
    int files = 0;
    for (const char* dir : {"tests/data/templates", "tests/data/templates/pairs", "examples/diff"}) {
        for (const auto& entry : std::filesystem::directory_iterator(testing::source_path(dir))) {
            if (entry.path().extension() != ".yaml") continue;
            ++files;
            check_same(testing::read_text(entry.path().string()), entry.path().string());
        }
    }
    EXPECT_GE(files, 20);
}

TEST(FastYamlReader, Snippets) {
    const char* cases[] = {
        "a: 1\nb: [x, 'y', \"z\"]\nc: {k: v, 'q': \"w\"}\n",
        "a:\n  - 1\n  - two\n  -\n    k: v\n",
        "a:\n- 1\n- 2\nb: 3\n",
        "- a: 1\n  b: 2\n- - x\n  - y\n- !Ref z\n",
        "k: !GetAtt A.B\nl: !GetAtt [A, B]\nm: !Sub\n  - '${x}'\n  - x: !Ref y\n",
        "k: !If\n  - C\n  - !Ref A\n  - !Ref 'AWS::NoValue'\n",
        "lit: |\n  one\n    two\n\n  three\nnext: x\n",
        "fold: >\n  one\n  two\n\n  three\n\nnext: x\n",
        "strip: |-\n  a\n\n\nkeep: |+\n  b\n\n\nclip: >-\n  c\n  d\n",
        "empty:\nnull: ~\nt: true\nf: False\nn: 0x1F\nf2: -1.5e3\ns: yes\nv: 3.14.2\n",
        "q: 'it''s'\nd: \"tab\\t\\u00e9\\x41\"\n",
        "url: http://x:80/y#z\nc: a #comment\n# full line\n",
        "k: [a, [b, c], {d: [e]}]\n",
        "multi: [a,\n  b,\n  c]\n",
        "\"quoted key\": 1\n'single': 2\n",
        "---\na: 1\n",
        "a: 1 # trailing\n\n\nb:    2\n",
        "k: !!str 42\nl: !!int '7'\n",
        "u: héllo wörld\nv: [ü, 'ß']\n",
        "w: {\"json\":1, \"style\": [true, null]}\n",
        "a:\n  b:\n    c:\n      - d\n      - e: f\n        g: h\n",
        "a: !Base64\n  Fn::Sub: |\n    #!/bin/bash\n    echo ${X}\n",
        "crlf: 1\r\nnext: [a, b]\r\n",
        "k: -1\nl: - x\n",
        "k: :x\nl: ?y\n",
    };
    for (const char* text : cases) check_same(text, text, Expect::either);
    // These must be on the fast path for the speed target to mean anything.
    for (const char* text : {cases[0], cases[1], cases[2], cases[3], cases[4], cases[5], cases[6], cases[7], cases[8],
                             cases[9], cases[10], cases[11], cases[12], cases[13], cases[14], cases[15], cases[16], cases[17],
                             cases[18], cases[19], cases[20], cases[21], cases[22]}) {
        EXPECT_TRUE(read_yaml_fast(text).has_value()) << text;
    }
}

// libfyaml 0.7 (Debian 12) misreads two escaped quotes in a row in a single-quoted scalar
// ('x''''!' gives "x'''" instead of "x''!"). The fast path reads them as YAML says; the
// differential fuzzer skips such inputs (fuzzer finding).
TEST(FastYamlReader, ConsecutiveEscapedQuotesAsYamlSays) {
    auto fast = read_yaml_fast("Key: 'x''''!'\n");
    ASSERT_TRUE(fast.has_value());
    ASSERT_NE(fast->find("Key"), nullptr);
    EXPECT_EQ(fast->find("Key")->text(), "x''!");
}

// libfyaml 0.7 refused a tag and block indicator on their own line below the key; YAML allows
// it and the fast path read it, so the two readers disagreed. Now both give the same tree.
TEST(FastYamlReader, TaggedBlockScalarOnTheLineAfterItsKey) {
    const char* cases[] = {
        "k:\n  !Sub |\n  echo ${AWS::Region}\n",
        "k:\n  !Sub |\n    deeper\nnext: 1\n",
        "a:\n  k:\n    !Sub |-\n    one\n\n    two\n  next: 1\n",
        "k:\n  !Sub >\n  folded\n  text\n",
        "k:\n  !Base64 |  # a comment\n  text\n",
        "k:\n  !!str |\n  42\n",
        "l:\n  -\n    !Sub |\n    in a list\n",
        "a:\n  x:\n    !Sub |\n    one\n  y:\n    !Sub |\n    two\n",
    };
    for (const char* text : cases) {
        auto reference = read_yaml_reference(text, "t.yaml");
        ASSERT_TRUE(reference.ok()) << text << to_string(reference.diagnostics());
        check_same(text, text, Expect::either);
    }
    // The fast path reads the plain case itself, so both readers really are compared there.
    EXPECT_TRUE(read_yaml_fast(cases[0]).has_value());
    EXPECT_TRUE(read_yaml_fast(cases[2]).has_value());
    auto value = read_yaml("k:\n  !Sub |\n  echo ${AWS::Region}\nm: &a 1\n", "t.yaml");  // the anchor forces libfyaml
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->find("k")->to_display(), R"({"Fn::Sub": "echo ${AWS::Region}\n"})");
    EXPECT_EQ(value->find("k")->position().line, 2u);
    EXPECT_EQ(value->find("k")->position().column, 3u);
    // The same text inside a block scalar is content, not a header: it stays as written.
    auto literal = read_yaml_reference("s: |\n  k:\n    !Sub |\n    x\n", "t.yaml");
    ASSERT_TRUE(literal.ok());
    EXPECT_EQ(literal->find("s")->text(), "k:\n  !Sub |\n  x\n");
}

TEST(FastYamlReader, GivesUpOnWhatLibfyamlMustJudge) {
    check_gives_up("a: &x 1\nb: *x\n");                // anchors and aliases
    check_gives_up("a: one\n  two\n");                 // multi-line plain scalar
    check_gives_up("a: 'one\n  two'\n");               // multi-line quoted scalar
    check_gives_up("? complex\n: key\n");              // explicit key
    check_gives_up("a: 1\na: 2\n");                    // duplicate key: libfyaml's path reports it
    check_gives_up("a: !Nope 1\n");                    // unknown tag
    check_gives_up("a: 1\n---\nb: 2\n");               // a second document
    check_gives_up("%YAML 1.2\n---\na: 1\n");          // directives
    check_gives_up("a:\n\tb: 1\n");                    // tabs in indentation
    check_gives_up("a: [unclosed\n");                  // errors
    check_gives_up("a:\n  b: 1\n c: 2\n");             // bad indentation
    check_gives_up("<<: {a: 1}\n");                    // merge keys
    check_gives_up("a: |2\n   x\n");                   // explicit indentation indicator
}

TEST(FastYamlReader, ErrorsStillComeFromLibfyamlWithPositions) {
    auto result = read_yaml("a: 1\na: 2\n", "t.yaml");
    ASSERT_FALSE(result);
    EXPECT_EQ(to_string(result.diagnostics()), "t.yaml:2:1: duplicate key 'a' (first defined at line 1)");
}

}  // namespace
}  // namespace stackshift::doc
