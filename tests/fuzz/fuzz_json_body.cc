// Fuzz target: a JSON request body as the server decodes a facility (POST/PUT
// /api/v1/facilities): http::ParseJsonObject, then BodyReader field by field as
// DecodeFacility does, then org::Validate. Must never crash or throw; an accepted body
// must have produced no field errors.
#include <string>

#include "domain/org/org.h"
#include "fuzz.h"
#include "http/http.h"
#include "http/json_io.h"

using namespace openmso;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::Request req;
  req.method = "POST";
  req.target = req.path = "/api/v1/facilities";
  req.headers["content-type"] = "application/json";
  req.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = http::ParseJsonObject(req);
  if (!body.ok()) {
    FUZZ_CHECK(body.error().code != ErrorCode::kInternal);
    return 0;
  }
  http::BodyReader r(*body);
  org::FacilityDraft d;
  d.name = r.RequiredString("name", 200);
  d.type = r.RequiredString("type", 50);
  http::BodyReader addr = r.RequiredObject("address");
  d.address.line1 = addr.RequiredString("line1", 200);
  d.address.city = addr.RequiredString("city", 100);
  d.address.state = addr.RequiredString("state", 2);
  d.address.postal_code = addr.RequiredString("postal_code", 10);
  addr.CheckUnknown();
  http::BodyReader loc = r.RequiredObject("location");
  d.location.latitude = loc.RequiredNumber("latitude");
  d.location.longitude = loc.RequiredNumber("longitude");
  loc.CheckUnknown();
  d.time_zone = r.RequiredTimeZone("time_zone");
  d.monthly_fee = r.OptionalMoney("monthly_fee_cents").value_or(Money());
  d.go_live_date = r.OptionalDate("go_live_date");
  (void)r.OptionalIntArray("facility_ids");
  (void)r.OptionalBool("active", false);
  auto finished = r.Finish();
  if (!finished.ok()) {
    FUZZ_CHECK(finished.error().code == ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!finished.error().fields.empty());
    return 0;
  }
  auto valid = org::Validate(d);
  if (valid.ok()) {
    FUZZ_CHECK(!d.name.empty() && d.name.size() <= 200);
    FUZZ_CHECK(d.location.valid());
    FUZZ_CHECK(!d.monthly_fee.negative());
  }
  return 0;
}
