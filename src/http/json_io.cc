// Strict decoding of JSON bodies with field-level errors, and JSON responses.
#include "http/json_io.h"

namespace openmso::http {

const json::object BodyReader::kEmpty;

Result<json::object> ParseJsonObject(const Request& req) {
  std::string_view ct = req.Header("content-type");
  auto semi = ct.find(';');
  std::string_view mime = ct.substr(0, semi);
  while (!mime.empty() && mime.back() == ' ') mime.remove_suffix(1);
  if (mime != "application/json")
    return Error::Make(ErrorCode::kUnsupportedMedia, "unsupported-media-type",
                       "The request body must be application/json.");
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec)
    return Error::Make(ErrorCode::kInvalidArgument, "malformed-json",
                       "The request body is not valid JSON: " + ec.message() + ".");
  if (!v.is_object())
    return Error::Make(ErrorCode::kInvalidArgument, "malformed-json", "The request body must be a JSON object.");
  return std::move(v.as_object());
}

std::string BodyReader::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void BodyReader::AddError(std::string_view key, std::string code, std::string message) {
  errs_->Add(Path(key), std::move(code), std::move(message));
}

void BodyReader::WrongType(std::string_view key, std::string_view expected) {
  AddError(key, "wrong_type", "Must be " + std::string(expected) + ".");
}

const json::value* BodyReader::Get(std::string_view key, bool required) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end() || (!required && it->value().is_null())) {
    if (required) AddError(key, "required", "This field is required.");
    return nullptr;
  }
  if (required && it->value().is_null()) {
    AddError(key, "required", "This field is required.");
    return nullptr;
  }
  return &it->value();
}

std::string BodyReader::RequiredString(std::string_view key, size_t max_len) {
  const json::value* v = Get(key, true);
  if (!v) return {};
  if (!v->is_string()) { WrongType(key, "a string"); return {}; }
  std::string s(v->as_string());
  if (s.size() > max_len) AddError(key, "too_long", "At most " + std::to_string(max_len) + " characters.");
  return s;
}

std::optional<std::string> BodyReader::OptionalString(std::string_view key, size_t max_len) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) { WrongType(key, "a string"); return std::nullopt; }
  std::string s(v->as_string());
  if (s.size() > max_len) AddError(key, "too_long", "At most " + std::to_string(max_len) + " characters.");
  return s;
}

std::optional<int64_t> BodyReader::OptionalInt(std::string_view key) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->as_uint64());
  WrongType(key, "an integer");
  return std::nullopt;
}

int64_t BodyReader::RequiredInt(std::string_view key) {
  if (!obj_.contains(key) || obj_.at(key).is_null()) { Get(key, true); return 0; }
  return OptionalInt(key).value_or(0);
}

double BodyReader::RequiredNumber(std::string_view key) {
  const json::value* v = Get(key, true);
  if (!v) return 0;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  WrongType(key, "a number");
  return 0;
}

std::optional<double> BodyReader::OptionalNumber(std::string_view key) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  WrongType(key, "a number");
  return std::nullopt;
}

std::optional<Instant> BodyReader::OptionalInstant(std::string_view key) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) { WrongType(key, "an RFC 3339 instant"); return std::nullopt; }
  auto t = ParseInstant(std::string_view(v->as_string()));
  if (!t) AddError(key, "invalid_instant", "An RFC 3339 instant with an offset, e.g. 2026-11-02T13:00:00Z.");
  return t;
}

Instant BodyReader::RequiredInstant(std::string_view key) {
  if (!obj_.contains(key) || obj_.at(key).is_null()) { Get(key, true); return Instant(); }
  return OptionalInstant(key).value_or(Instant());
}

bool BodyReader::OptionalBool(std::string_view key, bool fallback) {
  const json::value* v = Get(key, false);
  if (!v) return fallback;
  if (!v->is_bool()) { WrongType(key, "true or false"); return fallback; }
  return v->as_bool();
}

std::optional<Money> BodyReader::OptionalMoney(std::string_view key) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  int64_t cents;
  if (v->is_int64()) cents = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) cents = static_cast<int64_t>(v->as_uint64());
  else { WrongType(key, "an integer amount in cents"); return std::nullopt; }
  if (cents < 0) { AddError(key, "negative_amount", "Amount must not be negative."); return std::nullopt; }
  return Money::Cents(cents);
}

Money BodyReader::RequiredMoney(std::string_view key) {
  if (!obj_.contains(key) || obj_.at(key).is_null()) { Get(key, true); return Money(); }
  return OptionalMoney(key).value_or(Money());
}

std::optional<Date> BodyReader::OptionalDate(std::string_view key) {
  const json::value* v = Get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) { WrongType(key, "a date string YYYY-MM-DD"); return std::nullopt; }
  auto d = Date::Parse(std::string_view(v->as_string()));
  if (!d) AddError(key, "invalid_date", "Must be a real calendar date, YYYY-MM-DD.");
  return d;
}

std::string BodyReader::RequiredTimeZone(std::string_view key) {
  std::string z = RequiredString(key, 64);
  if (!z.empty() && !IsValidTimeZone(z)) AddError(key, "invalid_time_zone", "Unknown IANA time zone.");
  return z;
}

std::vector<std::string> BodyReader::OptionalStringArray(std::string_view key, size_t max_len) {
  const json::value* v = Get(key, false);
  std::vector<std::string> out;
  if (!v) return out;
  if (!v->is_array()) { WrongType(key, "an array of strings"); return out; }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& x = v->as_array()[i];
    std::string at = std::string(key) + "." + std::to_string(i);
    if (!x.is_string()) { WrongType(at, "a string"); continue; }
    if (x.as_string().size() > max_len) AddError(at, "too_long", "At most " + std::to_string(max_len) + " characters.");
    out.emplace_back(x.as_string());
  }
  return out;
}

std::vector<BodyReader> BodyReader::RequiredObjectArray(std::string_view key, size_t max_items) {
  const json::value* v = Get(key, true);
  std::vector<BodyReader> out;
  if (!v) return out;
  if (!v->is_array()) { WrongType(key, "an array of objects"); return out; }
  if (v->as_array().size() > max_items) {
    AddError(key, "too_long", "At most " + std::to_string(max_items) + " items.");
    return out;
  }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& x = v->as_array()[i];
    std::string at = std::string(key) + "." + std::to_string(i);
    if (!x.is_object()) { WrongType(at, "an object"); continue; }
    out.push_back(BodyReader(x.as_object(), Path(at), errs_));
  }
  return out;
}

std::vector<int64_t> BodyReader::OptionalIntArray(std::string_view key) {
  const json::value* v = Get(key, false);
  std::vector<int64_t> out;
  if (!v) return out;
  if (!v->is_array()) { WrongType(key, "an array of integers"); return out; }
  for (const auto& x : v->as_array()) {
    if (x.is_int64()) out.push_back(x.as_int64());
    else { WrongType(key, "an array of integers"); return {}; }
  }
  return out;
}

BodyReader BodyReader::RequiredObject(std::string_view key) {
  const json::value* v = Get(key, true);
  if (v && !v->is_object()) WrongType(key, "an object");
  const json::object& o = (v && v->is_object()) ? v->as_object() : kEmpty;
  return BodyReader(o, Path(key), errs_);
}

void BodyReader::CheckUnknown() {
  for (const auto& kv : obj_)
    if (!seen_.count(std::string_view(kv.key())))
      AddError(std::string_view(kv.key()), "unknown_field", "This field is not recognized.");
}

Result<void> BodyReader::Finish() {
  CheckUnknown();
  if (!errs_->empty()) return errs_->ToError();
  return Ok();
}

Response JsonResponse(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

json::value ToJson(std::optional<int64_t> v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace openmso::http
