#include "http_response.h"

#include <algorithm>
#include <cctype>

namespace lagesbild {
namespace {

constexpr std::size_t kMaxChunkLine = 1024;
constexpr std::size_t kMaxTrailerBytes = 8192;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool TokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

HttpResponseReader::State HttpResponseReader::Fail(const char* code, std::string what) {
  state_ = State::kError;
  error_code_ = code;
  error_ = std::move(what);
  return state_;
}

HttpResponseReader::State HttpResponseReader::Feed(std::string_view bytes) {
  if (state_ != State::kMore) return state_;
  if (head_done_) return FeedBody(bytes);
  const std::size_t before = head_.size();
  const std::size_t searched = before < 3 ? 0 : before - 3;
  const std::size_t room = max_head_ + 4 > before ? max_head_ + 4 - before : 0;
  head_.append(bytes.data(), std::min(bytes.size(), room));
  const std::size_t end = head_.find("\r\n\r\n", searched);
  if (end == std::string::npos) {
    if (head_.size() > max_head_) {
      return Fail("too_large", "the answer's head is longer than " + std::to_string(max_head_) + " bytes");
    }
    return state_;
  }
  // What came after the blank line, in this call's bytes (end + 4 > before: the blank line ends
  // in them).
  const std::string_view rest = bytes.substr(end + 4 - before);
  head_.resize(end);
  if (ParseHead(head_) == State::kError) return state_;
  head_done_ = true;
  head_.clear();
  head_.shrink_to_fit();
  if (status_ < 200) return Fail("invalid_http", "an interim answer (" + std::to_string(status_) + ") was not asked for");
  if (status_ == 204 || status_ == 304) {
    state_ = State::kDone;
    return state_;
  }
  if (framing_ == Framing::kLength && remaining_ == 0) {
    state_ = State::kDone;
    return state_;
  }
  return rest.empty() ? state_ : FeedBody(rest);
}

HttpResponseReader::State HttpResponseReader::ParseHead(std::string_view head) {
  std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." ||
      std::isdigit(static_cast<unsigned char>(status_line[7])) == 0 || status_line[8] != ' ' ||
      !AllDigits(status_line.substr(9, 3)) || (status_line.size() > 12 && status_line[12] != ' ')) {
    return Fail("invalid_http", "not an HTTP/1.x status line");
  }
  status_ = std::stoi(std::string(status_line.substr(9, 3)));
  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos ||
        !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon), TokenChar)) {
      return Fail("invalid_http", "a malformed header line");
    }
    for (char c : line) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return Fail("invalid_http", "a control character in a header");
      }
    }
    const std::string name = Lower(line.substr(0, colon));
    const std::string value(Trim(line.substr(colon + 1)));
    auto [it, fresh] = headers_.emplace(name, value);
    if (!fresh) {
      if (name == "content-length" && it->second != value) {
        return Fail("invalid_http", "two different Content-Length headers");
      }
      if (name != "content-length") it->second += ", " + value;
    }
  }
  if (auto encoding = headers_.find("content-encoding");
      encoding != headers_.end() && Lower(encoding->second) != "identity") {
    return Fail("invalid_http", "a Content-Encoding that was not asked for: " + encoding->second.substr(0, 40));
  }
  const auto transfer = headers_.find("transfer-encoding");
  const auto length = headers_.find("content-length");
  if (transfer != headers_.end()) {
    if (Lower(transfer->second) != "chunked") {
      return Fail("invalid_http", "a Transfer-Encoding other than chunked: " + transfer->second.substr(0, 40));
    }
    if (length != headers_.end()) {
      return Fail("invalid_http", "both Transfer-Encoding and Content-Length");
    }
    framing_ = Framing::kChunked;
  } else if (length != headers_.end()) {
    if (!AllDigits(length->second)) return Fail("invalid_http", "a Content-Length that is no number");
    if (length->second.size() > 15 || std::stoull(length->second) > max_body_) {
      return Fail("too_large", "the body is " + length->second.substr(0, 20) +
                                   " bytes; the limit is " + std::to_string(max_body_));
    }
    framing_ = Framing::kLength;
    remaining_ = std::stoull(length->second);
  }
  return state_;
}

HttpResponseReader::State HttpResponseReader::AddBody(std::string_view bytes) {
  if (body_.size() + bytes.size() > max_body_) {
    return Fail("too_large", "the body is longer than " + std::to_string(max_body_) + " bytes");
  }
  body_.append(bytes.data(), bytes.size());
  return state_;
}

HttpResponseReader::State HttpResponseReader::FeedBody(std::string_view bytes) {
  switch (framing_) {
    case Framing::kUntilEnd:
      return AddBody(bytes);
    case Framing::kLength: {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
      if (AddBody(bytes.substr(0, take)) == State::kError) return state_;
      remaining_ -= take;
      if (remaining_ == 0) state_ = State::kDone;  // anything after it is ignored
      return state_;
    }
    case Framing::kChunked:
      return FeedChunked(bytes);
  }
  return state_;
}

HttpResponseReader::State HttpResponseReader::FeedChunked(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && state_ == State::kMore) {
    switch (chunk_part_) {
      case ChunkPart::kSize: {
        const char c = bytes[i++];
        if (c != '\n') {
          line_ += c;
          if (line_.size() > kMaxChunkLine) return Fail("invalid_http", "a chunk-size line too long");
          break;
        }
        if (line_.empty() || line_.back() != '\r') return Fail("invalid_http", "a chunk-size line without CRLF");
        line_.pop_back();
        const std::string_view size_text = std::string_view(line_).substr(0, line_.find(';'));
        const std::string_view digits = Trim(size_text);
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char d) {
              return std::isxdigit(static_cast<unsigned char>(d)) != 0;
            })) {
          return Fail("invalid_http", "a chunk size that is no hexadecimal number");
        }
        if (digits.size() > 12) return Fail("too_large", "a chunk larger than the body's limit");
        remaining_ = std::stoull(std::string(digits), nullptr, 16);
        line_.clear();
        if (remaining_ == 0) {
          chunk_part_ = ChunkPart::kTrailer;
        } else if (body_.size() + remaining_ > max_body_) {
          return Fail("too_large", "the body is longer than " + std::to_string(max_body_) + " bytes");
        } else {
          chunk_part_ = ChunkPart::kData;
        }
        break;
      }
      case ChunkPart::kData: {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
        if (AddBody(bytes.substr(i, take)) == State::kError) return state_;
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) chunk_part_ = ChunkPart::kDataEnd;
        break;
      }
      case ChunkPart::kDataEnd:
        line_ += bytes[i++];
        if (line_.size() == 2) {
          if (line_ != "\r\n") return Fail("invalid_http", "a chunk not followed by CRLF");
          line_.clear();
          chunk_part_ = ChunkPart::kSize;
        }
        break;
      case ChunkPart::kTrailer: {
        const char c = bytes[i++];
        if (++trailer_bytes_ > kMaxTrailerBytes) return Fail("invalid_http", "a trailer too long");
        if (c != '\n') {
          line_ += c;
          break;
        }
        if (line_ == "\r") {
          state_ = State::kDone;
        } else if (line_.empty() || line_.back() != '\r') {
          return Fail("invalid_http", "a trailer line without CRLF");
        }
        line_.clear();
        break;
      }
    }
  }
  return state_;
}

HttpResponseReader::State HttpResponseReader::End() {
  if (state_ != State::kMore) return state_;
  if (!head_done_) return Fail("invalid_http", "the connection ended before the answer's head");
  if (framing_ == Framing::kUntilEnd) {
    state_ = State::kDone;
    return state_;
  }
  return Fail("invalid_http", "the connection ended before the end of the body");
}

}  // namespace lagesbild
