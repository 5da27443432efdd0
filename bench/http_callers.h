// The two kinds of work the warm and large-payload scenarios time, one call at a time on
// keep-alive cpp-httplib connections (TCP_NODELAY on, as lambda-emu's listener sets it):
// an invocation through lambda-emu's Invoke API, and its floor, the same payload echoed by a
// plain cpp-httplib server twice, over two connections.
#pragma once

#include <memory>
#include <string>

#include "raw_http.h"

namespace httplib {
class Client;
}

namespace lambda_emu::harness {

class Caller {
  public:
    virtual ~Caller() = default;
    // One unit of work (timed by the caller of call()); false on a transport or HTTP failure.
    virtual bool call() = 0;
    // After call(): the answer was the payload (not timed).
    virtual bool verify() const = 0;
    virtual std::string error() const = 0;
};

std::unique_ptr<httplib::Client> make_client(int port);

class InvokeCaller final : public Caller {
  public:
    InvokeCaller(int port, const std::string& function, std::string payload);
    ~InvokeCaller() override;
    // Opens the keep-alive connection with a request that involves no function (a 404), so
    // that the first timed call does not include the TCP handshake.
    bool connect();
    bool call() override;
    bool verify() const override;
    std::string error() const override { return m_error; }
    const std::string& body() const { return m_body; }

  private:
    std::unique_ptr<httplib::Client> m_client;
    std::string m_path;
    std::string m_payload;
    std::string m_body;
    int m_status = 0;
    std::string m_error;
};

class FloorCaller final : public Caller {
  public:
    FloorCaller(int port, std::string payload);
    ~FloorCaller() override;
    bool call() override;
    bool verify() const override;
    std::string error() const override { return m_error; }

  private:
    std::unique_ptr<httplib::Client> m_first;
    std::unique_ptr<httplib::Client> m_second;
    std::string m_payload;
    std::string m_body;
    std::string m_error;
};

// The same two kinds of work over raw_http connections instead of cpp-httplib's client.
class RawInvokeCaller final : public Caller {
  public:
    RawInvokeCaller(int port, const std::string& function, std::string payload);
    bool connect();
    bool call() override;
    bool verify() const override { return m_status == 200 && m_body == m_payload; }
    std::string error() const override { return m_error; }

  private:
    RawHttpConnection m_conn;
    std::string m_path;
    std::string m_payload;
    std::string m_body;
    int m_status = 0;
    std::string m_error;
};

class RawFloorCaller final : public Caller {
  public:
    RawFloorCaller(int raw_port, std::string payload);
    bool call() override;
    bool verify() const override { return m_status == 200 && m_body == m_payload; }
    std::string error() const override { return m_error; }

  private:
    RawHttpConnection m_first;
    RawHttpConnection m_second;
    std::string m_payload;
    std::string m_middle;
    std::string m_body;
    int m_status = 0;
    std::string m_error;
};

}  // namespace lambda_emu::harness
