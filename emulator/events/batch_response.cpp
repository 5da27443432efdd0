#include "events/batch_response.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace lambda_emu::events {

namespace {

using nlohmann::json;

// The record's identifier in batchItemFailures: SQS messageId, the stream sequence number.
std::optional<std::string> identifier_of(const json& record, const std::string& source) {
    const json* v = nullptr;
    if (source == "aws:sqs" && record.contains("messageId")) v = &record["messageId"];
    if (source == "aws:kinesis" && record.contains("kinesis") && record["kinesis"].is_object() &&
        record["kinesis"].contains("sequenceNumber")) {
        v = &record["kinesis"]["sequenceNumber"];
    }
    if (source == "aws:dynamodb" && record.contains("dynamodb") && record["dynamodb"].is_object() &&
        record["dynamodb"].contains("SequenceNumber")) {
        v = &record["dynamodb"]["SequenceNumber"];
    }
    if (v && v->is_string()) return v->get<std::string>();
    return std::nullopt;
}

}  // namespace

std::string BatchVerdict::describe() const {
    std::string head =
        "BATCH " + source + ": " + std::to_string(records) + " record" + (records == 1 ? "" : "s");
    if (whole_batch_retried) return head + ", the whole batch would be retried: " + reason;
    if (retried.empty()) return head + ", all succeeded";
    std::string ids;
    for (const auto& id : retried) ids += (ids.empty() ? "" : ", ") + id;
    return head + ", " + std::to_string(retried.size()) + " would be retried: " + ids;
}

std::optional<BatchVerdict> interpret_batch(const std::string& event, const std::string& response,
                                            bool function_failed) {
    // Most events are no batch: a search for the key spares parsing them (up to 6 MB) at all.
    if (event.find("\"Records\"") == std::string::npos) return std::nullopt;
    json e = json::parse(event, nullptr, false);
    if (!e.is_object() || !e.contains("Records") || !e["Records"].is_array() ||
        e["Records"].empty()) {
        return std::nullopt;
    }
    const json& records = e["Records"];
    std::string source;
    if (records[0].is_object()) {
        for (const char* key : {"eventSource", "EventSource"}) {
            if (records[0].contains(key) && records[0][key].is_string()) source = records[0][key];
        }
    }
    if (source != "aws:sqs" && source != "aws:kinesis" && source != "aws:dynamodb")
        return std::nullopt;

    BatchVerdict v;
    v.source = source;
    v.records = records.size();
    std::vector<std::string> order;  // identifiers in batch order
    for (const auto& r : records) {
        if (auto id = identifier_of(r, source)) order.push_back(*id);
    }
    std::set<std::string> known(order.begin(), order.end());
    auto whole = [&](std::string reason) {
        v.whole_batch_retried = true;
        v.reason = std::move(reason);
        return v;
    };
    if (function_failed) return whole("the function failed");

    // Success: an empty or null response, a null or empty batchItemFailures.
    std::string trimmed = response;
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
    if (trimmed.empty()) return v;
    json r = json::parse(response, nullptr, false);
    if (r.is_discarded()) return whole("the response is not JSON");
    if (r.is_null()) return v;
    if (!r.is_object()) return whole("the response is not an object with batchItemFailures");
    if (!r.contains("batchItemFailures") || r["batchItemFailures"].is_null()) return v;
    const json& failures = r["batchItemFailures"];
    if (!failures.is_array()) return whole("batchItemFailures is not a list");
    for (const auto& f : failures) {
        if (!f.is_object() || !f.contains("itemIdentifier")) {
            return whole("a batchItemFailures entry has no itemIdentifier");
        }
        const json& id = f["itemIdentifier"];
        if (!id.is_string() || id.get<std::string>().empty()) {
            return whole("an itemIdentifier is null, empty or not a string");
        }
        if (!known.count(id.get<std::string>())) {
            return whole("itemIdentifier '" + id.get<std::string>() + "' is not in the batch");
        }
        v.retried.push_back(id.get<std::string>());
    }
    if (source != "aws:sqs" && !v.retried.empty()) {
        // Streams checkpoint: the shard is retried from the earliest failed record onwards.
        std::set<std::string> failed(v.retried.begin(), v.retried.end());
        auto first = std::find_if(order.begin(), order.end(),
                                  [&](const std::string& id) { return failed.count(id) > 0; });
        v.retried.assign(first, order.end());
    }
    return v;
}

}  // namespace lambda_emu::events
