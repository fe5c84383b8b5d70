// stackshift diff OLD NEW: loads two templates, compares them, and renders the result.

#include <iostream>
#include <memory>

#include "cfn/evaluator.hpp"
#include "cfn/template.hpp"
#include "cfn/template_diff.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/error.hpp"
#include "render/diff_render.hpp"

namespace stackshift::cli {

namespace {

struct DiffOptions {
    std::string old_path;
    std::string new_path;
    std::string parameters_path;
    std::string output = "text";
};

int run_diff(const DiffOptions& options) {
    // Load: both templates and the parameter values; report every problem at once.
    Diagnostics problems;
    auto old_template = cfn::load_template(options.old_path);
    if (!old_template) problems.insert(problems.end(), old_template.diagnostics().begin(), old_template.diagnostics().end());
    auto new_template = cfn::load_template(options.new_path);
    if (!new_template) problems.insert(problems.end(), new_template.diagnostics().begin(), new_template.diagnostics().end());
    std::optional<cfn::ParameterValues> values;
    if (!options.parameters_path.empty()) {
        auto loaded = cfn::load_parameter_values(options.parameters_path);
        if (loaded) values = std::move(*loaded);
        else problems.insert(problems.end(), loaded.diagnostics().begin(), loaded.diagnostics().end());
    }
    if (!problems.empty()) throw InputError(problems);

    // Compare, then render in the chosen format.
    cfn::TemplateDiff diff = cfn::diff_templates(*old_template, *new_template, values ? &*values : nullptr);
    Terminal terminal = detect_terminal(std::cout);
    if (options.output == "json") std::cout << render::diff_json(diff) << '\n';
    else if (options.output == "markdown") std::cout << render::diff_markdown(diff, options.old_path, options.new_path);
    else std::cout << render::diff_text(diff, options.old_path, options.new_path, terminal.color);
    return 0;
}

}  // namespace

Handler setup_diff(CommandLine& command) {
    auto options = std::make_shared<DiffOptions>();
    command.option("OLD", options->old_path, "The deployed (old) template, YAML or JSON").required();
    command.option("NEW", options->new_path, "The target (new) template, YAML or JSON").required();
    command.option("--parameters", options->parameters_path,
                       "YAML or JSON map of parameter values (and pseudo parameters such as AWS::Region); "
                       "makes the diff condition-aware");
    command.option("--output", options->output, "Output format")
        .one_of({"text", "markdown", "json"});
    return [options] { return run_diff(*options); };
}

}  // namespace stackshift::cli
