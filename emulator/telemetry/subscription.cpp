#include "telemetry/subscription.h"

#include <nlohmann/json.hpp>

namespace lambda_emu::telemetry {

namespace {

using Json = nlohmann::json;

util::Error invalid(std::string message) { return util::Error{std::move(message)}; }

// An integer field of `buffering` within [low, high], or its default.
util::Result<int> bounded(const Json& buffering, const char* key, int fallback, int low, int high) {
    auto it = buffering.find(key);
    if (it == buffering.end()) return fallback;
    if (!it->is_number_integer())
        return invalid(std::string("buffering.") + key + " must be an integer");
    long long v = it->get<long long>();
    if (v < low || v > high) {
        return invalid(std::string("buffering.") + key + " must be between " + std::to_string(low) +
                       " and " + std::to_string(high) + ", got " + std::to_string(v));
    }
    return static_cast<int>(v);
}

// Hosts a destination may name: the sandbox's own name in the service, and loopback.
bool local_host(const std::string& host) {
    return host == "sandbox.localdomain" || host == "sandbox" || host == "localhost" ||
           host.rfind("127.", 0) == 0;
}

util::Result<Destination> parse_destination(const Json& j) {
    if (!j.is_object()) return invalid("destination must be an object");
    auto protocol = j.find("protocol");
    if (protocol == j.end() || !protocol->is_string()) {
        return invalid("destination.protocol must be \"HTTP\" or \"TCP\"");
    }
    Destination d;
    d.host = "127.0.0.1";
    if (*protocol == "TCP") {
        d.protocol = Destination::Protocol::tcp;
        auto port = j.find("port");
        if (port == j.end() || !port->is_number_integer() || port->get<long long>() < 1 ||
            port->get<long long>() > 65535) {
            return invalid("destination.port must be a port number (1-65535)");
        }
        d.port = port->get<int>();
    } else if (*protocol == "HTTP") {
        auto uri = j.find("URI");
        if (uri == j.end() || !uri->is_string())
            return invalid("destination.URI is required for HTTP");
        std::string text = uri->get<std::string>();
        constexpr std::string_view k_scheme = "http://";
        if (text.rfind(k_scheme, 0) != 0) return invalid("destination.URI must start with http://");
        std::string rest = text.substr(k_scheme.size());
        auto slash = rest.find('/');
        std::string authority = rest.substr(0, slash);
        d.path = slash == std::string::npos ? "/" : rest.substr(slash);
        auto colon = authority.rfind(':');
        std::string host = authority.substr(0, colon);
        if (colon == std::string::npos) {
            d.port = 80;
        } else {
            std::string port = authority.substr(colon + 1);
            if (port.empty() || port.size() > 5 ||
                port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
                std::stoi(port) > 65535) {
                return invalid("destination.URI has an invalid port: " + text);
            }
            d.port = std::stoi(port);
        }
        if (!local_host(host)) {
            return invalid(
                "destination.URI must name sandbox.localdomain (or a loopback address), "
                "got " +
                text);
        }
    } else {
        return invalid("destination.protocol must be \"HTTP\" or \"TCP\"");
    }
    if (d.port == 9001) return invalid("destination port 9001 is reserved");
    return d;
}

}  // namespace

Buffering default_buffering(Api api) {
    // The Telemetry API reference page; the Logs API page documents other defaults.
    if (api == Api::telemetry) return Buffering{1000, 262144, 100};
    return Buffering{10000, 262144, 1000};
}

util::Result<Subscription> parse_subscription(Api api, std::string_view body) {
    Json j = Json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object()) return invalid("the request body must be a JSON object");
    Subscription s;
    s.api = api;
    if (api == Api::telemetry) {
        auto version = j.find("schemaVersion");
        if (version == j.end() || !version->is_string()) {
            return invalid(
                "schemaVersion is required (\"2022-07-01\", \"2022-12-13\" or "
                "\"2025-01-29\")");
        }
        if (*version != "2022-07-01" && *version != "2022-12-13" && *version != "2025-01-29") {
            return invalid("schemaVersion " + version->get<std::string>() + " is not supported");
        }
    }
    auto types = j.find("types");
    if (types == j.end() || !types->is_array() || types->empty()) {
        return invalid(
            "types must be a non-empty array of \"platform\", \"function\", "
            "\"extension\"");
    }
    for (const auto& t : *types) {
        if (!t.is_string() || (t != "platform" && t != "function" && t != "extension")) {
            return invalid(
                "types may hold only \"platform\", \"function\" and \"extension\", got " +
                t.dump());
        }
        std::string name = t.get<std::string>();
        bool seen = false;
        for (const auto& have : s.types) seen = seen || have == name;
        if (!seen) s.types.push_back(name);
    }
    Buffering defaults = default_buffering(api);
    s.buffering = defaults;
    if (auto b = j.find("buffering"); b != j.end()) {
        if (!b->is_object()) return invalid("buffering must be an object");
        auto items = bounded(*b, "maxItems", defaults.max_items, 1000, 10000);
        if (!items) return items.error();
        auto bytes = bounded(*b, "maxBytes", defaults.max_bytes, 262144, 1048576);
        if (!bytes) return bytes.error();
        auto timeout = bounded(*b, "timeoutMs", defaults.timeout_ms, 25, 30000);
        if (!timeout) return timeout.error();
        s.buffering = Buffering{items.value(), bytes.value(), timeout.value()};
    }
    auto destination = j.find("destination");
    if (destination == j.end()) return invalid("destination is required");
    auto d = parse_destination(*destination);
    if (!d) return d.error();
    s.destination = std::move(d.value());
    return s;
}

}  // namespace lambda_emu::telemetry
