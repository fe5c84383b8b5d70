#include "plan/rehearsal.hpp"

namespace stackshift::plan {

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::would_succeed: return "would-succeed";
    case Verdict::would_fail: return "would-fail";
    case Verdict::blocked: return "blocked";
    }
    return "would-fail";
}

std::string_view verdict_words(Verdict verdict) {
    switch (verdict) {
    case Verdict::would_succeed: return "would succeed";
    case Verdict::would_fail: return "would fail";
    case Verdict::blocked: return "cannot rehearse: the plan needs input";
    }
    return "would fail";
}

int Rehearsal::exit_code() const {
    switch (verdict) {
    case Verdict::would_succeed: return 0;
    case Verdict::would_fail: return 1;
    case Verdict::blocked: return 3;
    }
    return 1;
}

}  // namespace stackshift::plan
