// Self sign-up of per-diem clinicians (issue 3 part 1): a public request queues an email
// with a confirmation link through the outbox; confirming creates the clinician user and
// a profile in status applied, which credentialing staff move on (CRED-STATUS-FLOW).
// No user enumeration: a known email gets the same answer (and a notice instead of a link).
#include "http/internal.h"
#include "http/json_io.h"

namespace openmso::http {
namespace {

using credentialing::ProfileDraft;

constexpr storage::Statement kFirstMso{"signup.first_mso", "SELECT id FROM msos ORDER BY id LIMIT 1"};
constexpr storage::Statement kClinicianByEmail{"signup.clinician_by_email",
                                               "SELECT id FROM clinicians WHERE email = ? AND mso_id = ?"};

Error TooMany() {
  return Error::Make(ErrorCode::kRateLimited, "too-many-attempts", "Too many attempts. Wait a few minutes and try again.");
}

Error BadToken() {
  return Error::Invalid("token", "invalid_token", "This confirmation link is invalid, already used or expired.");
}

// The profile a sign-up starts with: per-diem, W-2 until staff say otherwise.
ProfileDraft DraftOf(const storage::Signup& s) {
  ProfileDraft d;
  d.first_name = s.first_name;
  d.last_name = s.last_name;
  d.phone = s.phone;
  d.home = {storage::FromE6(s.home_latitude_e6), storage::FromE6(s.home_longitude_e6)};
  d.travel_radius_km = s.travel_radius_km;
  d.disciplines = {s.discipline};
  d.employment_type = "per_diem";
  d.employment_class = "w2";
  return d;
}

Result<Response> SignUp(RouteContext& ctx) {
  if (!AllowAnonymousAttempt(ctx.req, ctx.app)) return TooMany();
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  storage::Signup su;
  su.first_name = r.RequiredString("first_name", 100);
  su.last_name = r.RequiredString("last_name", 100);
  std::string email_raw = r.RequiredString("email", 254);
  std::string password = r.RequiredString("password", 256);
  su.phone = r.OptionalString("phone", 40).value_or("");
  su.discipline = r.RequiredString("discipline", 20);
  BodyReader home = r.RequiredObject("home");
  double lat = home.RequiredNumber("latitude");
  double lon = home.RequiredNumber("longitude");
  home.CheckUnknown();
  su.travel_radius_km = r.RequiredInt("travel_radius_km");
  auto email = identity::NormalizeEmail(email_raw);
  if (!email_raw.empty() && !email) r.AddError("email", "invalid_email", "Enter a valid email address.");
  if (!password.empty()) {
    auto pw = identity::ValidatePassword(password);
    if (!pw.ok()) r.AddError("password", "weak_password", pw.error().fields.empty() ? pw.error().message : pw.error().fields[0].message);
  }
  OPENMSO_TRY(r.Finish());
  if (su.travel_radius_km < 1)
    return Error::Invalid("travel_radius_km", "out_of_range", "Travel radius must be 1 to 500 km.");
  su.email = *email;
  su.home_latitude_e6 = storage::ToE6(lat);
  su.home_longitude_e6 = storage::ToE6(lon);
  Instant now = ctx.app.clock.Now();
  // The profile rules of credentialing, under this request's field names.
  std::vector<credentialing::Discipline> known;
  OPENMSO_TRY(ctx.app.db.Read([&](storage::Session& s) -> Result<void> {
    OPENMSO_ASSIGN_OR_RETURN(known, storage::SqlCredentialingRepository(s).ListDisciplines());
    return Ok();
  }));
  if (auto v = credentialing::ValidateProfile(DraftOf(su), known, Date::FromDaysSinceEpoch(ToUnixMillis(now) / 86'400'000));
      !v.ok()) {
    Error e = v.error();
    for (auto& f : e.fields)
      if (f.field.rfind("disciplines", 0) == 0) f.field = "discipline";
    return e;
  }
  // Hashed whether or not the email is known, so the answer takes as long either way.
  su.password_hash = identity::HashPassword(password);
  su.created_at = now;
  su.expires_at = now + std::chrono::hours(24);
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlNotifyRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(auto existing, storage::SqlIdentityRepository(s).FindByEmail(su.email));
    audit::Event e = RequestEvent(ctx.app, ctx.req, std::nullopt, "anonymous", "signup.request", "success");
    if (existing) {
      OPENMSO_TRY(repo.Queue(existing->user.mso_id, existing->user.id, std::nullopt, "signup.exists", "{}", "", now));
      e.entity_type = "user";
      e.entity_id = std::to_string(existing->user.id.value);
    } else {
      OPENMSO_ASSIGN_OR_RETURN(auto mso, s.QueryOne(kFirstMso));
      if (!mso) return Error::Make(ErrorCode::kUnavailable, "signup-unavailable", "Sign-up is not open yet.");
      su.mso_id = MsoId(mso->Int(0));
      // SIGNUP-TOKEN: the link's token is made when the message is sent (routes_notify.cc);
      // until then the row holds the hash of a token nobody has.
      OPENMSO_ASSIGN_OR_RETURN(su.id, repo.InsertSignup(su, identity::Sha256Hex(identity::NewToken())));
      OPENMSO_TRY(repo.Queue(su.mso_id, std::nullopt, std::nullopt, "signup.confirm",
                             json::serialize(json::object{{"signup_id", su.id}}), su.email, now));
      e.entity_type = "signup";
      e.entity_id = std::to_string(su.id);
    }
    storage::SqlAuditRepository audit_repo(s);
    OPENMSO_TRY(audit::Append(audit_repo, std::move(e)));
    ctx.audited = true;
    return Ok();
  }));
  return JsonResponse(202, json::object{{"status", "confirmation_sent"}});
}

Result<Response> ConfirmSignup(RouteContext& ctx) {
  if (!AllowAnonymousAttempt(ctx.req, ctx.app)) return TooMany();
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::string token = r.RequiredString("token", 200);
  OPENMSO_TRY(r.Finish());
  Instant now = ctx.app.clock.Now();
  struct Made { UserId user; ClinicianId clinician; std::string status; };
  OPENMSO_ASSIGN_OR_RETURN(auto made, storage::WriteValue<Made>(ctx.app.db, [&](storage::Session& s) -> Result<Made> {
    storage::SqlNotifyRepository repo(s);
    storage::SqlIdentityRepository ident(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(auto su, repo.FindSignupByToken(identity::Sha256Hex(token)));
    if (!su || su->expires_at <= now) return BadToken();
    OPENMSO_ASSIGN_OR_RETURN(auto taken, ident.FindByEmail(su->email));
    if (taken) return BadToken();
    // A roster record with this email (entered by the MSO) becomes this user's; else a new
    // per-diem profile in status applied.
    Made m;
    OPENMSO_ASSIGN_OR_RETURN(auto roster, s.QueryOne(kClinicianByEmail, {su->email, su->mso_id.value}));
    if (roster) {
      m.clinician = ClinicianId(roster->Int(0));
    } else {
      org::Clinician c;
      c.mso_id = su->mso_id;
      c.first_name = su->first_name;
      c.last_name = su->last_name;
      c.email = su->email;
      c.discipline = su->discipline;
      c.employment_type = "per_diem";
      c.home = {storage::FromE6(su->home_latitude_e6), storage::FromE6(su->home_longitude_e6)};
      c.travel_radius_km = su->travel_radius_km;
      c.status = std::string(credentialing::StatusName(credentialing::ClinicianStatus::kApplied));
      OPENMSO_ASSIGN_OR_RETURN(m.clinician, storage::SqlOrgRepository(s).CreateClinician(c, now));
      OPENMSO_TRY(cred.UpdateProfile(m.clinician, DraftOf(*su), now));
    }
    identity::User u;
    u.mso_id = su->mso_id;
    u.email = su->email;
    u.display_name = su->first_name + " " + su->last_name;
    u.role = identity::Role::kClinician;
    u.clinician_id = m.clinician;
    OPENMSO_ASSIGN_OR_RETURN(m.user, ident.CreateUser(u, su->password_hash, now));
    OPENMSO_ASSIGN_OR_RETURN(bool first, repo.ConfirmSignup(su->id, m.user, now));
    if (!first) return BadToken();
    OPENMSO_ASSIGN_OR_RETURN(auto profile, cred.GetProfile(m.clinician));
    m.status = std::string(credentialing::StatusName(profile.status));
    audit::Event e = RequestEvent(ctx.app, ctx.req, m.user, "clinician", "signup.confirm", "success");
    e.entity_type = "user";
    e.entity_id = std::to_string(m.user.value);
    storage::SqlAuditRepository audit_repo(s);
    OPENMSO_TRY(audit::Append(audit_repo, std::move(e)));
    ctx.audited = true;
    return m;
  }));
  return JsonResponse(201, json::object{{"user_id", made.user.value}, {"clinician_id", made.clinician.value},
                                        {"status", made.status}});
}

}  // namespace

void AddSignupRoutes(Router& r) {
  using identity::Permission;
  r.Add({"POST", "/api/v1/signup", "signUp", {Auth::kPublic, Permission::kSelf}, "", SignUp});
  r.Add({"POST", "/api/v1/signup/confirm", "confirmSignup", {Auth::kPublic, Permission::kSelf}, "", ConfirmSignup});
}

}  // namespace openmso::http
