// In-process tests of the request pipeline on a real SQLite database: the access policy
// walked over the whole route table (a manager of facility A never reaches facility B),
// problem documents for bad input, CSRF, and the router/OpenAPI document agreement.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "http/http.h"

namespace openmso::http {
namespace {

namespace json = boost::json;

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("openmso_http_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto db = storage::OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.error().log_detail;
    db_ = std::move(db).value().release();
    ASSERT_TRUE(db_->Migrate().ok());
    std::string hash = identity::HashPassword(kPassword);
    ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
      storage::SqlOrgRepository org(s);
      storage::SqlIdentityRepository ids(s);
      Instant now = clock_.Now();
      OPENMSO_ASSIGN_OR_RETURN(MsoId mso, org.CreateMso("Test MSO", now));
      org::FacilityDraft a{"Facility A", "clinic", {"1 A St", "Chicago", "IL", "60601"}, {41.9, -87.6}, "America/Chicago", Money(), {}};
      org::FacilityDraft b{"Facility B", "clinic", {"1 B St", "Denver", "CO", "80202"}, {39.7, -105.0}, "America/Denver", Money(), {}};
      OPENMSO_ASSIGN_OR_RETURN(fa_, org.CreateFacility(mso, a, now));
      OPENMSO_ASSIGN_OR_RETURN(fb_, org.CreateFacility(mso, b, now));
      OPENMSO_ASSIGN_OR_RETURN(ua_, org.CreateUnit(fa_, "North", "med_surg", now));
      OPENMSO_ASSIGN_OR_RETURN(ub_, org.CreateUnit(fb_, "South", "med_surg", now));
      org::Clinician c;
      c.mso_id = mso;
      c.first_name = "Pat";
      c.last_name = "B";
      c.email = "pat.b@example.org";
      c.discipline = "RN";
      c.employment_type = "facility_staff";
      c.home_facility_id = fb_;
      c.status = "active";
      OPENMSO_ASSIGN_OR_RETURN(cb_, org.CreateClinician(c, now));
      storage::SqlCredentialingRepository cred(s);
      credentialing::CredentialDraft bls;
      bls.kind = credentialing::CredentialKind::kCertification;
      bls.type_code = "BLS";
      bls.issued_on = Date{2025, 1, 1};
      bls.expires_on = Date{2027, 1, 1};
      OPENMSO_ASSIGN_OR_RETURN(credb_, cred.CreateCredential(cb_, bls, now));
      credentialing::CredentialDocument doc;
      doc.credential_id = credb_;
      doc.sha256 = std::string(64, '0');
      doc.content_type = "application/pdf";
      doc.size_bytes = 1;
      doc.uploaded_at = now;
      OPENMSO_ASSIGN_OR_RETURN(docb_, cred.InsertDocument(doc));
      marketplace::Shift shift;
      shift.mso_id = mso;
      shift.facility_id = fb_;
      shift.unit_id = ub_;
      shift.discipline = "RN";
      shift.start = now + std::chrono::hours(48);
      shift.end = now + std::chrono::hours(60);
      shift.time_zone = "America/Denver";
      shift.pay_rate = Money::Cents(5000);
      shift.bill_rate = Money::Cents(7000);
      shift.created_at = now;
      OPENMSO_ASSIGN_OR_RETURN(shiftb_, storage::SqlMarketplaceRepository(s).CreateShift(shift));
      OPENMSO_ASSIGN_OR_RETURN(claimb_, storage::SqlMarketplaceRepository(s).InsertClaim(shiftb_, cb_, marketplace::ClaimStatus::kPending, now));
      timekeeping::Timesheet ts;
      ts.mso_id = mso;
      ts.facility_id = fb_;
      ts.shift_id = shiftb_;
      ts.clinician_id = cb_;
      ts.time_zone = "America/Denver";
      ts.scheduled_start = shift.start;
      ts.scheduled_end = shift.end;
      ts.clock_in = shift.start;
      ts.created_at = now;
      OPENMSO_ASSIGN_OR_RETURN(timesheetb_, storage::SqlTimekeepingRepository(s).Insert(ts));
      static constexpr storage::Statement kRun{"t.run",
          "INSERT INTO pay_runs (mso_id, kind, period_start, period_end, status, statements, timesheets, exceptions, "
          "gross_cents, net_due_cents, created_at) VALUES (?, 'regular', '2026-01-04', '2026-01-18', 'draft', 1, 0, '[]', "
          "0, 0, 0) RETURNING id"};
      static constexpr storage::Statement kStatement{"t.statement",
          "INSERT INTO pay_statements (run_id, clinician_id, worker_type, overtime_law, worked_minutes, regular_minutes, "
          "overtime_minutes, double_time_minutes, straight_time_cents, differentials_cents, bonuses_cents, "
          "overtime_premium_cents, double_time_premium_cents, holiday_premium_cents, cancellation_cents, gross_cents, "
          "advances_cents, net_due_cents) VALUES (?, ?, 'w2', 'flsa_weekly', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) "
          "RETURNING id"};
      OPENMSO_ASSIGN_OR_RETURN(auto run, s.Query(kRun, {mso.value}));
      payrun_ = run.at(0).Int(0);
      OPENMSO_ASSIGN_OR_RETURN(auto st, s.Query(kStatement, {payrun_, cb_.value}));
      statementb_ = st.at(0).Int(0);
      static constexpr storage::Statement kInvoice{"t.invoice",
          "INSERT INTO invoices (mso_id, facility_id, status, period_from, period_to, issue_date, due_date, "
          "payment_terms_days, labor_minutes, labor_subtotal_cents, fee_total_cents, total_cents, carry_forward, "
          "created_at) VALUES (?, ?, 'draft', '2026-01-04', '2026-01-18', '2026-01-19', '2026-02-18', 30, 0, 0, 0, 0, "
          "'{}', 0) RETURNING id"};
      OPENMSO_ASSIGN_OR_RETURN(auto inv, s.Query(kInvoice, {mso.value, fb_.value}));
      invoiceb_ = inv.at(0).Int(0);
      identity::User admin{UserId(), mso, "admin@example.org", "Admin", identity::Role::kMsoAdmin, {}, true, {}};
      OPENMSO_ASSIGN_OR_RETURN(admin_id_, ids.CreateUser(admin, hash, now));
      identity::User manager{UserId(), mso, "manager.a@example.org", "Manager A", identity::Role::kFacilityManager, {fa_}, true, {}};
      OPENMSO_TRY(ids.CreateUser(manager, hash, now));
      return Ok();
    }).ok());
    hub_ = new EventHub();
    ctx_ = new AppContext{*db_, clock_, *hub_, Settings{}, "test", nullptr};
    api_ = new Api(*ctx_, BuildRouter());
  }
  static void TearDownTestSuite() {
    delete api_;
    delete ctx_;
    delete hub_;
    delete db_;
    std::filesystem::remove_all(dir_);
  }

  static Response Call(std::string method, std::string target, std::string body = "", std::string token = "",
                       std::map<std::string, std::string> headers = {}) {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    ParseTarget(r);
    r.body = std::move(body);
    r.client_ip = "127.0.0.1";
    r.request_id = "t-" + std::to_string(++counter_);
    r.headers = std::move(headers);
    if (!r.body.empty() && !r.headers.count("content-type")) r.headers["content-type"] = "application/json";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return api_->Handle(r);
  }
  static std::string Login(const std::string& email) {
    auto r = Call("POST", "/api/v1/auth/login", R"({"email":")" + email + R"(","password":")" + kPassword + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("token").as_string());
  }
  static std::string ProblemType(const Response& r) {
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    auto v = json::parse(r.body);
    std::string t(v.at("type").as_string());
    return t.substr(kProblemTypeBase.size());
  }

  static constexpr const char* kPassword = "a-long-test-password";
  static inline std::filesystem::path dir_;
  static inline storage::Database* db_ = nullptr;
  static inline SystemClock clock_;
  static inline EventHub* hub_ = nullptr;
  static inline AppContext* ctx_ = nullptr;
  static inline Api* api_ = nullptr;
  static inline FacilityId fa_, fb_;
  static inline UnitId ua_, ub_;
  static inline ClinicianId cb_;
  static inline CredentialId credb_;
  static inline DocumentId docb_;
  static inline ShiftId shiftb_;
  static inline ClaimId claimb_;
  static inline TimesheetId timesheetb_;
  static inline int64_t payrun_ = 0, statementb_ = 0, invoiceb_ = 0;
  static inline UserId admin_id_;
  static inline int counter_ = 0;
};

// ACCESS-FACILITY-SCOPE: walk the whole router table; every route that names an entity of
// facility B answers 403 or 404 to the manager of facility A, whatever the method.
TEST_F(PipelineTest, ManagerOfAReachesNothingOfB) {
  std::string token = Login("manager.a@example.org");
  std::map<std::string, std::string> ids_of_b = {{"facility_id", std::to_string(fb_.value)},
                                                 {"unit_id", std::to_string(ub_.value)},
                                                 {"clinician_id", std::to_string(cb_.value)},
                                                 {"user_id", std::to_string(admin_id_.value)},
                                                 {"credential_id", std::to_string(credb_.value)},
                                                 {"document_id", std::to_string(docb_.value)},
                                                 {"calendar_token", "not-a-calendar-token"},  // public: 404
                                                 {"shift_id", std::to_string(shiftb_.value)},
                                                 {"claim_id", std::to_string(claimb_.value)},
                                                 {"timesheet_id", std::to_string(timesheetb_.value)},
                                                 {"pay_run_id", std::to_string(payrun_)},
                                                 {"pay_statement_id", std::to_string(statementb_)},
                                                 {"invoice_id", std::to_string(invoiceb_)},
                                                 // screening results are MSO-wide, credentialing staff only: 403
                                                 {"result_id", "1"}};
  int checked = 0;
  for (const auto& route : api_->router().routes()) {
    if (route.pattern.find('{') == std::string::npos) continue;
    std::string path = route.pattern;
    std::smatch m;
    while (std::regex_search(path, m, std::regex("\\{([a-z_]+)\\}"))) {
      ASSERT_TRUE(ids_of_b.count(m[1].str())) << "no id of facility B for parameter " << m[1] << " in " << route.pattern
                                              << ": add one to this test";
      path.replace(m.position(0), m.length(0), ids_of_b[m[1].str()]);
    }
    auto r = Call(route.method, path, route.method == "GET" ? "" : "{}", token);
    EXPECT_TRUE(r.status == 403 || r.status == 404) << route.method << " " << path << " -> " << r.status << " " << r.body;
    ++checked;
  }
  EXPECT_GE(checked, 6);
  // And the list shows only facility A.
  auto list = Call("GET", "/api/v1/facilities", "", token);
  ASSERT_EQ(list.status, 200);
  auto items = json::parse(list.body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_int64(), fa_.value);
  // Its own facility works.
  EXPECT_EQ(Call("GET", "/api/v1/facilities/" + std::to_string(fa_.value) + "/units", "", token).status, 200);
}

TEST_F(PipelineTest, BadInputsAreClearProblems) {
  std::string token = Login("admin@example.org");
  std::string good = R"("name":"New Place","type":"clinic","address":{"line1":"1 X St","city":"Austin","state":"TX","postal_code":"78701"},"location":{"latitude":30.27,"longitude":-97.74},"time_zone":"America/Chicago")";
  struct Row { const char* name; std::string body; int status; const char* type; const char* field; } rows[] = {
      {"malformed json", "{\"name\":", 400, "malformed-json", nullptr},
      {"not an object", "[1,2]", 400, "malformed-json", nullptr},
      {"wrong type", "{" + std::string(R"("name":5,)") + good.substr(good.find("\"type\"")) + "}", 400, "validation-error", "name"},
      {"missing field", "{" + good.substr(good.find("\"type\"")) + "}", 400, "validation-error", "name"},
      {"unknown field", "{" + good + R"(,"colour":"red"})", 400, "validation-error", "colour"},
      {"nested unknown", "{" + std::regex_replace(good, std::regex("\"78701\""), "\"78701\",\"zip4\":\"1\"") + "}", 400, "validation-error", "address.zip4"},
      {"bad zone", "{" + std::regex_replace(good, std::regex("America/Chicago"), "America/Atlantis") + "}", 400, "validation-error", "time_zone"},
      {"bad date", "{" + good + R"(,"go_live_date":"2026-02-30"})", 400, "validation-error", "go_live_date"},
      {"negative money", "{" + good + R"(,"monthly_fee_cents":-100})", 400, "validation-error", "monthly_fee_cents"},
      {"fractional money", "{" + good + R"(,"monthly_fee_cents":10.5})", 400, "validation-error", "monthly_fee_cents"},
  };
  for (const auto& row : rows) {
    auto r = Call("POST", "/api/v1/facilities", row.body, token);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body;
    EXPECT_EQ(ProblemType(r), row.type) << row.name;
    if (row.field) {
      auto errs = json::parse(r.body).at("errors").as_array();
      bool named = false;
      for (auto& e : errs) named |= e.at("field").as_string() == row.field;
      EXPECT_TRUE(named) << row.name << ": " << r.body;
    }
  }
  // Nothing was half-written: still exactly two facilities.
  auto list = Call("GET", "/api/v1/facilities", "", token);
  EXPECT_EQ(json::parse(list.body).at("items").as_array().size(), 2u);
  // Wrong content type, unknown route, wrong method, no auth, forbidden.
  EXPECT_EQ(ProblemType(Call("POST", "/api/v1/facilities", "{}", token, {{"content-type", "text/plain"}})), "unsupported-media-type");
  auto nf = Call("GET", "/api/v1/nope", "", token);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(ProblemType(nf), "not-found");
  auto mna = Call("DELETE", "/api/v1/facilities", "", token);
  EXPECT_EQ(mna.status, 405);
  EXPECT_EQ(ProblemType(mna), "method-not-allowed");
  auto unauth = Call("GET", "/api/v1/facilities");
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(ProblemType(unauth), "unauthenticated");
  std::string manager = Login("manager.a@example.org");
  auto forbidden = Call("POST", "/api/v1/facilities", "{" + good + "}", manager);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(ProblemType(forbidden), "forbidden");
  // A good body succeeds.
  auto ok = Call("POST", "/api/v1/facilities", "{" + good + "}", token);
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(PipelineTest, CookieSessionsNeedCsrfOnChanges) {
  auto login = Call("POST", "/api/v1/auth/login", R"({"email":"admin@example.org","password":"a-long-test-password"})");
  ASSERT_EQ(login.status, 200);
  auto body = json::parse(login.body);
  std::string token(body.at("token").as_string()), csrf(body.at("csrf_token").as_string());
  bool http_only = false;
  for (auto& [k, v] : login.headers)
    if (k == "Set-Cookie" && v.rfind("openmso_session=", 0) == 0)
      http_only = v.find("HttpOnly") != std::string::npos && v.find("SameSite=Strict") != std::string::npos;
  EXPECT_TRUE(http_only);
  std::map<std::string, std::string> cookie = {{"cookie", "openmso_session=" + token}};
  EXPECT_EQ(Call("GET", "/api/v1/me", "", "", cookie).status, 200);
  auto no_csrf = Call("POST", "/api/v1/auth/logout", "", "", cookie);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(ProblemType(no_csrf), "csrf-failed");
  cookie["x-csrf-token"] = csrf;
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", "", "", cookie).status, 204);
  auto after = Call("GET", "/api/v1/me", "", "", {{"cookie", "openmso_session=" + token}});
  EXPECT_EQ(after.status, 401);
}

TEST_F(PipelineTest, ChangesAndPersonalReadsAreAudited) {
  std::string token = Login("admin@example.org");
  auto users = Call("GET", "/api/v1/users", "", token);
  ASSERT_EQ(users.status, 200);
  auto events = Call("GET", "/api/v1/audit/events?action=user.list&limit=5", "", token);
  ASSERT_EQ(events.status, 200) << events.body;
  auto items = json::parse(events.body).at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("request_id").as_string(), "t-" + std::to_string(counter_ - 1));
  auto bad = Call("GET", "/api/v1/audit/events?limit=0", "", token);
  EXPECT_EQ(bad.status, 400);
  auto verify = Call("GET", "/api/v1/audit/verify", "", token);
  EXPECT_TRUE(json::parse(verify.body).at("ok").as_bool()) << verify.body;
}

TEST_F(PipelineTest, LockoutAfterRepeatedFailures) {
  for (int i = 0; i < 5; ++i) {
    auto r = Call("POST", "/api/v1/auth/login", R"({"email":"manager.a@example.org","password":"wrong-password-xx"})");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(ProblemType(r), "invalid-credentials");
  }
  auto locked = Call("POST", "/api/v1/auth/login", R"({"email":"manager.a@example.org","password":"a-long-test-password"})");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(ProblemType(locked), "too-many-attempts");
  // Unlock for the other tests.
  ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
    static constexpr storage::Statement kUnlock{"test.unlock", "UPDATE users SET locked_until = 0, failed_logins = 0"};
    OPENMSO_TRY(s.Exec(kUnlock));
    return Ok();
  }).ok());
}

// The router table and docs/openapi.yaml list exactly the same operations.
TEST(OpenApi, RouterAndDocumentAgree) {
  std::ifstream in(OPENMSO_SOURCE_DIR "/docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml not found";
  std::set<std::string> documented, routed;
  std::string line, path;
  bool in_paths = false;
  auto ends_with_colon = [](const std::string& l) { return !l.empty() && l.back() == ':'; };
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.rfind("paths:", 0) == 0) { in_paths = true; continue; }
    if (!line.empty() && line[0] != ' ') in_paths = false;
    if (!in_paths || !ends_with_colon(line)) continue;
    if (line.rfind("  /", 0) == 0 && line[3 - 1] == '/') {
      path = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line[4] != ' ') {
      std::string method = line.substr(4, line.size() - 5);
      if (method == "get" || method == "post" || method == "put" || method == "patch" || method == "delete") {
        for (auto& c : method) c = static_cast<char>(std::toupper(c));
        documented.insert(method + " " + path);
      }
    }
  }
  Router router = BuildRouter();
  for (const auto& r : router.routes()) routed.insert(r.method + " " + r.pattern);
  for (const auto& op : routed) EXPECT_TRUE(documented.count(op)) << "in the router but not in docs/openapi.yaml: " << op;
  for (const auto& op : documented) EXPECT_TRUE(routed.count(op)) << "in docs/openapi.yaml but not in the router: " << op;
  EXPECT_GE(routed.size(), 15u);
}

TEST(Router, MatchesParamsAndReportsAllowedMethods) {
  Router r;
  r.Add({"GET", "/a/{id}/b", "x", {}, "", nullptr});
  r.Add({"POST", "/a/{id}/b", "y", {}, "", nullptr});
  auto m = r.Find("GET", "/a/42/b");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["id"], "42");
  auto no = r.Find("DELETE", "/a/42/b");
  EXPECT_FALSE(no.route);
  EXPECT_EQ(no.allowed_methods.size(), 2u);
  EXPECT_FALSE(r.Find("GET", "/a/42").route);
}

TEST(Router, AParameterMayCarryALiteralSuffix) {
  Router r;
  r.Add({"GET", "/feeds/{token}.ics", "x", {}, "", nullptr});
  auto m = r.Find("GET", "/feeds/abc-DEF_1.ics");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["token"], "abc-DEF_1");
  EXPECT_FALSE(r.Find("GET", "/feeds/abc.json").route);
  EXPECT_FALSE(r.Find("GET", "/feeds/.ics").route);  // the parameter may not be empty
  EXPECT_FALSE(r.Find("GET", "/feeds/abc").route);
}

TEST(Router, ParsesTargets) {
  Request q;
  q.target = "/api/v1/x%20y?a=1&b=two+words&c=%2F";
  ParseTarget(q);
  EXPECT_EQ(q.path, "/api/v1/x y");
  EXPECT_EQ(q.Query("a"), "1");
  EXPECT_EQ(q.Query("b"), "two words");
  EXPECT_EQ(q.Query("c"), "/");
}

}  // namespace
}  // namespace openmso::http
