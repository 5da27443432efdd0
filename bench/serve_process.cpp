#include "serve_process.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "util/fd.h"

namespace lambda_emu::harness {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

util::Result<std::unique_ptr<ServeProcess>> ServeProcess::start(
    const std::string& lambda_emu, const std::vector<std::string>& args,
    const std::string& log_path, const std::vector<std::string>& extra_env,
    std::chrono::milliseconds limit) {
    util::Fd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!log.valid()) return util::make_error("cannot write " + log_path);
    SpawnSpec spec;
    spec.argv = {lambda_emu, "serve", "--port", "0"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.extra_env = extra_env;
    spec.stderr_fd = log.get();
    spec.stdout_fd = log.get();
    spec.tied = true;
    pid_t pid = spawn(spec);
    if (pid < 0) return util::make_error("cannot start " + lambda_emu);
    std::unique_ptr<ServeProcess> serve(new ServeProcess(pid, log_path));

    static const std::regex k_serving(R"(serving .* on http://127\.0\.0\.1:(\d+))");
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        std::string text = serve->log();
        std::smatch m;
        if (std::regex_search(text, m, k_serving)) {
            serve->m_port = std::stoi(m[1].str());
            return serve;
        }
        if (auto code = wait_exit(pid, std::chrono::milliseconds(0))) {
            serve->m_stopped = true;
            return util::make_error("lambda-emu serve exited (" + std::to_string(*code) +
                                    ") before serving:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return util::make_error("lambda-emu serve printed no port within the limit:\n" + serve->log());
}

ServeProcess::~ServeProcess() { stop(); }

std::string ServeProcess::log() const { return read_file(m_log_path); }

int ServeProcess::count_lines(const std::string& needle) const {
    std::istringstream in(log());
    int n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
}

int ServeProcess::stop(std::chrono::milliseconds grace) {
    if (!m_stopped) {
        auto started = std::chrono::steady_clock::now();
        m_exit = terminate(m_pid, grace);
        m_stopped = true;
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        if (took > std::chrono::seconds(1)) {
            std::fprintf(stderr, "\nbench: lambda-emu serve (%s) took %lld ms to stop on SIGTERM\n",
                         m_log_path.c_str(), static_cast<long long>(took.count()));
        }
    }
    return m_exit;
}

}  // namespace lambda_emu::harness
