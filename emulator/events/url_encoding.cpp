#include "events/url_encoding.h"

namespace lambda_emu::events {

namespace {

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

void append_escape(std::string& out, unsigned char c) {
    static constexpr char k_digits[] = "0123456789ABCDEF";
    out.push_back('%');
    out.push_back(k_digits[c >> 4]);
    out.push_back(k_digits[c & 0xf]);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string s3_key_encode(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (char ch : key) {
        auto c = static_cast<unsigned char>(ch);
        if (c == ' ') {
            out.push_back('+');
        } else if (c == '/' || is_unreserved(c)) {
            out.push_back(ch);
        } else {
            append_escape(out, c);
        }
    }
    return out;
}

std::string query_encode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out.push_back(ch);
        } else {
            append_escape(out, c);
        }
    }
    return out;
}

std::optional<std::string> url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> split_query(std::string_view raw) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!raw.empty()) {
        std::size_t amp = raw.find('&');
        std::string_view part = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
        if (part.empty()) continue;
        std::size_t eq = part.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(std::string(part), "");
        } else {
            out.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
        }
    }
    return out;
}

}  // namespace lambda_emu::events
