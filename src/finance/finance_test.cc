// Pay runs over a real SQLite database: the draft pays exactly the approved, unpaid
// timesheets of the period (pay lines trace to them), finalizing is once only, a second run
// finds nothing left, a timesheet crossing the period edge is paid once per side, and the
// register/NACHA exports read back. (PAY-RUN-*, PAY-EXACTLY-ONCE)
#include "finance/finance.h"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "formats/formats.h"
#include "storage/storage.h"

namespace openmso::finance {
namespace {

using namespace std::chrono_literals;

Instant T(const char* s) { return *ParseInstant(s); }

class PayRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("openmso-finance-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = storage::OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    Instant now = T("2026-01-01T00:00:00Z");
    ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
      storage::SqlOrgRepository org(s);
      OPENMSO_ASSIGN_OR_RETURN(mso_, org.CreateMso("Test MSO", now));
      org::FacilityDraft f{"Lakeside", "nursing_home", {"1 Main St", "Chicago", "IL", "60601"},
                           {41.9, -87.6}, "America/Chicago", Money::Cents(0), std::nullopt};
      OPENMSO_ASSIGN_OR_RETURN(facility_, org.CreateFacility(mso_, f, now));
      OPENMSO_ASSIGN_OR_RETURN(unit_, org.CreateUnit(facility_, "East", "skilled_nursing", now));
      for (int i = 0; i < 2; ++i) {
        org::Clinician c;
        c.mso_id = mso_;
        c.first_name = i == 0 ? "Ana" : "Ben";
        c.last_name = "Test";
        c.email = "c" + std::to_string(i) + "@example.org";
        c.discipline = "RN";
        c.employment_type = "per_diem";
        c.home = {41.9, -87.6};
        c.travel_radius_km = 50;
        c.status = "active";
        OPENMSO_ASSIGN_OR_RETURN(auto id, org.CreateClinician(c, now));
        clinicians_.push_back(id);
      }
      static constexpr storage::Statement k1099{"t.contractor", "UPDATE clinicians SET employment_class = '1099' WHERE id = ?"};
      OPENMSO_TRY(s.Exec(k1099, {clinicians_[1].value}));
      PaySettings p;  // biweekly from Sunday 2026-01-04, America/Chicago
      return PutPaySettings(s, mso_, p, now);
    }).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // An approved timesheet of `c` worked [start, end) at $rate/h.
  TimesheetId Worked(ClinicianId c, const char* start, const char* end, int64_t rate_cents = 5000,
                     timekeeping::Status status = timekeeping::Status::kApproved, std::optional<FacilityId> facility = {},
                     std::optional<UnitId> unit = {}, const char* zone = "America/Chicago") {
    TimesheetId id;
    EXPECT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
      marketplace::Shift sh;
      sh.mso_id = mso_;
      sh.facility_id = facility.value_or(facility_);
      sh.unit_id = unit.value_or(unit_);
      sh.discipline = "RN";
      sh.start = T(start);
      sh.end = T(end);
      sh.time_zone = zone;
      sh.pay_rate = Money::Cents(rate_cents);
      sh.bill_rate = Money::Cents(rate_cents * 3 / 2);
      sh.created_at = sh.start - 48h;
      OPENMSO_ASSIGN_OR_RETURN(sh.id, storage::SqlMarketplaceRepository(s).CreateShift(sh));
      timekeeping::Timesheet t;
      t.mso_id = mso_;
      t.facility_id = sh.facility_id;
      t.shift_id = sh.id;
      t.clinician_id = c;
      t.time_zone = sh.time_zone;
      t.scheduled_start = sh.start;
      t.scheduled_end = sh.end;
      t.clock_in = sh.start;
      t.clock_out = sh.end;
      t.status = status;
      t.created_at = sh.start;
      OPENMSO_ASSIGN_OR_RETURN(id, storage::SqlTimekeepingRepository(s).Insert(t));
      return Ok();
    }).ok());
    return id;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  MsoId mso_;
  FacilityId facility_;
  UnitId unit_;
  std::vector<ClinicianId> clinicians_;
};

TEST_F(PayRunTest, DraftPaysExactlyTheApprovedTimesheetsThenFinalizesOnce) {
  // Ana: four 12-hour shifts in the week of Sunday 2026-01-04 (48 h: 8 h overtime) at $40.
  std::set<int64_t> approved;
  for (const char* day : {"05", "06", "07", "08"}) {
    std::string s = std::string("2026-01-") + day + "T13:00:00Z", e = std::string("2026-01-") + day + "T23:00:00Z";
    // 07:00-19:00 CST is 13:00-01:00Z: build the end on the next day.
    int next = std::stoi(day) + 1;
    e = "2026-01-" + std::string(next < 10 ? "0" : "") + std::to_string(next) + "T01:00:00Z";
    approved.insert(Worked(clinicians_[0], s.c_str(), e.c_str(), 4000).value);
  }
  // Not approved: never paid. Outside the period: not in this run.
  Worked(clinicians_[0], "2026-01-10T13:00:00Z", "2026-01-10T21:00:00Z", 4000, timekeeping::Status::kSubmitted);
  Worked(clinicians_[0], "2026-01-20T13:00:00Z", "2026-01-20T21:00:00Z", 4000);
  // Ben: 8 hours at $50.
  approved.insert(Worked(clinicians_[1], "2026-01-12T14:00:00Z", "2026-01-12T22:00:00Z", 5000).value);

  std::vector<std::string> phases;
  auto run = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-01-19T12:00:00Z"),
                          [&](std::string_view p, int64_t, int64_t) { phases.emplace_back(p); }, nullptr);
  ASSERT_TRUE(run.ok()) << run.error().message << " " << (run.error().fields.empty() ? "" : run.error().fields[0].field);
  EXPECT_EQ(run->status, "draft");
  EXPECT_EQ(run->statements, 2);
  EXPECT_EQ(run->timesheets, 5);
  EXPECT_NE(std::find(phases.begin(), phases.end(), "compute"), phases.end());
  // 48 h x $40 + 0.5 x $40 x 8 = $1,920 + $160; Ben 8 x $50 = $400.
  EXPECT_EQ(run->gross, Money::Cents(192000 + 16000 + 40000));

  std::set<int64_t> cited;
  auto statements = storage::ReadValue<std::vector<StatementRow>>(*db_, [&](storage::Session& s) -> Result<std::vector<StatementRow>> {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, ListStatements(s, run->id));
    std::vector<StatementRow> full;
    for (const auto& r : rows) {
      OPENMSO_ASSIGN_OR_RETURN(auto st, GetStatement(s, r.id));
      full.push_back(std::move(st));
    }
    return full;
  });
  ASSERT_TRUE(statements.ok());
  for (const auto& st : *statements) {
    EXPECT_EQ(st.regular_minutes + st.overtime_minutes + st.double_time_minutes, st.worked_minutes);
    Money sum;
    for (const auto& l : st.lines) {
      sum += l.amount;
      if (l.ref != 0) cited.insert(l.ref);
    }
    EXPECT_EQ(sum, st.net_due);
  }
  EXPECT_EQ(cited, approved);  // pay lines come from exactly the approved timesheets

  auto fin = FinalizePayRun(*db_, run->id, std::nullopt, T("2026-01-19T13:00:00Z"), nullptr);
  ASSERT_TRUE(fin.ok());
  EXPECT_EQ(fin->status, "finalized");
  auto again = FinalizePayRun(*db_, run->id, std::nullopt, T("2026-01-19T13:00:00Z"), nullptr);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "already-finalized");
  auto second = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "adjustment", std::nullopt, T("2026-01-19T14:00:00Z"), {}, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().type, "nothing-to-pay");

  // The register reads back; the contractor needs a bank account for the NACHA file.
  auto csv = storage::ReadValue<std::string>(*db_, [&](storage::Session& s) { return RegisterCsv(s, run->id, "all"); });
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("Ana Test"), std::string::npos);
  EXPECT_NE(csv->find("2480.00"), std::string::npos);  // the totals row: 2080 + 400
  auto missing = storage::ReadValue<std::string>(*db_, [&](storage::Session& s) { return ContractorNacha(s, run->id, T("2026-01-19T15:00:00Z")); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields.at(0).field, "clinicians." + std::to_string(clinicians_[1].value) + ".bank_account");
  ASSERT_TRUE(db_->Write([&](storage::Session& s) {
    ClinicianPay p;
    p.bank_routing = "011000015";
    p.bank_account = "000123456789";
    return PutClinicianPay(s, clinicians_[1], p, T("2026-01-19T15:00:00Z"));
  }).ok());
  auto nacha = storage::ReadValue<std::string>(*db_, [&](storage::Session& s) { return ContractorNacha(s, run->id, T("2026-01-19T15:00:00Z")); });
  ASSERT_TRUE(nacha.ok()) << nacha.error().message;
  auto parsed = formats::ParseNacha(*nacha);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->entries.size(), 1u);  // only the 1099 contractor
  EXPECT_EQ(parsed->entries[0].amount, Money::Cents(40000));
  EXPECT_EQ(parsed->total_credit, Money::Cents(40000));
}

// PAY-LAW-MIXED: a clinician who works in California and Illinois in one workweek is paid,
// each day under its state's law (it used to be a pay-run exception).
TEST_F(PayRunTest, WorkInTwoStatesUnderDifferentLawsIsPaidUnderEach) {
  FacilityId bay;
  UnitId bay_unit;
  ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
    storage::SqlOrgRepository org(s);
    Instant now = T("2026-01-01T00:00:00Z");
    org::FacilityDraft f{"Bayview", "nursing_home", {"2 Ocean Ave", "Los Angeles", "CA", "90001"},
                         {34.05, -118.24}, "America/Los_Angeles", Money::Cents(0), std::nullopt};
    OPENMSO_ASSIGN_OR_RETURN(bay, org.CreateFacility(mso_, f, now));
    OPENMSO_ASSIGN_OR_RETURN(bay_unit, org.CreateUnit(bay, "West", "skilled_nursing", now));
    return Ok();
  }).ok());
  // Monday 2026-01-05 07:00-19:00 PST in Los Angeles; Tuesday and Wednesday 07:00-19:00 CST in Chicago.
  Worked(clinicians_[0], "2026-01-05T15:00:00Z", "2026-01-06T03:00:00Z", 5000, timekeeping::Status::kApproved, bay,
         bay_unit, "America/Los_Angeles");
  Worked(clinicians_[0], "2026-01-06T13:00:00Z", "2026-01-07T01:00:00Z", 5000);
  Worked(clinicians_[0], "2026-01-07T13:00:00Z", "2026-01-08T01:00:00Z", 5000);
  auto run = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-01-19T12:00:00Z"), {}, nullptr);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->exceptions_json, "[]");
  EXPECT_EQ(run->statements, 1);
  // 36 h at $50, and only the California day's 4 h over 8 are overtime: $1,800 + $100.
  EXPECT_EQ(run->gross, Money::Cents(190000));
  auto rows = storage::ReadValue<std::vector<StatementRow>>(
      *db_, [&](storage::Session& s) -> Result<std::vector<StatementRow>> { return ListStatements(s, run->id); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].overtime_law, "flsa_weekly+california");
  EXPECT_EQ((*rows)[0].overtime_minutes, 240);
}

TEST_F(PayRunTest, AShiftAcrossThePeriodEdgeIsPaidOncePerSide) {
  // Saturday 2026-01-17 19:00 CST -> Sunday 07:00 CST: 5 h in the period of 01-04, 7 h in 01-18's.
  auto id = Worked(clinicians_[0], "2026-01-18T01:00:00Z", "2026-01-18T13:00:00Z", 4000);
  auto first = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-02-02T00:00:00Z"), {}, nullptr);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->gross, Money::Cents(5 * 4000));
  ASSERT_TRUE(FinalizePayRun(*db_, first->id, std::nullopt, T("2026-02-02T00:00:00Z"), nullptr).ok());
  auto second = CreatePayRun(*db_, mso_, Date{2026, 1, 18}, "regular", std::nullopt, T("2026-02-02T00:00:00Z"), {}, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->gross, Money::Cents(7 * 4000));
  ASSERT_TRUE(FinalizePayRun(*db_, second->id, std::nullopt, T("2026-02-02T00:00:00Z"), nullptr).ok());
  (void)id;
}

TEST_F(PayRunTest, TwoDraftsForTheSameMinutesCannotBothBeFinalized) {
  Worked(clinicians_[0], "2026-01-05T13:00:00Z", "2026-01-05T21:00:00Z", 4000);
  auto a = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-01-19T00:00:00Z"), {}, nullptr);
  auto b = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-01-19T00:00:00Z"), {}, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(FinalizePayRun(*db_, a->id, std::nullopt, T("2026-01-19T01:00:00Z"), nullptr).ok());
  auto late = FinalizePayRun(*db_, b->id, std::nullopt, T("2026-01-19T01:00:00Z"), nullptr);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().type, "already-paid");
  // Nothing of the refused finalization was written.
  auto still = storage::ReadValue<PayRunSummary>(*db_, [&](storage::Session& s) { return GetPayRun(s, b->id); });
  EXPECT_EQ(still->status, "draft");
}

TEST_F(PayRunTest, CancellationPayAndInstantPayAreSettledByTheRun) {  // MKT-CANCEL-PAY, PAY-INSTANT
  // Ben (1099) worked 8 h at $50 and asks for instant pay; Ana is owed $160 cancellation pay.
  auto ts = Worked(clinicians_[1], "2026-01-12T14:00:00Z", "2026-01-12T22:00:00Z", 5000);
  Worked(clinicians_[0], "2026-01-06T14:00:00Z", "2026-01-06T22:00:00Z", 4000);
  ASSERT_TRUE(db_->Write([&](storage::Session& s) -> Result<void> {
    static constexpr storage::Statement kOwed{"t.owed",
        "INSERT INTO cancellation_pay_owed (mso_id, clinician_id, shift_id, amount_cents, reason, created_at) "
        "SELECT ?, ?, MIN(id), 16000, 'cancelled inside 24 h', ? FROM shifts"};
    OPENMSO_TRY(s.Exec(kOwed, {mso_.value, clinicians_[0].value, ToUnixMillis(T("2026-01-10T00:00:00Z"))}));
    PaySettings p;
    p.instant_pay_fee = Money::Cents(299);
    OPENMSO_TRY(PutPaySettings(s, mso_, p, T("2026-01-10T00:00:00Z")));
    ClinicianPay bank;
    bank.bank_routing = "091000019";
    bank.bank_account = "88007766";
    bank.bank_account_type = "savings";
    return PutClinicianPay(s, clinicians_[1], bank, T("2026-01-10T00:00:00Z"));
  }).ok());
  auto employee = PayInstantly(*db_, ts, clinicians_[0], T("2026-01-13T12:00:00Z"), nullptr);
  EXPECT_EQ(employee.error().code, ErrorCode::kPermissionDenied);  // not Ana's timesheet
  auto ip = PayInstantly(*db_, ts, clinicians_[1], T("2026-01-13T12:00:00Z"), nullptr);
  ASSERT_TRUE(ip.ok()) << ip.error().message;
  EXPECT_EQ(ip->gross, Money::Cents(40000));
  EXPECT_EQ(ip->fee, Money::Cents(299));
  EXPECT_EQ(ip->paid, Money::Cents(39701));
  auto file = formats::ParseNacha(ip->nacha);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->entries.at(0).transaction_code, 32);
  EXPECT_EQ(file->entries.at(0).amount, Money::Cents(39701));
  EXPECT_EQ(file->batches.at(0).effective_date, "260113");  // same day
  EXPECT_EQ(PayInstantly(*db_, ts, clinicians_[1], T("2026-01-13T13:00:00Z"), nullptr).error().type, "already-advanced");

  auto run = CreatePayRun(*db_, mso_, Date{2026, 1, 4}, "regular", std::nullopt, T("2026-01-19T00:00:00Z"), {}, nullptr);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->gross, Money::Cents(40000 + 32000 + 16000));
  EXPECT_EQ(run->net_due, Money::Cents(32000 + 16000));  // Ben's 400.00 was paid in advance
  ASSERT_TRUE(FinalizePayRun(*db_, run->id, std::nullopt, T("2026-01-19T01:00:00Z"), nullptr).ok());
  auto settled = storage::ReadValue<int64_t>(*db_, [&](storage::Session& s) -> Result<int64_t> {
    static constexpr storage::Statement kQ{"t.settled",
        "SELECT (SELECT COUNT(*) FROM instant_payments WHERE settled_run_id IS NOT NULL) + "
        "(SELECT COUNT(*) FROM cancellation_pay_owed WHERE settled_run_id IS NOT NULL)"};
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kQ));
    return row->Int(0);
  });
  EXPECT_EQ(*settled, 2);
  // Nothing is paid again by the next period's run.
  auto next = CreatePayRun(*db_, mso_, Date{2026, 1, 18}, "regular", std::nullopt, T("2026-02-02T00:00:00Z"), {}, nullptr);
  EXPECT_EQ(next.error().type, "nothing-to-pay");
}

TEST_F(PayRunTest, BadPeriodAndSettingsNameTheirFields) {
  auto r = CreatePayRun(*db_, mso_, Date{2026, 1, 5}, "regular", std::nullopt, T("2026-01-19T00:00:00Z"), {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).field, "period_start");
  PaySettings p;
  p.frequency = "monthly";
  p.odfi_routing = "021000022";  // bad check digit
  p.period_anchor = Date{2026, 1, 5};  // a Monday; the workweek starts Sunday
  auto v = ValidateSettings(p);
  ASSERT_FALSE(v.ok());
  std::set<std::string> fields;
  for (const auto& f : v.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"frequency", "period_anchor", "odfi_routing"}));
  ClinicianPay bad;
  bad.bank_routing = "021000022";
  bad.bank_account = "12";
  bad.overtime_law = payroll::OvertimeLaw::kFlsa880;
  auto c = ValidateClinicianPay(bad);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().fields.size(), 3u);
}

}  // namespace
}  // namespace openmso::finance
