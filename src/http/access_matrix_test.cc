// The access matrix (issue 7 part 8, ACCESS-ROUTE, ACCESS-FACILITY-SCOPE): every route of the
// router, as every role and as nobody, against the entities of the caller's own facility (A)
// and of another facility (B) of the same MSO, and against a second MSO. The expected answer
// comes from the policy table written out again below (Expect), independently of policy.cc:
//   - nobody: 401 on every session route;
//   - a role without the route's permission: 403;
//   - a role with it: the entity must be in its reach (Reaches), else 404 (never a hint that
//     the entity exists);
//   - another MSO's entities: 404 for everyone.
// Denied calls go through the whole pipeline (router, authentication, CSRF-free Bearer,
// policy). Allowed reads go through it too and must not answer 401/403/404; allowed writes are
// checked against the pipeline's policy step (Authorize) only, so the walk changes nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "http/http.h"
#include "http/internal.h"

namespace openmso::http {
namespace {

namespace json = boost::json;
using identity::Permission;
using identity::Role;

enum class Side { kA, kB, kOtherMso };

// The ids of one side's entities, by path parameter name.
using Ids = std::map<std::string, std::string>;

// Who may reach the entity a path parameter names (the policy table, by hand). The clinician
// user is the clinician homed at facility A; the facility manager manages facility A only.
bool Reaches(Role role, const std::string& param, Side side) {
  if (side == Side::kOtherMso) return false;
  const bool all_facilities = role == Role::kMsoAdmin || role == Role::kCredentialing || role == Role::kBilling ||
                              role == Role::kAuditor;
  // MSO-wide entities: the route's permission alone decides.
  if (param == "user_id" || param == "pay_run_id" || param == "result_id") return true;
  // MKT-ACCESS: every clinician of the MSO reaches a posted shift; managers their own.
  if (param == "shift_id") return role != Role::kFacilityManager || side == Side::kA;
  const bool clinician_file = param == "clinician_id" || param == "credential_id" || param == "document_id" ||
                              param == "claim_id" || param == "timesheet_id" || param == "pay_statement_id";
  if (role == Role::kClinician) return clinician_file && side == Side::kA;  // their own file only
  if (all_facilities) return true;
  return side == Side::kA;  // facility manager of A
}

// A clinician's pay (statements, pay terms with bank details) is for finance staff and the
// clinician alone, narrower than the clinician-record permission of those routes (their
// handlers check it after the scope, ACCESS-PAY-PRIVATE).
bool PayPrivate(const Route& route) {
  return route.pattern.find("/pay-terms") != std::string::npos ||
         route.pattern.rfind("/api/v1/pay-statements/{", 0) == 0;
}

// The expected outcome class of a call: 0 allowed, else the status.
int Expect(std::optional<Role> role, const Route& route, const std::vector<std::string>& params, Side side) {
  if (!role) return 401;
  if (!identity::RoleHas(*role, route.access.permission)) return 403;
  for (const std::string& p : params)
    if (!Reaches(*role, p, side)) return 404;
  if (PayPrivate(route) && route.method == "GET" && *role != Role::kMsoAdmin && *role != Role::kBilling &&
      *role != Role::kAuditor && *role != Role::kClinician)
    return 403;
  return 0;
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  struct SideWorld {
    FacilityId facility;
    UnitId unit;
    ClinicianId clinician;
    Ids ids;
  };

  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("openmso_access_matrix_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto db = storage::OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.error().log_detail;
    db_ = std::move(db).value().release();
    ASSERT_TRUE(db_->Migrate().ok());
    const std::string hash = identity::HashPassword(kPassword);
    ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
      storage::SqlOrgRepository org(s);
      storage::SqlIdentityRepository users(s);
      Instant now = clock_.Now();
      OPENMSO_ASSIGN_OR_RETURN(mso_, org.CreateMso("Matrix MSO", now));
      OPENMSO_ASSIGN_OR_RETURN(MsoId other_mso, org.CreateMso("Other MSO", now));
      OPENMSO_ASSIGN_OR_RETURN(run_, InsertPayRun(s, mso_));
      OPENMSO_ASSIGN_OR_RETURN(int64_t other_run, InsertPayRun(s, other_mso));
      OPENMSO_ASSIGN_OR_RETURN(a_, BuildSide(s, mso_, run_, "A", now));
      OPENMSO_ASSIGN_OR_RETURN(b_, BuildSide(s, mso_, run_, "B", now));
      OPENMSO_ASSIGN_OR_RETURN(other_, BuildSide(s, other_mso, other_run, "X", now));
      struct U {
        Role role;
        const char* email;
        std::vector<FacilityId> facilities;
        std::optional<ClinicianId> clinician;
      } us[] = {{Role::kMsoAdmin, "admin@m.example.org", {}, {}},
                {Role::kFacilityManager, "manager.a@m.example.org", {a_.facility}, {}},
                {Role::kCredentialing, "cred@m.example.org", {}, {}},
                {Role::kBilling, "billing@m.example.org", {}, {}},
                {Role::kAuditor, "auditor@m.example.org", {}, {}},
                {Role::kClinician, "clinician.a@m.example.org", {}, a_.clinician}};
      for (const U& u : us) {
        identity::User user{UserId(), mso_, u.email, u.email, u.role, u.facilities, true, u.clinician};
        OPENMSO_ASSIGN_OR_RETURN(UserId id, users.CreateUser(user, hash, now));
        emails_[u.role] = u.email;
        if (u.role == Role::kMsoAdmin) a_.ids["user_id"] = b_.ids["user_id"] = std::to_string(id.value);
      }
      identity::User stranger{UserId(), other_mso, "admin@x.example.org", "X", Role::kMsoAdmin, {}, true, {}};
      OPENMSO_ASSIGN_OR_RETURN(UserId sid, users.CreateUser(stranger, hash, now));
      other_.ids["user_id"] = std::to_string(sid.value);
      return Ok();
    }).ok());
    hub_ = new EventHub();
    Settings settings;
    settings.data_dir = (dir_ / "blobs").string();
    ctx_ = new AppContext{*db_, clock_, *hub_, settings, "test", nullptr};
    api_ = new Api(*ctx_, BuildRouter());
  }
  static void TearDownTestSuite() {
    delete api_;
    delete ctx_;
    delete hub_;
    delete db_;
    std::filesystem::remove_all(dir_);
  }

  static Result<int64_t> InsertPayRun(storage::Session& s, MsoId mso) {
    static constexpr storage::Statement kRun{"t.matrix_run",
        "INSERT INTO pay_runs (mso_id, kind, period_start, period_end, status, statements, timesheets, exceptions, "
        "gross_cents, net_due_cents, created_at) VALUES (?, 'regular', '2026-01-04', '2026-01-18', 'finalized', 1, 0, "
        "'[]', 0, 0, 0) RETURNING id"};
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kRun, {mso.value}));
    return rows.at(0).Int(0);
  }

  // One facility with a unit, a clinician homed there with a credential and a document, a
  // posted shift the clinician claimed, a timesheet, a pay statement and an invoice.
  static Result<SideWorld> BuildSide(storage::Session& s, MsoId mso, int64_t run, const std::string& name,
                                     Instant now) {
    storage::SqlOrgRepository org(s);
    SideWorld w;
    org::FacilityDraft f{"Facility " + name, "clinic", {"1 Main St", "Chicago", "IL", "60601"}, {41.9, -87.6},
                         "America/Chicago", Money(), {}};
    OPENMSO_ASSIGN_OR_RETURN(w.facility, org.CreateFacility(mso, f, now));
    OPENMSO_ASSIGN_OR_RETURN(w.unit, org.CreateUnit(w.facility, "North", "med_surg", now));
    org::Clinician c;
    c.mso_id = mso;
    c.first_name = "Pat";
    c.last_name = name;
    c.email = "pat." + name + "@m.example.org";
    c.discipline = "RN";
    c.employment_type = "facility_staff";
    c.home_facility_id = w.facility;
    c.status = "active";
    OPENMSO_ASSIGN_OR_RETURN(w.clinician, org.CreateClinician(c, now));
    storage::SqlCredentialingRepository cred(s);
    credentialing::CredentialDraft bls;
    bls.kind = credentialing::CredentialKind::kCertification;
    bls.type_code = "BLS";
    bls.issued_on = Date{2025, 1, 1};
    bls.expires_on = Date{2027, 1, 1};
    OPENMSO_ASSIGN_OR_RETURN(CredentialId credential, cred.CreateCredential(w.clinician, bls, now));
    credentialing::CredentialDocument doc;
    doc.credential_id = credential;
    OPENMSO_ASSIGN_OR_RETURN(doc.sha256, storage::BlobStore((dir_ / "blobs").string()).Put("%PDF-1.4\n%%EOF\n"));
    doc.content_type = "application/pdf";
    doc.size_bytes = 1;
    doc.uploaded_at = now;
    OPENMSO_ASSIGN_OR_RETURN(DocumentId document, cred.InsertDocument(doc));
    marketplace::Shift shift;
    shift.mso_id = mso;
    shift.facility_id = w.facility;
    shift.unit_id = w.unit;
    shift.discipline = "RN";
    shift.start = now + std::chrono::hours(48);
    shift.end = now + std::chrono::hours(60);
    shift.time_zone = "America/Chicago";
    shift.pay_rate = Money::Cents(5000);
    shift.bill_rate = Money::Cents(7000);
    shift.created_at = now;
    storage::SqlMarketplaceRepository mkt(s);
    OPENMSO_ASSIGN_OR_RETURN(shift.id, mkt.CreateShift(shift));
    OPENMSO_ASSIGN_OR_RETURN(ClaimId claim, mkt.InsertClaim(shift.id, w.clinician, marketplace::ClaimStatus::kPending, now));
    timekeeping::Timesheet ts;
    ts.mso_id = mso;
    ts.facility_id = w.facility;
    ts.shift_id = shift.id;
    ts.clinician_id = w.clinician;
    ts.time_zone = shift.time_zone;
    ts.scheduled_start = shift.start;
    ts.scheduled_end = shift.end;
    ts.clock_in = shift.start;
    ts.created_at = now;
    OPENMSO_ASSIGN_OR_RETURN(TimesheetId timesheet, storage::SqlTimekeepingRepository(s).Insert(ts));
    static constexpr storage::Statement kStatement{"t.matrix_statement",
        "INSERT INTO pay_statements (run_id, clinician_id, worker_type, overtime_law, worked_minutes, regular_minutes, "
        "overtime_minutes, double_time_minutes, straight_time_cents, differentials_cents, bonuses_cents, "
        "overtime_premium_cents, double_time_premium_cents, holiday_premium_cents, cancellation_cents, gross_cents, "
        "advances_cents, net_due_cents) VALUES (?, ?, 'w2', 'flsa_weekly', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) "
        "RETURNING id"};
    OPENMSO_ASSIGN_OR_RETURN(auto st, s.Query(kStatement, {run, w.clinician.value}));
    static constexpr storage::Statement kInvoice{"t.matrix_invoice",
        "INSERT INTO invoices (mso_id, facility_id, status, period_from, period_to, issue_date, due_date, "
        "payment_terms_days, labor_minutes, labor_subtotal_cents, fee_total_cents, total_cents, carry_forward, "
        "created_at) VALUES (?, ?, 'draft', '2026-01-04', '2026-01-18', '2026-01-19', '2026-02-18', 30, 0, 0, 0, 0, "
        "'{}', 0) RETURNING id"};
    OPENMSO_ASSIGN_OR_RETURN(auto inv, s.Query(kInvoice, {mso.value, w.facility.value}));
    // A possible exclusion-list match of the clinician (MSO-wide: credentialing staff).
    static constexpr storage::Statement kScreeningRun{"t.matrix_screening_run",
        "INSERT INTO screening_runs (mso_id, trigger_kind, started_at) VALUES (?, 'manual', 0) RETURNING id"};
    static constexpr storage::Statement kScreeningResult{"t.matrix_screening_result",
        "INSERT INTO screening_results (run_id, mso_id, clinician_id, source, entry_key, entry_json, match_kind, "
        "status, created_at, updated_at) VALUES (?, ?, ?, 'leie', 'k', '{}', 'name', 'possible', 0, 0) RETURNING id"};
    OPENMSO_ASSIGN_OR_RETURN(auto srun, s.Query(kScreeningRun, {mso.value}));
    OPENMSO_ASSIGN_OR_RETURN(auto sres, s.Query(kScreeningResult, {srun.at(0).Int(0), mso.value, w.clinician.value}));
    w.ids = {{"facility_id", std::to_string(w.facility.value)},
             {"unit_id", std::to_string(w.unit.value)},
             {"clinician_id", std::to_string(w.clinician.value)},
             {"credential_id", std::to_string(credential.value)},
             {"document_id", std::to_string(document.value)},
             {"shift_id", std::to_string(shift.id.value)},
             {"claim_id", std::to_string(claim.value)},
             {"timesheet_id", std::to_string(timesheet.value)},
             {"pay_run_id", std::to_string(run)},
             {"pay_statement_id", std::to_string(st.at(0).Int(0))},
             {"invoice_id", std::to_string(inv.at(0).Int(0))},
             {"result_id", std::to_string(sres.at(0).Int(0))}};
    return w;
  }

  static Response Call(const std::string& method, const std::string& target, const std::string& token) {
    Request r;
    r.method = method;
    r.target = target;
    ParseTarget(r);
    r.body = method == "GET" ? "" : "{}";
    r.client_ip = "127.0.0.1";
    r.request_id = "m-" + std::to_string(++counter_);
    if (!r.body.empty()) r.headers["content-type"] = "application/json";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return api_->Handle(r);
  }
  static std::string Login(const std::string& email) {
    Request r;
    r.method = "POST";
    r.target = "/api/v1/auth/login";
    ParseTarget(r);
    r.body = R"({"email":")" + email + R"(","password":")" + kPassword + R"("})";
    r.headers["content-type"] = "application/json";
    r.client_ip = "127.0.0.1";
    r.request_id = "login";
    Response resp = api_->Handle(r);
    EXPECT_EQ(resp.status, 200) << resp.body;
    return std::string(json::parse(resp.body).at("token").as_string());
  }

  static constexpr const char* kPassword = "a-long-test-password";
  static inline std::filesystem::path dir_;
  static inline storage::Database* db_ = nullptr;
  static inline SystemClock clock_;
  static inline EventHub* hub_ = nullptr;
  static inline AppContext* ctx_ = nullptr;
  static inline Api* api_ = nullptr;
  static inline MsoId mso_;
  static inline int64_t run_ = 0;
  static inline SideWorld a_, b_, other_;
  static inline std::map<Role, std::string> emails_;
  static inline int counter_ = 0;
};

TEST_F(AccessMatrixTest, EveryRouteAsEveryRoleOnOwnOtherAndForeignEntities) {
  std::map<Role, std::string> tokens;
  std::map<Role, identity::Principal> principals;
  for (const auto& [role, email] : emails_) tokens[role] = Login(email);
  ASSERT_TRUE(db_->Read([&](storage::Session& s) -> Result<void> {
    storage::SqlIdentityRepository users(s);
    for (const auto& [role, email] : emails_) {
      OPENMSO_ASSIGN_OR_RETURN(auto found, users.FindByEmail(email));
      if (!found) return Error::Internal("user missing");
      const identity::User& u = found->user;
      principals[role] = identity::Principal{u.id, u.mso_id, u.role, u.facility_ids, u.clinician_id, 0, ""};
    }
    return Ok();
  }).ok());

  std::vector<std::optional<Role>> callers = {std::nullopt};
  for (Role r : identity::kAllRoles) callers.push_back(r);
  const std::pair<Side, const SideWorld*> sides[] = {{Side::kA, &a_}, {Side::kB, &b_}, {Side::kOtherMso, &other_}};
  // Public routes carry their own credential (checked in the handler); their params are not ids.
  const std::set<std::string> public_params = {"calendar_token"};
  int calls = 0, policy_checks = 0, routes = 0;
  std::map<int, int> by_outcome;
  for (const Route& route : api_->router().routes()) {
    if (route.access.auth == Auth::kPublic) continue;
    ++routes;
    std::vector<std::string> params;
    static const std::regex kParam("\\{([a-z_]+)\\}");
    for (std::sregex_iterator it(route.pattern.begin(), route.pattern.end(), kParam), end; it != end; ++it)
      params.push_back((*it)[1].str());
    for (const std::string& p : params)
      ASSERT_TRUE(a_.ids.count(p) && !public_params.count(p))
          << "no entity for parameter " << p << " of " << route.method << " " << route.pattern
          << ": add one per side to AccessMatrixTest::BuildSide and its rule to Reaches";
    // Routes without parameters are checked once (the side does not matter).
    for (const auto& [side, world] : sides) {
      if (params.empty() && side != Side::kA) continue;
      std::string path = route.pattern;
      std::unordered_map<std::string, std::string> bound;
      for (const std::string& p : params) {
        std::string v = world->ids.at(p);
        path = std::regex_replace(path, std::regex("\\{" + p + "\\}"), v);
        bound[p] = v;
      }
      for (const auto& caller : callers) {
        int expect = Expect(caller, route, params, side);
        std::string who = caller ? std::string(identity::RoleName(*caller)) : "nobody";
        std::string what = route.method + " " + path + " as " + who;
        ++by_outcome[expect];
        if (expect != 0) {
          Response r = Call(route.method, path, caller ? tokens[*caller] : "");
          ++calls;
          EXPECT_EQ(r.status, expect) << what << " -> " << r.status << " " << r.body;
        } else if (route.method == "GET") {
          Response r = Call(route.method, path, tokens[*caller]);
          ++calls;
          EXPECT_TRUE(r.status != 401 && r.status != 403 && r.status != 404) << what << " -> " << r.status << " " << r.body;
        } else {
          // An allowed write: the pipeline's policy step lets it through (the handler is not run).
          auto z = Authorize(*ctx_, route, principals[*caller], bound);
          ++policy_checks;
          EXPECT_TRUE(z.ok()) << what << " -> " << (z.ok() ? "" : z.error().message);
        }
      }
    }
  }
  // The walk covered the router and every outcome class.
  EXPECT_GE(routes, 60);
  EXPECT_GT(by_outcome[0], 0);
  EXPECT_GT(by_outcome[401], 0);
  EXPECT_GT(by_outcome[403], 0);
  EXPECT_GT(by_outcome[404], 0);
  std::printf("access matrix: %d routes, %d calls, %d policy checks; allowed %d, 401 %d, 403 %d, 404 %d\n", routes,
              calls, policy_checks, by_outcome[0], by_outcome[401], by_outcome[403], by_outcome[404]);
}

}  // namespace
}  // namespace openmso::http
