// DynamoDB Streams events: one INSERT, MODIFY or REMOVE record, with keys and images in
// AttributeValue JSON.
#include <set>

#include "events/builders.h"
#include "util/base64.h"
#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

const std::set<std::string, std::less<>> k_attribute_types = {"S", "N", "B",  "BOOL", "NULL",
                                                              "M", "L", "SS", "NS",   "BS"};

// Whether v looks like an AttributeValue: an object with one type descriptor as its only key.
bool looks_like_attribute_value(const Json& v) {
    return v.is_object() && v.size() == 1 && k_attribute_types.count(v.begin().key()) != 0;
}

util::Result<Json> to_attribute_value(const Json& v, const std::string& where);

util::Result<Json> to_attribute_map(const Json& object, const std::string& where) {
    Json out = Json::object();
    for (const auto& [name, value] : object.items()) {
        auto converted = to_attribute_value(value, where + "." + name);
        if (!converted) return converted.error();
        out[name] = *converted;
    }
    return out;
}

util::Status check_strings(const Json& list, const std::string& type, const std::string& where) {
    if (!list.is_array()) return util::make_error(where + ": " + type + " takes an array");
    for (const Json& item : list) {
        bool ok = item.is_string() && (type != "NS" || is_number_text(item.get<std::string>())) &&
                  (type != "BS" || util::base64_decode(item.get<std::string>()).has_value());
        if (!ok) return util::make_error(where + ": " + item.dump() + " is not valid in " + type);
    }
    return util::Ok{};
}

// An AttributeValue as given (checked), or a plain JSON value converted: string S, number N,
// boolean BOOL, null NULL, array L, object M.
util::Result<Json> to_attribute_value(const Json& v, const std::string& where) {
    if (looks_like_attribute_value(v)) {
        const std::string& type = v.begin().key();
        const Json& inner = v.begin().value();
        bool ok = true;
        if (type == "S") ok = inner.is_string();
        if (type == "N") ok = inner.is_string() && is_number_text(inner.get<std::string>());
        if (type == "B") {
            ok = inner.is_string() && util::base64_decode(inner.get<std::string>()).has_value();
        }
        if (type == "BOOL") ok = inner.is_boolean();
        if (type == "NULL") ok = inner == true;
        if (type == "SS" || type == "NS" || type == "BS") {
            if (auto checked = check_strings(inner, type, where); !checked) return checked.error();
        }
        if (!ok) {
            return util::make_error(where + ": " + inner.dump() + " is not a valid " + type +
                                    " value");
        }
        if (type == "M") {
            if (!inner.is_object()) return util::make_error(where + ": M takes an object");
            auto map = to_attribute_map(inner, where);
            if (!map) return map.error();
            return Json{{"M", *map}};
        }
        if (type == "L") {
            if (!inner.is_array()) return util::make_error(where + ": L takes an array");
            Json list = Json::array();
            for (std::size_t i = 0; i < inner.size(); ++i) {
                auto item = to_attribute_value(inner[i], where + "[" + std::to_string(i) + "]");
                if (!item) return item.error();
                list.push_back(*item);
            }
            return Json{{"L", list}};
        }
        return v;
    }
    if (v.is_string()) return Json{{"S", v}};
    if (v.is_number()) return Json{{"N", v.dump()}};
    if (v.is_boolean()) return Json{{"BOOL", v}};
    if (v.is_null()) return Json{{"NULL", true}};
    if (v.is_array()) {
        Json list = Json::array();
        for (std::size_t i = 0; i < v.size(); ++i) {
            auto item = to_attribute_value(v[i], where + "[" + std::to_string(i) + "]");
            if (!item) return item.error();
            list.push_back(*item);
        }
        return Json{{"L", list}};
    }
    auto map = to_attribute_map(v, where);
    if (!map) return map.error();
    return Json{{"M", *map}};
}

util::Result<Json> item_field(const BuildContext& context, const std::string& field,
                              std::string_view fallback) {
    auto given = context.json(field, fallback);
    if (!given) return given.error();
    if (!given->is_object()) {
        return util::make_error("--" + field + ": expected a JSON object of attributes");
    }
    return to_attribute_map(*given, "--" + field);
}

// The key attributes first, then the rest of the image; an image must agree with the keys.
util::Result<Json> with_keys(const Json& keys, const Json& image, const std::string& field) {
    Json out = keys;
    for (const auto& [name, value] : image.items()) {
        if (keys.contains(name) && keys[name] != value) {
            return util::make_error("--" + field + ": attribute " + name +
                                    " differs from its value in --keys");
        }
        out[name] = value;
    }
    return out;
}

// DynamoDB's item-size rules (names and values in bytes, numbers about one byte per two digits,
// 3 bytes of overhead per list or map plus 1 per element).
std::int64_t value_size(const Json& value) {
    const std::string& type = value.begin().key();
    const Json& inner = value.begin().value();
    auto text_size = [](const Json& s) {
        return static_cast<std::int64_t>(s.get_ref<const std::string&>().size());
    };
    auto number_size = [](const Json& s) {
        std::int64_t digits = 0;
        for (char c : s.get_ref<const std::string&>()) digits += (c >= '0' && c <= '9') ? 1 : 0;
        return (digits + 1) / 2 + 1;
    };
    auto binary_size = [](const Json& s) {
        auto bytes = util::base64_decode(s.get_ref<const std::string&>());
        return static_cast<std::int64_t>(bytes ? bytes->size() : 0);
    };
    std::int64_t size = 0;
    if (type == "S") size = text_size(inner);
    if (type == "N") size = number_size(inner);
    if (type == "B") size = binary_size(inner);
    if (type == "BOOL" || type == "NULL") size = 1;
    for (const Json& item :
         (type == "SS" || type == "NS" || type == "BS") ? inner : Json::array()) {
        size += type == "SS"   ? text_size(item)
                : type == "NS" ? number_size(item)
                               : binary_size(item);
    }
    if (type == "L") {
        size = 3;
        for (const Json& item : inner) size += 1 + value_size(item);
    }
    if (type == "M") {
        size = 3;
        for (const auto& [name, item] : inner.items()) {
            size += 1 + static_cast<std::int64_t>(name.size()) + value_size(item);
        }
    }
    return size;
}

std::int64_t item_size(const Json& item) {
    std::int64_t size = 0;
    for (const auto& [name, value] : item.items()) {
        size += static_cast<std::int64_t>(name.size()) + value_size(value);
    }
    return size;
}

}  // namespace

util::Result<Json> build_dynamodb(const BuildContext& context) {
    std::string table = context.get("table", "example-table");
    if (!is_name(table, 3, 255, "_.-")) {
        return util::make_error("--table " + table +
                                ": a table name is 3-255 letters, digits, '.', '-' and '_'");
    }
    std::string view = context.get("stream-view-type", "NEW_AND_OLD_IMAGES");
    if (view != "KEYS_ONLY" && view != "NEW_IMAGE" && view != "OLD_IMAGE" &&
        view != "NEW_AND_OLD_IMAGES") {
        return util::make_error("--stream-view-type " + view +
                                ": one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES");
    }
    auto keys = item_field(context, "keys", R"({"id":{"S":"item-1"}})");
    if (!keys) return keys.error();
    if (keys->empty()) return util::make_error("--keys: give at least the partition key");

    const std::string& type = context.type();
    bool has_new = type != "remove" && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES");
    bool has_old = type != "insert" && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES");
    Json dynamodb = {{"ApproximateCreationDateTime", epoch_seconds(context.now())},
                     {"Keys", *keys}};
    std::int64_t size = item_size(*keys);
    if (has_new) {
        auto image = item_field(context, "new-image", R"({"message":{"S":"New item!"}})");
        if (!image) return image.error();
        auto full = with_keys(*keys, *image, "new-image");
        if (!full) return full.error();
        dynamodb["NewImage"] = *full;
        size += item_size(*full);
    }
    if (has_old) {
        auto image = item_field(context, "old-image",
                                type == "modify" ? R"({"message":{"S":"Old item!"}})"
                                                 : R"({"message":{"S":"Deleted item!"}})");
        if (!image) return image.error();
        auto full = with_keys(*keys, *image, "old-image");
        if (!full) return full.error();
        dynamodb["OldImage"] = *full;
        size += item_size(*full);
    }
    dynamodb["SequenceNumber"] = random_digits(25);
    dynamodb["SizeBytes"] = size;
    dynamodb["StreamViewType"] = view;

    std::string upper_type;
    for (char c : type) upper_type.push_back(static_cast<char>(c - 'a' + 'A'));
    // The stream label is the time the stream was enabled: some while before the record.
    std::string label = util::iso8601_ms(context.now() - std::chrono::hours(24 * 30));
    label.pop_back();  // no 'Z'
    Json record = {
        {"eventID", util::random_hex(32)},
        {"eventName", upper_type},
        {"eventVersion", "1.1"},
        {"eventSource", "aws:dynamodb"},
        {"awsRegion", context.region()},
        {"dynamodb", dynamodb},
        {"eventSourceARN", context.arn("dynamodb", "table/" + table + "/stream/" + label)}};
    return Json{{"Records", Json::array({record})}};
}

}  // namespace lambda_emu::events
