// Routes of the per-diem marketplace: post shifts (one or a grid of dates), list and read
// them, cancel with a reason, the ranked candidate list with rule-by-rule explanations,
// and the atomic claim. Handlers decode, call the domain, encode; the claim's exactness
// lives in one write transaction (MKT-CLAIM-EXACT, MKT-CLAIM-NO-DOUBLE-BOOKING).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "domain/audit/audit.h"
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

using namespace marketplace;

json::object ShiftJson(const Shift& s) {
  return {{"id", s.id.value},
          {"facility_id", s.facility_id.value},
          {"unit_id", s.unit_id.value},
          {"discipline", s.discipline},
          {"start", FormatInstant(s.start)},
          {"end", FormatInstant(s.end)},
          {"start_local", ToLocal(s.start, s.time_zone).ToString()},
          {"end_local", ToLocal(s.end, s.time_zone).ToString()},
          {"time_zone", s.time_zone},
          {"length_minutes", s.Length().count()},
          {"paid_minutes", s.PaidLength().count()},
          {"break_minutes", s.break_minutes},
          {"pay_rate_cents", s.pay_rate.cents()},
          {"bill_rate_cents", s.bill_rate.cents()},
          {"incentive_cents", s.incentive.cents()},
          {"openings", s.openings},
          {"filled", s.filled},
          {"status", ShiftStatusName(s.status)},
          {"urgent", s.urgent},
          {"notes", s.notes},
          {"cancel_reason", s.cancel_reason},
          {"created_at", FormatInstant(s.created_at)},
          {"tier2_at", FormatInstant(std::max(s.tier2_at, s.created_at))},
          {"tier3_at", FormatInstant(std::max(s.tier3_at, s.created_at))},
          {"released_tier", s.released_tier}};
}

LiveEvent ShiftEvent(const Shift& s, std::string_view type, Instant at, json::object extra = {}) {
  json::object o{{"type", type}, {"shift_id", s.id.value}, {"facility_id", s.facility_id.value},
                 {"status", ShiftStatusName(s.status)}, {"filled", s.filled}, {"openings", s.openings},
                 {"at", FormatInstant(at)}};
  for (auto& [k, v] : extra) o[k] = v;
  return {s.mso_id, s.facility_id, std::nullopt, json::serialize(o)};
}

struct PostRequest {
  ShiftDraft draft;
  std::vector<Date> dates;
  std::optional<std::string> recurrence;  // MKT-RECURRENCE
};

// MKT-LOCAL-TIME: "earlier" | "later" for a time in the repeated autumn hour.
std::optional<Fold> FoldField(BodyReader& r, std::string_view key) {
  auto text = r.OptionalString(key, 10);
  if (!text) return std::nullopt;
  auto f = ParseFold(*text);
  if (!f) r.AddError(key, "invalid_value", "Must be earlier or later.");
  return f;
}

Result<PostRequest> DecodePost(const Request& req) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  BodyReader r(body);
  PostRequest p;
  ShiftDraft& d = p.draft;
  d.unit_id = UnitId(r.RequiredInt("unit_id"));
  d.discipline = r.RequiredString("discipline", 20);
  auto local = [&](std::string_view key) {
    std::string text = r.RequiredString(key, 16);
    auto t = LocalDateTime::Parse(text);
    if (!t && !text.empty()) r.AddError(key, "invalid_local_time", "A local date and time, YYYY-MM-DDTHH:MM.");
    return t.value_or(LocalDateTime{});
  };
  d.start_local = local("start");
  d.end_local = local("end");
  d.break_minutes = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("break_minutes").value_or(0), -1, 100000));
  d.pay_rate = r.RequiredMoney("pay_rate_cents");
  d.bill_rate = r.OptionalMoney("bill_rate_cents");
  d.incentive = r.OptionalMoney("incentive_cents").value_or(Money());
  d.openings = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("openings").value_or(1), -1, 100000));
  d.urgent = r.OptionalBool("urgent", false);
  d.notes = r.OptionalString("notes", 2000).value_or("");
  d.start_fold = FoldField(r, "start_fold");
  d.end_fold = FoldField(r, "end_fold");
  p.recurrence = r.OptionalString("recurrence", 200);
  auto dates = r.OptionalStringArray("dates", 10);
  if (p.recurrence && !dates.empty()) r.AddError("recurrence", "conflicts_with_dates", "Give dates or a recurrence, not both.");
  if (dates.size() > 62) r.AddError("dates", "too_many", "At most 62 dates at once.");
  for (size_t i = 0; i < dates.size(); ++i) {
    auto day = Date::Parse(dates[i]);
    if (!day) r.AddError("dates." + std::to_string(i), "invalid_date", "Must be a real calendar date, YYYY-MM-DD.");
    else p.dates.push_back(*day);
  }
  OPENMSO_TRY(r.Finish());
  if (p.recurrence) {  // MKT-RECURRENCE: local start dates in the facility's zone
    OPENMSO_ASSIGN_OR_RETURN(auto rule, ParseRecurrence(*p.recurrence));
    OPENMSO_ASSIGN_OR_RETURN(p.dates, ExpandRecurrence(rule, d.start_local.date));
  }
  return p;
}

// Everything the rules need about one clinician for one shift, read in the caller's
// transaction (ClinicianFacts).
// The facts that come from the clinician's profile and credentials alone (no database).
Result<ClinicianFacts> FactsOf(const credentialing::Profile& profile, const std::vector<credentialing::Credential>& creds,
                               const Shift& shift, const org::Facility& facility,
                               const std::vector<credentialing::Discipline>& known,
                               const std::optional<credentialing::RequirementProfile>& reqs) {
  auto disc = std::find_if(known.begin(), known.end(), [&](const auto& d) { return d.code == shift.discipline; });
  if (disc == known.end()) return Error::Internal("shift discipline not on file: " + shift.discipline);
  credentialing::ComplianceInput in;
  in.clinician_status = profile.status;
  in.clinician_disciplines = profile.draft.disciplines;
  in.primary_state = profile.draft.primary_state;
  in.discipline = &*disc;
  in.known = &known;
  in.facility_state = facility.address.state;
  in.on = ToLocal(shift.start, shift.time_zone).date;  // CRED-EXPIRY-INCLUSIVE: the shift's local date
  in.credentials = &creds;
  in.requirements = reqs ? &*reqs : nullptr;
  ClinicianFacts f;
  f.id = profile.id;
  f.home_facility_id = profile.home_facility_id;
  f.employment_type = profile.draft.employment_type;
  f.home = profile.draft.home;
  f.travel_radius_km = profile.draft.travel_radius_km;
  f.compliance = credentialing::EvaluateCompliance(in);
  return f;
}

Result<ClinicianFacts> LoadFacts(storage::Session& s, const Shift& shift, const org::Facility& facility,
                                 const std::vector<credentialing::Discipline>& known,
                                 const std::optional<credentialing::RequirementProfile>& reqs, ClinicianId id) {
  storage::SqlCredentialingRepository cred(s);
  storage::SqlMarketplaceRepository mkt(s);
  OPENMSO_ASSIGN_OR_RETURN(auto profile, cred.GetProfile(id));
  if (profile.mso_id != shift.mso_id) return Error::NotFound("The clinician");
  OPENMSO_ASSIGN_OR_RETURN(auto creds, cred.ListCredentials(id));
  OPENMSO_ASSIGN_OR_RETURN(ClinicianFacts f, FactsOf(profile, creds, shift, facility, known, reqs));
  OPENMSO_ASSIGN_OR_RETURN(f.excluded, mkt.IsExcluded(id));
  OPENMSO_ASSIGN_OR_RETURN(f.do_not_return, mkt.IsDoNotReturn(shift.facility_id, id));
  OPENMSO_ASSIGN_OR_RETURN(f.favorite, mkt.IsFavorite(shift.facility_id, id));
  // 16 days either side cover the weekly window, every rest gap and the longest run of
  // consecutive days the settings allow (14).
  OPENMSO_ASSIGN_OR_RETURN(f.booked, mkt.BookedShifts(id, shift.start - std::chrono::hours(16 * 24),
                                                      shift.end + std::chrono::hours(16 * 24)));
  return f;
}

json::object EligibilityJson(ClinicianId id, const Eligibility& e, const Score& score, int tier, bool offered) {
  json::array rules;
  for (const auto& r : e.rules) rules.push_back(json::object{{"rule", r.rule_id}, {"passed", r.passed}, {"message", r.message}});
  json::object components{{"favorite", score.favorite}, {"reliability", score.reliability}, {"rating", score.rating},
                          {"distance", score.distance}, {"overtime", score.overtime}};
  return {{"clinician_id", id.value},
          {"eligible", e.eligible},
          {"distance_km", std::round(e.distance_km * 10) / 10},
          {"week_paid_minutes", e.week_paid_with_shift.count()},
          {"score", score.total()},
          {"score_components", components},
          {"tier", tier},        // MKT-TIER-RELEASE: 1 own staff/favorite, 2 float pool, 3 everyone
          {"offered", offered},  // whether the shift is released to that tier now
          {"rules", rules}};
}

// ---- Tiered release (MKT-TIER-RELEASE) ------------------------------------------------------

struct ReleaseNotice {
  ClinicianId clinician;
  std::optional<UserId> user;
  int tier = 0;
};
struct Released {
  Shift shift;
  int from = 0;
  std::vector<ReleaseNotice> notices;
};

// In the caller's write transaction: releases `sh` from tier `from` to tier `to` once
// (RecordRelease's conditional UPDATE; nullopt when another server already did), and
// queues one "shift.released" outbox row for each clinician newly offered the shift: the
// eligible ones whose audience tier is in (from, to]. Nobody is told twice, because each
// tier's audience is told only when that tier is released, and only once.
Result<std::optional<Released>> ReleaseShift(storage::Session& s, Shift sh, int from, int to, Instant now) {
  storage::SqlMarketplaceRepository mkt(s);
  storage::SqlCredentialingRepository cred(s);
  OPENMSO_ASSIGN_OR_RETURN(bool won, mkt.RecordRelease(sh.id, from, to, now));
  if (!won) return std::optional<Released>();
  sh.released_tier = to;
  Released out{sh, from, {}};
  OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(sh.facility_id));
  OPENMSO_ASSIGN_OR_RETURN(auto known, cred.ListDisciplines());
  OPENMSO_ASSIGN_OR_RETURN(auto reqs, cred.GetRequirements(sh.facility_id, sh.discipline));
  OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
  OPENMSO_ASSIGN_OR_RETURN(auto pool, mkt.ClinicianPool(sh.mso_id, sh.discipline, facility.location));
  for (ClinicianId c : pool) {
    OPENMSO_ASSIGN_OR_RETURN(auto facts, LoadFacts(s, sh, facility, known, reqs, c));
    int tier = AudienceTier(sh.facility_id, facts);
    if (tier <= from || tier > to) continue;
    if (!Evaluate(sh, facility.location, facts, settings.eligibility).eligible) continue;
    OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(c));
    json::object notice{{"shift_id", sh.id.value}, {"facility_id", sh.facility_id.value}, {"tier", tier},
                        {"discipline", sh.discipline}, {"start", FormatInstant(sh.start)}, {"end", FormatInstant(sh.end)}};
    OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, c, "shift.released", json::serialize(notice), now));
    out.notices.push_back({c, user, tier});
  }
  return std::optional<Released>(std::move(out));
}

// After the commit: the live events of a release, one to each newly offered clinician's
// own sessions, and one to the facility's viewers.
void PublishRelease(AppContext& app, const Released& r, Instant now) {
  std::vector<LiveEvent> events;
  events.reserve(r.notices.size() + 1);
  events.push_back(ShiftEvent(r.shift, "shift.released", now, {{"tier", r.shift.released_tier}}));
  for (const auto& n : r.notices) {
    if (!n.user) continue;
    LiveEvent e = ShiftEvent(r.shift, "shift.released", now, {{"tier", n.tier}, {"offered_to_you", true}});
    e.user_id = n.user;
    e.facility_id = std::nullopt;
    events.push_back(std::move(e));
  }
  app.events.Publish(events);  // one NOTIFY transaction on PostgreSQL (LIVE-FANOUT)
}

// ---- Handlers --------------------------------------------------------------------------------

Result<Response> PostShifts(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto post, DecodePost(ctx.req));
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto shifts, storage::WriteValue<std::vector<Released>>(ctx.app.db, [&](storage::Session& s) -> Result<std::vector<Released>> {
    storage::SqlOrgRepository org(s);
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(auto facility, org.GetFacility(FacilityId(fid)));
    OPENMSO_ASSIGN_OR_RETURN(auto units, org.ListUnits(facility.id));
    OPENMSO_ASSIGN_OR_RETURN(auto known, storage::SqlCredentialingRepository(s).ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto card, mkt.RateCard(facility.id, post.draft.discipline));
    OPENMSO_ASSIGN_OR_RETURN(Money bill, ResolveBillRate(post.draft.bill_rate, card));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(facility.id));
    std::vector<Released> out;
    for (const ShiftDraft& d : ExpandDates(post.draft, post.dates)) {
      auto times = ValidateShift(d, facility, units, known, now);
      if (!times.ok()) {
        Error e = times.error();
        if (!post.dates.empty())  // name the date of the grid that failed
          for (auto& f : e.fields) f.message = d.start_local.date.ToString() + ": " + f.message;
        return e;
      }
      Shift sh;
      sh.mso_id = facility.mso_id;
      sh.facility_id = facility.id;
      sh.unit_id = d.unit_id;
      sh.discipline = d.discipline;
      sh.start = times->start;
      sh.end = times->end;
      sh.time_zone = facility.time_zone;
      sh.break_minutes = d.break_minutes;
      sh.pay_rate = d.pay_rate;
      sh.bill_rate = bill;
      sh.incentive = d.incentive;
      sh.openings = d.openings;
      sh.urgent = d.urgent;
      sh.notes = d.notes;
      sh.created_at = now;
      // MKT-TIER-RELEASE: the tiers' instants are fixed at posting; the tiers already due
      // (tier 1, and those of 0 minutes or of an urgent shift) are released at once.
      ReleasePlan plan = PlanRelease(now, d.urgent, settings);
      sh.tier2_at = plan.tier2_at;
      sh.tier3_at = plan.tier3_at;
      sh.released_tier = 0;
      OPENMSO_ASSIGN_OR_RETURN(sh.id, mkt.CreateShift(sh));
      OPENMSO_TRY(ctx.Audit(s, "shift", std::to_string(sh.id.value), facility.id));
      OPENMSO_ASSIGN_OR_RETURN(auto released, ReleaseShift(s, sh, 0, TierAt(sh, now), now));
      if (!released) return Error::Internal("a new shift was released by someone else");
      out.push_back(std::move(*released));
    }
    return out;
  }));
  for (const auto& r : shifts) {
    ctx.app.events.Publish(ShiftEvent(r.shift, "shift.posted", now, {{"urgent", r.shift.urgent}}));
    PublishRelease(ctx.app, r, now);
  }
  if (post.dates.empty()) {
    Response r = JsonResponse(201, ShiftJson(shifts.at(0).shift));
    r.headers.emplace_back("Location", "/api/v1/shifts/" + std::to_string(shifts[0].shift.id.value));
    return r;
  }
  json::array items;
  for (const auto& r : shifts) items.push_back(ShiftJson(r.shift));
  return JsonResponse(201, json::object{{"items", items}});
}

Result<Response> ListShifts(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(Instant from, QueryInstant(ctx.req, "from", now - std::chrono::hours(7 * 24)));
  OPENMSO_ASSIGN_OR_RETURN(Instant to, QueryInstant(ctx.req, "to", now + std::chrono::hours(90 * 24)));
  if (to <= from) return Error::Invalid("to", "before_from", "'to' must be after 'from'.");
  OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<Shift>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlMarketplaceRepository(s).ListShifts(FacilityId(fid), from, to);
  }));
  json::array items;
  for (const auto& sh : list) items.push_back(ShiftJson(sh));
  return Json(json::object{{"items", items}});
}

Result<Response> GetShift(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  struct Out { Shift shift; std::vector<Claim> claims; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto claims, mkt.ListClaims(sh.id));
    return Out{std::move(sh), std::move(claims)};
  }));
  json::object o = ShiftJson(out.shift);
  json::array claims;
  for (const auto& c : out.claims) {
    // A clinician sees only their own claim; staff see every claim of the shift.
    if (ctx.who().role == identity::Role::kClinician && ctx.who().clinician_id != c.clinician_id) continue;
    claims.push_back(json::object{{"id", c.id.value}, {"clinician_id", c.clinician_id.value},
                                  {"status", ClaimStatusName(c.status)}, {"created_at", FormatInstant(c.created_at)}});
  }
  o["claims"] = claims;
  return Json(o);
}

Result<Response> CancelShift(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string reason = r.RequiredString("reason", 1000);
  OPENMSO_TRY(r.Finish());
  Instant now = ctx.app.clock.Now();
  struct Out { Shift shift; std::vector<std::optional<UserId>> notified; std::vector<CancellationPayOwed> pay; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(auto claims, mkt.ListClaims(ShiftId(id)));
    OPENMSO_ASSIGN_OR_RETURN(bool cancelled, mkt.CancelShift(ShiftId(id), reason, now));
    if (!cancelled) return Error::Conflict("shift-cancelled", "The shift is already cancelled.");
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
    Out o{sh, {}, {}};
    // Booked clinicians are told (issue 4, part 1): the outbox for email/SMS, live below.
    for (const auto& c : claims) {
      if (c.status != ClaimStatus::kConfirmed && c.status != ClaimStatus::kPending) continue;
      OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(c.clinician_id));
      json::object notice{{"shift_id", id}, {"reason", reason}, {"start", FormatInstant(sh.start)}};
      // MKT-CANCEL-PAY: a confirmed clinician cancelled on inside the window is owed pay.
      if (auto pay = c.status == ClaimStatus::kConfirmed ? CancellationPay(sh, settings, now) : std::nullopt) {
        CancellationPayOwed row{0, sh.mso_id, c.clinician_id, sh.id, *pay, reason, now, std::nullopt};
        OPENMSO_ASSIGN_OR_RETURN(row.id, mkt.RecordCancellationPay(row));
        audit::Event e = RequestEvent(ctx.app, ctx.req, ctx.principal, "cancellation_pay.record", "success");
        e.entity_type = "cancellation_pay";
        e.entity_id = std::to_string(row.id);
        e.facility_id = sh.facility_id;
        storage::SqlAuditRepository audit_repo(s);
        OPENMSO_TRY(audit::Append(audit_repo, std::move(e)));
        notice["cancellation_pay_cents"] = pay->cents();
        o.pay.push_back(std::move(row));
      }
      OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, c.clinician_id, "shift.cancelled", json::serialize(notice), now));
      o.notified.push_back(user);
    }
    OPENMSO_TRY(ctx.Audit(s, "shift", std::to_string(id), sh.facility_id));
    return o;
  }));
  ctx.app.events.Publish(ShiftEvent(out.shift, "shift.cancelled", now));
  for (const auto& u : out.notified) {
    if (!u) continue;
    LiveEvent e = ShiftEvent(out.shift, "shift.cancelled", now, {{"reason", reason}});
    e.user_id = u;
    ctx.app.events.Publish(e);
  }
  json::object o = ShiftJson(out.shift);
  json::array pay;
  for (const auto& p : out.pay)
    pay.push_back(json::object{{"id", p.id}, {"clinician_id", p.clinician_id.value}, {"amount_cents", p.amount.cents()}});
  o["cancellation_pay"] = pay;
  return Json(o);
}

Result<Response> Candidates(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  std::optional<ClinicianId> only;
  OPENMSO_ASSIGN_OR_RETURN(auto clinician, QueryInt(ctx.req, "clinician", 1, INT64_MAX));
  if (clinician) only = ClinicianId(*clinician);
  struct Row { ClinicianId id; Eligibility e; Score score; int tier = kTierAll; };
  struct Out { Shift shift; std::vector<Row> rows; };
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::ReadValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(sh.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto known, cred.ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto reqs, cred.GetRequirements(sh.facility_id, sh.discipline));
    OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
    std::vector<ClinicianId> pool;
    if (only) {
      pool = {*only};
    } else {
      OPENMSO_ASSIGN_OR_RETURN(pool, mkt.ClinicianPool(sh.mso_id, sh.discipline, facility.location));
    }
    Out o{sh, {}};
    for (ClinicianId c : pool) {
      OPENMSO_ASSIGN_OR_RETURN(auto facts, LoadFacts(s, sh, facility, known, reqs, c));
      Eligibility e = Evaluate(sh, facility.location, facts, settings.eligibility);
      if (!only && !e.eligible) continue;
      // MKT-RELIABILITY: the ranking's history inputs (only ranking needs them).
      OPENMSO_ASSIGN_OR_RETURN(auto history, mkt.ReliabilityOf(c, now));
      facts.completed = history.completed;
      facts.cancelled = history.cancelled;
      facts.no_shows = history.no_shows;
      facts.rating = history.rating;
      o.rows.push_back({c, e, Rank(facts, e), AudienceTier(sh.facility_id, facts)});
    }
    std::sort(o.rows.begin(), o.rows.end(), [](const Row& a, const Row& b) {
      return a.score.total() != b.score.total() ? a.score.total() > b.score.total() : a.id < b.id;
    });
    return o;
  }));
  ctx.audit_entity_type = "shift";
  ctx.audit_entity_id = std::to_string(id);
  ctx.audit_facility = out.shift.facility_id;
  auto json_of = [&](const Row& r) {
    return EligibilityJson(r.id, r.e, r.score, r.tier, TierAt(out.shift, now) >= r.tier);
  };
  if (only) return Json(json_of(out.rows.at(0)));
  json::array items;
  for (const auto& r : out.rows) items.push_back(json_of(r));
  return Json(json::object{{"shift_id", id}, {"items", items}});
}

json::object ClaimJson(const Claim& c) {
  auto instant = [](const std::optional<Instant>& t) { return t ? json::value(FormatInstant(*t)) : json::value(nullptr); };
  return {{"id", c.id.value},
          {"shift_id", c.shift_id.value},
          {"clinician_id", c.clinician_id.value},
          {"status", ClaimStatusName(c.status)},
          {"created_at", FormatInstant(c.created_at)},
          {"confirmed_at", instant(c.confirmed_at)},
          {"no_show_at", instant(c.no_show_at)}};
}

// Re-checks every rule for `c` on `sh` in the caller's write transaction, after
// serializing on the clinician. Errors: kConflict "not-eligible" naming the failed rules.
// With `now` (a clinician's own claim), the shift must also be released to the clinician's
// tier (MKT-TIER-RELEASE): kConflict "shift-not-released" with the instant it opens to them.
Result<void> CheckEligibleNow(storage::Session& s, const Shift& sh, ClinicianId c, const MarketplaceSettings& settings,
                              std::string_view who, std::optional<Instant> now = std::nullopt) {
  storage::SqlCredentialingRepository cred(s);
  OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::SqlOrgRepository(s).GetFacility(sh.facility_id));
  OPENMSO_ASSIGN_OR_RETURN(auto known, cred.ListDisciplines());
  OPENMSO_ASSIGN_OR_RETURN(auto reqs, cred.GetRequirements(sh.facility_id, sh.discipline));
  OPENMSO_ASSIGN_OR_RETURN(auto facts, LoadFacts(s, sh, facility, known, reqs, c));
  if (now) {
    int tier = AudienceTier(sh.facility_id, facts);
    if (TierAt(sh, *now) < tier)
      return Error::Conflict("shift-not-released",
                             "This shift is offered first to the facility's own staff and favorites" +
                                 std::string(tier == kTierAll ? " and the float pool" : "") + "; it opens to you at " +
                                 FormatInstant(ReleaseAt(sh, tier)) + ".");
  }
  Eligibility e = Evaluate(sh, facility.location, facts, settings.eligibility);
  if (e.eligible) return Ok();
  Error err = Error::Conflict("not-eligible", std::string(who) + " not eligible for this shift.");
  for (const auto& r : e.rules)
    if (!r.passed) err.fields.push_back({"shift", r.rule_id, r.message});
  return err;
}

Result<void> CheckClaimable(const Shift& sh, Instant now) {
  if (sh.status == ShiftStatus::kCancelled) return Error::Conflict("shift-cancelled", "The shift was cancelled.");
  if (sh.start <= now) return Error::Conflict("shift-started", "The shift has already started.");
  return Ok();
}

// MKT-CLAIM-EXACT and MKT-CLAIM-NO-DOUBLE-BOOKING, in one write transaction: serialize
// this clinician's claims, re-check every eligibility rule on fresh data (booked shifts
// included), then take an opening with one conditional UPDATE and record the claim.
// At a facility without instant book the claim waits, pending, for the manager; the
// opening is taken, and the rules re-checked, when it is approved.
Result<Response> ClaimShift(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account can claim a shift.");
  if (!ctx.req.body.empty()) {  // an optional empty object; no fields yet
    OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
    OPENMSO_TRY(BodyReader(body).Finish());
  }
  ClinicianId me = *ctx.who().clinician_id;
  Instant now = ctx.app.clock.Now();
  struct Out { Claim claim; Shift shift; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_TRY(mkt.LockClinician(me));
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    OPENMSO_TRY(CheckClaimable(sh, now));
    OPENMSO_ASSIGN_OR_RETURN(auto existing, mkt.FindClaim(sh.id, me));
    if (existing)
      return Error::Conflict("already-claimed", "You already claimed this shift (" + std::string(ClaimStatusName(existing->status)) + ").");
    // A full shift needs no rule checks (a claim storm is mostly these); while it has an
    // opening, the conditional UPDATE below still decides (MKT-CLAIM-EXACT).
    if (sh.status == ShiftStatus::kFilled) return Error::Conflict("shift-full", "Every opening of this shift is taken.");
    OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
    OPENMSO_TRY(CheckEligibleNow(s, sh, me, settings, "You are", now));
    ClaimStatus status = ClaimStatus::kPending;
    if (settings.instant_book) {
      OPENMSO_ASSIGN_OR_RETURN(bool taken, mkt.TakeOpening(sh.id, now));
      if (!taken) return Error::Conflict("shift-full", "Every opening of this shift is taken.");
      status = ClaimStatus::kConfirmed;
    } else if (sh.status != ShiftStatus::kOpen) {
      return Error::Conflict("shift-full", "Every opening of this shift is taken.");
    }
    OPENMSO_ASSIGN_OR_RETURN(ClaimId cid, mkt.InsertClaim(sh.id, me, status, now));
    OPENMSO_TRY(ctx.Audit(s, "claim", std::to_string(cid.value), sh.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto after, mkt.GetShift(sh.id));
    Claim made{cid, sh.id, me, status, now};
    if (status == ClaimStatus::kConfirmed) made.confirmed_at = now;
    return Out{made, std::move(after)};
  }));
  ctx.app.events.Publish(ShiftEvent(out.shift, "shift.claimed", now,
                                    {{"claim_id", out.claim.id.value}, {"claim_status", ClaimStatusName(out.claim.status)}}));
  json::object o = ClaimJson(out.claim);
  o["shift"] = ShiftJson(out.shift);
  return JsonResponse(201, o);
}

// MKT-CLAIM-APPROVAL: in the caller's write transaction, after the clinician's lock, takes
// an opening of `sh` for clinician `c` when every rule still holds. Errors: kConflict
// shift-cancelled, shift-started, not-eligible (the failed rules), shift-full.
Result<void> ApproveChecks(storage::Session& s, const Shift& sh, ClinicianId c, Instant now) {
  storage::SqlMarketplaceRepository mkt(s);
  OPENMSO_TRY(CheckClaimable(sh, now));
  OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
  OPENMSO_TRY(CheckEligibleNow(s, sh, c, settings, "The clinician is"));
  OPENMSO_ASSIGN_OR_RETURN(bool taken, mkt.TakeOpening(sh.id, now));
  if (!taken) return Error::Conflict("shift-full", "Every opening of this shift is taken.");
  return Ok();
}

struct Answer {
  Claim claim;
  Shift shift;  // after the answer
  std::optional<UserId> user;
  std::string reason;
};

// Serializes on the claimant and re-reads the claim. Errors: kConflict claim-decided
// unless it is still pending.
Result<std::pair<Claim, Shift>> LockPending(storage::Session& s, ClaimId id) {
  storage::SqlMarketplaceRepository mkt(s);
  OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.GetClaim(id));
  OPENMSO_TRY(mkt.LockClinician(claim.clinician_id));
  OPENMSO_ASSIGN_OR_RETURN(claim, mkt.GetClaim(id));  // fresh, under the lock
  if (claim.status != ClaimStatus::kPending)
    return Error::Conflict("claim-decided", "The claim is already " + std::string(ClaimStatusName(claim.status)) + ".");
  OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(claim.shift_id));
  return std::pair{std::move(claim), std::move(sh)};
}

// Moves a locked pending claim to `to` (confirmed after ApproveChecks, or declined) and
// queues the clinician's notice; `by` is "manager" or "timeout".
Result<Answer> RecordAnswer(storage::Session& s, Claim claim, const Shift& sh, ClaimStatus to, std::string reason,
                            std::string_view by, Instant now) {
  storage::SqlMarketplaceRepository mkt(s);
  storage::SqlCredentialingRepository cred(s);
  OPENMSO_ASSIGN_OR_RETURN(bool moved, mkt.SetClaimStatus(claim.id, ClaimStatus::kPending, to, now));
  if (!moved) return Error::Conflict("claim-decided", "The claim was decided meanwhile.");
  claim.status = to;
  if (to == ClaimStatus::kConfirmed) claim.confirmed_at = now;
  OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(claim.clinician_id));
  OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, claim.clinician_id,
                                     to == ClaimStatus::kConfirmed ? "claim.approved" : "claim.declined",
                                     json::serialize(json::object{{"shift_id", sh.id.value}, {"claim_id", claim.id.value},
                                                                  {"reason", reason}, {"by", by}}),
                                     now));
  OPENMSO_ASSIGN_OR_RETURN(auto after, mkt.GetShift(sh.id));
  return Answer{std::move(claim), std::move(after), user, std::move(reason)};
}

// The live events of an answer: to the facility's viewers, and to the clinician.
void PublishAnswer(AppContext& app, const Answer& a, std::string_view by, Instant now) {
  std::string_view type = a.claim.status == ClaimStatus::kConfirmed ? "claim.approved" : "claim.declined";
  app.events.Publish(ShiftEvent(a.shift, type, now, {{"claim_id", a.claim.id.value}, {"by", by}}));
  if (a.user) {
    LiveEvent e = ShiftEvent(a.shift, type, now, {{"claim_id", a.claim.id.value}, {"reason", a.reason}, {"by", by}});
    e.user_id = a.user;
    app.events.Publish(e);
  }
}

// The manager's answer to a pending claim (facilities without instant book).
Result<Response> DecideClaim(RouteContext& ctx, bool approve) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "claim_id"));
  std::string reason;
  if (!ctx.req.body.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
    BodyReader r(body);
    reason = r.OptionalString("reason", 1000).value_or("");
    OPENMSO_TRY(r.Finish());
  }
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Answer>(ctx.app.db, [&](storage::Session& s) -> Result<Answer> {
    OPENMSO_ASSIGN_OR_RETURN(auto locked, LockPending(s, ClaimId(id)));
    auto& [claim, sh] = locked;
    if (approve) OPENMSO_TRY(ApproveChecks(s, sh, claim.clinician_id, now));
    OPENMSO_ASSIGN_OR_RETURN(auto a, RecordAnswer(s, claim, sh, approve ? ClaimStatus::kConfirmed : ClaimStatus::kDeclined,
                                                  reason, "manager", now));
    OPENMSO_TRY(ctx.Audit(s, "claim", std::to_string(id), sh.facility_id));
    return a;
  }));
  PublishAnswer(ctx.app, out, "manager", now);
  json::object o = ClaimJson(out.claim);
  o["shift"] = ShiftJson(out.shift);
  return Json(o);
}

// MKT-ASSIGN: the facility's manager books a clinician directly. The same transaction as a
// claim: serialize on the clinician, re-check every rule on fresh data, take an opening
// with the conditional UPDATE; the clinician's pending, declined or withdrawn claim on the
// shift, if any, becomes the confirmed one. The clinician is told (outbox and live).
Result<Response> AssignShift(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  ClinicianId who(r.RequiredInt("clinician_id"));
  OPENMSO_TRY(r.Finish());
  Instant now = ctx.app.clock.Now();
  struct Out { Claim claim; Shift shift; std::optional<UserId> user; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    auto clinician = storage::SqlOrgRepository(s).GetClinician(who);
    if (!clinician.ok() && clinician.error().code != ErrorCode::kNotFound) return clinician.error();
    if (!clinician.ok() || clinician->mso_id != sh.mso_id)
      return Error::Invalid("clinician_id", "unknown_clinician", "No such clinician in this MSO.");
    OPENMSO_TRY(mkt.LockClinician(who));
    OPENMSO_ASSIGN_OR_RETURN(auto existing, mkt.FindClaim(sh.id, who));
    if (existing && existing->status == ClaimStatus::kConfirmed)
      return Error::Conflict("already-claimed", "The clinician is already booked on this shift.");
    OPENMSO_TRY(ApproveChecks(s, sh, who, now));
    Claim claim{ClaimId(), sh.id, who, ClaimStatus::kConfirmed, now};
    if (existing) {
      OPENMSO_ASSIGN_OR_RETURN(bool moved, mkt.SetClaimStatus(existing->id, existing->status, ClaimStatus::kConfirmed, now));
      if (!moved) return Error::Conflict("claim-decided", "The clinician's claim changed meanwhile; try again.");
      claim.id = existing->id;
      claim.created_at = existing->created_at;
    } else {
      OPENMSO_ASSIGN_OR_RETURN(claim.id, mkt.InsertClaim(sh.id, who, ClaimStatus::kConfirmed, now));
    }
    claim.confirmed_at = now;
    OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(who));
    OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, who, "shift.assigned",
                                       json::serialize(json::object{{"shift_id", sh.id.value}, {"claim_id", claim.id.value},
                                                                    {"start", FormatInstant(sh.start)},
                                                                    {"end", FormatInstant(sh.end)}}),
                                       now));
    OPENMSO_TRY(ctx.Audit(s, "claim", std::to_string(claim.id.value), sh.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto after, mkt.GetShift(sh.id));
    return Out{claim, std::move(after), user};
  }));
  json::object extra{{"claim_id", out.claim.id.value}, {"clinician_id", who.value}};
  ctx.app.events.Publish(ShiftEvent(out.shift, "shift.assigned", now, extra));
  if (out.user) {
    LiveEvent e = ShiftEvent(out.shift, "shift.assigned", now, extra);
    e.user_id = out.user;
    ctx.app.events.Publish(e);
  }
  json::object o = ClaimJson(out.claim);
  o["shift"] = ShiftJson(out.shift);
  return JsonResponse(201, o);
}

// MKT-NO-SHOW: the facility records that a confirmed clinician did not come (after the
// start, and not when they clocked in); the clinician is told. The ranking counts it.
Result<Response> RecordNoShow(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "claim_id"));
  if (!ctx.req.body.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
    OPENMSO_TRY(BodyReader(body).Finish());
  }
  Instant now = ctx.app.clock.Now();
  struct Out { Claim claim; Shift shift; std::optional<UserId> user; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.GetClaim(ClaimId(id)));
    OPENMSO_TRY(mkt.LockClinician(claim.clinician_id));
    OPENMSO_ASSIGN_OR_RETURN(claim, mkt.GetClaim(ClaimId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(claim.shift_id));
    OPENMSO_TRY(CheckNoShow(claim, sh.start, now));
    OPENMSO_ASSIGN_OR_RETURN(auto sheet, storage::SqlTimekeepingRepository(s).FindByShift(sh.id, claim.clinician_id));
    if (sheet && sheet->clock_in)
      return Error::Conflict("clocked-in", "The clinician clocked in for this shift; correct the timesheet instead.");
    OPENMSO_ASSIGN_OR_RETURN(bool marked, mkt.MarkNoShow(claim.id, now));
    if (!marked) return Error::Conflict("already-no-show", "The no-show is already recorded.");
    claim.no_show_at = now;
    OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(claim.clinician_id));
    OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, claim.clinician_id, "claim.no_show",
                                       json::serialize(json::object{{"shift_id", sh.id.value}, {"claim_id", id},
                                                                    {"start", FormatInstant(sh.start)}}),
                                       now));
    OPENMSO_TRY(ctx.Audit(s, "claim", std::to_string(id), sh.facility_id));
    return Out{claim, sh, user};
  }));
  if (out.user) {
    LiveEvent e = ShiftEvent(out.shift, "claim.no_show", now, {{"claim_id", id}});
    e.user_id = out.user;
    ctx.app.events.Publish(e);
  }
  json::object o = ClaimJson(out.claim);
  o["shift"] = ShiftJson(out.shift);
  return Json(o);
}

// MKT-RATING: the facility (its manager or the MSO admin) rates the clinician of a worked
// claim, and the clinician rates the facility; once each. Other roles may not rate.
Result<Response> RateClaim(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "claim_id"));
  Rater rater = Rater::kFacility;
  if (ctx.who().role == identity::Role::kClinician) rater = Rater::kClinician;
  else if (!identity::RoleHas(ctx.who().role, identity::Permission::kShiftManage))
    return Error::Forbidden("Only the facility's manager or the clinician can rate a shift.");
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  int64_t stars = r.RequiredInt("stars");
  auto raw_tags = r.OptionalStringArray("tags", 200);
  OPENMSO_TRY(r.Finish());
  OPENMSO_ASSIGN_OR_RETURN(auto tags, ValidateRating(stars, raw_tags));
  Instant now = ctx.app.clock.Now();
  Rating rating{ClaimId(id), rater, static_cast<int>(stars), std::move(tags), ctx.who().user_id, now};
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.GetClaim(ClaimId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(claim.shift_id));
    OPENMSO_TRY(CheckRatable(claim, sh.end, rater, now));
    OPENMSO_ASSIGN_OR_RETURN(bool stored, mkt.InsertRating(rating));
    if (!stored)
      return Error::Conflict("already-rated", rater == Rater::kFacility ? "The facility already rated this shift."
                                                                        : "You already rated this shift.");
    return ctx.Audit(s, "claim_rating", std::to_string(id) + "/" + std::string(RaterName(rater)), sh.facility_id);
  }));
  json::array tag_list;
  for (const auto& t : rating.tags) tag_list.push_back(json::value(t));
  return JsonResponse(201, json::object{{"claim_id", id}, {"rater", RaterName(rater)}, {"stars", stars},
                                        {"tags", tag_list}, {"created_at", FormatInstant(now)}});
}

// MKT-WITHDRAW-CUTOFF: the clinician takes back their own claim; a confirmed one gives
// its opening back to the shift (open again), and the facility hears of it.
Result<Response> WithdrawClaim(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "claim_id"));
  if (!ctx.who().clinician_id) return Error::Forbidden("Only the clinician who claimed can withdraw.");
  if (!ctx.req.body.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
    OPENMSO_TRY(BodyReader(body).Finish());
  }
  Instant now = ctx.app.clock.Now();
  struct Out { Claim claim; Shift shift; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_TRY(mkt.LockClinician(*ctx.who().clinician_id));
    OPENMSO_ASSIGN_OR_RETURN(auto claim, mkt.GetClaim(ClaimId(id)));
    if (claim.clinician_id != *ctx.who().clinician_id) return Error::NotFound("The claim");
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(claim.shift_id));
    OPENMSO_TRY(CheckWithdrawal(claim.status, sh.start, now));
    OPENMSO_ASSIGN_OR_RETURN(bool moved, mkt.SetClaimStatus(claim.id, claim.status, ClaimStatus::kWithdrawn, now));
    if (!moved) return Error::Conflict("claim-decided", "The claim was decided meanwhile.");
    if (claim.status == ClaimStatus::kConfirmed) OPENMSO_TRY(mkt.ReleaseOpening(sh.id, now));
    claim.status = ClaimStatus::kWithdrawn;
    OPENMSO_TRY(ctx.Audit(s, "claim", std::to_string(id), sh.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(sh, mkt.GetShift(sh.id));
    return Out{claim, sh};
  }));
  ctx.app.events.Publish(ShiftEvent(out.shift, "claim.withdrawn", now, {{"claim_id", id}}));
  json::object o = ClaimJson(out.claim);
  o["shift"] = ShiftJson(out.shift);
  return Json(o);
}

json::object SettingsJson(FacilityId f, const MarketplaceSettings& s) {
  return {{"facility_id", f.value},
          {"instant_book", s.instant_book},
          {"min_rest_minutes", s.eligibility.min_rest.count()},
          {"weekly_hours_cap", s.eligibility.weekly_hours_cap},
          {"max_consecutive_days", s.eligibility.max_consecutive_days},
          {"cancellation_window_hours", s.cancellation_window_hours},
          {"cancellation_pay_hours", s.cancellation_pay_hours},
          {"approval_timeout_minutes", s.approval_timeout_minutes},
          {"approval_timeout_action", TimeoutActionName(s.approval_timeout_action)},
          {"tier1_minutes", s.tier1_minutes},
          {"tier2_minutes", s.tier2_minutes}};
}

Result<Response> GetSettings(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto st, storage::ReadValue<MarketplaceSettings>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlMarketplaceRepository(s).GetSettings(FacilityId(fid));
  }));
  return Json(SettingsJson(FacilityId(fid), st));
}

Result<Response> PutSettings(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  MarketplaceSettings st;
  st.instant_book = r.OptionalBool("instant_book", true);
  st.eligibility.min_rest = std::chrono::minutes(std::clamp<int64_t>(r.OptionalInt("min_rest_minutes").value_or(480), -1, 100000));
  st.eligibility.weekly_hours_cap = static_cast<int>(std::clamp<int64_t>(r.OptionalInt("weekly_hours_cap").value_or(60), -1, 100000));
  auto int_or = [&](std::string_view key, int64_t fallback) {
    return static_cast<int>(std::clamp<int64_t>(r.OptionalInt(key).value_or(fallback), -1, 100000));
  };
  st.eligibility.max_consecutive_days = int_or("max_consecutive_days", 6);
  st.cancellation_window_hours = int_or("cancellation_window_hours", 24);
  st.cancellation_pay_hours = int_or("cancellation_pay_hours", 4);
  st.approval_timeout_minutes = int_or("approval_timeout_minutes", 120);
  st.tier1_minutes = int_or("tier1_minutes", 0);
  st.tier2_minutes = int_or("tier2_minutes", 0);
  std::string action = r.OptionalString("approval_timeout_action", 20).value_or("decline");
  if (auto a = ParseTimeoutAction(action)) st.approval_timeout_action = *a;
  else r.AddError("approval_timeout_action", "invalid_value", "Must be approve or decline.");
  // Every bad field at once: the reader's (types, unknown keys) and the limits'.
  auto read = r.Finish();
  auto valid = ValidateSettings(st);
  if (!read.ok()) {
    Error e = read.error();
    if (!valid.ok()) e.fields.insert(e.fields.end(), valid.error().fields.begin(), valid.error().fields.end());
    return e;
  }
  OPENMSO_TRY(valid);
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    OPENMSO_TRY(storage::SqlMarketplaceRepository(s).PutSettings(FacilityId(fid), st, ctx.app.clock.Now()));
    return ctx.Audit(s, "marketplace_settings", std::to_string(fid), FacilityId(fid));
  }));
  return Json(SettingsJson(FacilityId(fid), st));
}

// ---- The clinician's side (issue 4, part 6) -------------------------------------------------

// Open future shifts of the MSO this clinician is eligible for and has not claimed,
// sorted by start (default), distance or pay (highest first). Each shift is checked with
// the same rules as a claim (a scan of at most 500 open shifts), from what is read once
// per request about the clinician and once per facility. A shift not yet released to the
// clinician's tier is left out (MKT-TIER-RELEASE).
Result<Response> OpenShiftFeed(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has a shift feed.");
  std::string sort = ctx.req.Query("sort").value_or("start");
  if (sort != "start" && sort != "distance" && sort != "pay")
    return Error::Invalid("sort", "invalid_value", "sort must be start, distance or pay.");
  std::optional<std::string> discipline = ctx.req.Query("discipline");
  ClinicianId me = *ctx.who().clinician_id;
  Instant now = ctx.app.clock.Now();
  struct Item { Shift shift; double distance_km; std::string facility_name; };
  OPENMSO_ASSIGN_OR_RETURN(auto items, storage::ReadValue<std::vector<Item>>(ctx.app.db, [&](storage::Session& s) -> Result<std::vector<Item>> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    storage::SqlOrgRepository org(s);
    OPENMSO_ASSIGN_OR_RETURN(auto known, cred.ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto shifts, mkt.ListOpenShifts(ctx.who().mso_id, now, 500));
    std::vector<Item> out;
    if (shifts.empty()) return out;
    // What depends on the clinician alone is read once per request (not once per shift):
    // profile, credentials, exclusion, claims, and the booked shifts around all of them.
    OPENMSO_ASSIGN_OR_RETURN(auto profile, cred.GetProfile(me));
    OPENMSO_ASSIGN_OR_RETURN(auto creds, cred.ListCredentials(me));
    OPENMSO_ASSIGN_OR_RETURN(bool excluded, mkt.IsExcluded(me));
    OPENMSO_ASSIGN_OR_RETURN(auto mine, mkt.ListClaimsOf(me, now));
    std::set<int64_t> claimed;
    for (const auto& c : mine) claimed.insert(c.shift_id.value);
    OPENMSO_ASSIGN_OR_RETURN(auto booked, mkt.BookedShifts(me, shifts.front().start - std::chrono::hours(16 * 24),
                                                           shifts.back().start + kMaxShiftLength + std::chrono::hours(16 * 24)));
    struct PerFacility { org::Facility facility; MarketplaceSettings settings; bool dnr = false, favorite = false; };
    std::map<int64_t, PerFacility> facilities;
    std::map<std::pair<int64_t, std::string>, std::optional<credentialing::RequirementProfile>> requirements;
    for (const auto& sh : shifts) {
      if (discipline && sh.discipline != *discipline) continue;
      if (claimed.count(sh.id.value)) continue;
      if (!facilities.count(sh.facility_id.value)) {
        PerFacility pf;
        OPENMSO_ASSIGN_OR_RETURN(pf.facility, org.GetFacility(sh.facility_id));
        OPENMSO_ASSIGN_OR_RETURN(pf.settings, mkt.GetSettings(sh.facility_id));
        OPENMSO_ASSIGN_OR_RETURN(pf.dnr, mkt.IsDoNotReturn(sh.facility_id, me));
        OPENMSO_ASSIGN_OR_RETURN(pf.favorite, mkt.IsFavorite(sh.facility_id, me));
        facilities.emplace(sh.facility_id.value, std::move(pf));
      }
      const PerFacility& pf = facilities.at(sh.facility_id.value);
      const org::Facility& f = pf.facility;
      auto key = std::pair{sh.facility_id.value, sh.discipline};
      if (!requirements.count(key)) {
        OPENMSO_ASSIGN_OR_RETURN(auto reqs, cred.GetRequirements(sh.facility_id, sh.discipline));
        requirements.emplace(key, std::move(reqs));
      }
      OPENMSO_ASSIGN_OR_RETURN(auto facts, FactsOf(profile, creds, sh, f, known, requirements.at(key)));
      facts.excluded = excluded;
      facts.do_not_return = pf.dnr;
      facts.favorite = pf.favorite;
      facts.booked = booked;
      if (TierAt(sh, now) < AudienceTier(sh.facility_id, facts)) continue;  // MKT-TIER-RELEASE: not yet offered to me
      Eligibility e = Evaluate(sh, f.location, facts, pf.settings.eligibility);
      if (e.eligible) out.push_back({sh, e.distance_km, f.name});
    }
    return out;
  }));
  std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
    if (sort == "distance") return a.distance_km < b.distance_km;
    if (sort == "pay") return a.shift.pay_rate + a.shift.incentive > b.shift.pay_rate + b.shift.incentive;
    return a.shift.start < b.shift.start;
  });
  json::array out;
  for (const auto& it : items) {
    json::object o = ShiftJson(it.shift);
    o["distance_km"] = std::round(it.distance_km * 10) / 10;
    o["facility_name"] = it.facility_name;
    out.push_back(o);
  }
  return Json(json::object{{"items", out}});
}

// The clinician's claims (pending, confirmed, declined, cancelled) on shifts that end
// from a week ago on, newest first.
Result<Response> MyShifts(RouteContext& ctx) {
  if (!ctx.who().clinician_id) return Error::Forbidden("Only a clinician's own account has shifts.");
  ClinicianId me = *ctx.who().clinician_id;
  Instant from = ctx.app.clock.Now() - std::chrono::hours(7 * 24);
  struct Item { Claim claim; Shift shift; };
  OPENMSO_ASSIGN_OR_RETURN(auto items, storage::ReadValue<std::vector<Item>>(ctx.app.db, [&](storage::Session& s) -> Result<std::vector<Item>> {
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(auto claims, mkt.ListClaimsOf(me, from));
    std::vector<Item> out;
    for (const auto& c : claims) {
      OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(c.shift_id));
      out.push_back({c, std::move(sh)});
    }
    return out;
  }));
  json::array out;
  for (const auto& it : items) {
    json::object o = ClaimJson(it.claim);
    o["shift"] = ShiftJson(it.shift);
    out.push_back(o);
  }
  return Json(json::object{{"items", out}});
}

// MKT-SHIFT-EDIT: the manager changes times, rates, openings or notes with a reason. The
// edit is validated like a posting; openings below the confirmed claims are a 409. When
// the times change, every booked (confirmed) clinician is re-checked under their lock
// against the rules that depend on when the shift is (IsTimeRule): if any would break, the
// whole edit is refused with 409 "booked-conflict" naming each clinician's failed rules
// (the manager cancels or re-staffs first; nobody is silently released). Booked and
// pending clinicians are told (outbox and live); the edit is audited and kept in shift_edits.
Result<Response> EditShift(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t id, PathId(ctx.req, "shift_id"));
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  ShiftEdit e;
  e.reason = r.OptionalString("reason", 1000).value_or("");
  auto local = [&](std::string_view key) -> std::optional<LocalDateTime> {
    auto text = r.OptionalString(key, 16);
    if (!text) return std::nullopt;
    auto t = LocalDateTime::Parse(*text);
    if (!t) r.AddError(key, "invalid_local_time", "A local date and time, YYYY-MM-DDTHH:MM.");
    return t;
  };
  e.start_local = local("start");
  e.end_local = local("end");
  e.start_fold = FoldField(r, "start_fold");
  e.end_fold = FoldField(r, "end_fold");
  if (auto b = r.OptionalInt("break_minutes")) e.break_minutes = static_cast<int>(std::clamp<int64_t>(*b, -1, 100000));
  e.pay_rate = r.OptionalMoney("pay_rate_cents");
  e.bill_rate = r.OptionalMoney("bill_rate_cents");
  e.incentive = r.OptionalMoney("incentive_cents");
  if (auto o = r.OptionalInt("openings")) e.openings = static_cast<int>(std::clamp<int64_t>(*o, -1, 100000));
  e.notes = r.OptionalString("notes", 2000);
  OPENMSO_TRY(r.Finish());
  Instant now = ctx.app.clock.Now();
  struct Out { Shift shift; json::object changes; std::vector<std::optional<UserId>> told; };
  OPENMSO_ASSIGN_OR_RETURN(auto out, storage::WriteValue<Out>(ctx.app.db, [&](storage::Session& s) -> Result<Out> {
    storage::SqlMarketplaceRepository mkt(s);
    storage::SqlCredentialingRepository cred(s);
    storage::SqlOrgRepository org(s);
    OPENMSO_ASSIGN_OR_RETURN(auto sh, mkt.GetShift(ShiftId(id)));
    OPENMSO_ASSIGN_OR_RETURN(auto facility, org.GetFacility(sh.facility_id));
    OPENMSO_ASSIGN_OR_RETURN(auto units, org.ListUnits(facility.id));
    OPENMSO_ASSIGN_OR_RETURN(auto known, cred.ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(Shift next, ApplyEdit(sh, e, facility, units, known, now));
    OPENMSO_ASSIGN_OR_RETURN(auto claims, mkt.ListClaims(sh.id));
    if (next.start != sh.start || next.end != sh.end) {
      OPENMSO_ASSIGN_OR_RETURN(auto reqs, cred.GetRequirements(sh.facility_id, sh.discipline));
      OPENMSO_ASSIGN_OR_RETURN(auto settings, mkt.GetSettings(sh.facility_id));
      Error conflict = Error::Conflict("booked-conflict",
                                       "The new times conflict with what booked clinicians already hold; nothing was changed.");
      for (const auto& c : claims) {
        if (c.status != ClaimStatus::kConfirmed) continue;
        OPENMSO_TRY(mkt.LockClinician(c.clinician_id));
        OPENMSO_ASSIGN_OR_RETURN(auto facts, LoadFacts(s, next, facility, known, reqs, c.clinician_id));
        for (const auto& rule : Evaluate(next, facility.location, facts, settings.eligibility).rules)
          if (!rule.passed && IsTimeRule(rule.rule_id))
            conflict.fields.push_back({"clinicians." + std::to_string(c.clinician_id.value), rule.rule_id, rule.message});
      }
      if (!conflict.fields.empty()) return conflict;
    }
    json::object changes;
    auto change = [&](std::string_view key, json::value before, json::value after) {
      if (before != after) changes[key] = json::object{{"from", before}, {"to", after}};
    };
    change("start", json::value(FormatInstant(sh.start)), json::value(FormatInstant(next.start)));
    change("end", json::value(FormatInstant(sh.end)), json::value(FormatInstant(next.end)));
    change("break_minutes", sh.break_minutes, next.break_minutes);
    change("pay_rate_cents", sh.pay_rate.cents(), next.pay_rate.cents());
    change("bill_rate_cents", sh.bill_rate.cents(), next.bill_rate.cents());
    change("incentive_cents", sh.incentive.cents(), next.incentive.cents());
    change("openings", sh.openings, next.openings);
    change("notes", json::value(sh.notes), json::value(next.notes));
    OPENMSO_ASSIGN_OR_RETURN(bool stored, mkt.UpdateShift(next, ctx.who().user_id, e.reason, json::serialize(changes), now));
    if (!stored) {  // cancelled or claimed meanwhile (PostgreSQL, several servers)
      OPENMSO_ASSIGN_OR_RETURN(auto fresh, mkt.GetShift(sh.id));
      if (fresh.status == ShiftStatus::kCancelled) return Error::Conflict("shift-cancelled", "The shift was cancelled.");
      return Error::Conflict("openings-below-confirmed", "More clinicians were confirmed meanwhile; reload and try again.");
    }
    OPENMSO_ASSIGN_OR_RETURN(auto after, mkt.GetShift(sh.id));
    Out o{after, changes, {}};
    for (const auto& c : claims) {
      if (c.status != ClaimStatus::kConfirmed && c.status != ClaimStatus::kPending) continue;
      OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(c.clinician_id));
      OPENMSO_TRY(cred.QueueNotification(sh.mso_id, user, c.clinician_id, "shift.edited",
                                         json::serialize(json::object{{"shift_id", id}, {"reason", e.reason},
                                                                      {"changes", changes}}),
                                         now));
      o.told.push_back(user);
    }
    OPENMSO_TRY(ctx.Audit(s, "shift", std::to_string(id), sh.facility_id));
    return o;
  }));
  ctx.app.events.Publish(ShiftEvent(out.shift, "shift.edited", now, {{"reason", e.reason}}));
  for (const auto& u : out.told) {
    if (!u) continue;
    LiveEvent ev = ShiftEvent(out.shift, "shift.edited", now, {{"reason", e.reason}, {"changes", out.changes}});
    ev.user_id = u;
    ctx.app.events.Publish(ev);
  }
  json::object o = ShiftJson(out.shift);
  o["changes"] = out.changes;
  return Json(o);
}

// MKT-FILL-METRICS: fill rate and time to fill (posting to confirmation) of a facility's
// shifts starting in [from, to), grouped by any of facility, unit, discipline and ISO week
// (of the local start). from/to: a date (local midnight in the facility's zone) or an
// RFC 3339 instant; default the last 4 weeks to the next 4; at most 366 days.
Result<Response> FillMetricsRoute(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t fid, PathId(ctx.req, "facility_id"));
  FillGroupBy by;
  std::vector<std::string> keys;
  if (auto g = ctx.req.Query("group_by"); g && !g->empty()) {
    size_t at = 0;
    while (at <= g->size()) {
      size_t comma = g->find(',', at);
      std::string key = g->substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      if (key == "facility") by.facility = true;
      else if (key == "unit") by.unit = true;
      else if (key == "discipline") by.discipline = true;
      else if (key == "week") by.week = true;
      else return Error::Invalid("group_by", "invalid_value", "group_by lists facility, unit, discipline or week.");
      keys.push_back(key);
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
  }
  Instant now = ctx.app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto facility, storage::ReadValue<org::Facility>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlOrgRepository(s).GetFacility(FacilityId(fid));
  }));
  auto bound = [&](std::string_view key, Instant fallback) -> Result<Instant> {
    auto text = ctx.req.Query(key);
    if (!text) return fallback;
    if (auto d = Date::Parse(*text)) {
      auto midnight = ResolveLocal(LocalDateTime{*d, 0}, facility.time_zone, Fold::kEarlier, key);
      if (midnight.ok()) return *midnight;
    }
    if (auto t = ParseInstant(*text)) return *t;
    return Error::Invalid(std::string(key), "invalid_value", "A date (YYYY-MM-DD) or an RFC 3339 instant.");
  };
  OPENMSO_ASSIGN_OR_RETURN(Instant from, bound("from", now - std::chrono::hours(28 * 24)));
  OPENMSO_ASSIGN_OR_RETURN(Instant to, bound("to", now + std::chrono::hours(28 * 24)));
  if (to <= from) return Error::Invalid("to", "before_from", "'to' must be after 'from'.");
  if (to - from > std::chrono::hours(366 * 24)) return Error::Invalid("to", "out_of_range", "At most 366 days at once.");
  OPENMSO_ASSIGN_OR_RETURN(auto samples, storage::ReadValue<std::vector<FillSample>>(ctx.app.db, [&](storage::Session& s) {
    return storage::SqlMarketplaceRepository(s).FillSamples(FacilityId(fid), from, to);
  }));
  json::array items;
  for (const auto& g : FillMetrics(samples, by)) {
    json::object o{{"shifts", g.shifts}, {"openings", g.openings}, {"filled", g.filled},
                   {"fill_rate", g.openings ? std::round(10000.0 * g.filled / g.openings) / 10000 : 0.0}};
    if (g.facility_id) o["facility_id"] = g.facility_id->value;
    if (g.unit_id) o["unit_id"] = g.unit_id->value;
    if (g.discipline) o["discipline"] = *g.discipline;
    if (g.week) o["week"] = *g.week;
    auto minutes = [](const std::optional<int64_t>& m) { return m ? json::value(*m) : json::value(nullptr); };
    o["time_to_fill_minutes"] = json::object{{"median", minutes(g.median_minutes)}, {"p90", minutes(g.p90_minutes)},
                                             {"mean", minutes(g.mean_minutes)}};
    items.push_back(std::move(o));
  }
  json::array group_by;
  for (const auto& k : keys) group_by.push_back(json::value(k));
  return Json(json::object{{"facility_id", fid}, {"from", FormatInstant(from)}, {"to", FormatInstant(to)},
                           {"group_by", group_by}, {"items", items}});
}

}  // namespace

// MKT-TIER-RELEASE: releases every open future shift whose next tier is due, each in its
// own transaction; RecordRelease's conditional UPDATE makes the release, and its
// notifications, happen once even with several servers. Returns how many releases.
Result<int> RunShiftReleases(AppContext& app, int limit) {
  Instant now = app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto due, storage::ReadValue<std::vector<Shift>>(app.db, [&](storage::Session& s) {
    return storage::SqlMarketplaceRepository(s).ReleasesDue(now, limit);
  }));
  int released = 0;
  for (const Shift& candidate : due) {
    std::optional<Released> done;
    OPENMSO_TRY(app.db.Write([&](storage::Session& s) -> Result<void> {
      OPENMSO_ASSIGN_OR_RETURN(auto sh, storage::SqlMarketplaceRepository(s).GetShift(candidate.id));
      int to = TierAt(sh, now);
      if (sh.status != ShiftStatus::kOpen || sh.start <= now || to <= sh.released_tier) return Ok();
      OPENMSO_ASSIGN_OR_RETURN(done, ReleaseShift(s, sh, sh.released_tier, to, now));
      if (!done) return Ok();
      return AuditSystem(s, now, "shift.release", "shift", std::to_string(sh.id.value) + "/tier" + std::to_string(to),
                         sh.facility_id);
    }));
    if (done) {
      PublishRelease(app, *done, now);
      ++released;
    }
  }
  return released;
}

// MKT-CLAIM-TIMEOUT: answers every pending claim whose facility's approval timeout passed
// (or whose shift started) with the facility's default, each in its own transaction under
// the clinician's lock, re-checked there, with a "system" audit event and the same notice
// and live events as the manager's answer. An approval re-checks every rule and the
// openings exactly like the manager's; when they no longer allow it the claim is declined
// with the reason. Safe on several servers at once: only one moves a claim out of pending.
Result<int> RunClaimTimeouts(AppContext& app, int limit) {
  Instant now = app.clock.Now();
  OPENMSO_ASSIGN_OR_RETURN(auto due, storage::ReadValue<std::vector<Claim>>(app.db, [&](storage::Session& s) {
    return storage::SqlMarketplaceRepository(s).PendingClaimsDue(now, limit);
  }));
  int answered = 0;
  for (const Claim& candidate : due) {
    std::optional<Answer> done;
    auto r = app.db.Write([&](storage::Session& s) -> Result<void> {
      auto locked = LockPending(s, candidate.id);
      if (!locked.ok()) return locked.error().type == "claim-decided" ? Ok() : Result<void>(locked.error());
      auto& [claim, sh] = *locked;
      OPENMSO_ASSIGN_OR_RETURN(auto settings, storage::SqlMarketplaceRepository(s).GetSettings(sh.facility_id));
      if (ClaimDecisionDue(claim.created_at, sh.start, settings) > now) return Ok();
      ClaimStatus to = ClaimStatus::kDeclined;
      std::string reason = "Not answered within " + std::to_string(settings.approval_timeout_minutes) +
                           " minutes or before the shift started; the facility's default is to decline.";
      if (settings.approval_timeout_action == TimeoutAction::kApprove) {
        auto ok = ApproveChecks(s, sh, claim.clinician_id, now);
        if (ok.ok()) {
          to = ClaimStatus::kConfirmed;
          reason = "Approved automatically: not answered within " + std::to_string(settings.approval_timeout_minutes) + " minutes.";
        } else if (ok.error().code == ErrorCode::kInternal || ok.error().code == ErrorCode::kUnavailable) {
          return ok.error();  // retried next pass
        } else {
          reason = "Not answered in time, and it could not be approved: " + ok.error().message;
          for (const auto& f : ok.error().fields) reason += " " + f.code;
        }
      }
      OPENMSO_ASSIGN_OR_RETURN(auto a, RecordAnswer(s, claim, sh, to, reason, "timeout", now));
      OPENMSO_TRY(AuditSystem(s, now, to == ClaimStatus::kConfirmed ? "claim.auto_approve" : "claim.auto_decline",
                              "claim", std::to_string(claim.id.value), sh.facility_id));
      done = std::move(a);
      return Ok();
    });
    if (!r.ok()) return r.error();
    if (done) {
      PublishAnswer(app, *done, "timeout", now);
      ++answered;
    }
  }
  return answered;
}

void AddMarketplaceRoutes(Router& r) {
  using identity::Permission;
  const Access manage{Auth::kSession, Permission::kShiftManage};
  r.Add({"POST", "/api/v1/facilities/{facility_id}/shifts", "postShifts", manage, "shift.create", PostShifts});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/shifts", "listFacilityShifts", {Auth::kSession, Permission::kFacilityRead}, "", ListShifts});
  r.Add({"GET", "/api/v1/shifts/{shift_id}", "getShift", {Auth::kSession, Permission::kSelf}, "", GetShift});
  r.Add({"PATCH", "/api/v1/shifts/{shift_id}", "editShift", manage, "shift.update", EditShift});
  r.Add({"POST", "/api/v1/shifts/{shift_id}/cancel", "cancelShift", manage, "shift.cancel", CancelShift});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/fill-metrics", "getFillMetrics", {Auth::kSession, Permission::kFacilityRead},
         "", FillMetricsRoute});
  r.Add({"GET", "/api/v1/shifts/{shift_id}/candidates", "listShiftCandidates", manage, "shift.candidates.read", Candidates});
  r.Add({"POST", "/api/v1/shifts/{shift_id}/claims", "claimShift", {Auth::kSession, Permission::kShiftClaim}, "shift.claim", ClaimShift});
  r.Add({"POST", "/api/v1/shifts/{shift_id}/assignments", "assignShift", manage, "shift.assign", AssignShift});
  r.Add({"GET", "/api/v1/me/open-shifts", "listMyOpenShifts", {Auth::kSession, Permission::kShiftClaim}, "", OpenShiftFeed});
  r.Add({"GET", "/api/v1/me/shifts", "listMyShifts", {Auth::kSession, Permission::kShiftClaim}, "", MyShifts});
  r.Add({"POST", "/api/v1/claims/{claim_id}/approve", "approveClaim", manage, "claim.approve",
         [](RouteContext& ctx) { return DecideClaim(ctx, true); }});
  r.Add({"POST", "/api/v1/claims/{claim_id}/decline", "declineClaim", manage, "claim.decline",
         [](RouteContext& ctx) { return DecideClaim(ctx, false); }});
  r.Add({"POST", "/api/v1/claims/{claim_id}/withdraw", "withdrawClaim", {Auth::kSession, Permission::kShiftClaim},
         "claim.withdraw", WithdrawClaim});
  r.Add({"POST", "/api/v1/claims/{claim_id}/no-show", "recordNoShow", manage, "claim.no_show", RecordNoShow});
  r.Add({"POST", "/api/v1/claims/{claim_id}/rating", "rateClaim", {Auth::kSession, Permission::kSelf}, "claim.rate",
         RateClaim});
  r.Add({"GET", "/api/v1/facilities/{facility_id}/marketplace-settings", "getMarketplaceSettings",
         {Auth::kSession, Permission::kFacilityRead}, "", GetSettings});
  r.Add({"PUT", "/api/v1/facilities/{facility_id}/marketplace-settings", "putMarketplaceSettings",
         {Auth::kSession, Permission::kFacilityWrite}, "marketplace_settings.update", PutSettings});
  AddCalendarRoutes(r);
}

}  // namespace openmso::http
