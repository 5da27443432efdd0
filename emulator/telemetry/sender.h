// Delivery of a batch of records to a subscriber: an HTTP POST of a JSON array, or
// newline-delimited JSON over a TCP connection kept open between batches.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "telemetry/subscription.h"

namespace lambda_emu::telemetry {

class Sender {
  public:
    virtual ~Sender() = default;
    // True once the subscriber has the batch (HTTP: a 2xx answer; TCP: written).
    virtual bool send(const std::vector<std::string>& records) = 0;
};

std::unique_ptr<Sender> make_sender(const Destination& destination,
                                    std::chrono::milliseconds timeout);

}  // namespace lambda_emu::telemetry
