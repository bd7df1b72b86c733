// A small XML writer for the standard exports (EDXL-HAVE, CAP): elements in order, text escaped,
// characters XML 1.0 does not allow dropped. Pure: builds a string, no I/O.
#ifndef LAGESBILD_INTEROP_XML_WRITER_H_
#define LAGESBILD_INTEROP_XML_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lagesbild/core/domain.h"

namespace lagesbild::xml {

// `text` with &, <, >, " and ' escaped, and the control characters XML 1.0 forbids (and broken
// UTF-8) left out, so any stored text makes a well-formed document.
std::string Escape(std::string_view text);

// An xsd:dateTime with a numeric offset and whole seconds ("2026-11-23T10:15:00+00:00"), as CAP
// requires and HAVE accepts.
std::string DateTime(TimeMs at);

class Writer {
 public:
  using Attributes = std::vector<std::pair<std::string, std::string>>;

  // Starts the document with its XML declaration (none for a document to be embedded).
  explicit Writer(bool declaration = true);
  // <name attributes…>; every Open needs its Close.
  void Open(std::string_view name, const Attributes& attributes = {});
  void Close();
  // <name>text</name> on one line.
  void Leaf(std::string_view name, std::string_view text);
  void Leaf(std::string_view name, std::int64_t value) { Leaf(name, std::to_string(value)); }
  // A document written elsewhere, placed as it is (an embedded HAVE document; no declaration).
  void Raw(std::string_view xml);
  void Comment(std::string_view text);
  // The document; all elements must be closed.
  std::string Finish();

 private:
  void Indent();
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace lagesbild::xml

#endif  // LAGESBILD_INTEROP_XML_WRITER_H_
