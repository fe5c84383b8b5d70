#include "release/notes_sentences.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "release/notes_text.hpp"

namespace stackshift::release::notes_detail {

namespace {

using Tokens = std::vector<Token>;
using Words = std::initializer_list<std::string_view>;

bool one_of(const Token& t, Words words) {
    return !t.word.empty() && std::find(words.begin(), words.end(), t.word) != words.end();
}

bool word_at(const Tokens& t, std::size_t i, Words words) { return i < t.size() && one_of(t[i], words); }

// ---- Where databases are named ---------------------------------------------------------

enum class Verb { migrate, init, other };

// A database named in a sentence: a command (`ttn-lw-stack is-db migrate`, `as-db migrate`,
// `tti-lw-stack,noc-db,init`) or prose ("the Identity Server database").
struct DbMention {
    std::size_t begin = 0;  // first token, the binary included
    std::size_t end = 0;    // last token
    std::string database;
    Verb verb = Verb::other;
    bool prose = false;

    std::string command() const { return database + (verb == Verb::init ? " init" : " migrate"); }
};

// Components whose database the vendor's prose names ("migrate the Application Server
// database"), as ecs-database-operations.md pairs them with their commands.
struct Component {
    std::string_view name;
    std::string_view database;
};
constexpr Component components[] = {
    {"identity server", "is-db"},          {"network server", "ns-db"},
    {"application server", "as-db"},       {"join server", "js-db"},
    {"device claiming server", "dcs-db"},  {"network operations center", "noc-db"},
    {"network operation center", "noc-db"}, {"network operations centre", "noc-db"},
    {"storage integration", "storage-db"}, {"device repository", "dr-db"},
};
// Abbreviations, matched as written ("the IS database").
constexpr Component abbreviations[] = {{"IS", "is-db"}, {"NS", "ns-db"},   {"AS", "as-db"},
                                       {"JS", "js-db"}, {"DCS", "dcs-db"}, {"NOC", "noc-db"}};

// `<name>-db`, the name in lowercase letters and digits: is-db, noc-db, and names not seen yet.
bool is_db_name(std::string_view w) {
    if (w.size() < 4 || w.size() > 27 || !w.ends_with("-db")) return false;
    std::string_view name = w.substr(0, w.size() - 3);
    if (!std::islower(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
    });
}

// The next word after i, across up to three quotes or commas (the comma and JSON forms of a
// command: `tti-lw-stack,is-db,migrate`, `["tti-lw-stack","is-db","migrate"]`).
std::optional<std::size_t> adjacent_word(const Tokens& t, std::size_t i, int step) {
    for (int skipped = 0; skipped <= 3; ++skipped) {
        if ((step < 0 && i == 0) || (step > 0 && i + 1 >= t.size())) return std::nullopt;
        i = step < 0 ? i - 1 : i + 1;
        if (!t[i].word.empty()) return i;
        if (t[i].punct != ',' && t[i].punct != '"' && t[i].punct != '\'') return std::nullopt;
    }
    return std::nullopt;
}

std::vector<DbMention> command_mentions(const Tokens& t) {
    std::vector<DbMention> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (!is_db_name(t[i].word)) continue;
        DbMention m{i, i, t[i].word, Verb::other, false};
        if (auto v = adjacent_word(t, i, +1)) {
            if (one_of(t[*v], {"migrate", "migration", "migrations"})) m.verb = Verb::migrate;
            if (one_of(t[*v], {"init"})) m.verb = Verb::init;
            if (m.verb != Verb::other) m.end = *v;
        }
        if (auto b = adjacent_word(t, i, -1); b && t[*b].word.ends_with("lw-stack")) m.begin = *b;
        out.push_back(m);
    }
    return out;
}

// Whether the component's words start at token i; returns the index after them.
std::optional<std::size_t> component_at(const Tokens& t, std::size_t i, std::string_view name) {
    while (!name.empty()) {
        auto space = name.find(' ');
        std::string_view part = name.substr(0, space);
        if (i >= t.size() || t[i].word != part) return std::nullopt;
        ++i;
        name = space == std::string_view::npos ? std::string_view{} : name.substr(space + 1);
    }
    return i;
}

std::vector<DbMention> prose_mentions(const Tokens& t) {
    std::vector<DbMention> out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        for (const auto& c : components) {
            auto after = component_at(t, i, c.name);
            if (!after) continue;
            // "the Identity Server database", or "the database of the Identity Server"
            bool database_after = word_at(t, *after, {"database", "databases", "db", "schema"});
            bool database_before = i >= 2 && word_at(t, i - 1, {"of"}) && word_at(t, i - 2, {"database", "db"});
            bool database_before_the = i >= 3 && word_at(t, i - 1, {"the"}) && word_at(t, i - 2, {"of"}) &&
                                       word_at(t, i - 3, {"database", "db"});
            if (database_after) out.push_back({i, *after, std::string(c.database), Verb::other, true});
            else if (database_before || database_before_the) out.push_back({i, *after - 1, std::string(c.database), Verb::other, true});
        }
        for (const auto& a : abbreviations) {
            if (t[i].original == a.name && word_at(t, i + 1, {"database", "db"})) {
                out.push_back({i, i + 1, std::string(a.database), Verb::other, true});
            }
        }
    }
    return out;
}

// What prose asks of the database it names: "migration" wins over "initialization".
Verb prose_verb(const Tokens& t) {
    bool init = false;
    for (const auto& x : t) {
        if (x.word.starts_with("migrat")) return Verb::migrate;
        if (x.word.starts_with("initiali")) init = true;
    }
    return init ? Verb::init : Verb::other;
}

// ---- What is said of a database command -----------------------------------------------

bool negated_before(const Tokens& t, std::size_t i) {
    for (std::size_t k = i >= 3 ? i - 3 : 0; k < i; ++k) {
        const auto& w = t[k].word;
        if (w == "not" || w == "no" || w == "never" || w == "without" || w == "longer" || w.ends_with("n't") ||
            w.ends_with("n\xE2\x80\x99t")) {
            return true;
        }
    }
    return false;
}

// Whether a verb at i stands where an instruction begins: first in its clause, after a modal
// ("you must run"), or after "need to", "make sure to" and the like.
bool opens_instruction(const Tokens& t, std::size_t i) {
    if (i == 0) return true;
    const Token& p = t[i - 1];
    if (p.word.empty()) return p.punct == ',' || p.punct == ';' || p.punct == ':' || p.punct == '(' || p.punct == '-';
    if (one_of(p, {"then", "and", "please", "also", "first", "always", "now", "finally", "next", "afterwards", "must",
                   "should", "shall", "optionally", "subsequently", "immediately", "just", "simply", "may", "might",
                   "can", "could"})) {
        return true;
    }
    return p.is("to") && i >= 2 &&
           one_of(t[i - 2], {"need", "needs", "needed", "have", "has", "had", "sure", "remember", "forget", "required",
                             "advised", "recommended", "want", "wants", "ought", "necessary", "important",
                             "mandatory", "essential"});
}

bool is_instruction(const Tokens& t, std::size_t i) {
    return one_of(t[i], {"run", "rerun", "re-run", "execute", "perform", "apply", "migrate", "initialize",
                         "initialise", "invoke", "trigger"}) &&
           opens_instruction(t, i) && !negated_before(t, i);
}

// "you may need to run", "you can run": an instruction for some deployments only.
bool softened_by_modal(const Tokens& t, std::size_t i) {
    for (std::size_t n = 0; n < 5 && i > 0; ++n) {
        --i;
        if (one_of(t[i], {"may", "might", "can", "could"})) return true;
        if (!one_of(t[i], {"to", "need", "needs", "want", "also", "optionally"})) return false;
    }
    return false;
}

// Skips the words of a set from i on; returns where another token stands.
std::size_t skip_words(const Tokens& t, std::size_t i, Words words, std::size_t limit = 6) {
    for (std::size_t n = 0; i < t.size() && n < limit && one_of(t[i], words); ++n) ++i;
    return i;
}

// "No `X` is needed", "without `X`": the command is named to say it is not wanted.
bool negated_mention(const Tokens& t, const DbMention& m) {
    std::size_t j = m.begin;
    for (int n = 0; n < 3 && j > 0; ++n) {
        --j;
        if (t[j].is_punct('(') || one_of(t[j], {"a", "an", "the", "any"})) continue;
        return one_of(t[j], {"no", "not", "without", "never"});
    }
    return false;
}

// Where the sentence requires the operation: "This requires a database schema migration
// (`X`)", "run `X`", "perform a migration (`X`)", "`X` must be run", "`X` is required".
std::optional<std::size_t> requirement_cue(const Tokens& t, const DbMention& m) {
    if (negated_mention(t, m)) return std::nullopt;
    for (std::size_t j = 0; j < m.begin; ++j) {
        if (one_of(t[j], {"requires", "require", "required", "requiring"}) && !negated_before(t, j)) return j;
        if (is_instruction(t, j)) return j;
    }
    std::size_t k = skip_words(t, m.end + 1, {"command", "commands", "migration", "migrations", "itself"});
    for (std::size_t n = 0; k < t.size() && n < 6; ++k, ++n) {
        if (t[k].word.empty()) {
            if (t[k].punct == '.' || t[k].punct == ';' || t[k].punct == ',') break;
            continue;
        }
        bool after_be = one_of(t[k - 1], {"is", "are", "be", "also"});
        if (after_be && one_of(t[k], {"required", "needed", "necessary", "mandatory"}) && !negated_before(t, k)) return k;
        if (t[k - 1].is("be") && one_of(t[k], {"run", "rerun", "re-run", "executed", "performed", "applied",
                                               "migrated", "initialized", "initialised"}) &&
            !negated_before(t, k)) {
            return k;
        }
    }
    return std::nullopt;
}

// "The `dcs-db migrate` command has been removed", "Removed the `X` command", "removal of `X`",
// "`X` is no longer available", and under "### Removed" an item whose subject is the command.
bool says_removed(const Tokens& t, const DbMention& m, NoteSection section) {
    std::size_t k = skip_words(t, m.end + 1, {"command", "commands", "subcommand", "has", "have", "been", "was", "were",
                                              "is", "are", "now", "also", "completely", "entirely", "itself"});
    if (word_at(t, k, {"removed", "dropped"})) return true;
    if (word_at(t, k, {"no"}) && word_at(t, k + 1, {"longer"}) &&
        word_at(t, k + 2, {"available", "exists", "exist", "supported", "provided", "present", "shipped", "included"})) {
        return true;
    }
    std::size_t j = m.begin;
    for (int n = 0; n < 4 && j > 0; ++n) {
        --j;
        if (t[j].word.empty()) {
            if (t[j].punct == '(' || t[j].punct == '"') continue;
            break;
        }
        if (one_of(t[j], {"the", "a", "deprecated", "legacy", "obsolete", "old", "unused", "experimental"})) continue;
        if (one_of(t[j], {"removed", "dropped"})) return true;
        if (t[j].is("of") && j > 0 && one_of(t[j - 1], {"removal"})) return true;
        break;
    }
    bool subject = skip_words(t, 0, {"the", "a"}) == m.begin;
    return section == NoteSection::removed && subject && !requirement_cue(t, m);
}

// "The `is-db migrate` command that failed on ...", "Fixed a bug in `is-db migrate`".
bool about_a_bug(const Tokens& t, const DbMention& m) {
    std::size_t k = skip_words(t, m.end + 1, {"command", "commands", "that", "which", "now", "no", "longer",
                                              "sometimes", "occasionally", "would", "could", "did", "does", "not",
                                              "still", "it", "when"});
    if (word_at(t, k, {"failed", "fails", "fail", "failing", "crashed", "crashes", "crash", "crashing", "panicked",
                       "panics", "panic", "panicking", "hung", "hangs", "hanging", "errored", "broke", "broken"})) {
        return true;
    }
    std::size_t j = m.begin;
    for (int n = 0; n < 6 && j > 0; ++n) {
        --j;
        if (is_instruction(t, j) || one_of(t[j], {"requires", "require", "required"})) return false;
        if (one_of(t[j], {"bug", "bugs", "issue", "issues", "crash", "crashes", "panic", "panics", "failure",
                          "failures", "fix", "fixed", "fixes", "regression", "problem", "problems"})) {
            return true;
        }
    }
    return false;
}

bool or_later(const Tokens& t, std::size_t k) {
    if (k < t.size() && t[k].word.empty() && t[k].punct == '+') return true;
    return word_at(t, k, {"or", "and"}) && word_at(t, k + 1, {"later", "newer", "higher", "above", "up"});
}

// "run `is-db migrate` with the `v3.19.2` binary": the command pinned to a version.
std::optional<VersionSpec> pinned_version(const Tokens& t, const DbMention& m) {
    std::size_t k = m.end + 1;
    while (k < t.size() && (t[k].word.starts_with("--") || one_of(t[k], {"command", "again", "first", "once"}))) ++k;
    if (!word_at(t, k, {"with", "using"})) return std::nullopt;
    k = skip_words(t, k + 1, {"the", "a", "an", "version", "release"});
    if (k >= t.size()) return std::nullopt;
    auto version = version_word(t[k]);
    if (!version) return std::nullopt;
    if (k + 1 >= t.size() || t[k + 1].word.empty()) return version;
    if (word_at(t, k + 1, {"binary", "binaries", "image", "images", "version", "release", "docker", "container",
                           "build", "tag", "cli"})) {
        return version;
    }
    return std::nullopt;
}

// Whether the sentence makes what it requires depend on the deployment: "if you use ...",
// "optionally", "To migrate existing ..., run", "... to apply the new configuration".
bool conditional_sentence(const Tokens& t) {
    if (t.size() > 1 && t[0].is("to") && !t[1].word.empty()) return true;  // a purpose: for those who want it
    for (std::size_t j = 0; j < t.size(); ++j) {
        if (t[j].is("if") && !(j > 0 && one_of(t[j - 1], {"even", "as"}))) return true;
        if (one_of(t[j], {"unless", "optional", "optionally", "recommended", "whether"})) return true;
        if (t[j].is("case") && j > 0 && t[j - 1].is("in")) return true;
        if (t[j].is("when") && word_at(t, j + 1, {"using", "you", "your", "running", "deploying"})) return true;
        if (t[j].is("only") && word_at(t, j + 1, {"if", "when", "for", "relevant", "needed", "necessary", "required", "applies"})) return true;
        if (one_of(t[j], {"deployments", "users", "those", "setups", "installations", "operators", "networks", "clusters"}) &&
            word_at(t, j + 1, {"that", "which", "who", "using", "with", "running"})) {
            return true;
        }
        // "Users of the Storage Integration should run ...": only those users.
        if (one_of(t[j], {"users", "operators"}) && word_at(t, j + 1, {"of"})) return true;
    }
    return false;
}

// Why a command named without a requirement is none, for the record.
std::string why_not_required(const Tokens& t, const DbMention& m) {
    if (about_a_bug(t, m)) return "a fixed bug in the command";
    if (negated_mention(t, m)) return "says it is not required";  // "No `X` is needed"
    for (std::size_t j = 0; j < t.size(); ++j) {
        if (one_of(t[j], {"requires", "require", "required", "needed", "necessary", "need"}) && negated_before(t, j)) {
            return "says it is not required";
        }
    }
    if (std::any_of(t.begin(), t.end(), [](const Token& x) { return x.is("deprecated"); })) return "deprecated, not removed";
    for (std::size_t j = 0; j < m.begin; ++j) {
        if (one_of(t[j], {"new", "added", "add", "adds", "introduces", "introduced"})) return "a new command";
    }
    std::size_t after = skip_words(t, m.end + 1, {"command"});
    if (skip_words(t, 0, {"the", "a"}) == m.begin && word_at(t, after, {"to"})) return "a new command";
    return "describes the command";
}

// ---- Waypoints ------------------------------------------------------------------------

struct WaypointAt {
    VersionSpec version;
};

bool speaks_of_upgrading(const Tokens& t) {
    return std::any_of(t.begin(), t.end(), [](const Token& x) {
        return x.word.starts_with("upgrad") || x.word.starts_with("updat") || x.word.starts_with("migrat") ||
               one_of(x, {"done", "go", "pass", "passing", "going"});
    });
}

bool says_unsupported(const Tokens& t) {
    for (std::size_t j = 0; j < t.size(); ++j) {
        if (one_of(t[j], {"unsupported", "impossible", "cannot", "can't"})) return true;
        if (one_of(t[j], {"not", "isn't", "aren't"}) && word_at(t, j + 1, {"supported", "possible", "allowed"})) return true;
    }
    return false;
}

// The version at or after k, past "version", "the", "release"; sets k to its index.
std::optional<VersionSpec> version_from(const Tokens& t, std::size_t& k) {
    k = skip_words(t, k, {"version", "versions", "the", "release", "v"});
    if (k >= t.size()) return std::nullopt;
    return version_word(t[k]);
}

// "must first upgrade to v3.19.2", "upgrade to 3.19.2 before upgrading further",
// "should be done through v3.24 instead", "direct upgrades from versions prior to v3.19.2 ...
// are not supported".
std::vector<VersionSpec> waypoint_versions(const Tokens& t) {
    std::vector<VersionSpec> out;
    auto add = [&](const std::optional<VersionSpec>& v, std::size_t at) {
        if (v && !or_later(t, at + 1)) out.push_back(*v);
    };
    bool upgrading = speaks_of_upgrading(t);
    for (std::size_t j = 0; j < t.size(); ++j) {
        std::size_t k = j + 1;
        if (t[j].is("first")) {  // "first upgrade to V"
            k = skip_words(t, k, {"upgrade", "update", "upgrading", "updating", "go", "move", "migrate", "switch"}, 1);
            if (!word_at(t, k, {"to"})) continue;
            ++k;
            auto v = version_from(t, k);
            add(v, k);
        } else if (one_of(t[j], {"upgrade", "update", "upgrading", "updating", "upgraded", "updated"}) && word_at(t, k, {"to"})) {
            ++k;  // "upgrade to V first", "upgrade to V before upgrading further"
            auto v = version_from(t, k);
            bool first = word_at(t, k + 1, {"first"});
            bool before = word_at(t, k + 1, {"before"}) &&
                          word_at(t, k + 2, {"upgrading", "updating", "continuing", "proceeding", "moving", "going",
                                             "you", "any", "further", "installing", "upgrade", "update"});
            if (first || before) add(v, k);
        } else if (one_of(t[j], {"through", "via"}) && upgrading) {  // "done through v3.24"
            auto v = version_from(t, k);
            add(v, k);
        }
    }
    bool direct = std::any_of(t.begin(), t.end(), [](const Token& x) { return x.word.starts_with("direct"); });
    if (direct && says_unsupported(t)) {  // "direct upgrades from versions prior to V are not supported"
        for (std::size_t j = 0; j + 1 < t.size(); ++j) {
            std::size_t k = 0;
            if (t[j].is("prior") && t[j + 1].is("to")) k = j + 2;
            else if (one_of(t[j], {"older", "earlier", "lower"}) && t[j + 1].is("than")) k = j + 2;
            else if (one_of(t[j], {"before", "below"})) k = j + 1;
            else continue;
            if (auto v = version_from(t, k)) {
                out.push_back(*v);
                break;
            }
        }
    }
    return out;
}

// ---- One sentence ---------------------------------------------------------------------

struct SentenceReading {
    std::vector<Finding> findings;
    std::vector<std::string> databases;  // every database the sentence names, in order
};

Finding classify_mention(const Tokens& t, const DbMention& m, NoteSection section, std::string_view sentence) {
    Finding f;
    f.database = m.database;
    f.command = m.command();
    f.sentence = std::string(sentence);
    if (says_removed(t, m, section)) {
        f.kind = FindingKind::removed;
    } else if (about_a_bug(t, m)) {
        f.why = "a fixed bug in the command";
    } else if (auto pinned = pinned_version(t, m)) {
        f.kind = FindingKind::waypoint;
        f.version = *pinned;
    } else if (auto cue = requirement_cue(t, m)) {
        f.kind = m.verb == Verb::init ? FindingKind::init : FindingKind::migrate;
        f.conditional = conditional_sentence(t) || softened_by_modal(t, *cue);
    } else {
        f.why = why_not_required(t, m);
    }
    return f;
}

SentenceReading read_sentence(std::string_view sentence, NoteSection section) {
    SentenceReading r;
    Tokens t = tokenize(sentence);
    std::vector<DbMention> commands = command_mentions(t);
    std::vector<DbMention> prose = prose_mentions(t);
    for (const auto& m : commands) r.databases.push_back(m.database);
    for (const auto& m : prose) r.databases.push_back(m.database);

    // Prose stands for a command only where none is written: "This requires an Application
    // Server database migration (`ttn-lw-stack as-db migrate`)" names one migration.
    std::vector<DbMention> operations;
    for (const auto& m : commands) {
        if (m.verb != Verb::other) operations.push_back(m);
    }
    if (operations.empty()) {
        Verb verb = prose_verb(t);
        for (auto m : prose) {
            m.verb = verb;
            if (verb != Verb::other) operations.push_back(m);
        }
    }
    for (const auto& m : operations) {
        Finding f = classify_mention(t, m, section, sentence);
        bool seen = std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& g) {
            return g.kind == f.kind && g.command == f.command;
        });
        if (!seen) r.findings.push_back(std::move(f));
    }
    for (const auto& version : waypoint_versions(t)) {
        Finding f;
        f.kind = FindingKind::waypoint;
        f.version = version;
        f.database = r.databases.empty() ? "" : r.databases.front();
        f.sentence = std::string(sentence);
        r.findings.push_back(std::move(f));
    }
    return r;
}

// Waypoints of one block are one fact per version, whatever sentences state it.
void merge_waypoint(std::vector<Finding>& out, Finding f) {
    for (auto& g : out) {
        if (g.kind != FindingKind::waypoint || g.version->to_string() != f.version->to_string()) continue;
        if (g.database.empty()) g.database = f.database;
        if (g.command.empty()) g.command = f.command;
        return;
    }
    out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> classify_sentence(std::string_view sentence, NoteSection section) {
    return read_sentence(sentence, section).findings;
}

std::vector<Finding> classify_block(std::string_view text, NoteSection section) {
    std::vector<Finding> out;
    std::string block_database;
    std::string stripped = strip_shortcodes(text);
    for (const auto& sentence : split_sentences(stripped)) {
        SentenceReading r = read_sentence(sentence, section);
        if (block_database.empty() && !r.databases.empty()) block_database = r.databases.front();
        for (auto& f : r.findings) {
            if (f.kind == FindingKind::waypoint) merge_waypoint(out, std::move(f));
            else out.push_back(std::move(f));
        }
    }
    for (auto& f : out) {
        if (f.kind != FindingKind::waypoint) continue;
        if (f.database.empty()) f.database = block_database;
        f.sentence = stripped;  // what to do there is usually said across several sentences
    }
    return out;
}

std::optional<std::string> database_of_component(std::string_view name) {
    Tokens t = tokenize(name);
    for (const auto& c : components) {
        if (component_at(t, 0, c.name) == t.size()) return std::string(c.database);
    }
    return std::nullopt;
}

}  // namespace stackshift::release::notes_detail
