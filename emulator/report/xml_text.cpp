#include "report/xml_text.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lambda_emu::report {

// A named namespace inside the unnamed one: the unity build puts the other report files in
// the same translation unit, and their helpers must not meet these.
namespace {
namespace xml_escaping {

constexpr std::uint32_t k_replacement = 0xFFFD;

// Appends code point cp as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// XML 1.0's Char production.
bool allowed_in_xml(std::uint32_t cp) {
    if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
    if (cp < 0x20) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp == 0xFFFE || cp == 0xFFFF) return false;
    return cp <= 0x10FFFF;
}

struct Escapes {
    bool apostrophe = false;  // ' as &#39;
    bool newline = false;     // LF as &#10;
};

std::string escaped(std::string_view text, Escapes escapes) {
    const std::string safe = xml_safe(text);
    std::string out;
    out.reserve(safe.size() + 16);
    for (char c : safe) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += escapes.apostrophe ? "&#39;" : "'";
                break;
            case '\n':
                out += escapes.newline ? "&#10;" : "\n";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace xml_escaping
}  // namespace

std::string xml_safe(std::string_view text) {
    using namespace xml_escaping;
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if (b < 0x80) {
            len = 1;
            cp = b;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2;
            cp = b & 0x1F;
            min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
            cp = b & 0x0F;
            min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
            cp = b & 0x07;
            min = 0x10000;
        }
        bool valid = len != 0 && i + len <= text.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if ((c & 0xC0) != 0x80) {
                valid = false;
            } else {
                cp = (cp << 6) | (c & 0x3F);
            }
        }
        if (valid && cp < min) valid = false;  // overlong
        if (!valid) {
            append_utf8(out, k_replacement);
            ++i;  // resynchronise on the next byte
            continue;
        }
        append_utf8(out, allowed_in_xml(cp) ? cp : k_replacement);
        i += len;
    }
    return out;
}

std::string xml_escape(std::string_view text) {
    return xml_escaping::escaped(text, {.apostrophe = true, .newline = false});
}

std::string xml_attribute(std::string_view text) {
    return xml_escaping::escaped(text, {.apostrophe = false, .newline = true});
}

}  // namespace lambda_emu::report
