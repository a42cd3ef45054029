// Notifications over HTTP and as a background job: the signed-in user's channel
// preferences, the daily expiry alerts, and delivery of the outbox through the senders
// of src/notify (claim, send outside any transaction, record the outcome).
#include <set>

#include "http/internal.h"
#include "http/json_io.h"
#include "notify/notify.h"

namespace openmso::http {
namespace {

Date UtcToday(Instant now) { return Date::FromDaysSinceEpoch(ToUnixMillis(now) / 86'400'000); }

// ---- Preferences ------------------------------------------------------------------------

Result<Response> PreferencesJson(AppContext& app, UserId user) {
  std::map<std::string, std::string> stored;
  bool has_phone = false;
  OPENMSO_TRY(app.db.Read([&](storage::Session& s) -> Result<void> {
    storage::SqlNotifyRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(stored, repo.Preferences(user));
    OPENMSO_ASSIGN_OR_RETURN(has_phone, repo.HasPhone(user));
    return Ok();
  }));
  json::array items;
  for (const auto& k : notify::UserKinds()) {
    auto it = stored.find(std::string(k.name));
    items.push_back(json::object{{"kind", k.name},
                                 {"title", k.title},
                                 {"channel", it == stored.end() ? "email" : it->second},
                                 {"is_default", it == stored.end()}});
  }
  return Json(json::object{{"items", items}, {"sms_available", has_phone}});
}

Result<Response> GetPreferences(RouteContext& ctx) {
  ctx.audit_entity_type = "user";
  ctx.audit_entity_id = std::to_string(ctx.who().user_id.value);
  return PreferencesJson(ctx.app, ctx.who().user_id);
}

Result<Response> PutPreferences(RouteContext& ctx) {
  OPENMSO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.req));
  BodyReader r(body);
  std::vector<std::pair<std::string, std::string>> changes;
  auto items = r.RequiredObjectArray("items", 50);
  for (size_t i = 0; i < items.size(); ++i) {
    auto& it = items[i];
    std::string kind = it.RequiredString("kind", 100);
    std::string channel = it.RequiredString("channel", 10);
    if (!kind.empty() && !notify::IsUserKind(kind))
      r.AddError("items." + std::to_string(i) + ".kind", "invalid_value", "Unknown message kind.");
    if (!channel.empty() && !notify::ParseChannel(channel))
      r.AddError("items." + std::to_string(i) + ".channel", "invalid_value", "Channel must be email, sms or none.");
    it.CheckUnknown();
    changes.emplace_back(kind, channel);
  }
  OPENMSO_TRY(r.Finish());
  UserId user = ctx.who().user_id;
  OPENMSO_TRY(ctx.app.db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlNotifyRepository repo(s);
    for (const auto& [kind, channel] : changes) OPENMSO_TRY(repo.PutPreference(user, kind, channel, ctx.app.clock.Now()));
    return ctx.Audit(s, "user", std::to_string(user.value), std::nullopt);
  }));
  return PreferencesJson(ctx.app, user);
}

// ---- The outbox, for operations (dead letters) -----------------------------------------------

Result<Response> ListOutbox(RouteContext& ctx) {
  static const std::set<std::string> kStatuses = {"pending", "sending", "sent", "dead", "skipped"};
  auto status = ctx.req.Query("status");
  if (status && !kStatuses.count(*status))
    return Error::Invalid("status", "invalid_value", "Status must be pending, sending, sent, dead or skipped.");
  OPENMSO_ASSIGN_OR_RETURN(auto limit, QueryInt(ctx.req, "limit", 1, 500));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, storage::ReadValue<std::vector<storage::SqlNotifyRepository::OutboxRow>>(
                                          ctx.app.db, [&](storage::Session& s) {
                                            return storage::SqlNotifyRepository(s).List(ctx.who().mso_id, status,
                                                                                       static_cast<int>(limit.value_or(100)));
                                          }));
  json::array items;
  for (const auto& r : rows) {
    json::object o{{"id", r.id},
                   {"template", r.template_name},
                   {"status", r.status},
                   {"channel", r.channel},
                   {"attempts", r.attempts},
                   {"last_error", r.last_error},
                   {"created_at", FormatInstant(r.created_at)},
                   {"next_attempt_at", FormatInstant(r.next_attempt_at)}};
    o["user_id"] = r.user_id ? json::value(r.user_id->value) : json::value(nullptr);
    o["clinician_id"] = r.clinician_id ? json::value(r.clinician_id->value) : json::value(nullptr);
    o["sent_at"] = r.sent_at ? json::value(FormatInstant(*r.sent_at)) : json::value(nullptr);
    items.push_back(std::move(o));
  }
  ctx.audit_entity_type = "notification";
  ctx.audit_entity_id = "*";
  return Json(json::object{{"items", items}});
}

// ---- Expiry alerts (NOTIFY-EXPIRY-THRESHOLDS, NOTIFY-EXPIRY-ONCE) ---------------------------

// Queues the alerts of one credential in one transaction; returns how many rows it queued.
Result<int> AlertOne(AppContext& app, MsoId mso, const credentialing::Credential& c, Date today, Instant now) {
  auto days_left = c.draft.expires_on->DaysSinceEpoch() - today.DaysSinceEpoch();
  auto threshold = notify::ExpiryThreshold(days_left);
  if (!threshold) return 0;
  return storage::WriteValue<int>(app.db, [&](storage::Session& s) -> Result<int> {
    storage::SqlNotifyRepository repo(s);
    storage::SqlCredentialingRepository cred(s);
    OPENMSO_ASSIGN_OR_RETURN(bool fresh, repo.RecordExpiryAlert(c.id, *c.draft.expires_on, *threshold, now));
    if (!fresh) return 0;
    OPENMSO_ASSIGN_OR_RETURN(auto profile, cred.GetProfile(c.clinician_id));
    OPENMSO_ASSIGN_OR_RETURN(auto user, cred.UserOfClinician(c.clinician_id));
    json::object payload{{"credential_id", c.id.value},
                         {"kind", credentialing::KindName(c.draft.kind)},
                         {"type_code", c.draft.type_code},
                         {"expires_on", c.draft.expires_on->ToString()},
                         {"days_left", days_left},
                         {"threshold_days", *threshold}};
    int queued = 0;
    OPENMSO_TRY(repo.Queue(mso, user, c.clinician_id, "credential.expiring", json::serialize(payload), "", now));
    ++queued;
    payload["clinician_id"] = c.clinician_id.value;
    payload["clinician_name"] = profile.draft.first_name + " " + profile.draft.last_name;
    OPENMSO_ASSIGN_OR_RETURN(auto staff, repo.UsersWithRole(mso, identity::Role::kCredentialing));
    for (UserId u : staff) {
      OPENMSO_TRY(repo.Queue(mso, u, std::nullopt, "credential.expiring.staff", json::serialize(payload), "", now));
      ++queued;
    }
    OPENMSO_TRY(AuditSystem(s, now, "credential.expiry_alert", "credential", std::to_string(c.id.value),
                            profile.home_facility_id));
    return queued;
  });
}

Result<int> QueueExpiryAlerts(AppContext& app) {
  Instant now = app.clock.Now();
  Date today = UtcToday(now);
  OPENMSO_ASSIGN_OR_RETURN(bool mine, storage::WriteValue<bool>(app.db, [&](storage::Session& s) {
    return storage::SqlNotifyRepository(s).ClaimDay("credential_expiry_alerts", today.ToString(), now);
  }));
  if (!mine) return 0;
  OPENMSO_ASSIGN_OR_RETURN(auto msos, storage::ReadValue<std::vector<MsoId>>(app.db, [&](storage::Session& s) {
    return storage::SqlNotifyRepository(s).ListMsos();
  }));
  int queued = 0;
  Date until = Date::FromDaysSinceEpoch(today.DaysSinceEpoch() + notify::kExpiryThresholds[0]);
  for (MsoId mso : msos) {
    OPENMSO_ASSIGN_OR_RETURN(auto list, storage::ReadValue<std::vector<credentialing::Credential>>(
                                            app.db, [&](storage::Session& s) {
                                              return storage::SqlCredentialingRepository(s).ListExpiring(mso, today, until, 100000);
                                            }));
    for (const auto& c : list) {
      if (!c.draft.expires_on) continue;
      OPENMSO_ASSIGN_OR_RETURN(int n, AlertOne(app, mso, c, today, now));
      queued += n;
    }
  }
  return queued;
}

// ---- Delivery (NOTIFY-CLAIM, NOTIFY-BACKOFF, NOTIFY-CHANNEL) -------------------------------

std::map<std::string, std::string> PayloadFields(std::string_view payload) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, x] : v.as_object())
    out[std::string(k)] = x.is_string() ? std::string(x.as_string()) : x.is_null() ? "" : json::serialize(x);
  return out;
}

enum class Outcome { kSent, kSkipped, kRetry, kDead, kLost };

// Sends one claimed row; never inside a transaction (a slow SMTP server holds no lock).
Outcome DeliverOne(AppContext& app, const notify::Senders& senders, const storage::OutboxMessage& m) {
  const NotifySettings& cfg = app.settings.notify;
  Instant now = app.clock.Now();
  notify::RetryPolicy policy{cfg.max_attempts, cfg.backoff, std::chrono::hours(6)};
  auto fields = PayloadFields(m.payload);
  std::optional<notify::Channel> pref;
  if (m.preference) pref = notify::ParseChannel(*m.preference);
  notify::Channel channel = notify::ChooseChannel(m.template_name, pref, !m.phone.empty());
  auto record = [&](auto&& fn) -> Outcome {
    auto r = storage::WriteValue<bool>(app.db, [&](storage::Session& s) { return fn(s); });
    if (!r.ok()) {
      log::Error("outbox record failed", {{"id", std::to_string(m.id)}, {"type", r.error().type}});
      return Outcome::kLost;  // the lease lapses and the row is tried again
    }
    return Outcome::kSent;
  };
  auto fail = [&](const std::string& why) -> Outcome {
    bool dead = notify::IsDead(policy, static_cast<int>(m.attempts));
    std::optional<Instant> retry;
    if (!dead) retry = now + notify::Backoff(policy, static_cast<int>(m.attempts));
    log::Warn("notification not delivered", {{"id", std::to_string(m.id)}, {"attempts", std::to_string(m.attempts)},
                                             {"error", why}});
    if (record([&](storage::Session& s) -> Result<bool> {
          storage::SqlNotifyRepository repo(s);
          OPENMSO_ASSIGN_OR_RETURN(bool mine, repo.MarkFailed(m.id, m.attempts, why, retry));
          if (mine && dead) OPENMSO_TRY(AuditSystem(s, now, "notification.dead", "notification", std::to_string(m.id), std::nullopt));
          return mine;
        }) == Outcome::kLost)
      return Outcome::kLost;
    return dead ? Outcome::kDead : Outcome::kRetry;
  };
  if (channel == notify::Channel::kNone) {
    if (record([&](storage::Session& s) { return storage::SqlNotifyRepository(s).MarkSkipped(m.id, m.attempts, now); }) ==
        Outcome::kLost)
      return Outcome::kLost;
    return Outcome::kSkipped;
  }
  // A sign-up's link carries a token made now: only its hash is stored, and a resent
  // message replaces the previous link (SIGNUP-TOKEN).
  if (m.template_name == "signup.confirm") {
    std::string token = identity::NewToken();
    auto id = fields.find("signup_id");
    int64_t signup = id == fields.end() ? 0 : std::atoll(id->second.c_str());
    auto still = storage::WriteValue<bool>(app.db, [&](storage::Session& s) {
      return storage::SqlNotifyRepository(s).SetSignupToken(signup, identity::Sha256Hex(token),
                                                             now + std::chrono::hours(24));
    });
    if (!still.ok()) return fail("sign-up token: " + still.error().type);
    if (!*still) {  // confirmed meanwhile: nothing to send
      record([&](storage::Session& s) { return storage::SqlNotifyRepository(s).MarkSkipped(m.id, m.attempts, now); });
      return Outcome::kSkipped;
    }
    fields["token"] = token;
  }
  notify::Sender* sender = channel == notify::Channel::kSms ? senders.sms.get() : senders.email.get();
  std::string to = channel == notify::Channel::kSms ? m.phone : m.email;
  if (!sender) return fail(std::string("no ") + std::string(notify::ChannelName(channel)) + " sender configured");
  if (to.empty()) return fail("no address on file");
  notify::Outgoing out{channel, to, notify::Compose(m.template_name, fields, cfg.public_url), now,
                       "outbox-" + std::to_string(m.id)};
  auto sent = sender->Send(out);
  if (!sent.ok()) return fail(sent.error().message);
  if (record([&](storage::Session& s) -> Result<bool> {
        storage::SqlNotifyRepository repo(s);
        OPENMSO_ASSIGN_OR_RETURN(bool mine, repo.MarkSent(m.id, m.attempts, notify::ChannelName(channel), now));
        if (mine) OPENMSO_TRY(AuditSystem(s, now, "notification.sent", "notification", std::to_string(m.id), std::nullopt));
        return mine;
      }) == Outcome::kLost)
    return Outcome::kLost;
  return Outcome::kSent;
}

Result<notify::Senders> MakeSenders(const NotifySettings& cfg) {
  notify::SenderOptions o;
  o.from = cfg.from;
  o.bearer_token = cfg.sms_token;
  notify::Senders s;
  OPENMSO_ASSIGN_OR_RETURN(s.email, notify::MakeSender(cfg.email_url, o));
  OPENMSO_ASSIGN_OR_RETURN(s.sms, notify::MakeSender(cfg.sms_url, o));
  s.from = cfg.from;
  return s;
}

Result<int> DeliverDue(AppContext& app, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto senders, MakeSenders(app.settings.notify));
  int done = 0;
  // Small batches and a time budget per pass: with a mail server that times out (10 s a
  // message) one pass still ends within about two minutes and the job thread (and its
  // lease renewal) moves on; the rest waits for the next pass.
  constexpr int kBatch = 10;
  constexpr auto kBudget = std::chrono::seconds(30);
  // A claim lasts long enough for a batch of slow sends; a crashed server's rows come back after it.
  constexpr auto kLease = std::chrono::minutes(10);
  const auto started = std::chrono::steady_clock::now();
  while (done < limit && std::chrono::steady_clock::now() - started < kBudget) {
    OPENMSO_ASSIGN_OR_RETURN(auto batch, storage::WriteValue<std::vector<storage::OutboxMessage>>(
                                             app.db, [&](storage::Session& s) {
                                               return storage::SqlNotifyRepository(s).ClaimDue(app.clock.Now(), kLease,
                                                                                               std::min(kBatch, limit - done));
                                             }));
    for (const auto& m : batch) {
      Outcome o = DeliverOne(app, senders, m);
      if (o == Outcome::kSent || o == Outcome::kSkipped || o == Outcome::kDead) ++done;
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
  }
  return done;
}

}  // namespace

Result<int> RunNotificationJobs(AppContext& app, int limit) {
  auto alerts = QueueExpiryAlerts(app);
  if (!alerts.ok()) log::Error("job expiry alerts failed", {{"type", alerts.error().type}});
  else if (*alerts > 0) log::Info("expiry alerts queued", {{"count", std::to_string(*alerts)}});
  return DeliverDue(app, limit);
}

void AddNotifyRoutes(Router& r) {
  using identity::Permission;
  r.Add({"GET", "/api/v1/notifications", "listNotifications", {Auth::kSession, Permission::kUserRead},
         "notification.list", ListOutbox});
  r.Add({"GET", "/api/v1/me/notification-preferences", "getNotificationPreferences", {Auth::kSession, Permission::kSelf},
         "notification_preferences.read", GetPreferences});
  r.Add({"PUT", "/api/v1/me/notification-preferences", "putNotificationPreferences", {Auth::kSession, Permission::kSelf},
         "notification_preferences.update", PutPreferences});
}

}  // namespace openmso::http
