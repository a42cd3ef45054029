// The one place that maps an Error to an HTTP status and an RFC 9457 problem document.
#include <boost/json.hpp>

#include "http/http.h"

namespace openmso::http {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {
std::string_view TitleFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "Invalid request";
    case ErrorCode::kUnauthenticated: return "Not signed in";
    case ErrorCode::kPermissionDenied: return "Forbidden";
    case ErrorCode::kNotFound: return "Not found";
    case ErrorCode::kMethodNotAllowed: return "Method not allowed";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kPayloadTooLarge: return "Request body too large";
    case ErrorCode::kUnsupportedMedia: return "Unsupported media type";
    case ErrorCode::kRateLimited: return "Too many requests";
    case ErrorCode::kUnavailable: return "Service unavailable";
    case ErrorCode::kInternal: return "Internal server error";
  }
  return "Error";
}
}  // namespace

Response ProblemResponse(const Error& e, std::string_view instance) {
  boost::json::object o;
  o["type"] = std::string(kProblemTypeBase) + (e.type.empty() ? "error" : e.type);
  o["title"] = TitleFor(e.code);
  o["status"] = StatusFor(e.code);
  o["detail"] = e.message;
  if (!instance.empty()) o["instance"] = instance;
  if (!e.fields.empty()) {
    boost::json::array errs;
    for (const auto& f : e.fields) errs.push_back({{"field", f.field}, {"code", f.code}, {"message", f.message}});
    o["errors"] = std::move(errs);
  }
  Response r;
  r.status = StatusFor(e.code);
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(o);
  return r;
}

}  // namespace openmso::http
