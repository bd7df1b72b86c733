#include "lagesbild/interop/xml_writer.h"

#include <stdexcept>

#include "lagesbild/core/time_format.h"

namespace lagesbild::xml {

namespace {

// The length of the valid UTF-8 sequence at text[i] that XML 1.0 allows, or 0.
std::size_t AllowedSequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r' ? 1 : 0;
  const std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > text.size()) return 0;
  std::uint32_t code = lead & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const std::uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < minimum[length] || code > 0x10FFFF) return 0;     // overlong or beyond Unicode
  if (code >= 0xD800 && code <= 0xDFFF) return 0;              // surrogates
  if (code == 0xFFFE || code == 0xFFFF) return 0;              // not XML characters
  return length;
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = AllowedSequence(text, i);
    if (length == 0) {
      ++i;
      continue;
    }
    switch (text[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string DateTime(TimeMs at) {
  // Whole seconds: CAP's pattern has no fraction. FormatUtc gives "YYYY-MM-DDTHH:MM:SS.mmmZ".
  const TimeMs seconds = at >= 0 ? at / 1000 * 1000 : (at - 999) / 1000 * 1000;
  return FormatUtc(seconds).substr(0, 19) + "+00:00";
}

Writer::Writer(bool declaration) {
  if (declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void Writer::Indent() { out_.append(open_.size() * 2, ' '); }

void Writer::Open(std::string_view name, const Attributes& attributes) {
  Indent();
  out_ += '<';
  out_ += name;
  for (const auto& [key, value] : attributes) {
    out_ += ' ' + key + "=\"" + Escape(value) + '"';
  }
  out_ += ">\n";
  open_.emplace_back(name);
}

void Writer::Close() {
  if (open_.empty()) throw std::logic_error("xml::Writer::Close without Open");
  const std::string name = std::move(open_.back());
  open_.pop_back();
  Indent();
  out_ += "</" + name + ">\n";
}

void Writer::Leaf(std::string_view name, std::string_view text) {
  Indent();
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += Escape(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void Writer::Raw(std::string_view xml) {
  out_ += xml;
  if (!xml.empty() && xml.back() != '\n') out_ += '\n';
}

void Writer::Comment(std::string_view text) {
  Indent();
  std::string safe = Escape(text);
  for (std::size_t at; (at = safe.find("--")) != std::string::npos;) safe.replace(at, 2, "- -");
  out_ += "<!-- " + safe + " -->\n";
}

std::string Writer::Finish() {
  if (!open_.empty()) throw std::logic_error("xml::Writer::Finish with <" + open_.back() + "> open");
  return std::move(out_);
}

}  // namespace lagesbild::xml
