// Money: an amount in integer cents of US dollars. Never a double.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openmso {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money Cents(int64_t cents) { return Money(cents); }
  constexpr int64_t cents() const { return cents_; }
  constexpr bool negative() const { return cents_ < 0; }

  constexpr Money operator+(Money o) const { return Money(cents_ + o.cents_); }
  constexpr Money operator-(Money o) const { return Money(cents_ - o.cents_); }
  constexpr Money operator-() const { return Money(-cents_); }
  Money& operator+=(Money o) { cents_ += o.cents_; return *this; }
  Money& operator-=(Money o) { cents_ -= o.cents_; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

  // Multiplies by a rational factor num/den with round-half-away-from-zero, exactly
  // (no floating point). REQUIRES: den > 0.
  Money MulRatio(int64_t num, int64_t den) const;

  // "1234.50" (no currency sign, always two decimals, leading '-' when negative).
  std::string ToDecimalString() const;
  // Parses "1234", "1234.5", "1234.50", "-3.07". Returns nullopt on anything else.
  static std::optional<Money> ParseDecimal(std::string_view text);

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

}  // namespace openmso
