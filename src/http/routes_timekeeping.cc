// Routes of time and attendance (issue 5, parts 1-2): clock in/out of a booked shift with
// the device's location, meal breaks, missed-punch corrections, the timesheet's submit /
// approve / dispute, the manager's approval queue with geofence flags, and per-facility
// timekeeping settings. Every change runs with its raw punch, its revisions and its audit
// event in one write transaction.
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

using namespace timekeeping;

json::value OptTimeJson(const std::optional<Instant>& t) { return t ? json::value(FormatInstant(*t)) : json::value(); }

json::array BreaksJson(const std::vector<Break>& breaks) {
  json::array out;
  for (const auto& b : breaks) out.push_back(json::object{{"start", FormatInstant(b.start)}, {"end", OptTimeJson(b.end)}});
  return out;
}

json::object TimesheetJson(const Timesheet& t) {
  json::array flags;
  for (auto& f : FlagNames(t.flags)) flags.push_back(json::value(f));
  json::object o{{"id", t.id.value},
                 {"facility_id", t.facility_id.value},
                 {"shift_id", t.shift_id.value},
                 {"clinician_id", t.clinician_id.value},
                 {"time_zone", t.time_zone},
                 {"scheduled_start", FormatInstant(t.scheduled_start)},
                 {"scheduled_end", FormatInstant(t.scheduled_end)},
                 {"scheduled_start_local", ToLocal(t.scheduled_start, t.time_zone).ToString()},
                 {"clock_in", OptTimeJson(t.clock_in)},
                 {"clock_out", OptTimeJson(t.clock_out)},
                 {"clock_in_local", t.clock_in ? json::value(ToLocal(*t.clock_in, t.time_zone).ToString()) : json::value()},
                 {"clock_out_local", t.clock_out ? json::value(ToLocal(*t.clock_out, t.time_zone).ToString()) : json::value()},
                 {"in_distance_m", t.in_distance_m ? json::value(*t.in_distance_m) : json::value()},
                 {"out_distance_m", t.out_distance_m ? json::value(*t.out_distance_m) : json::value()},
                 {"breaks", BreaksJson(t.breaks)},
                 {"worked_minutes", t.WorkedMinutes()},
                 {"flags", flags},
                 {"status", StatusName(t.status)},
                 {"submitted_at", OptTimeJson(t.submitted_at)},
                 {"decided_at", OptTimeJson(t.decided_at)},
                 {"auto_approve_at", OptTimeJson(t.auto_approve_at)},
                 {"dispute_reason", t.dispute_reason},
                 {"version", t.version}};
  if (t.correction) {
    const Correction& c = *t.correction;
    o["correction"] = json::object{{"clock_in", OptTimeJson(c.clock_in)},
                                   {"clock_out", OptTimeJson(c.clock_out)},
                                   {"breaks", c.breaks ? json::value(BreaksJson(*c.breaks)) : json::value()},
                                   {"reason", c.reason},
                                   {"requested_at", FormatInstant(c.requested_at)}};
  } else {
    o["correction"] = nullptr;
  }
  return o;
}

LiveEvent TimesheetEvent(const Timesheet& t, std::string_view type, Instant at) {
  json::object o{{"type", type}, {"timesheet_id", t.id.value}, {"facility_id", t.facility_id.value},
                 {"shift_id", t.shift_id.value}, {"status", StatusName(t.status)}, {"at", FormatInstant(at)}};
  return {t.mso_id, t.facility_id, std::nullopt, json::serialize(o)};
}

// A punch body: {latitude?, longitude?, accuracy_m?, at?}. Latitude and longitude come together.
Result<Punch> DecodePunch(const Request& req) {
  json::object body;
  if (!req.body.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(body, ParseJsonObject(req));
  }
  BodyReader r(body);
  Punch p;
  auto lat = r.OptionalNumber("latitude");
  auto lon = r.OptionalNumber("longitude");
  if (lat.has_value() != lon.has_value())
    r.AddError(lat ? "longitude" : "latitude", "required", "Latitude and longitude come together.");
  else if (lat)
    p.location = GeoPoint{*lat, *lon};
  if (auto a = r.OptionalInt("accuracy_m")) p.accuracy_m = static_cast<int>(std::clamp<int64_t>(*a, -1, 1'000'000));
  p.device_at = r.OptionalInstant("at");
  OPENMSO_TRY(r.Finish());
  return p;
}

Result<std::vector<Break>> ReadBreaks(BodyReader& r) {
  std::vector<Break> out;
  for (auto& b : r.RequiredObjectArray("breaks", 10)) {
    Instant start = b.RequiredInstant("start");
    Instant end = b.RequiredInstant("end");
    b.CheckUnknown();
    out.push_back({start, end});
  }
  return out;
}

Result<Correction> DecodeCorrection(const Request& req, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  BodyReader r(body);
  Correction c;
  c.clock_in = r.OptionalInstant("clock_in");
  c.clock_out = r.OptionalInstant("clock_out");
  if (body.contains("breaks") && !body.at("breaks").is_null()) {
    OPENMSO_ASSIGN_OR_RETURN(auto breaks, ReadBreaks(r));
    c.breaks = std::move(breaks);
  }
  c.reason = r.RequiredString("reason", 1000);
  c.requested_at = now;
  OPENMSO_TRY(r.Finish());
  return c;
}

PunchRecord Record(std::string kind, Instant at, Instant now, const Punch& p, std::optional<int64_t> distance) {
  return {std::move(kind), at, now, p.location, p.accuracy_m, distance};
}

// Loads a timesheet in a write transaction, runs `change` on it, stores it with a version
// check, writes the audit event, and answers its JSON. `change` may add punches/revisions.
template <typename F>
Result<Response> ChangeTimesheet(RouteContext& ctx, std::string_view event_type, F change) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "timesheet_id"));
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto t, storage::WriteValue<Timesheet>(ctx.app.db, [&](storage::Session& s) -> Result<Timesheet> {
    storage::SqlTimekeepingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto ts, repo.Get(TimesheetId(id)));
    OPENMSO_TRY(change(s, repo, ts, now));
    OPENMSO_TRY(repo.Update(ts, now));
    OPENMSO_TRY(ctx.Audit(s, "timesheet", std::to_string(id), ts.facility_id));
    return ts;
  }));
  ctx.app.events.Publish(TimesheetEvent(t, event_type, now));
  return Json(TimesheetJson(t));
}

// The caller must be the timesheet's clinician for clinician actions (the scope rule lets
// managers of the facility reach it too; they do not punch for someone else).
Result<void> OwnTimesheet(const RouteContext& ctx, const Timesheet& t) {
  if (!ctx.who().clinician_id || *ctx.who().clinician_id != t.clinician_id)
    return Error::Forbidden("Only the clinician who worked the shift punches and submits its timesheet.");
  return Ok();
}

// TIME-OWN-SHIFT: only the caller's confirmed claim on a shift lets them punch or report
// time on it; anything else is 403 with `message`.
Result<marketplace::Claim> BookedClaim(storage::SqlMarketplaceRepository& mkt, ShiftId shift, ClinicianId me,
                                       std::string_view message) {
  OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.FindClaim(shift, me));
  if (!claim || claim->status != marketplace::ClaimStatus::kConfirmed) return Error::Forbidden(std::string(message));
  return *claim;
}

// ---- Handlers --------------------------------------------------------------------------------

Result<Response> ClockInHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t shift_id, PathId(ctx.req, "shift_id"));
  OPENMSO_ASSIGN_OR_RETURN(Punch punch, DecodePunch(ctx.req));
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician clocks in.");
  ClinicianId me = *ctx.who().clinician_id;
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto t, storage::WriteValue<Timesheet>(ctx.app.db, [&](storage::Session& s) -> Result<Timesheet> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlTimekeepingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto shift, mkt.GetShift(ShiftId(shift_id)));
    OPENMSO_ASSIGN_OR_RETURN(auto claim, BookedClaim(mkt, shift.id, me, "You can clock in only to a shift you are booked on."));
    if (shift.status == marketplace::ShiftStatus::kCancelled)
      return Error::Conflict("shift-cancelled", "The shift was cancelled.");
    if (claim.no_show_at)  // MKT-NO-SHOW: the facility recorded that the clinician did not come
      return Error::Conflict("no-show-recorded", "The facility recorded a no-show for this shift; ask its manager.");
    OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(shift.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, repo.GetSettings(shift.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto existing, repo.FindByShift(shift.id, me));
    OPENMSO_ASSIGN_OR_RETURN(auto open, repo.OpenOf(me));
    OPENMSO_ASSIGN_OR_RETURN(auto ts, ClockIn(shift, me, punch, now, facility.location, settings, existing.has_value(), open));
    OPENMSO_ASSIGN_OR_RETURN(ts.id, repo.Insert(ts));
    OPENMSO_TRY(repo.AddPunch(ts.id, Record("clock_in", *ts.clock_in, now, punch, ts.in_distance_m)));
    OPENMSO_TRY(ctx.Audit(s, "timesheet", std::to_string(ts.id.value), ts.facility_id));
    return ts;
  }));
  ctx.app.events.Publish(TimesheetEvent(t, "timesheet.clocked_in", now));
  Response r = JsonResponse(201, TimesheetJson(t));
  r.headers.emplace_back("Location", "/api/v1/timesheets/" + std::to_string(t.id.value));
  return r;
}

Result<Response> MissedPunch(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t shift_id, PathId(ctx.req, "shift_id"));
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician sends a missed-punch request.");
  ClinicianId me = *ctx.who().clinician_id;
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(Correction c, DecodeCorrection(ctx.req, now));
  OPENMSO_ASSIGN_OR_RETURN(auto t, storage::WriteValue<Timesheet>(ctx.app.db, [&](storage::Session& s) -> Result<Timesheet> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlTimekeepingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto shift, mkt.GetShift(ShiftId(shift_id)));
    OPENMSO_TRY(BookedClaim(mkt, shift.id, me, "You can report time only for a shift you are booked on."));
    if (now < shift.start) return Error::Conflict("not-started", "The shift has not started yet.");
    OPENMSO_ASSIGN_OR_RETURN(auto existing, repo.FindByShift(shift.id, me));
    if (existing)
      return Error::Conflict("already-clocked-in", "This shift already has a timesheet; request a correction on it.");
    if (!c.clock_in || !c.clock_out)
      return Error::Invalid(c.clock_in ? "clock_out" : "clock_in", "required",
                            "A missed-punch request gives both the clock-in and the clock-out.");
    Timesheet ts;
    ts.mso_id = shift.mso_id;
    ts.facility_id = shift.facility_id;
    ts.shift_id = shift.id;
    ts.clinician_id = me;
    ts.time_zone = shift.time_zone;
    ts.scheduled_start = shift.start;
    ts.scheduled_end = shift.end;
    ts.flags = kMissedPunch;
    ts.created_at = now;
    OPENMSO_TRY(RequestCorrection(ts, c));
    OPENMSO_ASSIGN_OR_RETURN(ts.id, repo.Insert(ts));
    OPENMSO_TRY(ctx.Audit(s, "timesheet", std::to_string(ts.id.value), ts.facility_id));
    return ts;
  }));
  ctx.app.events.Publish(TimesheetEvent(t, "timesheet.correction_requested", now));
  return JsonResponse(201, TimesheetJson(t));
}

Result<Response> ClockOutHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(Punch punch, DecodePunch(ctx.req));
  return ChangeTimesheet(ctx, "timesheet.clocked_out", [&](storage::Session& s, storage::SqlTimekeepingRepository& repo,
                                                           Timesheet& t, Instant now) -> Result<void> {
    OPENMSO_TRY(OwnTimesheet(ctx, t));
    OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(t.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, repo.GetSettings(t.facility_id));
    OPENMSO_TRY(ClockOut(t, punch, now, facility.location, settings));
    return repo.AddPunch(t.id, Record("clock_out", *t.clock_out, now, punch, t.out_distance_m));
  });
}

Result<Response> BreakHandler(RouteContext& ctx, bool start) {
  OPENMSO_ASSIGN_OR_RETURN(Punch punch, DecodePunch(ctx.req));
  return ChangeTimesheet(ctx, start ? "timesheet.break_started" : "timesheet.break_ended",
                         [&](storage::Session&, storage::SqlTimekeepingRepository& repo, Timesheet& t,
                             Instant now) -> Result<void> {
    OPENMSO_TRY(OwnTimesheet(ctx, t));
    OPENMSO_ASSIGN_OR_RETURN(Instant at, PunchInstant(punch, now));
    OPENMSO_TRY(start ? StartBreak(t, at) : EndBreak(t, at));
    return repo.AddPunch(t.id, Record(start ? "break_start" : "break_end", at, now, punch, std::nullopt));
  });
}

Result<Response> SubmitHandler(RouteContext& ctx) {
  return ChangeTimesheet(ctx, "timesheet.submitted", [&](storage::Session&, storage::SqlTimekeepingRepository& repo,
                                                         Timesheet& t, Instant now) -> Result<void> {
    OPENMSO_TRY(OwnTimesheet(ctx, t));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, repo.GetSettings(t.facility_id));
    return Submit(t, now, settings);
  });
}

Result<Response> RequestCorrectionHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(Correction c, DecodeCorrection(ctx.req, ctx.app.clock.Now()));
  return ChangeTimesheet(ctx, "timesheet.correction_requested",
                         [&](storage::Session&, storage::SqlTimekeepingRepository&, Timesheet& t, Instant) -> Result<void> {
    OPENMSO_TRY(OwnTimesheet(ctx, t));
    return RequestCorrection(t, c);
  });
}

Result<Response> DecideCorrection(RouteContext& ctx, bool approve) {
  return ChangeTimesheet(ctx, approve ? "timesheet.corrected" : "timesheet.correction_rejected",
                         [&](storage::Session&, storage::SqlTimekeepingRepository& repo, Timesheet& t,
                             Instant now) -> Result<void> {
    if (!approve) return RejectCorrection(t);
    std::string reason = t.correction ? t.correction->reason : "";
    OPENMSO_ASSIGN_OR_RETURN(auto revisions, ApplyCorrection(t));
    // TIME-REVISIONS: the original value of every changed field is kept.
    for (const auto& rev : revisions) OPENMSO_TRY(repo.AddRevision(t.id, {rev, reason, ctx.who().user_id, now}));
    return Ok();
  });
}

Result<Response> ApproveHandler(RouteContext& ctx) {
  return ChangeTimesheet(ctx, "timesheet.approved", [&](storage::Session&, storage::SqlTimekeepingRepository&,
                                                        Timesheet& t, Instant now) -> Result<void> {
    return Approve(t, ctx.who().user_id, now, false);
  });
}

Result<Response> DisputeHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string reason = r.RequiredString("reason", 1000);
  OPENMSO_TRY(r.Finish());
  return ChangeTimesheet(ctx, "timesheet.disputed", [&](storage::Session&, storage::SqlTimekeepingRepository&,
                                                        Timesheet& t, Instant now) -> Result<void> {
    return Dispute(t, ctx.who().user_id, reason, now);
  });
}

Result<Response> GetTimesheet(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "timesheet_id"));
  struct Out { Timesheet t; std::vector<PunchRecord> punches; std::vector<RevisionRecord> revisions; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlTimekeepingRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto t, repo.Get(TimesheetId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto punches, repo.Punches(t.id));
    OPENMSO_ASSIGN_OR_RETURN(auto revisions, repo.Revisions(t.id));
    return Out{std::move(t), std::move(punches), std::move(revisions)};
  }));
  ctx.audit_entity_type = "timesheet";
  ctx.audit_entity_id = std::to_string(id);
  ctx.audit_facility = out.t.facility_id;
  json::object o = TimesheetJson(out.t);
  json::array punches;
  for (const auto& p : out.punches) {
    json::object j{{"kind", p.kind}, {"at", FormatInstant(p.at)}, {"recorded_at", FormatInstant(p.recorded_at)},
                   {"distance_m", p.distance_m ? json::value(*p.distance_m) : json::value()},
                   {"accuracy_m", p.accuracy_m ? json::value(*p.accuracy_m) : json::value()}};
    if (p.location) {
      j["latitude"] = p.location->latitude;
      j["longitude"] = p.location->longitude;
    }
    punches.push_back(j);
  }
  json::array revisions;
  for (const auto& v : out.revisions)
    revisions.push_back(json::object{{"field", v.revision.field}, {"old_value", v.revision.old_value},
                                     {"new_value", v.revision.new_value}, {"reason", v.reason},
                                     {"by_user_id", v.by ? json::value(v.by->value) : json::value()},
                                     {"at", FormatInstant(v.at)}});
  o["punches"] = punches;
  o["revisions"] = revisions;
  return Json(o);
}

// The approval queue: a facility's timesheets (default: submitted ones) with their flags.
Result<Response> ListFacilityTimesheets(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  std::optional<Status> status = Status::kSubmitted;
  if (auto v = ctx.req.Query("status")) {
    if (*v == "all") status.reset();
    else if (!(status = ParseStatus(*v)))
      return Error::Invalid("status", "invalid_value", "status is open, submitted, approved, disputed or all.");
  }
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(Instant from, QueryInstant(ctx.req, "from", now - std::chrono::hours(62 * 24)));
  OPENMSO_ASSIGN_OR_RETURN(Instant to, QueryInstant(ctx.req, "to", now + std::chrono::hours(31 * 24)));
  if (to <= from) return Error::Invalid("to", "before_from", "'to' must be after 'from'.");
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Timesheet>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlTimekeepingRepository(s).ListOfFacility(FacilityId(fid), status, from, to, 1000);
  }));
  ctx.audit_entity_type = "timesheet";
  ctx.audit_entity_id = "*";
  ctx.audit_facility = FacilityId(fid);
  json::array items;
  for (const auto& t : list) items.push_back(TimesheetJson(t));
  return Json(json::object{{"items", items}});
}

Result<Response> MyTimesheets(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has timesheets.");
  ClinicianId me = *ctx.who().clinician_id;
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Timesheet>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlTimekeepingRepository(s).ListOf(me, 200);
  }));
  json::array items;
  for (const auto& t : list) items.push_back(TimesheetJson(t));
  return Json(json::object{{"items", items}});
}

json::object SettingsJson(FacilityId f, const timekeeping::Settings& s) {
  return {{"facility_id", f.value},
          {"geofence_radius_m", s.geofence_radius_m},
          {"clock_in_opens_minutes", s.clock_in_opens_minutes},
          {"early_tolerance_minutes", s.early_tolerance_minutes},
          {"late_tolerance_minutes", s.late_tolerance_minutes},
          {"auto_approve_hours", s.auto_approve_hours}};
}

Result<Response> GetSettingsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto st, storage::ReadValue<timekeeping::Settings>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlTimekeepingRepository(s).GetSettings(FacilityId(fid));
  }));
  return Json(SettingsJson(FacilityId(fid), st));
}

Result<Response> PutSettingsHandler(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  timekeeping::Settings st;
  auto num = [&](std::string_view key, int fallback) {
    return static_cast<int>(std::clamp<int64_t>(r.OptionalInt(key).value_or(fallback), -1, 100000));
  };
  st.geofence_radius_m = num("geofence_radius_m", st.geofence_radius_m);
  st.clock_in_opens_minutes = num("clock_in_opens_minutes", st.clock_in_opens_minutes);
  st.early_tolerance_minutes = num("early_tolerance_minutes", st.early_tolerance_minutes);
  st.late_tolerance_minutes = num("late_tolerance_minutes", st.late_tolerance_minutes);
  st.auto_approve_hours = num("auto_approve_hours", st.auto_approve_hours);
  // Every bad field at once: the limits and the unknown keys.
  if (auto v = ValidateSettings(st); !v.ok())
    for (const auto& f : v.error().fields) r.AddError(f.field, f.code, f.message);
  OPENMSO_TRY(r.Finish());
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(storage::SqlTimekeepingRepository(s).PutSettings(FacilityId(fid), st, ctx.app.clock.Now()));
    return ctx.Audit(s, "timekeeping_settings", std::to_string(fid), FacilityId(fid));
  }));
  return Json(SettingsJson(FacilityId(fid), st));
}

}  // namespace

// TIME-AUTO-APPROVE: approves every submitted timesheet whose facility deadline passed,
// each in its own transaction with a "system" audit event. Safe to run from several
// servers at once: the version check lets exactly one of them approve a timesheet.
Result<int> RunAutoApprovals(AppContext& app, int limit) {
  Instant now = app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto due, storage::ReadValue<std::vector<Timesheet>>(app.db, [&](storage::Session& s) {
    return storage::SqlTimekeepingRepository(s).DueForAutoApproval(now, limit);
  }));
  int approved = 0;
  for (Timesheet t : due) {
    auto r = app.db.Write([&](storage::Session& s) -> Result<void> {
      storage::SqlTimekeepingRepository repo(s);
      OPENMSO_ASSIGN_OR_RETURN(auto fresh, repo.Get(t.id));
      if (!DueForAutoApproval(fresh, now)) return Ok();
      OPENMSO_TRY(Approve(fresh, std::nullopt, now, true));
      OPENMSO_TRY(repo.Update(fresh, now));
      OPENMSO_TRY(AuditSystem(s, now, "timesheet.auto_approve", "timesheet", std::to_string(t.id.value), t.facility_id));
      t = fresh;
      ++approved;
      return Ok();
    });
    if (!r.ok() && r.error().type != "concurrent-update") return r.error();
    if (r.ok() && t.status == Status::kApproved) app.events.Publish(TimesheetEvent(t, "timesheet.approved", now));
  }
  return approved;
}

void AddTimekeepingRoutes(Router& r) {
  using identity::Permission;
  const Access clinician{Auth::kSession, Permission::kShiftClaim};
  const Access approver{Auth::kSession, Permission::kTimesheetApprove};
  r.Add({"POST", "/api/v1/shifts/{shift_id}/clock-in", "clockIn", clinician, "timesheet.clock_in", ClockInHandler});
  r.Add({"POST", "/api/v1/shifts/{shift_id}/missed-punch", "reportMissedPunch", clinician, "timesheet.missed_punch",
         MissedPunch});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/clock-out", "clockOut", clinician, "timesheet.clock_out",
         ClockOutHandler});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/break-start", "startBreak", clinician, "timesheet.break_start",
         [](RouteContext& ctx) { return BreakHandler(ctx, true); }});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/break-end", "endBreak", clinician, "timesheet.break_end",
         [](RouteContext& ctx) { return BreakHandler(ctx, false); }});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/submit", "submitTimesheet", clinician, "timesheet.submit",
         SubmitHandler});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/correction", "requestTimesheetCorrection", clinician,
         "timesheet.correction_request", RequestCorrectionHandler});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/correction/approve", "approveTimesheetCorrection", approver,
         "timesheet.correction_approve", [](RouteContext& ctx) { return DecideCorrection(ctx, true); }});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/correction/reject", "rejectTimesheetCorrection", approver,
         "timesheet.correction_reject", [](RouteContext& ctx) { return DecideCorrection(ctx, false); }});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/approve", "approveTimesheet", approver, "timesheet.approve",
         ApproveHandler});
  r.Add({"POST", "/api/v1/timesheets/{timesheet_id}/dispute", "disputeTimesheet", approver, "timesheet.dispute",
         DisputeHandler});
  r.Add({"GET", "/api/v1/timesheets/{timesheet_id}", "getTimesheet", {Auth::kSession, Permission::kSelf},
         "timesheet.read", GetTimesheet});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/timesheets", "listFacilityTimesheets",
         {Auth::kSession, Permission::kFacilityRead}, "timesheet.list", ListFacilityTimesheets});
  r.Add({"GET", "/api/v1/me/timesheets", "listMyTimesheets", clinician, "", MyTimesheets});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/timekeeping-settings", "getTimekeepingSettings",
         {Auth::kSession, Permission::kFacilityRead}, "", GetSettingsHandler});
  r.Add({"PUT", "/api/v1/facilities/{facility_id}/timekeeping-settings", "putTimekeepingSettings",
         {Auth::kSession, Permission::kFacilityWrite}, "timekeeping_settings.update", PutSettingsHandler});
}

}  // namespace openmso::http
