// lambda-emu event: list the event sources, and generate fresh real-shaped events (in the manner
// of `sam local generate-event`) to pipe into `lambda-emu invoke --event -`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/usage_error.h"
#include "events/generator.h"
#include "util/clock.h"

namespace lambda_emu::cli {

namespace {

bool is_help(const std::string& arg) { return arg == "--help" || arg == "-h"; }

int run_list() {
    std::size_t width = 0;
    for (const auto& kind : events::event_kinds()) width = std::max(width, kind.label().size());
    for (const auto& kind : events::event_kinds()) {
        std::cout << kind.label() << std::string(width - kind.label().size() + 2, ' ')
                  << kind.description << '\n';
    }
    return k_exit_ok;
}

// "generate [SOURCE [TYPE]] --help": the fields of that source or type, or every kind.
int run_help(const std::vector<std::string>& args) {
    std::vector<std::string> head;  // SOURCE [TYPE], before the first option
    for (const std::string& arg : args) {
        if (arg.rfind('-', 0) == 0 || head.size() == 2) break;
        head.push_back(arg);
    }
    if (head.empty()) {
        std::cout << "Usage: lambda-emu event generate SOURCE [TYPE] [--FIELD VALUE]...\n"
                     "       lambda-emu event generate SOURCE [TYPE] --help   (its fields)\n\n";
        return run_list();
    }
    auto kinds = events::kinds_of(head[0]);
    if (!kinds) throw UsageError(kinds.error().message);
    if (head.size() == 2) {
        auto request = events::parse_event_args(head);
        if (!request) throw UsageError(request.error().message);
        std::cout << events::describe_fields(*request->kind);
        return k_exit_ok;
    }
    for (const auto* kind : *kinds) std::cout << events::describe_fields(*kind);
    return k_exit_ok;
}

// args: SOURCE [TYPE] [--FIELD VALUE]... A --help where a field name would be asks for help; as a
// field's value (--body --help) it is just text.
int run_generate(const std::vector<std::string>& args) {
    auto request = events::parse_event_args(args);
    if (!request) {
        if (std::any_of(args.begin(), args.end(), is_help)) return run_help(args);
        throw UsageError(request.error().message);
    }
    auto event = events::generate_event(*request, util::system_clock());
    if (!event) throw UsageError(event.error().message);
    std::cout << *event << '\n' << std::flush;
    return k_exit_ok;
}

}  // namespace

Command event_command() {
    return {[](CLI::App& parent) -> Registered {
        CLI::App* cmd = parent.add_subcommand(
            "event",
            "Sample events: 'event list' names every source and type; 'event generate SOURCE "
            "[TYPE] [--field VALUE]...' prints a fresh event (new ids and times, derived fields "
            "recomputed) as JSON on stdout, ready for 'lambda-emu invoke --event -'.");
        cmd->require_subcommand(1);
        CLI::App* list = cmd->add_subcommand("list", "Print every event source and type");
        CLI::App* generate = cmd->add_subcommand(
            "generate",
            "Print a fresh event of SOURCE [TYPE]; fields are --name VALUE pairs ('event generate "
            "SOURCE --help' lists them). Exit status 2 for an unknown source, type or field.");
        // The fields differ per source, so they are parsed here, not by CLI11.
        generate->prefix_command();
        generate->set_help_flag();
        return {cmd, [list, generate]() -> int {
                    if (list->parsed()) return run_list();
                    return run_generate(generate->remaining());
                }};
    }};
}

}  // namespace lambda_emu::cli
