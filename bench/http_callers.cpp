#include "http_callers.h"

#include <httplib.h>

namespace lambda_emu::harness {

namespace {

constexpr const char* k_json = "application/json";
constexpr const char* k_invoke_prefix = "/2015-03-31/functions/";
constexpr const char* k_invoke_suffix = "/invocations";
constexpr const char* k_floor_path = "/echo";

std::string describe(const httplib::Result& r) {
    if (!r) return "transport error: " + httplib::to_string(r.error());
    return "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 300);
}

}  // namespace

std::unique_ptr<httplib::Client> make_client(int port) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port);
    client->set_tcp_nodelay(true);
    client->set_keep_alive(true);
    client->set_connection_timeout(std::chrono::seconds(5));
    client->set_read_timeout(std::chrono::seconds(30));
    client->set_write_timeout(std::chrono::seconds(30));
    return client;
}

InvokeCaller::InvokeCaller(int port, const std::string& function, std::string payload)
    : m_client(make_client(port)),
      m_path(std::string(k_invoke_prefix) + function + k_invoke_suffix),
      m_payload(std::move(payload)) {}

InvokeCaller::~InvokeCaller() = default;

bool InvokeCaller::connect() {
    auto r = m_client->Post(
        std::string(k_invoke_prefix) + "harness-no-such-function" + k_invoke_suffix, "{}", k_json);
    if (!r || r->status != 404) {
        m_error = "connect: " + describe(r);
        return false;
    }
    return true;
}

bool InvokeCaller::call() {
    auto r = m_client->Post(m_path, m_payload, k_json);
    if (!r || r->status != 200) {
        m_error = describe(r);
        return false;
    }
    m_status = r->status;
    m_body = std::move(r->body);
    return true;
}

bool InvokeCaller::verify() const { return m_status == 200 && m_body == m_payload; }

FloorCaller::FloorCaller(int port, std::string payload)
    : m_first(make_client(port)), m_second(make_client(port)), m_payload(std::move(payload)) {}

FloorCaller::~FloorCaller() = default;

bool FloorCaller::call() {
    auto a = m_first->Post(k_floor_path, m_payload, k_json);
    if (!a || a->status != 200) {
        m_error = describe(a);
        return false;
    }
    auto b = m_second->Post(k_floor_path, a->body, k_json);
    if (!b || b->status != 200) {
        m_error = describe(b);
        return false;
    }
    m_body = std::move(b->body);
    return true;
}

bool FloorCaller::verify() const { return m_body == m_payload; }

RawInvokeCaller::RawInvokeCaller(int port, const std::string& function, std::string payload)
    : m_conn(port),
      m_path(std::string(k_invoke_prefix) + function + k_invoke_suffix),
      m_payload(std::move(payload)) {}

bool RawInvokeCaller::connect() {
    std::string body;
    int status = 0;
    if (!m_conn.post(std::string(k_invoke_prefix) + "harness-no-such-function" + k_invoke_suffix,
                     "{}", status, body) ||
        status != 404) {
        m_error = "connect: " + m_conn.error() + " HTTP " + std::to_string(status);
        return false;
    }
    return true;
}

bool RawInvokeCaller::call() {
    if (!m_conn.post(m_path, m_payload, m_status, m_body) || m_status != 200) {
        m_error =
            m_conn.error() + " HTTP " + std::to_string(m_status) + ": " + m_body.substr(0, 300);
        return false;
    }
    return true;
}

RawFloorCaller::RawFloorCaller(int raw_port, std::string payload)
    : m_first(raw_port), m_second(raw_port), m_payload(std::move(payload)) {}

bool RawFloorCaller::call() {
    int status = 0;
    if (!m_first.post(k_floor_path, m_payload, status, m_middle) || status != 200) {
        m_error = m_first.error();
        return false;
    }
    if (!m_second.post(k_floor_path, m_middle, m_status, m_body) || m_status != 200) {
        m_error = m_second.error();
        return false;
    }
    return true;
}

}  // namespace lambda_emu::harness
