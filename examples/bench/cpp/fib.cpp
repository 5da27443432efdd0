// lambda-emu benchmark workload "fib": the CPU + memory probe of rust-vs-python-lambda-benchmark.
//
// n comes from the event's queryStringParameters.n (a string of ASCII digits, 0..93; anything
// else gives 40). Fibonacci(n) is computed iteratively and timed, then a vector of the 100,000
// squares i*i is built and timed, and its sum is reported so that it cannot be optimised away.
// The response is an API Gateway / Function URL proxy response whose body is the JSON
//   {"runtime":"cpp","fib_result":..,"fib_n":..,"compute_ms":..,"alloc_items":100000,
//    "alloc_sum":333328333350000,"alloc_ms":..,"total_ms":..}
// with the times in milliseconds rounded to 4 decimals.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_loop.h"

namespace {

constexpr unsigned k_default_n = 40;
constexpr unsigned k_max_n = 93;  // fib(93) is the largest Fibonacci number in a u64
constexpr uint64_t k_items = 100000;

// Keeps a value (or what a pointer points to) alive and computed at this point: an empty asm
// statement that the compiler must assume reads it and all of memory.
template <class T>
inline void keep(const T& value) {
    asm volatile("" : : "r"(value) : "memory");
}

// ---------------------------------------------------------------------------
// A minimal JSON scanner: finds the top-level "queryStringParameters" object and its "n"
// member. Other values are skipped. The last of duplicate keys wins, as in JSON.parse and
// Python's json. An input that is not a valid JSON object yields nothing.

class QueryScanner {
  public:
    explicit QueryScanner(std::string_view s) : m_s(s) {}

    // The string value of queryStringParameters.n, if there is one.
    std::optional<std::string> n() {
        std::optional<std::string> found;
        if (!eat('{')) return std::nullopt;
        if (!eat('}')) {
            do {
                std::string key;
                if (!parse_string(&key) || !eat(':')) return std::nullopt;
                if (key == "queryStringParameters") {
                    found.reset();
                    if (peek() == '{') {
                        if (!scan_params(found)) return std::nullopt;
                    } else if (!skip_value(1)) {
                        return std::nullopt;
                    }
                } else if (!skip_value(1)) {
                    return std::nullopt;
                }
            } while (eat(','));
            if (!eat('}')) return std::nullopt;
        }
        skip_ws();
        if (m_i != m_s.size()) return std::nullopt;
        return found;
    }

  private:
    bool scan_params(std::optional<std::string>& found) {
        ++m_i;  // '{'
        if (eat('}')) return true;
        do {
            std::string key;
            if (!parse_string(&key) || !eat(':')) return false;
            if (key == "n" && peek() == '"') {
                std::string value;
                if (!parse_string(&value)) return false;
                found = std::move(value);
            } else {
                if (key == "n") found.reset();
                if (!skip_value(2)) return false;
            }
        } while (eat(','));
        return eat('}');
    }

    void skip_ws() {
        while (m_i < m_s.size() &&
               (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }
    bool eat(char c) {
        skip_ws();
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    char peek() {
        skip_ws();
        return m_i < m_s.size() ? m_s[m_i] : '\0';
    }

    // A string; escapes are decoded into *out when out is non-null. A \u escape of a
    // non-ASCII character becomes '?', which is neither a digit nor part of a wanted key.
    bool parse_string(std::string* out) {
        if (!eat('"')) return false;
        while (m_i < m_s.size()) {
            char c = m_s[m_i++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                if (out) out->push_back(c);
                continue;
            }
            if (m_i >= m_s.size()) return false;
            char d;
            switch (m_s[m_i++]) {
                case '"':
                    d = '"';
                    break;
                case '\\':
                    d = '\\';
                    break;
                case '/':
                    d = '/';
                    break;
                case 'b':
                    d = '\b';
                    break;
                case 'f':
                    d = '\f';
                    break;
                case 'n':
                    d = '\n';
                    break;
                case 'r':
                    d = '\r';
                    break;
                case 't':
                    d = '\t';
                    break;
                case 'u': {
                    if (m_i + 4 > m_s.size()) return false;
                    unsigned v = 0;
                    for (int k = 0; k < 4; ++k) {
                        char h = m_s[m_i++];
                        v <<= 4;
                        if (h >= '0' && h <= '9')
                            v |= static_cast<unsigned>(h - '0');
                        else if (h >= 'a' && h <= 'f')
                            v |= static_cast<unsigned>(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F')
                            v |= static_cast<unsigned>(h - 'A' + 10);
                        else
                            return false;
                    }
                    d = v < 0x80 ? static_cast<char>(v) : '?';
                    break;
                }
                default:
                    return false;
            }
            if (out) out->push_back(d);
        }
        return false;
    }

    bool skip_number() {
        skip_ws();
        size_t start = m_i;
        if (m_i < m_s.size() && m_s[m_i] == '-') ++m_i;
        size_t digits = m_i;
        while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
        if (m_i == digits) return false;
        if (m_i < m_s.size() && m_s[m_i] == '.') {
            size_t frac = ++m_i;
            while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
            if (m_i == frac) return false;
        }
        if (m_i < m_s.size() && (m_s[m_i] == 'e' || m_s[m_i] == 'E')) {
            ++m_i;
            if (m_i < m_s.size() && (m_s[m_i] == '+' || m_s[m_i] == '-')) ++m_i;
            size_t exp = m_i;
            while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') ++m_i;
            if (m_i == exp) return false;
        }
        return m_i > start;
    }

    bool literal(std::string_view word) {
        if (m_s.substr(m_i, word.size()) != word) return false;
        m_i += word.size();
        return true;
    }

    bool skip_value(int depth) {
        if (depth > 512) return false;
        switch (peek()) {
            case '"':
                return parse_string(nullptr);
            case '{':
                ++m_i;
                if (eat('}')) return true;
                do {
                    if (!parse_string(nullptr) || !eat(':') || !skip_value(depth + 1)) return false;
                } while (eat(','));
                return eat('}');
            case '[':
                ++m_i;
                if (eat(']')) return true;
                do {
                    if (!skip_value(depth + 1)) return false;
                } while (eat(','));
                return eat(']');
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return skip_number();
        }
    }

    std::string_view m_s;
    size_t m_i = 0;
};

// n from the event: a string of ASCII digits whose value is 0..93, else 40.
unsigned event_n(std::string_view event) {
    std::optional<std::string> text = QueryScanner(event).n();
    if (!text || text->empty()) return k_default_n;
    unsigned value = 0;
    for (char c : *text) {
        if (c < '0' || c > '9') return k_default_n;
        value = value * 10 + static_cast<unsigned>(c - '0');
        if (value > k_max_n) return k_default_n;
    }
    return value;
}

uint64_t fibonacci(unsigned n) {
    if (n <= 1) return n;
    uint64_t a = 0, b = 1;
    for (unsigned i = 2; i <= n; ++i) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return b;
}

// A number of milliseconds rounded to 4 decimals, as JSON: "0", "0.0123", "12.5".
void append_ms(std::string& out, double ms) {
    long long tenths_of_us = std::llround(ms * 10000.0);
    out.append(std::to_string(tenths_of_us / 10000));
    long long frac = tenths_of_us % 10000;
    if (frac == 0) return;
    std::string digits = std::to_string(frac);
    digits.insert(0, 4 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out.append(".").append(digits);
}

double ms_between(std::chrono::steady_clock::time_point a,
                  std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

void handle(std::string_view event, std::string& response) {
    unsigned n = event_n(event);
    using clock = std::chrono::steady_clock;

    auto total_start = clock::now();
    auto compute_start = clock::now();
    uint64_t fib_result = fibonacci(n);
    keep(fib_result);
    double compute_ms = ms_between(compute_start, clock::now());

    auto alloc_start = clock::now();
    std::vector<uint64_t> items;
    items.reserve(k_items);
    for (uint64_t i = 0; i < k_items; ++i) items.push_back(i * i);
    keep(items.data());
    auto alloc_end = clock::now();
    double alloc_ms = ms_between(alloc_start, alloc_end);
    double total_ms = ms_between(total_start, alloc_end);
    uint64_t alloc_sum = std::accumulate(items.begin(), items.end(), uint64_t{0});

    std::string body = R"({"runtime":"cpp","fib_result":)";
    body.append(std::to_string(fib_result)).append(R"(,"fib_n":)").append(std::to_string(n));
    body.append(R"(,"compute_ms":)");
    append_ms(body, compute_ms);
    body.append(R"(,"alloc_items":)").append(std::to_string(items.size()));
    body.append(R"(,"alloc_sum":)").append(std::to_string(alloc_sum));
    body.append(R"(,"alloc_ms":)");
    append_ms(body, alloc_ms);
    body.append(R"(,"total_ms":)");
    append_ms(body, total_ms);
    body.append("}");

    response.append(R"({"statusCode":200,"headers":{"content-type":"application/json"},"body":")");
    for (char c : body) {  // the body as a JSON string: it holds quotes, but no \ or controls
        if (c == '"') response.push_back('\\');
        response.push_back(c);
    }
    response.append(R"(","isBase64Encoded":false})");
}

}  // namespace

int main() { bench::run_loop(handle); }
