// Validation rules of the organization module. Field names match the JSON API so that
// errors point at what the caller sent.
#include "domain/org/org.h"

#include <algorithm>

namespace openmso::org {

bool IsUsStateCode(std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
      "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
      "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
      "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP"};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

namespace {
bool IsZip(std::string_view z) {
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (z.size() == 5) return digits(z);
  return z.size() == 10 && z[5] == '-' && digits(z.substr(0, 5)) && digits(z.substr(6));
}
}  // namespace

Result<void> Validate(const FacilityDraft& d) {
  FieldErrors errs;
  if (d.name.empty() || d.name.size() > 200) errs.Add("name", "invalid_length", "Name must be 1 to 200 characters.");
  if (std::find(std::begin(kFacilityTypes), std::end(kFacilityTypes), d.type) == std::end(kFacilityTypes))
    errs.Add("type", "invalid_value", "Unknown facility type.");
  if (d.address.line1.empty() || d.address.line1.size() > 200) errs.Add("address.line1", "invalid_length", "Address line must be 1 to 200 characters.");
  if (d.address.city.empty() || d.address.city.size() > 100) errs.Add("address.city", "invalid_length", "City must be 1 to 100 characters.");
  if (!IsUsStateCode(d.address.state)) errs.Add("address.state", "invalid_value", "State must be a two-letter USPS code.");
  if (!IsZip(d.address.postal_code)) errs.Add("address.postal_code", "invalid_value", "Postal code must be a 5-digit ZIP or ZIP+4.");
  if (!(d.location.latitude >= -90 && d.location.latitude <= 90)) errs.Add("location.latitude", "out_of_range", "Latitude must be between -90 and 90.");
  if (!(d.location.longitude >= -180 && d.location.longitude <= 180)) errs.Add("location.longitude", "out_of_range", "Longitude must be between -180 and 180.");
  if (!IsValidTimeZone(d.time_zone)) errs.Add("time_zone", "invalid_time_zone", "Unknown IANA time zone.");
  if (d.monthly_fee.negative()) errs.Add("monthly_fee_cents", "negative_amount", "Amount must not be negative.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

Result<void> ValidateUnit(std::string_view name, std::string_view kind) {
  FieldErrors errs;
  if (name.empty() || name.size() > 100) errs.Add("name", "invalid_length", "Name must be 1 to 100 characters.");
  if (kind.empty() || kind.size() > 50) errs.Add("kind", "invalid_length", "Kind must be 1 to 50 characters.");
  if (!errs.empty()) return errs.ToError();
  return Ok();
}

}  // namespace openmso::org
