// Exact arithmetic and decimal text for Money. Rounding is half away from zero,
// the convention of US payroll and invoicing.
#include "core/money.h"

#include <cstdlib>

namespace openmso {

Money Money::MulRatio(int64_t num, int64_t den) const {
  __int128 p = static_cast<__int128>(cents_) * num;
  __int128 q = p / den;
  __int128 r = p % den;
  if (r < 0) r = -r;
  if (2 * r >= den) q += (p < 0 ? -1 : 1);
  return Money(static_cast<int64_t>(q));
}

std::string Money::ToDecimalString() const {
  int64_t abs = cents_ < 0 ? -cents_ : cents_;
  std::string frac = std::to_string(abs % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (cents_ < 0 ? "-" : "") + std::to_string(abs / 100) + "." + frac;
}

std::optional<Money> Money::ParseDecimal(std::string_view t) {
  bool neg = false;
  if (!t.empty() && t[0] == '-') { neg = true; t.remove_prefix(1); }
  if (t.empty()) return std::nullopt;
  int64_t whole = 0, frac = 0;
  size_t i = 0;
  for (; i < t.size() && t[i] != '.'; ++i) {
    if (t[i] < '0' || t[i] > '9' || whole > 90'000'000'000'000'000 / 10) return std::nullopt;
    whole = whole * 10 + (t[i] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < t.size()) {
    auto f = t.substr(i + 1);
    if (f.empty() || f.size() > 2) return std::nullopt;
    for (char c : f) {
      if (c < '0' || c > '9') return std::nullopt;
      frac = frac * 10 + (c - '0');
    }
    if (f.size() == 1) frac *= 10;
  }
  int64_t cents = whole * 100 + frac;
  return Money::Cents(neg ? -cents : cents);
}

}  // namespace openmso
