// Result<T> and Error: the one error type every module returns for failures that a
// user or the data can cause. Exceptions are reserved for bugs.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace openmso {

// A closed set of failure kinds. The HTTP layer maps each to exactly one status in one
// exhaustive switch (src/http/problem.cc); add a code there when adding one here.
enum class ErrorCode {
  kInvalidArgument,     // the input is malformed or fails validation (400/422)
  kUnauthenticated,     // no valid session (401)
  kPermissionDenied,    // authenticated but not allowed (403)
  kNotFound,            // no such resource, or not visible to the caller (404)
  kMethodNotAllowed,    // the route exists, the method does not (405)
  kConflict,            // state conflict: already exists, already finalized (409)
  kPayloadTooLarge,     // request body over the limit (413)
  kUnsupportedMedia,    // wrong content type (415)
  kRateLimited,         // throttled or temporarily locked out (429)
  kUnavailable,         // a dependency is down; retry later (503)
  kInternal,            // a bug or an unexpected storage failure (500)
};

// One offending input field. `field` is a JSON-pointer-like path ("address.state").
struct FieldError {
  std::string field;
  std::string code;     // stable: "required", "unknown_field", "wrong_type", "invalid_time_zone", ...
  std::string message;  // safe to show to the user; never contains personal data
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string type;     // stable machine-readable slug, e.g. "validation-error", "malformed-json"
  std::string message;  // safe to show; no personal data
  std::string log_detail;  // for the server log only; still no personal data
  std::vector<FieldError> fields;

  static Error Invalid(std::string field, std::string code, std::string message) {
    Error e{ErrorCode::kInvalidArgument, "validation-error", "The request has invalid fields.", {}, {}};
    e.fields.push_back({std::move(field), std::move(code), std::move(message)});
    return e;
  }
  static Error Make(ErrorCode code, std::string type, std::string message,
                    std::string log_detail = {}) {
    return Error{code, std::move(type), std::move(message), std::move(log_detail), {}};
  }
  static Error NotFound(std::string what) {
    return Make(ErrorCode::kNotFound, "not-found", std::move(what) + " was not found.");
  }
  static Error Forbidden(std::string message = "You are not allowed to do this.") {
    return Make(ErrorCode::kPermissionDenied, "forbidden", std::move(message));
  }
  static Error Conflict(std::string type, std::string message) {
    return Make(ErrorCode::kConflict, std::move(type), std::move(message));
  }
  static Error Internal(std::string log_detail) {
    return Make(ErrorCode::kInternal, "internal-error", "An unexpected error occurred.",
                std::move(log_detail));
  }
};

// Collects field errors so that a validator can report every bad field at once.
class FieldErrors {
 public:
  void Add(std::string field, std::string code, std::string message) {
    fields_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  bool empty() const { return fields_.empty(); }
  Error ToError() const {
    Error e = Error::Invalid("", "", "");
    e.fields = fields_;
    return e;
  }

 private:
  std::vector<FieldError> fields_;
};

// A value or an Error. Check ok() before value(); value() on an error is a bug.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}        // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace openmso

// Propagates an error from a Result-returning expression.
#define OPENMSO_TRY(expr)                                  \
  do {                                                     \
    auto&& openmso_try_r_ = (expr);                        \
    if (!openmso_try_r_.ok()) return openmso_try_r_.error(); \
  } while (0)

#define OPENMSO_CONCAT_INNER(a, b) a##b
#define OPENMSO_CONCAT(a, b) OPENMSO_CONCAT_INNER(a, b)
// Declares `lhs` from the value of a Result, or returns its error.
#define OPENMSO_ASSIGN_OR_RETURN(lhs, expr) \
  OPENMSO_ASSIGN_OR_RETURN_IMPL(OPENMSO_CONCAT(openmso_r_, __LINE__), lhs, expr)
#define OPENMSO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()
