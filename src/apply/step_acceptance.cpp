#include "apply/step_acceptance.hpp"

namespace stackshift::apply {

namespace {

using plan::Confirmation;
using plan::StepKind;

std::string question(StepContext& ctx, const plan::Step& step) {
    if (step.confirmation == Confirmation::explicit_)
        return "Step " + step.id + " (" + step.title + ") acts on " + acted_on(ctx, step) + ". Go on? [y/N] ";
    if (step.kind == StepKind::manual) return "Carry out the instructions above, then continue? [y/N] ";
    return "Step " + step.id + " (" + step.title + ") needs confirmation? [y/N] ";
}

[[noreturn]] void nobody_to_ask(const plan::Step& step) {
    std::string kind(plan::step_kind_name(step.kind));
    if (step.confirmation == Confirmation::explicit_)
        throw StepStopped("step " + step.id + " (" + kind + ") " +
                          (step.kind == StepKind::manual ? "asks a person to back up data first"
                                                         : "destroys what it acts on") +
                          ", so --yes does not accept it: " +
                          (step.kind == StepKind::manual ? "carry out its instructions (above), then " : "check it, then ") +
                          "run the same command with --confirm " + step.id + " and --resume, or run it on a terminal");
    throw StepStopped("step " + step.id + " (" + kind + ") needs confirmation and there is no terminal to ask: " +
                      (step.kind == StepKind::manual ? "carry out its instructions (above), then " : std::string()) +
                      "run the same command with --yes (or --confirm " + step.id + ") and --resume, or run it on a terminal");
}

}  // namespace

std::string acted_on(StepContext& ctx, const plan::Step& step) {
    try {
        if (step.kind == StepKind::delete_stack) {
            auto stack = ctx.retry([&] { return ctx.cloud.describe_stack(step.stack); });
            return "stack " + step.stack + (stack.id.empty() ? std::string() : " (" + stack.id + ")");
        }
        if (!step.logical_id.empty() && !step.stack.empty())
            return ctx.physical_id(step) + " (" + step.stack + "/" + step.logical_id + ")";
    } catch (const StepFailure&) {
    } catch (const cloud::CloudError&) {
        // What AWS cannot say now, the step itself reports when it runs.
    }
    if (!step.logical_id.empty()) return step.stack + "/" + step.logical_id;
    return step.stack.empty() ? std::string("what its instructions name") : "stack " + step.stack;
}

Acceptance accept_step(StepContext& ctx, const plan::Step& step) {
    if (step.confirmation == Confirmation::none) return Acceptance::not_asked;
    for (const auto& line : step.details) ctx.progress.note("  " + line);
    if (ctx.options.confirmed.count(step.id) != 0) {
        ctx.progress.note("confirmed by --confirm " + step.id);
        return Acceptance::by_person;
    }
    if (step.confirmation == Confirmation::routine && ctx.options.yes) {
        ctx.progress.note("accepted by --yes");
        return Acceptance::by_yes;
    }
    if (!ctx.options.confirm) nobody_to_ask(step);
    bool yes = ctx.options.confirm(question(ctx, step));
    ctx.pacer.check_stop();  // a signal at the question ends the answer: the run stops as interrupted
    if (!yes) throw StepStopped("declined at step " + step.id + "; nothing was changed by it");
    return Acceptance::by_person;
}

}  // namespace stackshift::apply
