// Private helpers of src/formats, not part of the public header: decoding UTF-8 one code
// point at a time (the NACHA sanitizer, the PDF text encoder) and the checks and totals of
// a Sheet shared by the CSV and XLSX writers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/formats.h"

namespace openmso::formats::internal {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at text[i] and advances i past it. Malformed or overlong sequences
// and surrogates yield kReplacement and advance by one byte.
inline char32_t NextCodePoint(std::string_view text, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = b(i);
  if (c < 0x80) { ++i; return c; }
  size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? (c < 0xF0 ? 3 : 0) : c >= 0xC2 ? 2 : 0;
  if (n == 0 || i + n > text.size()) { ++i; return kReplacement; }
  char32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) { ++i; return kReplacement; }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += n;
  return cp;
}

// Checks a sheet's invariants (see Sheet) and returns, per column, the total of a kSum
// column (an integer or money cell; an empty sum is a zero of the column's kind, money when
// the column has no cells) or nullopt. `at` prefixes the error fields, e.g. "sheets[0].".
Result<std::vector<std::optional<Cell>>> CheckSheet(const Sheet& sheet, const std::string& at);

}  // namespace openmso::formats::internal
