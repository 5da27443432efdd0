// Percent-encoding as the services deliver it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambda_emu::events {

// An S3 object key as S3 event notifications carry it: form encoding, a space as '+', '/' and
// the unreserved characters (A-Z a-z 0-9 - _ . ~) as they are, every other byte as %XX.
std::string s3_key_encode(std::string_view key);

// Percent-encoding for a query string component: unreserved characters as they are, a space as
// %20, every other byte as %XX.
std::string query_encode(std::string_view text);

// Undoes %XX (and '+' as a space when plus_is_space). nullopt on a malformed escape.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space);

// "a=1&b=x%20y&a=2" -> {{"a","1"},{"b","x%20y"},{"a","2"}}, values left encoded. A part without
// '=' has an empty value; empty parts are skipped.
std::vector<std::pair<std::string, std::string>> split_query(std::string_view raw);

}  // namespace lambda_emu::events
