// How the service reads a handler's partial batch response for SQS, Kinesis and DynamoDB
// Streams events ({"batchItemFailures":[{"itemIdentifier":...}]}), with ReportBatchItemFailures on.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lambda_emu::events {

struct BatchVerdict {
    std::string source;  // "aws:sqs", "aws:kinesis", "aws:dynamodb"
    std::size_t records = 0;
    bool whole_batch_retried = false;  // the function failed, or its response was not usable
    std::string reason;                // why the whole batch is retried
    // Identifiers of the records that would be retried: the failed ones for SQS; for streams,
    // every record from the earliest failed one on (the shard's checkpoint).
    std::vector<std::string> retried;

    // One line, e.g. "BATCH aws:sqs: 3 records, 1 would be retried: 059f36b4-...".
    std::string describe() const;
};

// Nothing when the event is not a batch of one of those sources. `function_failed`: the
// invocation ended in an error, timeout or crash (then every record is retried).
std::optional<BatchVerdict> interpret_batch(const std::string& event, const std::string& response,
                                            bool function_failed);

}  // namespace lambda_emu::events
