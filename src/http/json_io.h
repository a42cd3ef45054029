// Strict JSON request decoding and response encoding on Boost.JSON. BodyReader names
// every offending field (missing, wrong type, unknown, invalid date/zone, negative money)
// so that handlers stay three lines of intent.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/core.h"
#include "http/http.h"

namespace openmso::http {

namespace json = boost::json;

// Parses a request body that must be a JSON object. Errors: kUnsupportedMedia
// ("unsupported-media-type") unless Content-Type is application/json; kInvalidArgument
// ("malformed-json") for a syntax error or a non-object.
Result<json::object> ParseJsonObject(const Request& req);

// Reads fields of one JSON object, collecting every error. Call Finish() last: it adds
// an "unknown_field" error for each key not read, and returns all errors at once.
class BodyReader {
 public:
  explicit BodyReader(const json::object& obj, std::string prefix = "") : obj_(obj), prefix_(std::move(prefix)) {}

  std::string RequiredString(std::string_view key, size_t max_len = 1000);
  std::optional<std::string> OptionalString(std::string_view key, size_t max_len = 1000);
  std::optional<int64_t> OptionalInt(std::string_view key);
  int64_t RequiredInt(std::string_view key);
  double RequiredNumber(std::string_view key);
  std::optional<double> OptionalNumber(std::string_view key);
  // The raw value of a key (marks it read); nullptr when absent or null.
  const json::value* OptionalValue(std::string_view key) { return Get(key, false); }
  // An RFC 3339 instant with a zone offset or Z ("2026-11-02T13:00:00Z").
  std::optional<Instant> OptionalInstant(std::string_view key);
  Instant RequiredInstant(std::string_view key);
  bool OptionalBool(std::string_view key, bool fallback);
  // Integer cents, >= 0 (rule CORE-MONEY-NONNEGATIVE for fees and rates).
  Money RequiredMoney(std::string_view key);
  std::optional<Money> OptionalMoney(std::string_view key);
  std::optional<Date> OptionalDate(std::string_view key);
  // An IANA zone name from the system tz database.
  std::string RequiredTimeZone(std::string_view key);
  std::vector<int64_t> OptionalIntArray(std::string_view key);
  // An array of strings, each at most max_len; empty when absent or null.
  std::vector<std::string> OptionalStringArray(std::string_view key, size_t max_len = 1000);
  // An array of objects; one nested reader per element ("key.0", "key.1", ...), sharing
  // this reader's error list. Each element reader must call CheckUnknown().
  std::vector<BodyReader> RequiredObjectArray(std::string_view key, size_t max_items = 100);
  // A nested object; its reader shares this reader's error list. Returns an empty object
  // (and records "required") when missing.
  BodyReader RequiredObject(std::string_view key);

  void AddError(std::string_view key, std::string code, std::string message);
  // Records an "unknown_field" error for each key not read. Nested readers call this;
  // the top-level reader calls Finish().
  void CheckUnknown();
  // CheckUnknown(), then ok when no field of this reader or its nested readers failed.
  Result<void> Finish();

 private:
  BodyReader(const json::object& obj, std::string prefix, std::shared_ptr<FieldErrors> errs)
      : obj_(obj), prefix_(std::move(prefix)), errs_(std::move(errs)) {}
  const json::value* Get(std::string_view key, bool required);
  std::string Path(std::string_view key) const;
  void WrongType(std::string_view key, std::string_view expected);

  const json::object& obj_;
  std::string prefix_;
  std::shared_ptr<FieldErrors> errs_ = std::make_shared<FieldErrors>();
  std::set<std::string, std::less<>> seen_;
  static const json::object kEmpty;
};

Response JsonResponse(int status, const json::value& body);
inline Response Json(const json::value& body) { return JsonResponse(200, body); }
Response NoContent();
json::value ToJson(std::optional<int64_t> v);

}  // namespace openmso::http
