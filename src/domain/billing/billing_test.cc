// Tests of the facility-billing rules (BILL-*): hand-computed invoices to the cent, the
// lifecycle (finalize, credit memo, payments), document numbers, A/R aging, validation of
// every field, and seeded property tests of the invoice computation.
#include "domain/billing/billing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

namespace openmso::billing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kZone = "America/Chicago";

Date D(const char* s) { return *Date::Parse(s); }
Instant At(const char* local, const char* zone = kZone) { return ToInstant(*LocalDateTime::Parse(local), zone).value(); }
Money C(int64_t cents) { return Money::Cents(cents); }

ServiceAgreement Agreement() {
  ServiceAgreement a;
  a.id = ServiceAgreementId(1);
  a.facility_id = FacilityId(7);
  a.effective_from = D("2026-01-01");
  a.rate_card = {{"RN", C(7800)}, {"LPN", C(5525)}, {"CNA", C(3001)}};
  a.overtime_multiplier_bp = 15'000;
  a.holiday_multiplier_bp = 20'000;
  a.payment_terms_days = 30;
  return a;
}

FacilityBilling Facility() { return {FacilityId(7), kZone, Weekday::kSunday}; }

BillableShift Shift(int64_t ts, int64_t clinician, const char* discipline, const char* start, const char* end,
                    int64_t break_minutes = 0) {
  BillableShift s;
  s.timesheet_id = TimesheetId(ts);
  s.shift_id = ShiftId(ts + 10'000);
  s.clinician_id = ClinicianId(clinician);
  s.discipline = discipline;
  s.start = At(start);
  s.end = At(end);
  s.time_zone = kZone;
  s.unpaid_break_minutes = break_minutes;
  return s;
}

InvoiceInput Input(const char* from, const char* to, std::vector<BillableShift> shifts,
                   std::vector<ServiceAgreement> agreements = {Agreement()}) {
  InvoiceInput in;
  in.facility = Facility();
  in.agreements = std::move(agreements);
  in.period_from = D(from);
  in.period_to = D(to);
  in.issue_date = in.period_to;
  in.shifts = std::move(shifts);
  return in;
}

InvoiceDraft MustCompute(const InvoiceInput& in) {
  auto r = ComputeInvoice(in);
  if (!r.ok()) {
    std::string why;
    for (const auto& f : r.error().fields) why += f.field + ":" + f.code + " ";
    ADD_FAILURE() << "ComputeInvoice failed: " << r.error().message << " " << why;
    return {};
  }
  EXPECT_TRUE(CheckTotals(r->invoice).ok());
  return std::move(r).value();
}

// The labor lines of one timesheet as kind -> {minutes, rate, amount}.
struct Labor {
  int64_t minutes;
  int64_t rate;
  int64_t amount;
  std::string_view rule;
  bool operator==(const Labor&) const = default;
};
std::map<LineKind, Labor> LinesOf(const Invoice& inv, int64_t ts) {
  std::map<LineKind, Labor> out;
  for (const auto& l : inv.lines)
    if (IsLabor(l.kind) && l.timesheet_id == TimesheetId(ts))
      out[l.kind] = {l.minutes, l.rate.cents(), l.amount.cents(), l.rule_id};
  return out;
}

bool HasField(const Error& e, const std::string& field, const std::string& code) {
  return std::any_of(e.fields.begin(), e.fields.end(),
                     [&](const FieldError& f) { return f.field == field && f.code == code; });
}

std::string Fields(const Error& e) {
  std::string s;
  for (const auto& f : e.fields) s += f.field + ":" + f.code + " ";
  return s;
}

// ---- Hand-computed invoices ---------------------------------------------------------------------

// BILL-RATE-CARD, BILL-RATE-OVERRIDE, BILL-LINE-ROUND: regular hours only.
std::vector<BillableShift> FourRegularShifts() {
  std::vector<BillableShift> s = {
      Shift(101, 1, "RN", "2026-02-02T07:00", "2026-02-02T19:30", 30),   // 720 min x $78.00 = 93600
      Shift(102, 2, "LPN", "2026-02-03T07:00", "2026-02-03T15:45", 30),  // 495 min x $55.25 = 45581.25 -> 45581
      Shift(103, 3, "CNA", "2026-02-04T10:00", "2026-02-04T10:30"),      // 30 min x $30.01 = 1500.5 -> 1501 (half-up)
      Shift(104, 4, "RN", "2026-02-05T07:00", "2026-02-05T11:00"),       // 240 min x $90.00 override = 36000
  };
  s[3].bill_rate_override = C(9000);
  return s;
}

TEST(Invoice, RegularHoursOnlyToTheCent) {
  auto d = MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts()));
  const Invoice& inv = d.invoice;
  ASSERT_EQ(inv.lines.size(), 4u);
  EXPECT_EQ(LinesOf(inv, 101).at(LineKind::kRegular), (Labor{720, 7800, 93600, kRuleRateCard}));
  EXPECT_EQ(LinesOf(inv, 102).at(LineKind::kRegular), (Labor{495, 5525, 45581, kRuleRateCard}));
  EXPECT_EQ(LinesOf(inv, 103).at(LineKind::kRegular), (Labor{30, 3001, 1501, kRuleRateCard}));
  EXPECT_EQ(LinesOf(inv, 104).at(LineKind::kRegular), (Labor{240, 9000, 36000, kRuleRateOverride}));
  EXPECT_EQ(inv.labor_minutes, 720 + 495 + 30 + 240);
  EXPECT_EQ(inv.labor_subtotal, C(176682));
  EXPECT_EQ(inv.fee_total, C(0));
  EXPECT_EQ(inv.total, C(176682));
  EXPECT_EQ(inv.status, InvoiceStatus::kDraft);
  EXPECT_EQ(inv.payment_terms_days, 30);
  EXPECT_EQ(inv.due_date, D("2026-03-17"));  // issued 2026-02-15, net 30
  for (size_t i = 0; i < inv.lines.size(); ++i) EXPECT_EQ(inv.lines[i].line_no, static_cast<int>(i) + 1);
  EXPECT_EQ(inv.lines[0].timesheet_id, TimesheetId(101));  // by shift start
  EXPECT_EQ(inv.lines[0].shift_id, ShiftId(10'101));
}

// BILL-OT-WEEKLY: over 40 h per clinician in the facility's Sunday-00:00 workweek; a night
// shift across the week boundary is split there (payroll-rules.md §6.1).
TEST(Invoice, WeeklyOvertimeAtOneFacility) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(7000)}};
  a.overtime.kind = OvertimeKind::kWeekly;
  std::vector<BillableShift> s = {
      // Clinician 1: four 12-hour days Sunday 2/1 to Wednesday 2/4 = 48 h -> 8 h overtime.
      Shift(201, 1, "RN", "2026-02-01T07:00", "2026-02-01T19:00"),
      Shift(202, 1, "RN", "2026-02-02T07:00", "2026-02-02T19:00"),
      Shift(203, 1, "RN", "2026-02-03T07:00", "2026-02-03T19:00"),
      Shift(204, 1, "RN", "2026-02-04T07:00", "2026-02-04T19:00"),
      // Clinician 2: 36 h Tue-Thu, then Saturday 19:00 -> Sunday 07:00: 5 h in week one
      // (4 regular, 1 overtime) and 7 h in week two (regular).
      Shift(205, 2, "RN", "2026-02-03T07:00", "2026-02-03T19:00"),
      Shift(206, 2, "RN", "2026-02-04T07:00", "2026-02-04T19:00"),
      Shift(207, 2, "RN", "2026-02-05T07:00", "2026-02-05T19:00"),
      Shift(208, 2, "RN", "2026-02-07T19:00", "2026-02-08T07:00"),
  };
  auto d = MustCompute(Input("2026-02-01", "2026-02-15", s, {a}));
  const Invoice& inv = d.invoice;
  for (int ts : {201, 202, 203, 205, 206, 207}) {
    auto l = LinesOf(inv, ts);
    ASSERT_EQ(l.size(), 1u) << ts;
    EXPECT_EQ(l.at(LineKind::kRegular), (Labor{720, 7000, 84000, kRuleRateCard})) << ts;
  }
  auto l204 = LinesOf(inv, 204);
  EXPECT_EQ(l204.at(LineKind::kRegular), (Labor{240, 7000, 28000, kRuleRateCard}));
  EXPECT_EQ(l204.at(LineKind::kOvertime), (Labor{480, 10500, 84000, kRuleOtWeekly}));
  auto l208 = LinesOf(inv, 208);
  EXPECT_EQ(l208.at(LineKind::kRegular), (Labor{660, 7000, 77000, kRuleRateCard}));
  EXPECT_EQ(l208.at(LineKind::kOvertime), (Labor{60, 10500, 10500, kRuleOtWeekly}));
  EXPECT_EQ(inv.labor_subtotal, C(3 * 84000 + 28000 + 84000 + 3 * 84000 + 77000 + 10500));
  EXPECT_EQ(inv.total, C(703500));
  // Nothing reaches past 2026-02-15 (a week start), so nothing carries forward.
  EXPECT_TRUE(d.carry_forward.week_minutes.empty());
  EXPECT_TRUE(d.carry_forward.day_minutes.empty());
}

// BILL-OT-CARRY: a period ending mid-week hands its week minutes to the next invoice.
TEST(Invoice, WeeklyOvertimeContinuesIntoTheNextPeriod) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(7000)}};
  a.overtime.kind = OvertimeKind::kWeekly;
  auto first = MustCompute(Input("2026-02-01", "2026-02-05",
                                 {Shift(1, 1, "RN", "2026-02-01T07:00", "2026-02-01T19:00"),
                                  Shift(2, 1, "RN", "2026-02-02T07:00", "2026-02-02T19:00"),
                                  Shift(3, 1, "RN", "2026-02-03T07:00", "2026-02-03T19:00")},
                                 {a}));
  ASSERT_EQ(first.carry_forward.week_minutes.size(), 1u);
  EXPECT_EQ(first.carry_forward.week_minutes[0], (PriorMinutes{ClinicianId(1), D("2026-02-01"), 2160}));
  // An invoice in between without a shift of clinician 1 passes the week on unchanged.
  InvoiceInput between = Input("2026-02-05", "2026-02-06", {Shift(9, 2, "RN", "2026-02-05T07:00", "2026-02-05T08:00")}, {a});
  between.prior = first.carry_forward;
  auto middle = MustCompute(between);
  EXPECT_EQ(middle.carry_forward.week_minutes,
            (std::vector<PriorMinutes>{{ClinicianId(1), D("2026-02-01"), 2160}, {ClinicianId(2), D("2026-02-01"), 60}}));
  InvoiceInput next = Input("2026-02-06", "2026-02-12", {Shift(4, 1, "RN", "2026-02-06T07:00", "2026-02-06T19:00")}, {a});
  next.prior = middle.carry_forward;
  auto second = MustCompute(next);
  auto l = LinesOf(second.invoice, 4);
  EXPECT_EQ(l.at(LineKind::kRegular).minutes, 240);
  EXPECT_EQ(l.at(LineKind::kOvertime).minutes, 480);
  EXPECT_EQ(second.invoice.total, C(28000 + 84000));
  // Without the prior state the same shift is all regular.
  next.prior = {};
  EXPECT_EQ(LinesOf(MustCompute(next).invoice, 4).size(), 1u);
}

// BILL-OT-DAILY: over 8 h (or 12 h) in a local calendar day, summed over the day's shifts.
TEST(Invoice, DailyOvertimeOverEightAndTwelveHours) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(6000)}};
  a.overtime = {OvertimeKind::kDaily, 8};
  std::vector<BillableShift> s = {
      Shift(1, 1, "RN", "2026-02-02T06:00", "2026-02-02T12:00"),  // 6 h
      Shift(2, 1, "RN", "2026-02-02T14:00", "2026-02-02T18:00"),  // 4 h: 2 regular, 2 overtime
      Shift(3, 2, "RN", "2026-02-02T07:00", "2026-02-02T20:00"),  // 13 h: 8 + 5
  };
  auto eight = MustCompute(Input("2026-02-01", "2026-02-08", s, {a})).invoice;
  EXPECT_EQ(LinesOf(eight, 1).at(LineKind::kRegular).minutes, 360);
  EXPECT_EQ(LinesOf(eight, 2).at(LineKind::kRegular).minutes, 120);
  EXPECT_EQ(LinesOf(eight, 2).at(LineKind::kOvertime), (Labor{120, 9000, 18000, kRuleOtDaily}));
  EXPECT_EQ(LinesOf(eight, 3).at(LineKind::kOvertime), (Labor{300, 9000, 45000, kRuleOtDaily}));
  a.overtime.daily_threshold_hours = 12;
  auto twelve = MustCompute(Input("2026-02-01", "2026-02-08", s, {a})).invoice;
  EXPECT_EQ(LinesOf(twelve, 2).size(), 1u);
  EXPECT_EQ(LinesOf(twelve, 3).at(LineKind::kRegular).minutes, 720);
  EXPECT_EQ(LinesOf(twelve, 3).at(LineKind::kOvertime), (Labor{60, 9000, 9000, kRuleOtDaily}));
}

// BILL-HOLIDAY: only the minutes on the holiday's local date; BILL-BREAK: the break sits in
// the middle of the shift unless its interval is given.
TEST(Invoice, HolidayAcrossMidnight) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(8000)}};
  a.holidays = {D("2026-12-25")};
  // 19:00 -> 07:30 is 750 min; a 30-minute break starts (750 - 30) / 2 = 360 min in: 01:00.
  // Dec 24: 19:00-24:00 = 300 regular. Dec 25: 420 holiday at 2x ($160.00).
  auto centred = MustCompute(Input("2026-12-20", "2026-12-27", {Shift(1, 1, "RN", "2026-12-24T19:00", "2026-12-25T07:30", 30)}, {a}));
  auto l = LinesOf(centred.invoice, 1);
  EXPECT_EQ(l.at(LineKind::kRegular), (Labor{300, 8000, 40000, kRuleRateCard}));
  EXPECT_EQ(l.at(LineKind::kHoliday), (Labor{420, 16000, 112000, kRuleHoliday}));
  EXPECT_EQ(centred.invoice.total, C(152000));
  // The break taken 23:00-23:30 on Christmas Eve: 270 regular, 450 holiday.
  BillableShift s = Shift(1, 1, "RN", "2026-12-24T19:00", "2026-12-25T07:30", 30);
  s.breaks = {{At("2026-12-24T23:00"), At("2026-12-24T23:30")}};
  auto exact = MustCompute(Input("2026-12-20", "2026-12-27", {s}, {a}));
  auto m = LinesOf(exact.invoice, 1);
  EXPECT_EQ(m.at(LineKind::kRegular), (Labor{270, 8000, 36000, kRuleRateCard}));
  EXPECT_EQ(m.at(LineKind::kHoliday), (Labor{450, 16000, 120000, kRuleHoliday}));
  // 19:00 -> 05:00 is 600 min; a 60-minute break starts 270 min in, 23:30-00:30, across
  // midnight: Dec 24 19:00-23:30 = 270 regular, Dec 25 00:30-05:00 = 270 holiday.
  auto across = MustCompute(Input("2026-12-20", "2026-12-27", {Shift(2, 1, "RN", "2026-12-24T19:00", "2026-12-25T05:00", 60)}, {a}));
  EXPECT_EQ(LinesOf(across.invoice, 2).at(LineKind::kRegular).minutes, 270);
  EXPECT_EQ(LinesOf(across.invoice, 2).at(LineKind::kHoliday).minutes, 270);
}

// BILL-NO-PYRAMID: a minute that is both overtime and holiday is billed once, at the higher
// multiplier.
TEST(Invoice, OvertimeOnAHolidayIsBilledOnceAtTheHigherMultiplier) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(6000)}};
  a.overtime = {OvertimeKind::kDaily, 8};
  a.holidays = {D("2026-07-04")};
  std::vector<BillableShift> s = {Shift(1, 1, "RN", "2026-07-04T07:00", "2026-07-04T19:00")};  // 12 h: 8 + 4 OT
  a.overtime_multiplier_bp = 15'000;
  a.holiday_multiplier_bp = 20'000;  // holiday wins: all 720 holiday
  auto h = LinesOf(MustCompute(Input("2026-07-01", "2026-07-08", s, {a})).invoice, 1);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.at(LineKind::kHoliday), (Labor{720, 12000, 144000, kRuleHoliday}));
  a.holiday_multiplier_bp = 15'000;  // a tie: holiday
  auto tie = LinesOf(MustCompute(Input("2026-07-01", "2026-07-08", s, {a})).invoice, 1);
  ASSERT_EQ(tie.size(), 1u);
  EXPECT_EQ(tie.at(LineKind::kHoliday).minutes, 720);
  a.holiday_multiplier_bp = 12'500;  // overtime wins for the hours past 8
  auto o = LinesOf(MustCompute(Input("2026-07-01", "2026-07-08", s, {a})).invoice, 1);
  EXPECT_EQ(o.at(LineKind::kHoliday), (Labor{480, 7500, 60000, kRuleHoliday}));
  EXPECT_EQ(o.at(LineKind::kOvertime), (Labor{240, 9000, 36000, kRuleOtDaily}));
}

// BILL-MINUTES: instants, not wall clocks: 13 h over the autumn change, 11 h in spring.
TEST(Invoice, NightShiftAcrossDstFallBackIsBilled13Hours) {
  ServiceAgreement a = Agreement();
  a.rate_card = {{"RN", C(7500)}};
  BillableShift fall = Shift(1, 1, "RN", "2026-10-31T19:00", "2026-11-01T07:00");
  EXPECT_EQ(WorkedMinutes(fall), 780);
  auto f = MustCompute(Input("2026-10-25", "2026-11-08", {fall}, {a}));
  EXPECT_EQ(LinesOf(f.invoice, 1).at(LineKind::kRegular), (Labor{780, 7500, 97500, kRuleRateCard}));
  BillableShift spring = Shift(2, 1, "RN", "2026-03-07T19:00", "2026-03-08T07:00");
  EXPECT_EQ(WorkedMinutes(spring), 660);
  auto s = MustCompute(Input("2026-03-01", "2026-03-15", {spring}, {a}));
  EXPECT_EQ(s.invoice.total, C(82500));
}

// BILL-FEE-PERCENT + BILL-FEE-PER-SHIFT + BILL-FEE-FLAT-MONTHLY on the four regular shifts.
ServiceAgreement WithAllFees() {
  ServiceAgreement a = Agreement();
  a.fee.percent_bp = 1250;             // 12.5 % of 176682 = 22085.25 -> 22085
  a.fee.per_shift = C(2500);           // 4 shifts -> 10000
  a.fee.flat_monthly = C(150000);      // February, the month the period ends in
  return a;
}

TEST(Invoice, AllThreeFeesCombined) {
  auto d = MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts(), {WithAllFees()}));
  const Invoice& inv = d.invoice;
  ASSERT_EQ(inv.lines.size(), 7u);
  const InvoiceLine &pct = inv.lines[4], &per = inv.lines[5], &flat = inv.lines[6];
  EXPECT_EQ(pct.kind, LineKind::kFeePercent);
  EXPECT_EQ(pct.rule_id, kRuleFeePercent);
  EXPECT_EQ(pct.basis, C(176682));
  EXPECT_EQ(pct.amount, C(22085));
  EXPECT_EQ(per.rule_id, kRuleFeePerShift);
  EXPECT_EQ(per.quantity, 4);
  EXPECT_EQ(per.amount, C(10000));
  EXPECT_EQ(flat.rule_id, kRuleFeeFlatMonthly);
  EXPECT_EQ(flat.month, (YearMonth{2026, 2}));
  EXPECT_EQ(flat.amount, C(150000));
  EXPECT_EQ(inv.labor_subtotal, C(176682));
  EXPECT_EQ(inv.fee_total, C(182085));
  EXPECT_EQ(inv.total, C(358767));
  EXPECT_EQ(d.carry_forward.flat_fee_months, (std::vector<YearMonth>{YearMonth{2026, 2}}));
  // The second February invoice does not charge the month again.
  InvoiceInput again = Input("2026-02-15", "2026-03-01", {Shift(105, 5, "RN", "2026-02-16T07:00", "2026-02-16T09:00")},
                             {WithAllFees()});
  again.prior = d.carry_forward;
  auto second = MustCompute(again).invoice;
  EXPECT_EQ(second.total, C(15600 + 1950 + 2500));  // 2 h x $78 + 12.5 % + one shift
  // A period ending in March charges March.
  again.period_to = D("2026-03-02");
  auto march = MustCompute(again);
  EXPECT_EQ(march.invoice.total, C(15600 + 1950 + 2500 + 150000));
  EXPECT_EQ(march.carry_forward.flat_fee_months, (std::vector<YearMonth>{YearMonth{2026, 3}}));
}

// BILL-AGREEMENT-IN-FORCE: each shift is billed by the agreement of its local start date.
TEST(Invoice, AgreementInForceOnTheShiftStartDate) {
  ServiceAgreement old = Agreement(), renewed = Agreement();
  old.effective_to = D("2026-02-09");
  renewed.id = ServiceAgreementId(2);
  renewed.effective_from = D("2026-02-10");
  renewed.rate_card = {{"RN", C(8400)}};
  renewed.payment_terms_days = 45;
  // Starts on the 9th under the old card, even though it ends on the 10th.
  auto d = MustCompute(Input("2026-02-01", "2026-02-15",
                             {Shift(1, 1, "RN", "2026-02-09T19:00", "2026-02-10T07:00"),
                              Shift(2, 1, "RN", "2026-02-10T19:00", "2026-02-11T07:00")},
                             {renewed, old}));
  EXPECT_EQ(LinesOf(d.invoice, 1).at(LineKind::kRegular).rate, 7800);
  EXPECT_EQ(LinesOf(d.invoice, 2).at(LineKind::kRegular).rate, 8400);
  EXPECT_EQ(d.invoice.payment_terms_days, 45);  // the agreement in force on the last day
  EXPECT_EQ(d.invoice.lines[0].agreement_id, ServiceAgreementId(1));
}

// ---- Lifecycle ------------------------------------------------------------------------------------

InvoiceAccount FinalizedFeeInvoice() {
  auto d = MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts(), {WithAllFees()}));
  auto inv = Finalize(d.invoice, DocumentNumber{DocumentSeries::kInvoice, 2026, 1}, D("2026-02-16"));
  EXPECT_TRUE(inv.ok());
  return InvoiceAccount{inv.value(), {}, {}};
}

TEST(Lifecycle, FinalizeOnceThenImmutable) {  // BILL-LIFECYCLE, BILL-FINALIZED-IMMUTABLE
  InvoiceAccount a = FinalizedFeeInvoice();
  EXPECT_EQ(a.invoice.status, InvoiceStatus::kFinalized);
  EXPECT_EQ(a.invoice.number, "INV-2026-000001");
  EXPECT_EQ(a.invoice.due_date, D("2026-03-18"));
  EXPECT_EQ(StatusOf(a), InvoiceStatus::kFinalized);
  auto again = Finalize(a.invoice, DocumentNumber{DocumentSeries::kInvoice, 2026, 2}, D("2026-02-17"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().type, "invoice-finalized");
  EXPECT_FALSE(CheckEditable(a.invoice).ok());
  // A draft that does not add up is not finalized.
  auto d = MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts()));
  EXPECT_TRUE(CheckEditable(d.invoice).ok());
  d.invoice.lines[0].amount += C(1);
  auto bad = Finalize(d.invoice, DocumentNumber{DocumentSeries::kInvoice, 2026, 3}, D("2026-02-16"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  auto wrong_year = Finalize(MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts())).invoice,
                             DocumentNumber{DocumentSeries::kInvoice, 2025, 3}, D("2026-02-16"));
  ASSERT_FALSE(wrong_year.ok());
  EXPECT_TRUE(HasField(wrong_year.error(), "number", "year_mismatch"));
}

// BILL-CREDIT-MEMO, BILL-CREDIT-FEE-PERCENT, BILL-PAYMENT, BILL-OVERPAYMENT, BILL-BALANCE.
TEST(Lifecycle, CreditMemoAndPartialPayment) {
  InvoiceAccount a = FinalizedFeeInvoice();  // total 358767
  const Money total = a.invoice.total;
  // Dispute 60 minutes of line 1 (RN, $78.00) and all of line 3 (CNA, 1501).
  Dispute dispute{{{1, 60, std::nullopt}, {3, std::nullopt, std::nullopt}}, "Clinician left early; CNA shift cancelled",
                  D("2026-02-20")};
  auto memo = CreateCreditMemo(a, dispute, DocumentNumber{DocumentSeries::kCreditMemo, 2026, 1});
  ASSERT_TRUE(memo.ok()) << Fields(memo.error());
  ASSERT_EQ(memo->lines.size(), 3u);
  EXPECT_EQ(memo->number, "CM-2026-000001");
  EXPECT_EQ(memo->invoice_number, "INV-2026-000001");
  EXPECT_EQ(memo->lines[0].credited_line_no, 1);
  EXPECT_EQ(memo->lines[0].minutes, -60);
  EXPECT_EQ(memo->lines[0].amount, C(-7800));
  EXPECT_EQ(memo->lines[0].timesheet_id, TimesheetId(101));
  EXPECT_EQ(memo->lines[1].credited_line_no, 3);
  EXPECT_EQ(memo->lines[1].amount, C(-1501));
  // The percent fee follows: 12.5 % of (176682 - 9301) = 20922.625 -> 20923 left; 22085 - 20923.
  EXPECT_EQ(memo->lines[2].credited_line_no, 5);
  EXPECT_EQ(memo->lines[2].kind, LineKind::kFeePercent);
  EXPECT_EQ(memo->lines[2].amount, C(-1162));
  EXPECT_EQ(memo->total, C(-10463));
  a.credit_memos.push_back(*memo);
  EXPECT_EQ(Balance(a), total - C(10463));
  EXPECT_EQ(StatusOf(a), InvoiceStatus::kFinalized);  // credited, nothing paid yet
  EXPECT_EQ(a.invoice.total, total);                   // never edited

  auto pay = ApplyPayment(a, {D("2026-03-01"), C(200000), "ACH 0042", false});
  ASSERT_TRUE(pay.ok());
  EXPECT_EQ(pay->applied.amount, C(200000));
  EXPECT_EQ(pay->unapplied, C(0));
  a.payments.push_back(pay->applied);
  EXPECT_EQ(Balance(a), C(358767 - 10463 - 200000));  // 148304
  EXPECT_EQ(StatusOf(a), InvoiceStatus::kPartiallyPaid);

  // More than the balance: refused unless recorded explicitly as a credit to the facility.
  auto over = ApplyPayment(a, {D("2026-03-05"), C(150000), "CHK 77", false});
  ASSERT_FALSE(over.ok());
  EXPECT_TRUE(HasField(over.error(), "amount_cents", "exceeds_balance"));
  auto credit = ApplyPayment(a, {D("2026-03-05"), C(150000), "CHK 77", true});
  ASSERT_TRUE(credit.ok());
  EXPECT_EQ(credit->applied.amount, C(148304));
  EXPECT_EQ(credit->unapplied, C(1696));
  a.payments.push_back(credit->applied);
  EXPECT_EQ(Balance(a), C(0));
  EXPECT_EQ(StatusOf(a), InvoiceStatus::kPaid);
  auto settled = ApplyPayment(a, {D("2026-03-06"), C(1), "x", true});
  ASSERT_FALSE(settled.ok());
  EXPECT_EQ(settled.error().type, "invoice-settled");

  // The rest of line 1 (660 minutes) credits exactly its remaining 85800, and the fee left
  // becomes 12.5 % of 81581 = 10197.625 -> 10198: credit 20923 - 10198 = 10725. The invoice
  // was paid, so the balance turns into a credit owed to the facility.
  auto rest = CreateCreditMemo(a, {{{1, std::nullopt, std::nullopt}}, "rest of the shift disputed", D("2026-03-10")},
                               DocumentNumber{DocumentSeries::kCreditMemo, 2026, 2});
  ASSERT_TRUE(rest.ok()) << Fields(rest.error());
  ASSERT_EQ(rest->lines.size(), 2u);
  EXPECT_EQ(rest->lines[0].minutes, -660);
  EXPECT_EQ(rest->lines[0].amount, C(-85800));
  EXPECT_EQ(rest->lines[1].amount, C(-10725));
  a.credit_memos.push_back(*rest);
  EXPECT_EQ(Balance(a), C(-96525));
  EXPECT_EQ(StatusOf(a), InvoiceStatus::kPaid);
}

TEST(Lifecycle, BadDisputesAndPayments) {
  InvoiceAccount a = FinalizedFeeInvoice();
  const DocumentNumber cm{DocumentSeries::kCreditMemo, 2026, 1};
  struct Row {
    const char* name;
    Dispute dispute;
    const char* field;
    const char* code;
  } rows[] = {
      {"unknown line", {{{99, std::nullopt, std::nullopt}}, "r", {}}, "items[0].line_no", "unknown_line"},
      {"same line twice", {{{1, 10, std::nullopt}, {1, 10, std::nullopt}}, "r", {}}, "items[1].line_no", "duplicate"},
      {"minutes on a fee", {{{6, 10, std::nullopt}}, "r", {}}, "items[0].minutes", "not_labor_line"},
      {"too many minutes", {{{1, 721, std::nullopt}}, "r", {}}, "items[0].minutes", "out_of_range"},
      {"zero minutes", {{{1, 0, std::nullopt}}, "r", {}}, "items[0].minutes", "out_of_range"},
      {"amount over line", {{{3, std::nullopt, C(1502)}}, "r", {}}, "items[0].amount_cents", "out_of_range"},
      {"negative amount", {{{3, std::nullopt, C(-1)}}, "r", {}}, "items[0].amount_cents", "out_of_range"},
      {"both", {{{1, 10, C(10)}}, "r", {}}, "items[0]", "minutes_and_amount"},
      {"no reason", {{{1, 10, std::nullopt}}, "", {}}, "reason", "required"},
      {"no items", {{}, "r", {}}, "items", "required"},
  };
  for (const auto& row : rows) {
    auto r = CreateCreditMemo(a, row.dispute, cm);
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_TRUE(HasField(r.error(), row.field, row.code)) << row.name << ": " << Fields(r.error());
  }
  auto wrong_series = CreateCreditMemo(a, {{{1, 10, std::nullopt}}, "r", {}}, DocumentNumber{DocumentSeries::kInvoice, 2026, 9});
  ASSERT_FALSE(wrong_series.ok());
  EXPECT_TRUE(HasField(wrong_series.error(), "number", "wrong_series"));
  // A line credited in full cannot be credited again.
  auto full = CreateCreditMemo(a, {{{3, std::nullopt, std::nullopt}}, "r", {}}, cm);
  ASSERT_TRUE(full.ok());
  a.credit_memos.push_back(*full);
  auto twice = CreateCreditMemo(a, {{{3, std::nullopt, std::nullopt}}, "r", {}}, cm);
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(HasField(twice.error(), "items[0].line_no", "already_credited"));
  // Payments.
  auto zero = ApplyPayment(a, {D("2026-03-01"), C(0), "", false});
  ASSERT_FALSE(zero.ok());
  EXPECT_TRUE(HasField(zero.error(), "amount_cents", "not_positive"));
  // A draft takes neither.
  InvoiceAccount draft{MustCompute(Input("2026-02-01", "2026-02-15", FourRegularShifts())).invoice, {}, {}};
  EXPECT_EQ(StatusOf(draft), InvoiceStatus::kDraft);
  auto p = ApplyPayment(draft, {D("2026-03-01"), C(100), "", false});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().type, "invoice-not-finalized");
  auto m = CreateCreditMemo(draft, {{{1, 10, std::nullopt}}, "r", {}}, cm);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kConflict);
}

// ---- Numbers (BILL-NUMBER) ----------------------------------------------------------------------------

TEST(Numbers, FormatParseAndNext) {
  EXPECT_EQ(FormatDocumentNumber({DocumentSeries::kInvoice, 2026, 123}), "INV-2026-000123");
  EXPECT_EQ(FormatDocumentNumber({DocumentSeries::kCreditMemo, 2026, 7}), "CM-2026-000007");
  EXPECT_EQ(FormatDocumentNumber({DocumentSeries::kInvoice, 2026, 1234567}), "INV-2026-1234567");
  for (DocumentNumber n : {DocumentNumber{DocumentSeries::kInvoice, 2026, 123}, DocumentNumber{DocumentSeries::kCreditMemo, 2031, 999'999},
                           DocumentNumber{DocumentSeries::kInvoice, 2026, 1'000'000}, DocumentNumber{DocumentSeries::kInvoice, 2099, 999'999'999}}) {
    auto back = ParseDocumentNumber(FormatDocumentNumber(n));
    ASSERT_TRUE(back.ok()) << FormatDocumentNumber(n);
    EXPECT_EQ(*back, n);
  }
  for (const char* bad : {"INV-2026-00123", "INV-2026-0001234", "INV-26-000123", "XX-2026-000001", "INV-2026-000000",
                          "INV-2026-000123x", "inv-2026-000123", "INV-1999-000001", "INV-2026-", "", "INV-2026-1000000000",
                          "INV-2026+000123", "INV-2026-00012a"}) {
    auto r = ParseDocumentNumber(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(HasField(r.error(), "number", "malformed")) << bad;
  }
  EXPECT_EQ(NextDocumentNumber(DocumentSeries::kInvoice, 2026, std::nullopt).value(), (DocumentNumber{DocumentSeries::kInvoice, 2026, 1}));
  EXPECT_EQ(NextDocumentNumber(DocumentSeries::kInvoice, 2026, DocumentNumber{DocumentSeries::kInvoice, 2026, 122}).value().sequence, 123);
  EXPECT_EQ(NextDocumentNumber(DocumentSeries::kInvoice, 2027, DocumentNumber{DocumentSeries::kInvoice, 2026, 122}).value(),
            (DocumentNumber{DocumentSeries::kInvoice, 2027, 1}));
  EXPECT_FALSE(NextDocumentNumber(DocumentSeries::kInvoice, 2025, DocumentNumber{DocumentSeries::kInvoice, 2026, 5}).ok());
  EXPECT_FALSE(NextDocumentNumber(DocumentSeries::kInvoice, 2026, DocumentNumber{DocumentSeries::kInvoice, 2026, 999'999'999}).ok());
}

// ---- A/R aging (BILL-AGING) -----------------------------------------------------------------------------

TEST(Aging, BucketsOnTheirBoundaries) {
  const Date as_of = D("2026-06-30");
  auto due = [&](int days_past_due) { return Date::FromDaysSinceEpoch(as_of.DaysSinceEpoch() - days_past_due); };
  struct Row {
    int days;
    AgingBucket bucket;
  } rows[] = {{-10, AgingBucket::kCurrent}, {0, AgingBucket::kCurrent},  {1, AgingBucket::kCurrent},
              {30, AgingBucket::kCurrent},  {31, AgingBucket::k31To60}, {60, AgingBucket::k31To60},
              {61, AgingBucket::k61To90},   {90, AgingBucket::k61To90}, {91, AgingBucket::kOver90},
              {400, AgingBucket::kOver90}};
  for (const auto& row : rows) {
    EXPECT_EQ(DaysPastDue(due(row.days), as_of), row.days);
    EXPECT_EQ(BucketOf(due(row.days), as_of), row.bucket) << row.days;
  }
  std::vector<AgingItem> items = {
      {InvoiceId(1), FacilityId(1), due(30), C(1000)},  {InvoiceId(2), FacilityId(1), due(31), C(2000)},
      {InvoiceId(3), FacilityId(1), due(60), C(4000)},  {InvoiceId(4), FacilityId(1), due(61), C(8000)},
      {InvoiceId(5), FacilityId(1), due(90), C(16000)}, {InvoiceId(6), FacilityId(1), due(91), C(32000)},
      {InvoiceId(7), FacilityId(2), due(-3), C(500)},   {InvoiceId(8), FacilityId(2), due(95), C(-700)},
      {InvoiceId(9), FacilityId(3), due(120), C(0)},
  };
  AgingReport r = Aging(items, as_of);
  ASSERT_EQ(r.facilities.size(), 2u);  // facility 3 has nothing open
  EXPECT_EQ(r.facilities[0].facility_id, FacilityId(1));
  EXPECT_EQ(r.facilities[0].buckets, (AgingBuckets{C(1000), C(6000), C(24000), C(32000), C(0), 6}));
  EXPECT_EQ(r.facilities[1].buckets, (AgingBuckets{C(500), C(0), C(0), C(0), C(-700), 2}));
  EXPECT_EQ(r.totals, (AgingBuckets{C(1500), C(6000), C(24000), C(32000), C(-700), 8}));
  EXPECT_EQ(r.totals.total(), C(62800));
}

// ---- Validation ------------------------------------------------------------------------------------------

TEST(Validation, EachBadAgreementFieldIsNamed) {  // BILL-AGREEMENT-VALID
  struct Row {
    const char* name;
    std::function<void(ServiceAgreement&)> change;
    const char* field;
    const char* code;
  } rows[] = {
      {"zero rate", [](auto& a) { a.rate_card[0].bill_rate = C(0); }, "rate_card[RN].bill_rate_cents", "not_positive"},
      {"negative rate", [](auto& a) { a.rate_card[1].bill_rate = C(-5); }, "rate_card[LPN].bill_rate_cents", "not_positive"},
      {"absurd rate", [](auto& a) { a.rate_card[0].bill_rate = C(100'001); }, "rate_card[RN].bill_rate_cents", "too_large"},
      {"duplicate discipline", [](auto& a) { a.rate_card.push_back({"RN", C(1)}); }, "rate_card[RN].discipline", "duplicate"},
      {"empty discipline", [](auto& a) { a.rate_card.push_back({"", C(1)}); }, "rate_card[3].discipline", "required"},
      {"ot below 1x", [](auto& a) { a.overtime_multiplier_bp = 9999; }, "overtime_multiplier_bp", "below_1x"},
      {"ot above 3x", [](auto& a) { a.overtime_multiplier_bp = 150'000; }, "overtime_multiplier_bp", "above_3x"},
      {"holiday below 1x", [](auto& a) { a.holiday_multiplier_bp = 0; }, "holiday_multiplier_bp", "below_1x"},
      {"daily threshold", [](auto& a) { a.overtime = {OvertimeKind::kDaily, 10}; }, "overtime.daily_threshold_hours", "not_8_or_12"},
      {"holiday twice", [](auto& a) { a.holidays = {D("2026-12-25"), D("2026-01-01"), D("2026-12-25")}; }, "holidays[2]", "duplicate"},
      {"percent", [](auto& a) { a.fee.percent_bp = 10'001; }, "fee.percent_bp", "out_of_range"},
      {"negative percent", [](auto& a) { a.fee.percent_bp = -1; }, "fee.percent_bp", "out_of_range"},
      {"flat fee", [](auto& a) { a.fee.flat_monthly = C(-1); }, "fee.flat_monthly_cents", "negative"},
      {"per shift fee", [](auto& a) { a.fee.per_shift = C(-1); }, "fee.per_shift_cents", "negative"},
      {"terms", [](auto& a) { a.payment_terms_days = 181; }, "payment_terms_days", "out_of_range"},
      {"negative terms", [](auto& a) { a.payment_terms_days = -1; }, "payment_terms_days", "out_of_range"},
      {"dates", [](auto& a) { a.effective_to = D("2025-12-31"); }, "effective_to", "before_effective_from"},
      {"facility", [](auto& a) { a.facility_id = FacilityId(); }, "facility_id", "required"},
  };
  ASSERT_TRUE(ValidateAgreement(Agreement()).ok());
  for (const auto& row : rows) {
    ServiceAgreement a = Agreement();
    row.change(a);
    auto r = ValidateAgreement(a);
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << row.name;
    ASSERT_EQ(r.error().fields.size(), 1u) << row.name << ": " << Fields(r.error());
    EXPECT_EQ(r.error().fields[0].field, row.field) << row.name;
    EXPECT_EQ(r.error().fields[0].code, row.code) << row.name;
  }
  // Several agreements of one facility: no overlap, none of another facility.
  ServiceAgreement a = Agreement(), b = Agreement(), c = Agreement();
  a.effective_to = D("2026-06-30");
  b.effective_from = D("2026-06-30");  // overlaps a on its last day
  c.facility_id = FacilityId(8);
  c.effective_from = D("2027-01-01");
  auto r = ValidateAgreements({a, b, c}, FacilityId(7));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasField(r.error(), "agreements[1].effective_from", "overlaps")) << Fields(r.error());
  EXPECT_TRUE(HasField(r.error(), "agreements[2].facility_id", "other_facility")) << Fields(r.error());
  b.effective_from = D("2026-07-01");
  c.facility_id = FacilityId(7);
  EXPECT_TRUE(ValidateAgreements({a, b}, FacilityId(7)).ok());
}

TEST(Validation, EachBadShiftIsNamed) {  // BILL-SHIFT-VALID
  struct Row {
    const char* name;
    std::function<void(std::vector<BillableShift>&)> change;
    const char* field;
    const char* code;
  } rows[] = {
      {"before period", [](auto& s) { s[0] = Shift(101, 1, "RN", "2026-01-31T23:00", "2026-02-01T07:00"); }, "shifts[0].start", "outside_period"},
      {"after period", [](auto& s) { s[0] = Shift(101, 1, "RN", "2026-02-15T00:00", "2026-02-15T07:00"); }, "shifts[0].start", "outside_period"},
      {"not on the rate card", [](auto& s) { s[1].discipline = "CRNA"; }, "shifts[1].discipline", "not_on_rate_card"},
      {"no discipline", [](auto& s) { s[1].discipline = ""; }, "shifts[1].discipline", "required"},
      {"twice", [](auto& s) { s[2].timesheet_id = TimesheetId(101); }, "shifts[2].timesheet_id", "duplicate"},
      {"no timesheet id", [](auto& s) { s[2].timesheet_id = TimesheetId(); }, "shifts[2].timesheet_id", "required"},
      {"no shift id", [](auto& s) { s[2].shift_id = ShiftId(); }, "shifts[2].shift_id", "required"},
      {"no clinician", [](auto& s) { s[2].clinician_id = ClinicianId(); }, "shifts[2].clinician_id", "required"},
      {"end before start", [](auto& s) { std::swap(s[0].start, s[0].end); }, "shifts[0].end", "end_before_start"},
      {"empty", [](auto& s) { s[0].end = s[0].start; }, "shifts[0].end", "end_before_start"},
      {"over 24 h", [](auto& s) { s[0].end = s[0].start + 24h + 1min; }, "shifts[0].end", "too_long"},
      {"seconds", [](auto& s) { s[0].end += 30s; }, "shifts[0].end", "not_whole_minute"},
      {"seconds at start", [](auto& s) { s[0].start += 1ms; }, "shifts[0].start", "not_whole_minute"},
      {"break as long as shift", [](auto& s) { s[2].unpaid_break_minutes = 30; }, "shifts[2].unpaid_break_minutes", "out_of_range"},
      {"negative break", [](auto& s) { s[2].unpaid_break_minutes = -1; }, "shifts[2].unpaid_break_minutes", "out_of_range"},
      {"break outside", [](auto& s) { s[0].breaks = {{s[0].end, s[0].end + 30min}}; }, "shifts[0].breaks[0]", "out_of_range"},
      {"breaks mismatch", [](auto& s) { s[0].breaks = {{s[0].start + 1h, s[0].start + 1h + 20min}}; }, "shifts[0].unpaid_break_minutes", "mismatch_breaks"},
      {"other zone", [](auto& s) { s[1].time_zone = "America/New_York"; }, "shifts[1].time_zone", "not_facility_zone"},
      {"zero override", [](auto& s) { s[3].bill_rate_override = C(0); }, "shifts[3].bill_rate_override_cents", "not_positive"},
      {"huge override", [](auto& s) { s[3].bill_rate_override = C(100'001); }, "shifts[3].bill_rate_override_cents", "too_large"},
      {"overlap", [](auto& s) { s[1] = Shift(102, 1, "LPN", "2026-02-02T19:00", "2026-02-02T23:00"); s[0].end = At("2026-02-02T19:01"); s[0].unpaid_break_minutes = 0; },
       "shifts[1].start", "overlaps"},
  };
  ASSERT_TRUE(ComputeInvoice(Input("2026-02-01", "2026-02-15", FourRegularShifts())).ok());
  for (const auto& row : rows) {
    auto shifts = FourRegularShifts();
    row.change(shifts);
    auto r = ComputeInvoice(Input("2026-02-01", "2026-02-15", shifts));
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << row.name;
    ASSERT_EQ(r.error().fields.size(), 1u) << row.name << ": " << Fields(r.error());
    EXPECT_EQ(r.error().fields[0].field, row.field) << row.name;
    EXPECT_EQ(r.error().fields[0].code, row.code) << row.name;
    // The message names the timesheet (its id, never a person).
    std::string id = std::to_string(shifts[static_cast<size_t>(row.field[7] - '0')].timesheet_id.value);
    EXPECT_NE(r.error().fields[0].message.find("Timesheet " + id), std::string::npos) << row.name;
  }
  // A long timesheet overlapping two later ones of the same clinician: both are named.
  auto shifts = FourRegularShifts();
  shifts[1] = Shift(102, 1, "LPN", "2026-02-02T08:00", "2026-02-02T09:00");
  shifts[2] = Shift(103, 1, "CNA", "2026-02-02T10:00", "2026-02-02T10:30");
  auto r = ComputeInvoice(Input("2026-02-01", "2026-02-15", shifts));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 2u) << Fields(r.error());
  EXPECT_TRUE(HasField(r.error(), "shifts[1].start", "overlaps"));
  EXPECT_TRUE(HasField(r.error(), "shifts[2].start", "overlaps"));
}

TEST(Validation, FacilityPeriodAgreementsAndPriorState) {
  struct Row {
    const char* name;
    std::function<void(InvoiceInput&)> change;
    const char* field;
    const char* code;
  } rows[] = {
      {"zone", [](auto& in) { in.facility.time_zone = "Mars/Olympus"; }, "facility.time_zone", "invalid_time_zone"},
      {"facility", [](auto& in) { in.facility.id = FacilityId(); }, "facility.id", "required"},
      {"empty period", [](auto& in) { in.period_to = in.period_from; }, "period_to", "not_after_from"},
      {"long period", [](auto& in) { in.period_to = D("2027-02-03"); }, "period_to", "too_long"},
      {"no agreement", [](auto& in) { in.agreements.clear(); }, "agreements", "none_in_force"},
      {"agreement field", [](auto& in) { in.agreements[0].overtime_multiplier_bp = 5000; }, "agreements[0].overtime_multiplier_bp", "below_1x"},
      {"agreement other facility", [](auto& in) { in.agreements[0].facility_id = FacilityId(8); }, "agreements[0].facility_id", "other_facility"},
      {"prior week not a week start", [](auto& in) { in.prior.week_minutes = {{ClinicianId(1), D("2026-02-02"), 60}}; },
       "prior.week_minutes[0].date", "not_workweek_start"},
      {"prior minutes", [](auto& in) { in.prior.day_minutes = {{ClinicianId(1), D("2026-02-01"), -1}}; }, "prior.day_minutes[0].minutes", "out_of_range"},
      {"prior twice", [](auto& in) { in.prior.day_minutes = {{ClinicianId(1), D("2026-02-01"), 1}, {ClinicianId(1), D("2026-02-01"), 2}}; },
       "prior.day_minutes[1]", "duplicate"},
  };
  for (const auto& row : rows) {
    InvoiceInput in = Input("2026-02-01", "2026-02-15", FourRegularShifts());
    row.change(in);
    auto r = ComputeInvoice(in);
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_TRUE(HasField(r.error(), row.field, row.code)) << row.name << ": " << Fields(r.error());
  }
  // A day of the period without an agreement while shifts fall on it.
  InvoiceInput gap = Input("2026-02-01", "2026-02-15", FourRegularShifts());
  gap.agreements[0].effective_from = D("2026-02-04");
  auto r = ComputeInvoice(gap);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasField(r.error(), "shifts[0].start", "no_agreement"));
  EXPECT_TRUE(HasField(r.error(), "shifts[1].start", "no_agreement"));
  EXPECT_FALSE(HasField(r.error(), "shifts[2].start", "no_agreement"));
}

// ---- Properties of the computation (seeded random timesheets) ---------------------------------------------

struct Scenario {
  InvoiceInput input;
  Date mid;  // a day inside the period, to split it in two
};

Scenario RandomScenario(uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* zones[] = {"America/Chicago", "America/New_York", "America/Los_Angeles", "America/Phoenix"};
  // Periods around both DST changes and an ordinary month.
  const char* starts[] = {"2026-03-01", "2026-10-25", "2026-06-07", "2026-12-20"};
  Scenario sc;
  InvoiceInput& in = sc.input;
  in.facility = {FacilityId(3), zones[uni(0, 3)], static_cast<Weekday>(uni(0, 6))};
  in.period_from = D(starts[uni(0, 3)]);
  in.period_to = Date::FromDaysSinceEpoch(in.period_from.DaysSinceEpoch() + 14);
  sc.mid = Date::FromDaysSinceEpoch(in.period_from.DaysSinceEpoch() + uni(1, 13));
  in.issue_date = in.period_to;
  ServiceAgreement a;
  a.id = ServiceAgreementId(10);
  a.facility_id = in.facility.id;
  a.effective_from = D("2026-01-01");
  a.rate_card = {{"RN", C(uni(5000, 12000))}, {"LPN", C(uni(3000, 7000))}, {"CNA", C(uni(1800, 4000))}};
  a.overtime_multiplier_bp = uni(10'000, 20'000);
  a.holiday_multiplier_bp = uni(10'000, 25'000);
  a.overtime = {static_cast<OvertimeKind>(uni(0, 2)), uni(0, 1) ? 8 : 12};
  for (int k = 0; k < 14; ++k)
    if (uni(0, 5) == 0) a.holidays.push_back(Date::FromDaysSinceEpoch(in.period_from.DaysSinceEpoch() + k));
  a.fee = {uni(0, 1) ? uni(1, 2000) : 0, C(uni(0, 1) ? uni(1, 300000) : 0), C(uni(0, 1) ? uni(1, 5000) : 0)};
  // Half the time the agreement is renewed mid-period with other terms.
  if (uni(0, 1)) {
    ServiceAgreement b = a;
    b.id = ServiceAgreementId(11);
    a.effective_to = Date::FromDaysSinceEpoch(in.period_from.DaysSinceEpoch() + uni(0, 12));
    b.effective_from = Date::FromDaysSinceEpoch(a.effective_to->DaysSinceEpoch() + 1);
    b.rate_card[0].bill_rate = C(uni(5000, 12000));
    b.overtime = {static_cast<OvertimeKind>(uni(0, 2)), 8};
    in.agreements.push_back(b);
  }
  in.agreements.push_back(a);
  const char* disciplines[] = {"RN", "LPN", "CNA"};
  const int64_t from_ms = ToUnixMillis(ToInstant({in.period_from, 0}, in.facility.time_zone).value());
  const int64_t to_ms = ToUnixMillis(ToInstant({in.period_to, 0}, in.facility.time_zone).value());
  int64_t next_ts = 1;
  const int clinicians = uni(1, 12);
  for (int c = 1; c <= clinicians; ++c) {
    int64_t t = from_ms + uni(0, 600) * 60'000LL;
    while (true) {
      int64_t length = uni(60, 16 * 60);
      if (t >= to_ms) break;
      BillableShift s;
      s.timesheet_id = TimesheetId(next_ts * 7 + 3);  // not in time order
      s.shift_id = ShiftId(next_ts++);
      s.clinician_id = ClinicianId(c * 13);
      s.discipline = disciplines[uni(0, 2)];
      s.start = FromUnixMillis(t);
      s.end = FromUnixMillis(t + length * 60'000);
      s.time_zone = in.facility.time_zone;
      int mode = uni(0, 3);
      if (mode == 1) {
        s.unpaid_break_minutes = uni(0, static_cast<int>(std::min<int64_t>(60, length - 1)));
      } else if (mode == 2 && length > 90) {
        int64_t b0 = t + uni(10, static_cast<int>(length - 60)) * 60'000LL;
        s.breaks = {{FromUnixMillis(b0), FromUnixMillis(b0 + 30 * 60'000)}};
        s.unpaid_break_minutes = 30;
      }
      if (uni(0, 9) == 0) s.bill_rate_override = C(uni(4000, 15000));
      in.shifts.push_back(s);
      t += (length + uni(0, 36 * 60)) * 60'000;  // sometimes back to back
    }
  }
  return sc;
}

std::map<int64_t, std::map<LineKind, Labor>> ByTimesheet(const Invoice& inv) {
  std::map<int64_t, std::map<LineKind, Labor>> out;
  for (const auto& l : inv.lines)
    if (IsLabor(l.kind)) {
      auto& slot = out[l.timesheet_id.value];
      EXPECT_EQ(slot.count(l.kind), 0u) << "two " << LineKindName(l.kind) << " lines for timesheet " << l.timesheet_id.value;
      slot[l.kind] = {l.minutes, l.rate.cents(), l.amount.cents(), l.rule_id};
    }
  return out;
}

TEST(Property, EveryMinuteOnceTotalsAddUpOrderDoesNotMatter) {  // BILL-EXACTLY-ONCE
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    Scenario sc = RandomScenario(seed);
    auto r = ComputeInvoice(sc.input);
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << Fields(r.error());
    const Invoice& inv = r->invoice;
    ASSERT_TRUE(CheckTotals(inv).ok()) << "seed " << seed;
    // Every timesheet appears, and its line minutes add up to its worked minutes.
    auto by_ts = ByTimesheet(inv);
    ASSERT_EQ(by_ts.size(), sc.input.shifts.size()) << "seed " << seed;
    int64_t worked_total = 0;
    for (const auto& s : sc.input.shifts) {
      ASSERT_TRUE(by_ts.count(s.timesheet_id.value)) << "seed " << seed;
      int64_t sum = 0;
      for (const auto& [kind, l] : by_ts[s.timesheet_id.value]) {
        EXPECT_GT(l.minutes, 0);
        EXPECT_EQ(l.amount, C(l.rate).MulRatio(l.minutes, 60).cents());
        sum += l.minutes;
      }
      EXPECT_EQ(sum, WorkedMinutes(s)) << "seed " << seed << " timesheet " << s.timesheet_id.value;
      worked_total += WorkedMinutes(s);
    }
    EXPECT_EQ(inv.labor_minutes, worked_total);
    // total == Σ lines.
    Money sum;
    for (const auto& l : inv.lines) sum += l.amount;
    EXPECT_EQ(inv.total, sum) << "seed " << seed;
    EXPECT_EQ(inv.total, inv.labor_subtotal + inv.fee_total);
    // Input order: reversed and shuffled shifts and agreements give the same invoice.
    InvoiceInput shuffled = sc.input;
    std::mt19937 rng(seed);
    std::shuffle(shuffled.shifts.begin(), shuffled.shifts.end(), rng);
    std::reverse(shuffled.agreements.begin(), shuffled.agreements.end());
    auto r2 = ComputeInvoice(shuffled);
    ASSERT_TRUE(r2.ok());
    ASSERT_EQ(r2->invoice.lines.size(), inv.lines.size());
    for (size_t i = 0; i < inv.lines.size(); ++i) {
      const auto &x = inv.lines[i], &y = r2->invoice.lines[i];
      EXPECT_TRUE(x.line_no == y.line_no && x.kind == y.kind && x.rule_id == y.rule_id && x.timesheet_id == y.timesheet_id &&
                  x.minutes == y.minutes && x.rate == y.rate && x.amount == y.amount && x.quantity == y.quantity &&
                  x.agreement_id == y.agreement_id)
          << "seed " << seed << " line " << i + 1;
    }
    EXPECT_EQ(r2->invoice.total, inv.total);
    EXPECT_EQ(r2->carry_forward, r->carry_forward);
  }
}

// BILL-OT-CARRY: two consecutive invoices, the second given the first's carry_forward, bill
// every timesheet exactly as one invoice over both periods does.
TEST(Property, SplittingThePeriodChangesNoLaborLine) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    Scenario sc = RandomScenario(seed);
    auto whole = ComputeInvoice(sc.input);
    ASSERT_TRUE(whole.ok()) << "seed " << seed;
    const int64_t mid_ms = ToUnixMillis(ToInstant({sc.mid, 0}, sc.input.facility.time_zone).value());
    InvoiceInput first = sc.input, second = sc.input;
    first.period_to = sc.mid;
    second.period_from = sc.mid;
    first.shifts.clear();
    second.shifts.clear();
    for (const auto& s : sc.input.shifts) (ToUnixMillis(s.start) < mid_ms ? first : second).shifts.push_back(s);
    auto a = ComputeInvoice(first);
    ASSERT_TRUE(a.ok()) << "seed " << seed << ": " << Fields(a.error());
    second.prior = a->carry_forward;
    auto b = ComputeInvoice(second);
    ASSERT_TRUE(b.ok()) << "seed " << seed << ": " << Fields(b.error());
    auto split = ByTimesheet(a->invoice);
    for (auto& [ts, lines] : ByTimesheet(b->invoice)) split[ts] = lines;
    EXPECT_EQ(split, ByTimesheet(whole->invoice)) << "seed " << seed;
    EXPECT_EQ(a->invoice.labor_subtotal + b->invoice.labor_subtotal, whole->invoice.labor_subtotal) << "seed " << seed;
    // BILL-FEE-FLAT-MONTHLY: halves ending in the same month charge it once between them
    // (the second sees the first's month in its prior state); in different months, each.
    auto flats = [](const Invoice& inv) {
      return std::count_if(inv.lines.begin(), inv.lines.end(), [](const InvoiceLine& l) { return l.kind == LineKind::kFeeFlatMonthly; });
    };
    bool flat = sc.input.agreements[0].fee.flat_monthly > Money();
    Date first_last = Date::FromDaysSinceEpoch(sc.mid.DaysSinceEpoch() - 1);
    Date whole_last = Date::FromDaysSinceEpoch(sc.input.period_to.DaysSinceEpoch() - 1);
    bool same_month = first_last.year == whole_last.year && first_last.month == whole_last.month;
    EXPECT_EQ(flats(whole->invoice), flat ? 1 : 0) << "seed " << seed;
    EXPECT_EQ(flats(a->invoice) + flats(b->invoice), flat ? (same_month ? 1 : 2) : 0) << "seed " << seed;
  }
}

}  // namespace
}  // namespace openmso::billing
