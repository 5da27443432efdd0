// lambda-emu: the subcommand table and the one place errors become messages and exit codes.
#include <malloc.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <vector>

#include "cli/commands.h"
#include "cli/stop_signal.h"
#include "cli/usage_error.h"

#ifndef LAMBDA_EMU_VERSION
#define LAMBDA_EMU_VERSION "0.0.0"
#endif

namespace cli = lambda_emu::cli;

int main(int argc, char** argv) {
    ::signal(SIGPIPE, SIG_IGN);
    // Payloads of up to 6 MB each way pass through lambda-emu. After the first large free,
    // glibc's dynamic mmap threshold rises and later large buffers come from per-thread arenas
    // that keep the freed space: a long serve grew to 200 MB at rest (bench/README.md, "Soak").
    // A fixed threshold keeps buffers over 128 KiB in mappings returned to the system at free.
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    CLI::App app{
        "lambda-emu: run, test and measure AWS Lambda functions locally, as the service "
        "runs them."};
    app.set_version_flag("--version", std::string("lambda-emu ") + LAMBDA_EMU_VERSION);
    app.require_subcommand(1);

    std::vector<cli::Registered> registered;
    for (const auto& command :
         {cli::invoke_command(), cli::serve_command(), cli::watch_command(), cli::test_command(),
          cli::bench_command(), cli::report_command(), cli::event_command()}) {
        registered.push_back(command.add(app));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "lambda-emu: " << e.what() << "\n";
        std::cerr << "Run 'lambda-emu --help' (or 'lambda-emu SUBCOMMAND --help') for usage.\n";
        return cli::k_exit_usage;
    }

    cli::install_stop_signal_thread();
    try {
        for (const auto& r : registered) {
            if (r.app->parsed()) return r.run();
        }
        return cli::k_exit_usage;
    } catch (const cli::UsageError& e) {
        std::cerr << "lambda-emu: " << e.what() << "\n";
        return cli::k_exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "lambda-emu: internal error: " << e.what() << "\n";
        return 3;
    }
}
