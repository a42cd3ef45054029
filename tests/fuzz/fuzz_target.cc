// Fuzz target: the request target (path and query string) as the server splits it,
// http::ParseTarget and PercentDecode. Must never crash; the decoded path never grows.
#include <string>

#include "fuzz.h"
#include "http/http.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  http::Request req;
  req.method = "GET";
  req.target = text;
  http::ParseTarget(req);
  FUZZ_CHECK(req.path.size() <= text.size());
  for (const auto& [k, v] : req.query) FUZZ_CHECK(k.size() + v.size() <= text.size());
  (void)req.Query("limit");
  std::string a = http::PercentDecode(text, true), b = http::PercentDecode(text, false);
  FUZZ_CHECK(a.size() <= text.size() && b.size() <= text.size());
  req.headers["cookie"] = text;
  (void)req.Cookie("openmso_session");
  return 0;
}
