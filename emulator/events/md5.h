// MD5 (RFC 1321), for the digests events carry: SQS md5OfBody, S3 eTag.
#pragma once

#include <string>
#include <string_view>

namespace lambda_emu::events {

// The 32 lower-case hex digits of MD5(data).
std::string md5_hex(std::string_view data);

}  // namespace lambda_emu::events
