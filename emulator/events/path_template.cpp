#include "events/path_template.h"

namespace lambda_emu::events {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (true) {
        std::size_t slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

}  // namespace

std::optional<PathParameters> match_path_template(std::string_view path_template,
                                                  std::string_view path) {
    std::vector<std::string_view> want = segments(path_template);
    std::vector<std::string_view> got = segments(path);
    PathParameters params;
    for (std::size_t i = 0; i < want.size(); ++i) {
        std::string_view w = want[i];
        bool variable = w.size() > 2 && w.front() == '{' && w.back() == '}';
        if (variable && w[w.size() - 2] == '+') {
            if (i >= got.size()) return std::nullopt;
            std::string rest;
            for (std::size_t k = i; k < got.size(); ++k) {
                if (k > i) rest += '/';
                rest += got[k];
            }
            if (rest.empty()) return std::nullopt;
            params.emplace_back(std::string(w.substr(1, w.size() - 3)), rest);
            return params;
        }
        if (i >= got.size()) return std::nullopt;
        if (variable) {
            if (got[i].empty()) return std::nullopt;
            params.emplace_back(std::string(w.substr(1, w.size() - 2)), std::string(got[i]));
        } else if (w != got[i]) {
            return std::nullopt;
        }
    }
    if (got.size() != want.size()) return std::nullopt;
    return params;
}

}  // namespace lambda_emu::events
