#include "lagesbild/core/time_format.h"

#include <cstdio>

namespace lagesbild {
namespace {

// Howard Hinnant's civil-calendar algorithms: exact for the proleptic Gregorian calendar and
// independent of the process time zone.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, unsigned* out) {
  if (pos + count > text.size()) return false;
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string FormatUtc(TimeMs at) {
  const std::int64_t days = FloorDiv(at, 86400000);
  const std::int64_t ms_of_day = at - days * 86400000;
  std::int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0 || y > 9999) {  // outside what the wire uses; the general path
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(ms_of_day / 3600000),
                  static_cast<long long>(ms_of_day / 60000 % 60),
                  static_cast<long long>(ms_of_day / 1000 % 60),
                  static_cast<long long>(ms_of_day % 1000));
    return buffer;
  }
  // "YYYY-MM-DDTHH:MM:SS.mmmZ" digit by digit: this is in every record sent (snprintf was a
  // tenth of a delta's cost).
  char text[24] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0',
                   '0', ':', '0', '0', ':', '0', '0', '.', '0', '0', '0', 'Z'};
  const auto put = [&](int end, std::int64_t value, int digits) {
    for (int i = 0; i < digits; ++i, value /= 10) text[end - i] = static_cast<char>('0' + value % 10);
  };
  put(3, y, 4);
  put(6, m, 2);
  put(9, d, 2);
  put(12, ms_of_day / 3600000, 2);
  put(15, ms_of_day / 60000 % 60, 2);
  put(18, ms_of_day / 1000 % 60, 2);
  put(22, ms_of_day % 1000, 3);
  return std::string(text, sizeof text);
}

std::optional<TimeMs> ParseUtc(std::string_view text) {
  unsigned y, mo, d, h, mi, s, ms = 0;
  if (!ReadDigits(text, 0, 4, &y) || text.size() < 20 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &mo) || text[7] != '-' || !ReadDigits(text, 8, 2, &d) ||
      text[10] != 'T' || !ReadDigits(text, 11, 2, &h) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, &mi) || text[16] != ':' || !ReadDigits(text, 17, 2, &s)) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (text[pos] == '.') {
    if (!ReadDigits(text, pos + 1, 3, &ms)) return std::nullopt;
    pos += 4;
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') return std::nullopt;
  static constexpr unsigned kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDaysInMonth[mo - 1] || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const std::int64_t days = DaysFromCivil(y, mo, d);
  std::int64_t round_y;
  unsigned round_m, round_d;
  CivilFromDays(days, &round_y, &round_m, &round_d);
  if (round_y != y || round_m != mo || round_d != d) return std::nullopt;  // 29 Feb, non-leap
  return ((days * 24 + h) * 60 + mi) * 60000 + static_cast<std::int64_t>(s) * 1000 + ms;
}

namespace {

// 01:00 UTC on the last Sunday of `month` (31 days: March or October) of year `y`, the EU's
// summer-time switch (Directive 2000/84/EC).
TimeMs LastSundayOneUtc(std::int64_t y, unsigned month) {
  const std::int64_t last = DaysFromCivil(y, month, 31);
  const std::int64_t weekday = last - FloorDiv(last + 4, 7) * 7 + 4;  // 0 = Sunday (1970-01-01 a Thursday)
  return ((last - weekday) * 24 + 1) * 3600000;
}

}  // namespace

int SwedishOffsetMinutes(TimeMs at) {
  std::int64_t y;
  unsigned m, d;
  CivilFromDays(FloorDiv(at, 86400000), &y, &m, &d);
  return at >= LastSundayOneUtc(y, 3) && at < LastSundayOneUtc(y, 10) ? 120 : 60;
}

std::string FormatSwedishTime(TimeMs at) {
  const TimeMs local = at + static_cast<TimeMs>(SwedishOffsetMinutes(at)) * 60000;
  const std::string text = FormatUtc(local);  // "YYYY-MM-DDTHH:MM:SS.mmmZ" of the local clock
  if (text.size() != 24) return text;
  return text.substr(0, 10) + " " + text.substr(11, 5);
}

}  // namespace lagesbild
