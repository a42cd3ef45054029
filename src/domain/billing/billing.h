// The billing module (issue 5, part 6): service agreements per facility, the invoice a
// facility owes for its approved timesheets (each line traceable to one timesheet), the
// invoice lifecycle (finalize, credit memos for disputes, payments), invoice numbers and
// A/R aging. Pure rules only: no SQL, no HTTP; storage and routes call these functions.
//
// Bill rules are not pay rules (shared/domain/payroll-rules.md §5, last paragraph): bill
// rates carry their own overtime and holiday multipliers and nothing here is shared with
// payroll, even where the two look alike. Every rule has a stable id (docs/rules.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso {
// The same types as marketplace.h and timekeeping.h declare (an alias may be repeated).
using ShiftId = Id<struct ShiftTag>;
using TimesheetId = Id<struct TimesheetTag>;
using ServiceAgreementId = Id<struct ServiceAgreementTag>;
using InvoiceId = Id<struct InvoiceTag>;
}  // namespace openmso

namespace openmso::billing {

// ---- Rule ids carried by invoice lines --------------------------------------------------------
inline constexpr std::string_view kRuleRateCard = "BILL-RATE-CARD";          // base rate from the rate card
inline constexpr std::string_view kRuleRateOverride = "BILL-RATE-OVERRIDE";  // base rate from the shift posting
inline constexpr std::string_view kRuleOtWeekly = "BILL-OT-WEEKLY";
inline constexpr std::string_view kRuleOtDaily = "BILL-OT-DAILY";
inline constexpr std::string_view kRuleHoliday = "BILL-HOLIDAY";
inline constexpr std::string_view kRuleFeePercent = "BILL-FEE-PERCENT";
inline constexpr std::string_view kRuleFeeFlatMonthly = "BILL-FEE-FLAT-MONTHLY";
inline constexpr std::string_view kRuleFeePerShift = "BILL-FEE-PER-SHIFT";
// The static rule id equal to `text` (for lines read back from storage); nullopt if unknown.
std::optional<std::string_view> ParseLineRuleId(std::string_view text);

// Limits (BILL-AGREEMENT-VALID, BILL-SHIFT-VALID).
inline constexpr Money kMaxBillRate = Money::Cents(100'000);  // $1,000/h, as the marketplace's cap
inline constexpr int kMinMultiplierBp = 10'000;               // 1x
inline constexpr int kMaxMultiplierBp = 30'000;               // 3x: anything above is a typo
inline constexpr int kMaxPaymentTermsDays = 180;
inline constexpr int64_t kMaxShiftMinutes = 24 * 60;          // one timesheet covers at most 24 h
inline constexpr int64_t kWeeklyThresholdMinutes = 40 * 60;   // BILL-OT-WEEKLY
inline constexpr int kMaxPeriodDays = 366;

// ---- Calendar helpers ---------------------------------------------------------------------------
enum class Weekday { kSunday, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };
Weekday WeekdayOf(Date d);

struct YearMonth {
  int year = 1970;
  unsigned month = 1;  // 1..12
  auto operator<=>(const YearMonth&) const = default;
  std::string ToString() const;  // "2026-03"
};

// ---- Service agreements (BILL-AGREEMENT-*) ------------------------------------------------------
// The facility's billing overtime rule. Every worked minute counts toward the thresholds,
// holiday minutes included; the counting is per clinician at this facility only (the
// facility is billed for its own hours, unlike pay, which adds up across facilities).
//   kNone    every minute at the base rate (holidays still apply).
//   kWeekly  BILL-OT-WEEKLY: minutes past 40 h in the facility's workweek (168 h from 00:00
//            local on FacilityBilling::workweek_start), counted in the week they are worked:
//            a shift across the week boundary is split there (payroll-rules.md §6.1).
//   kDaily   BILL-OT-DAILY: minutes past daily_threshold_hours (8 or 12) in a local calendar
//            day (midnight to midnight in the facility's zone), summed over the clinician's
//            shifts of that day; a shift across midnight is split at midnight.
enum class OvertimeKind { kNone, kWeekly, kDaily };
std::string_view OvertimeKindName(OvertimeKind k);  // "none", "weekly", "daily"
std::optional<OvertimeKind> ParseOvertimeKind(std::string_view name);

struct OvertimeRule {
  OvertimeKind kind = OvertimeKind::kNone;
  int daily_threshold_hours = 8;  // kDaily only: 8 or 12
};

struct RateCardEntry {
  std::string discipline;  // "RN", "LPN", "CNA", ...
  Money bill_rate;         // per hour, > 0 and <= kMaxBillRate
};

// The MSO's management fee; any combination, all zero = none.
//   BILL-FEE-PERCENT       percent_bp of the labor billed under the agreement in the invoice,
//                          rounded half-up once per agreement and invoice.
//   BILL-FEE-FLAT-MONTHLY  flat_monthly, not prorated, charged once per calendar month: on
//                          the invoice whose period ends (its last day) in that month, under
//                          the agreement in force on that last day, unless PriorState says
//                          the month was already charged. (A period longer than a month
//                          therefore charges only the month it ends in.)
//   BILL-FEE-PER-SHIFT     per_shift for each billed timesheet (one clinician filling one
//                          opening of a shift is one filled shift).
struct ManagementFee {
  int percent_bp = 0;   // 0..10000 (1250 = 12.5 %)
  Money flat_monthly;   // >= 0
  Money per_shift;      // >= 0
};

// BILL-AGREEMENT-IN-FORCE: the agreement whose [effective_from, effective_to] (both local
// dates, both inclusive; no effective_to = open-ended) holds a shift's local start date is
// the one that bills the whole shift. Agreements of one facility never overlap.
struct ServiceAgreement {
  ServiceAgreementId id;
  FacilityId facility_id;
  Date effective_from;
  std::optional<Date> effective_to;
  std::vector<RateCardEntry> rate_card;
  int overtime_multiplier_bp = 15'000;  // 1x..3x
  int holiday_multiplier_bp = 15'000;   // 1x..3x
  OvertimeRule overtime;
  std::vector<Date> holidays;  // local dates in the facility's zone (BILL-HOLIDAY)
  ManagementFee fee;
  int payment_terms_days = 30;  // net N, 0..180 (BILL-DUE-DATE)
};

// BILL-AGREEMENT-VALID. Checks one agreement and reports every bad field at once
// (kInvalidArgument), e.g. "rate_card[RN].bill_rate_cents": not_positive | too_large,
// "rate_card[RN].discipline": duplicate, "rate_card[0].discipline": required,
// "overtime_multiplier_bp"/"holiday_multiplier_bp": below_1x | above_3x,
// "overtime.daily_threshold_hours": not_8_or_12, "holidays[2]": duplicate,
// "fee.percent_bp": out_of_range, "fee.flat_monthly_cents"/"fee.per_shift_cents": negative,
// "payment_terms_days": out_of_range, "effective_to": before_effective_from,
// "facility_id": required.
Result<void> ValidateAgreement(const ServiceAgreement& a);
// Every agreement of one facility: each as above with the prefix "agreements[i].", all for
// `facility` ("agreements[i].facility_id": other_facility), none overlapping another
// ("agreements[i].effective_from": overlaps).
Result<void> ValidateAgreements(const std::vector<ServiceAgreement>& agreements, FacilityId facility);

// What billing needs of the facility.
struct FacilityBilling {
  FacilityId id;
  std::string time_zone;                    // IANA; periods, holidays, days and weeks are local here
  Weekday workweek_start = Weekday::kSunday;  // the billing workweek starts 00:00 local on this day
};

// ---- Billable shifts ---------------------------------------------------------------------------
struct BreakInterval {
  Instant start, end;
};

// One APPROVED timesheet (only approved ones are billed; the caller selects them).
// BILL-BREAK: `breaks`, when given, are the exact unpaid intervals (inside [start, end),
// ordered, disjoint, whole minutes) and unpaid_break_minutes must equal their total. When
// only unpaid_break_minutes is given, the break is placed in the middle of the shift: it
// begins floor((length - break) / 2) minutes after the start. Where it lies matters only
// when the shift crosses midnight, a holiday or the workweek boundary, or an OT threshold.
struct BillableShift {
  TimesheetId timesheet_id;
  ShiftId shift_id;
  ClinicianId clinician_id;
  std::string discipline;
  Instant start, end;       // approved times, UTC, whole minutes
  std::string time_zone;    // the facility's zone
  int64_t unpaid_break_minutes = 0;
  std::vector<BreakInterval> breaks;
  std::optional<Money> bill_rate_override;  // the posting's bill rate; replaces the rate card (BILL-RATE-OVERRIDE)
};

// BILL-MINUTES: (end - start) in whole minutes minus the unpaid break: instants, so a night
// shift over the autumn DST change is 13 hours (payroll-rules.md §6.3).
int64_t WorkedMinutes(const BillableShift& s);

// Minutes already billed for a clinician at this facility before the period, so that
// thresholds continue across consecutive invoices (BILL-OT-CARRY). `date` is the local day
// (day minutes) or the first local day of the workweek (week minutes).
struct PriorMinutes {
  ClinicianId clinician_id;
  Date date;
  int64_t minutes = 0;
  bool operator==(const PriorMinutes&) const = default;
};

struct PriorState {
  std::vector<PriorMinutes> day_minutes;   // <= 25 h each
  std::vector<PriorMinutes> week_minutes;  // <= 169 h each; date must be a workweek start day
  std::vector<YearMonth> flat_fee_months;  // months whose flat fee an earlier invoice charged
  bool operator==(const PriorState&) const = default;
};

// ---- Invoices ----------------------------------------------------------------------------------
// BILL-LIFECYCLE: draft -> finalized (immutable) -> partially_paid -> paid. Only kDraft and
// kFinalized are stored on an Invoice; the payment states are derived by StatusOf().
enum class InvoiceStatus { kDraft, kFinalized, kPartiallyPaid, kPaid };
std::string_view InvoiceStatusName(InvoiceStatus s);  // "draft", "finalized", "partially_paid", "paid"
std::optional<InvoiceStatus> ParseInvoiceStatus(std::string_view name);

enum class LineKind { kRegular, kOvertime, kHoliday, kFeePercent, kFeeFlatMonthly, kFeePerShift };
std::string_view LineKindName(LineKind k);  // "regular", "overtime", "holiday", "fee_percent", "fee_flat_monthly", "fee_per_shift"
std::optional<LineKind> ParseLineKind(std::string_view name);
inline bool IsLabor(LineKind k) { return k == LineKind::kRegular || k == LineKind::kOvertime || k == LineKind::kHoliday; }

// One invoice (or credit memo) line.
//   labor lines   amount = rate x minutes / 60, rounded half-up once (BILL-LINE-ROUND), where
//                 rate = base_rate x multiplier_bp / 10000 rounded half-up to the cent
//                 (BILL-RATE-ROUND; the rate printed on the invoice).
//   fee_percent   amount = basis x multiplier_bp / 10000 half-up; basis = the agreement's labor.
//   fee_per_shift amount = rate x quantity.     fee_flat_monthly: amount = rate, quantity 1, month.
// On a credit memo minutes, quantity and amount are negative and credited_line_no names the
// invoice line credited.
struct InvoiceLine {
  int line_no = 0;  // 1-based, in document order
  LineKind kind = LineKind::kRegular;
  std::string_view rule_id;  // one of the kRule* constants (static storage)
  ServiceAgreementId agreement_id;
  TimesheetId timesheet_id;  // labor lines
  ShiftId shift_id;
  ClinicianId clinician_id;
  std::string discipline;
  Instant shift_start;
  int64_t minutes = 0;       // labor lines
  int64_t quantity = 0;      // fee lines
  int multiplier_bp = 10'000;
  Money base_rate;           // labor: the rate card or override rate per hour
  Money rate;                // labor: per hour; per-shift fee: per shift; flat fee: the monthly fee
  Money basis;               // percent fee: the labor it is a percent of
  std::optional<YearMonth> month;  // flat fee
  Money amount;
  int credited_line_no = 0;  // credit memos only
};

struct Invoice {
  FacilityId facility_id;
  InvoiceStatus status = InvoiceStatus::kDraft;  // kDraft or kFinalized
  std::string number;                            // "" while a draft (BILL-NUMBER)
  Date period_from, period_to;                   // [from, to), local dates
  Date issue_date, due_date;                     // due = issue + payment_terms_days (BILL-DUE-DATE)
  int payment_terms_days = 0;
  std::vector<InvoiceLine> lines;  // labor lines by (shift start, timesheet id, kind), then fee lines
  int64_t labor_minutes = 0;
  Money labor_subtotal, fee_total, total;  // total = labor_subtotal + fee_total
};

struct InvoiceInput {
  FacilityBilling facility;
  std::vector<ServiceAgreement> agreements;  // the facility's, any order
  Date period_from, period_to;               // [from, to), local dates in the facility's zone
  Date issue_date;                           // provisional; Finalize() sets the real one
  std::vector<BillableShift> shifts;         // the approved timesheets to bill, any order
  PriorState prior;
};

struct InvoiceDraft {
  Invoice invoice;
  // The PriorState for the next consecutive period (starting at period_to): the minutes of
  // days on or after period_to and of workweeks reaching past it (prior ones included), and
  // the flat-fee months not before the month of this period's last day.
  PriorState carry_forward;
};

// Computes the draft invoice of one facility for one period, a pure function of its input
// (the order of shifts and agreements does not change the result).
// BILL-EXACTLY-ONCE: every shift yields one to three labor lines (regular, overtime,
// holiday; empty ones omitted) whose minutes add up to WorkedMinutes(); no timesheet twice.
// A minute that is both overtime and holiday is billed once, at the higher multiplier
// (holiday on a tie) (BILL-NO-PYRAMID).
// Errors (kInvalidArgument, every bad field at once): the facility ("facility.id": required,
// "facility.time_zone": invalid_time_zone), the period ("period_to": not_after_from |
// too_long), the agreements (as ValidateAgreements; "agreements": none_in_force when none
// covers any day of the period), the prior state ("prior.week_minutes[i]": duplicate,
// ".minutes": out_of_range, ".date": not_workweek_start), and per shift "shifts[i]." +
// timesheet_id (required | duplicate), shift_id / clinician_id (required), discipline
// (required | not_on_rate_card), time_zone (not_facility_zone), start (not_whole_minute |
// outside_period | no_agreement | overlaps), end (not_whole_minute | end_before_start |
// too_long), unpaid_break_minutes (out_of_range | mismatch_breaks), breaks[j]
// (out_of_range), bill_rate_override_cents (not_positive | too_large). A shift's message
// names its timesheet id.
Result<InvoiceDraft> ComputeInvoice(const InvoiceInput& in);

// Recomputes what must hold of any invoice: lines numbered 1..n, each amount as its rule
// says, labor_minutes, labor_subtotal, fee_total and total the sums of the lines.
// Errors: kInvalidArgument naming the first bad line ("lines[i].amount_cents") or total.
Result<void> CheckTotals(const Invoice& invoice);

// BILL-FINALIZED-IMMUTABLE: a draft may be recomputed or deleted; a finalized invoice never
// changes (a dispute becomes a credit memo). Errors: kConflict "invoice-finalized".
Result<void> CheckEditable(const Invoice& invoice);

// ---- Document numbers (BILL-NUMBER) -------------------------------------------------------------
// Human-readable numbers, separate from database keys: "INV-2026-000123" and
// "CM-2026-000007". One gap-free sequence per MSO, series and calendar year of the issue
// date, starting at 1; the integrator stores the counter and takes the next number in the
// transaction that finalizes. At least six digits, more from 1,000,000 on.
enum class DocumentSeries { kInvoice, kCreditMemo };  // "INV", "CM"
struct DocumentNumber {
  DocumentSeries series = DocumentSeries::kInvoice;
  int year = 2026;           // 2000..9999
  int64_t sequence = 1;      // 1..999,999,999
  auto operator<=>(const DocumentNumber&) const = default;
};
std::string FormatDocumentNumber(const DocumentNumber& n);
// Accepts exactly what FormatDocumentNumber prints. Errors: kInvalidArgument ("number": malformed).
Result<DocumentNumber> ParseDocumentNumber(std::string_view text);
// The number after `last` (nullopt: none issued yet) for a document issued in `year`: the
// sequence restarts at 1 in a new year. Errors: kInvalidArgument ("year": before_last when
// year < last->year; "sequence": exhausted).
Result<DocumentNumber> NextDocumentNumber(DocumentSeries series, int year, const std::optional<DocumentNumber>& last);

// Finalizes a draft: sets the number, the issue date and due date = issue + terms.
// Errors: kConflict "invoice-finalized" when not a draft; kInvalidArgument ("number":
// wrong_series | year_mismatch with the issue date); kInternal when the draft's totals do
// not add up (CheckTotals).
Result<Invoice> Finalize(const Invoice& draft, const DocumentNumber& number, Date issue_date);

// ---- Credit memos and payments (BILL-CREDIT-MEMO, BILL-PAYMENT) ----------------------------------
struct CreditMemo {
  std::string number;          // "CM-2026-000001"
  std::string invoice_number;  // the finalized invoice it credits
  Date issue_date;
  std::string reason;
  std::vector<InvoiceLine> lines;  // negative; credited_line_no set
  Money total;                     // negative
};

struct Payment {
  Date received_on;
  Money amount;           // > 0, applied to this invoice
  std::string reference;  // check or ACH trace number
};

// A finalized invoice with everything applied to it since.
struct InvoiceAccount {
  Invoice invoice;
  std::vector<CreditMemo> credit_memos;
  std::vector<Payment> payments;
};

// BILL-BALANCE: total + Σ credit memo totals (negative) - Σ payments. Negative only when a
// memo credits an invoice already paid: the MSO then owes the facility that credit.
Money Balance(const InvoiceAccount& a);
// kDraft or: kPaid when the balance is <= 0 (settled by payments and credits);
// kPartiallyPaid when some payment was applied and a balance remains; else kFinalized.
InvoiceStatus StatusOf(const InvoiceAccount& a);

// One disputed invoice line. Give minutes (labor lines: minutes not owed, credited at the
// line's rate), or an amount not owed, or neither (the rest of the line).
struct DisputeItem {
  int line_no = 0;
  std::optional<int64_t> minutes;
  std::optional<Money> amount;
};
struct Dispute {
  std::vector<DisputeItem> items;
  std::string reason;  // required, at most 2000 characters
  Date issue_date;
};

// BILL-CREDIT-MEMO: the credit memo for a dispute of a finalized invoice; the invoice is
// never edited. Per line, credits never exceed what the line billed less earlier credits;
// crediting all of a labor line's remaining minutes credits exactly its remaining amount.
// BILL-CREDIT-FEE-PERCENT: crediting labor also credits the percent fee on it, so that the
// fee left equals percent x the labor left (half-up); unless that fee line is itself
// disputed in the same memo.
// Errors: kConflict "invoice-not-finalized" for a draft; kInvalidArgument ("number":
// wrong_series, "reason": required | too_long, "items": required, "items[i].line_no":
// unknown_line | duplicate | already_credited, "items[i].minutes": not_labor_line |
// out_of_range, "items[i].amount_cents": out_of_range, "items[i]": minutes_and_amount).
Result<CreditMemo> CreateCreditMemo(const InvoiceAccount& a, const Dispute& d, const DocumentNumber& number);

// BILL-PAYMENT / BILL-OVERPAYMENT: a payment is > 0 and at most the open balance, unless
// overpayment_credit is set: then the balance is applied and the excess is returned as
// `unapplied`, a credit the integrator keeps on the facility's account (never on the invoice).
struct PaymentInput {
  Date received_on;
  Money amount;
  std::string reference;  // at most 200 characters
  bool overpayment_credit = false;
};
struct AppliedPayment {
  Payment applied;  // what to record against the invoice
  Money unapplied;  // the excess, 0 unless overpayment_credit
};
// Errors: kConflict "invoice-not-finalized" (a draft), "invoice-settled" (balance <= 0);
// kInvalidArgument ("amount_cents": not_positive | exceeds_balance, "reference": too_long).
Result<AppliedPayment> ApplyPayment(const InvoiceAccount& a, const PaymentInput& p);

// ---- A/R aging (BILL-AGING) -------------------------------------------------------------------
// Days past due = as_of - due_date in calendar days. The issue's four buckets, aged by due
// date as Sage Intacct's AR aging does with "useduedate" (its default periods 0-30, 31-60,
// 61-90, ...): current = not yet due, due today or 1-30 days past due (days <= 30);
// 31-60; 61-90; over 90 (days >= 91). Zero balances are left out; negative balances (credit
// owed to the facility) are summed in `credits`, so total() equals the sum of all balances.
enum class AgingBucket { kCurrent, k31To60, k61To90, kOver90 };
int64_t DaysPastDue(Date due, Date as_of);
AgingBucket BucketOf(Date due, Date as_of);

struct AgingItem {
  InvoiceId invoice_id;
  FacilityId facility_id;
  Date due_date;
  Money balance;  // Balance() of the invoice as of the report date
};
struct AgingBuckets {
  Money current, days_31_60, days_61_90, over_90, credits;
  int invoices = 0;  // with a non-zero balance
  Money total() const { return current + days_31_60 + days_61_90 + over_90 + credits; }
  bool operator==(const AgingBuckets&) const = default;
};
struct FacilityAging {
  FacilityId facility_id;
  AgingBuckets buckets;
};
struct AgingReport {
  Date as_of;
  std::vector<FacilityAging> facilities;  // by facility id; facilities with a non-zero balance
  AgingBuckets totals;
};
AgingReport Aging(const std::vector<AgingItem>& items, Date as_of);

}  // namespace openmso::billing
