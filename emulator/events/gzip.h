// gzip (RFC 1952) through zlib, for CloudWatch Logs subscription payloads.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace lambda_emu::events {

// A complete gzip member holding data.
util::Result<std::string> gzip_compress(std::string_view data);
// The data of a gzip stream; an error when it is not valid gzip.
util::Result<std::string> gzip_decompress(std::string_view gzipped);

}  // namespace lambda_emu::events
