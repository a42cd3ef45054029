// The clinician's private iCalendar feed (issue 4 part 6, MKT-ICAL-FEED): a secret token
// in the URL is the only credential, so the feed route is public, checks the token's
// SHA-256 itself, and audits every read; the clinician creates, rotates and revokes it.
#include <algorithm>
#include <cctype>
#include <map>

#include "domain/audit/audit.h"
#include "formats/formats.h"
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

using namespace marketplace;

constexpr std::string_view kFeedPrefix = "/api/v1/calendar/";

// The Host header when it looks like a host[:port] (it is only echoed back to its sender).
std::string HostOf(const Request& req) {
  std::string_view host = req.Header("host");
  if (host.empty() || host.size() > 255) return {};
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) return {};
  return std::string(host);
}

Result<Response> RotateCalendarToken(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has a calendar feed.");
  if (!ctx.req.body.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
    OPENMSO_TRY(BodyReader(body).Finish());
  }
  ClinicianId me = *ctx.who().clinician_id;
  std::string token = identity::NewToken();
  Instant now = ctx.app.clock.Now();
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(storage::SqlMarketplaceRepository(s).PutCalendarToken(me, identity::Sha256Hex(token), now));
    return ctx.Audit(s, "calendar_token", std::to_string(me.value), std::nullopt);
  }));
  std::string path = std::string(kFeedPrefix) + token + ".ics";
  std::string host = HostOf(ctx.req);
  json::object o{{"path", path}, {"created_at", FormatInstant(now)}};
  o["url"] = host.empty() ? path : (ctx.req.tls ? "https://" : "http://") + host + path;
  o["webcal_url"] = host.empty() ? json::value(nullptr) : json::value("webcal://" + host + path);
  return JsonResponse(201, o);
}

Result<Response> RevokeCalendarToken(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has a calendar feed.");
  ClinicianId me = *ctx.who().clinician_id;
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(bool had, storage::SqlMarketplaceRepository(s).DeleteCalendarToken(me));
    if (!had) return Error::NotFound("The calendar feed");
    return ctx.Audit(s, "calendar_token", std::to_string(me.value), std::nullopt);
  }));
  return NoContent();
}

// What one event of the feed says. No patient information, by design: the unit, the
// facility and its address, the break and the pay (fhir-and-calendar.md B.2).
formats::CalendarEvent EventOf(const Claim& c, const Shift& sh, const FeedEntry& entry, const org::Facility& f,
                               const std::string& unit) {
  formats::CalendarEvent e;
  e.uid = "shift-" + std::to_string(sh.id.value) + "-clinician-" + std::to_string(c.clinician_id.value) + "@openmso";
  e.start = sh.start;
  e.end = sh.end;
  e.time_zone = sh.time_zone;
  e.summary = (entry.cancelled ? "Cancelled: " : "") + sh.discipline + " shift - " + unit + ", " + f.name;
  e.location = f.name + ", " + f.address.line1 + ", " + f.address.city + ", " + f.address.state + " " + f.address.postal_code;
  e.description = "Unit " + unit + ". Unpaid break " + std::to_string(sh.break_minutes) + " min. Pay $" +
                  sh.pay_rate.ToDecimalString() + "/h";
  if (sh.incentive > Money()) e.description += " plus a $" + sh.incentive.ToDecimalString() + " incentive";
  e.description += ".";
  if (c.status == ClaimStatus::kWithdrawn) e.description += " You withdrew from this shift.";
  else if (entry.cancelled) e.description += " The facility cancelled this shift.";
  e.status = entry.cancelled ? formats::EventStatus::kCancelled : formats::EventStatus::kConfirmed;
  e.sequence = entry.sequence;
  e.last_modified = c.updated_at;
  return e;
}

// GET /api/v1/calendar/{calendar_token}.ics: no session; the token is the credential. An
// unknown or revoked token is 404 (not audited: anyone could grow the trail); a read is
// audited in the same transaction as its lookup, with the clinician's user as the actor.
Result<Response> CalendarFeed(RouteContext& ctx) {
  auto it = ctx.req.path_params.find("calendar_token");
  if (it == ctx.req.path_params.end() || it->second.empty() || it->second.size() > 200)
    return Error::NotFound("The calendar feed");
  std::string hash = identity::Sha256Hex(it->second);
  Instant now = ctx.app.clock.Now();
  formats::Calendar cal;
  cal.name = "OpenMSO shifts";
  cal.refresh_interval = std::chrono::minutes(60);
  cal.generated_at = now;
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlOrgRepository org(s);
    OPENMSO_ASSIGN_OR_RETURN(auto who, mkt.FindCalendarToken(hash));
    if (!who) return Error::NotFound("The calendar feed");
    OPENMSO_ASSIGN_OR_RETURN(auto claims, mkt.ListClaimsOf(*who, now - kFeedPast));
    std::map<int64_t, org::Facility> facilities;
    std::map<int64_t, std::string> units;
    for (const Claim& c : claims) {
      auto entry = FeedEntryOf(c);
      if (!entry) continue;
      OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(c.shift_id));
      if (sh.start >= now + kFeedAhead) continue;
      if (!facilities.count(sh.facility_id.value)) {
        OPENMSO_ASSIGN_OR_RETURN(auto f, org.GetFacility(sh.facility_id));
        facilities.emplace(sh.facility_id.value, std::move(f));
      }
      if (!units.count(sh.unit_id.value)) {
        OPENMSO_ASSIGN_OR_RETURN(auto u, org.GetUnit(sh.unit_id));
        units.emplace(sh.unit_id.value, u.name);
      }
      cal.events.push_back(EventOf(c, sh, *entry, facilities.at(sh.facility_id.value), units.at(sh.unit_id.value)));
    }
    std::reverse(cal.events.begin(), cal.events.end());  // by start, oldest first
    OPENMSO_ASSIGN_OR_RETURN(auto user, storage::SqlCredentialingRepository(s).UserOfClinician(*who));
    audit::Event e = RequestEvent(ctx.app, ctx.req, user, "calendar_token", ctx.audit_action, "success");
    e.entity_type = "calendar_feed";
    e.entity_id = std::to_string(who->value);
    storage::SqlAuditRepository audit_repo(s);
    OPENMSO_TRY(audit::Append(audit_repo, std::move(e)));
    return Ok();
  }));
  ctx.audited = true;
  OPENMSO_ASSIGN_OR_RETURN(std::string ics, formats::WriteICalendar(cal));
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(ics);
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"shifts.ics\"");
  return r;
}

}  // namespace

void AddCalendarRoutes(Router& r) {
  using identity::Permission;
  const Access clinician{Auth::kSession, Permission::kShiftClaim};
  r.Add({"POST", "/api/v1/me/calendar-token", "rotateCalendarToken", clinician, "calendar_token.rotate",
         RotateCalendarToken});
  r.Add({"DELETE", "/api/v1/me/calendar-token", "revokeCalendarToken", clinician, "calendar_token.revoke",
         RevokeCalendarToken});
  r.Add({"GET", "/api/v1/calendar/{calendar_token}.ics", "getCalendarFeed", {Auth::kPublic, Permission::kSelf},
         "calendar.read", CalendarFeed});
}

}  // namespace openmso::http
