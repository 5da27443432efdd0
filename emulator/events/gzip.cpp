#include "events/gzip.h"

#include <zlib.h>

#include <array>

namespace lambda_emu::events {

namespace {

// windowBits 15 plus 16 selects the gzip wrapper instead of zlib's.
constexpr int k_gzip_window_bits = 15 + 16;
constexpr int k_memory_level = 8;

Bytef* input_bytes(std::string_view data) {
    // zlib's API is not const-correct; it never writes through next_in.
    return reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
}

}  // namespace

util::Result<std::string> gzip_compress(std::string_view data) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, k_gzip_window_bits, k_memory_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return util::make_error("gzip: cannot initialise zlib");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = input_bytes(data);
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) return util::make_error("gzip: compression failed");
    return out;
}

util::Result<std::string> gzip_decompress(std::string_view gzipped) {
    z_stream stream{};
    if (inflateInit2(&stream, k_gzip_window_bits) != Z_OK) {
        return util::make_error("gunzip: cannot initialise zlib");
    }
    stream.next_in = input_bytes(gzipped);
    stream.avail_in = static_cast<uInt>(gzipped.size());
    std::string out;
    std::array<char, 16384> chunk{};
    int rc = Z_OK;
    while (rc == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
        if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;  // truncated input
    }
    inflateEnd(&stream);
    if (rc != Z_STREAM_END) return util::make_error("gunzip: not a complete gzip stream");
    return out;
}

}  // namespace lambda_emu::events
