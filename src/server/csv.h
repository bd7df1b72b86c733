// CSV for Swedish spreadsheet programs: ';' between cells, every cell quoted, '"' doubled.
// CsvText also disarms a free text that a spreadsheet would run as a formula (one starting with
// = + - @, a tab or a carriage return gets a leading apostrophe), for texts any writer can send.
#ifndef LAGESBILD_SERVER_CSV_H_
#define LAGESBILD_SERVER_CSV_H_

#include <initializer_list>
#include <string>

namespace lagesbild {

inline std::string CsvCell(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

inline std::string CsvText(const std::string& text) {
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                         text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  return formula ? "'" + text : text;
}

inline std::string CsvRow(std::initializer_list<std::string> cells) {
  std::string row;
  for (const std::string& cell : cells) row += (row.empty() ? "" : ";") + CsvCell(cell);
  return row + "\n";
}

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_CSV_H_
