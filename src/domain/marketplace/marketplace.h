// The marketplace module: per-diem shifts a facility posts, who may work them (the pure
// eligibility rules, each with a stable id and a per-rule explanation), how eligible
// clinicians are ranked, and the repository the claim path runs through.
// Rules cite issue 4 ("the shift marketplace") and ../shared/DESIGN.md "The main flow".
#pragma once

#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/core.h"
#include "domain/credentialing/credentialing.h"
#include "domain/org/org.h"

namespace openmso {
using ShiftId = Id<struct ShiftTag>;
using ClaimId = Id<struct ClaimTag>;
}  // namespace openmso

namespace openmso::marketplace {

// ---- Shifts ----------------------------------------------------------------------------
// open -> filled (the last opening was claimed) and open/filled -> cancelled.
enum class ShiftStatus { kOpen, kFilled, kCancelled };
std::string_view ShiftStatusName(ShiftStatus s);  // "open", "filled", "cancelled"
std::optional<ShiftStatus> ParseShiftStatus(std::string_view name);

// Limits of a posting (MKT-SHIFT-VALID).
inline constexpr std::chrono::hours kMaxShiftLength{16};
inline constexpr int kMaxOpenings = 50;
inline constexpr int kMaxBreakMinutes = 120;
inline constexpr Money kMaxHourlyRate = Money::Cents(100'000);  // $1,000/h: anything above is a typo
inline constexpr Money kMaxIncentive = Money::Cents(500'000);   // $5,000 per shift

// MKT-LOCAL-TIME: which of the two instants an ambiguous local time means (the hour the
// clocks repeat in the autumn): the first pass (daylight time) or the second (standard).
enum class Fold { kEarlier, kLater };
std::string_view FoldName(Fold f);  // "earlier", "later"
std::optional<Fold> ParseFold(std::string_view name);

// The instant of `local` in `zone` (MKT-LOCAL-TIME). A time in the spring-forward gap is
// kInvalidArgument (`field`: nonexistent_local_time); a time in the fall-back hour needs
// `fold` (`field`: ambiguous_local_time, naming both readings); an unambiguous time
// ignores `fold`. Errors: kInvalidArgument (time_zone: invalid_time_zone) for an unknown zone.
Result<Instant> ResolveLocal(const LocalDateTime& local, std::string_view zone, std::optional<Fold> fold,
                             std::string_view field);
// The fold that reads `t` back from its local time in `zone` (kEarlier unless `t` is the
// second pass of a repeated hour). REQUIRES: IsValidTimeZone(zone).
Fold FoldOf(Instant t, std::string_view zone);

// What a manager enters for one shift. Times are wall-clock times in the facility's zone.
struct ShiftDraft {
  UnitId unit_id;
  std::string discipline;
  LocalDateTime start_local;
  LocalDateTime end_local;
  int break_minutes = 0;                // unpaid
  Money pay_rate;                       // per hour, to the clinician
  std::optional<Money> bill_rate;       // per hour, to the facility; nullopt = the rate card
  Money incentive;                      // flat bonus per shift
  int openings = 1;
  bool urgent = false;
  std::string notes;
  std::optional<Fold> start_fold, end_fold;  // required only for times in a repeated hour
};

// INVARIANTS: start < end <= start + kMaxShiftLength; 0 <= filled <= openings;
// status == kFilled exactly when filled == openings and not cancelled.
struct Shift {
  ShiftId id;
  MsoId mso_id;
  FacilityId facility_id;
  UnitId unit_id;
  std::string discipline;
  Instant start, end;           // UTC; end - start is the real length (DST-correct)
  std::string time_zone;        // the facility's zone when posted
  int break_minutes = 0;
  Money pay_rate, bill_rate, incentive;
  int openings = 1;
  int filled = 0;
  ShiftStatus status = ShiftStatus::kOpen;
  bool urgent = false;
  std::string notes;
  std::string cancel_reason;
  Instant created_at;
  // MKT-TIER-RELEASE: when the shift opens to tier 2 (the MSO float pool) and tier 3
  // (every eligible clinician); tier 1 (own staff, favorites) sees it from created_at.
  // released_tier is the highest tier whose audience has been notified (1..3).
  Instant tier2_at, tier3_at;
  int released_tier = 3;

  std::chrono::minutes Length() const { return std::chrono::duration_cast<std::chrono::minutes>(end - start); }
  std::chrono::minutes PaidLength() const { return Length() - std::chrono::minutes(break_minutes); }
};

// The instants of a draft's local times in `zone`.
struct ShiftTimes {
  Instant start, end;
};

// Checks a draft against its facility (MKT-SHIFT-VALID) and returns its instants:
// the unit belongs to the facility (unit_id:unknown_unit); a known discipline
// (discipline:unknown_discipline); local times that exist in the zone
// (start/end:nonexistent_local_time, the spring-forward gap); end after start
// (end:end_before_start); at most kMaxShiftLength (end:too_long); break 0..120 minutes
// and shorter than the shift; a local time in the fall-back hour without its fold
// (start/end:ambiguous_local_time, MKT-LOCAL-TIME); openings 1..50; pay rate > 0 and rates and incentive
// within their caps (…:out_of_range); a start in the future (start:in_past).
// Every offending field is reported at once (kInvalidArgument).
Result<ShiftTimes> ValidateShift(const ShiftDraft& d, const org::Facility& facility, const std::vector<org::Unit>& units,
                                 const std::vector<credentialing::Discipline>& disciplines, Instant now);

// MKT-RATE-CARD: the bill rate given, else the facility's rate card for the discipline.
// Errors: kInvalidArgument (bill_rate_cents:required) when neither exists.
Result<Money> ResolveBillRate(std::optional<Money> given, std::optional<Money> rate_card);

// The draft repeated on each date with the same local times (the end keeps its day
// offset from the start): the bulk "grid of dates" posting. Empty `dates` = just `d`.
std::vector<ShiftDraft> ExpandDates(const ShiftDraft& d, const std::vector<Date>& dates);

// ---- Eligibility (MKT-ELIG-*) ------------------------------------------------------------
// Per-facility settings with the defaults.
struct EligibilitySettings {
  std::chrono::minutes min_rest{8 * 60};  // MKT-ELIG-REST
  int weekly_hours_cap = 60;              // MKT-ELIG-WEEKLY-HOURS (paid hours, Monday-Sunday, facility zone)
  int max_consecutive_days = 6;           // MKT-ELIG-CONSECUTIVE-DAYS (local dates of shift starts)
};

// A shift the clinician already holds (a confirmed claim).
struct BookedShift {
  ShiftId id;
  Instant start, end;
  std::chrono::minutes paid{0};
  std::string time_zone;  // its facility's zone; empty = the zone of the shift being evaluated
};

// What the eligibility rules need to know about one clinician for one shift.
struct ClinicianFacts {
  ClinicianId id;
  std::optional<FacilityId> home_facility_id;  // a facility's own staff (MKT-TIER-RELEASE)
  std::string employment_type;                 // "facility_staff", "float_pool", "per_diem"

  GeoPoint home;
  int64_t travel_radius_km = 0;
  // Credentialing's verdict for the shift's discipline and facility on the shift's local
  // date (EvaluateCompliance, with excluded = false: exclusion is its own rule here).
  credentialing::ComplianceResult compliance;
  bool excluded = false;        // a confirmed exclusion-list match
  bool do_not_return = false;   // on the facility's do-not-return list
  bool favorite = false;        // on the facility's favorites list
  std::vector<BookedShift> booked;  // at least those within a week of the shift
  // Ranking inputs from Reliability (MKT-RELIABILITY; zeros mean "no history").
  int completed = 0, cancelled = 0, no_shows = 0;
  std::optional<double> rating;  // 1..5
};

struct RuleResult {
  std::string rule_id;   // "MKT-ELIG-LICENSE", ...
  bool passed = false;
  std::string message;   // safe to show to the clinician and the manager
};

struct Eligibility {
  bool eligible = false;
  std::vector<RuleResult> rules;  // every rule, in a fixed order, passed or not
  double distance_km = 0;
  std::chrono::minutes week_paid_with_shift{0};  // paid time in the shift's week, this shift included
};

// The rule ids, in evaluation order.
inline constexpr std::string_view kRuleIds[] = {"MKT-ELIG-LICENSE",      "MKT-ELIG-EXCLUDED",
                                                "MKT-ELIG-DNR",          "MKT-ELIG-OVERLAP",
                                                "MKT-ELIG-REST",         "MKT-ELIG-WEEKLY-HOURS",
                                                "MKT-ELIG-CONSECUTIVE-DAYS", "MKT-ELIG-DISTANCE"};

// Pure: evaluates every rule for `c` on `shift` at facility location `facility`.
//   MKT-ELIG-LICENSE      credentialing compliance is not non_compliant (an active, verified
//                         license of the discipline valid in the facility's state on the
//                         date, compact licenses included, and the facility's requirements)
//   MKT-ELIG-EXCLUDED     no confirmed exclusion-list match
//   MKT-ELIG-DNR          not on the facility's do-not-return list
//   MKT-ELIG-OVERLAP      no booked shift overlaps [start, end) (the shift itself ignored)
//   MKT-ELIG-REST         at least settings.min_rest between this shift and any booked one
//   MKT-ELIG-WEEKLY-HOURS paid time of booked shifts starting in the shift's week (Monday
//                         00:00 to Monday 00:00 in the shift's zone) plus this one <= cap
//   MKT-ELIG-CONSECUTIVE-DAYS the run of consecutive work days through the shift's local
//                         start date (a booked shift's day is the local date of its start
//                         in its own zone) is at most settings.max_consecutive_days
//   MKT-ELIG-DISTANCE     great-circle distance home -> facility <= travel radius
// REQUIRES: IsValidTimeZone(shift.time_zone).
Eligibility Evaluate(const Shift& shift, GeoPoint facility, const ClinicianFacts& c, const EligibilitySettings& settings);

// ---- Ranking (MKT-RANK) --------------------------------------------------------------------
// The score of an eligible clinician; higher ranks first, ties by clinician id. Shown to
// clinicians component by component (issue 4, part 3: no opaque scores):
//   favorite     +1000 when on the facility's favorites list (favorites always first)
//   reliability  +300 x (completed + 1) / (completed + cancelled + 2 x no_shows + 2)
//                (a newcomer starts at 150, halfway)
//   rating       +40 x (rating - 1), 0..160; no rating counts as 3 (80)
//   distance     -2 per km from home, at most -200
//   overtime     -150 when this shift takes the week's paid time over 40 h (it costs the
//                facility time and a half)
struct Score {
  double favorite = 0, reliability = 0, rating = 0, distance = 0, overtime = 0;
  double total() const { return favorite + reliability + rating + distance + overtime; }
};
Score Rank(const ClinicianFacts& c, const Eligibility& e);

// ---- Per-facility settings (MKT-SETTINGS) ---------------------------------------------------
// What happens to a claim nobody answered in time (MKT-CLAIM-TIMEOUT).
enum class TimeoutAction { kApprove, kDecline };
std::string_view TimeoutActionName(TimeoutAction a);  // "approve", "decline"
std::optional<TimeoutAction> ParseTimeoutAction(std::string_view name);

// Facilities keep local control (issue 4): whether claims confirm at once, and the rest and
// weekly-hours limits of their eligibility rules.
struct MarketplaceSettings {
  bool instant_book = true;  // false: the manager approves or declines each claim
  EligibilitySettings eligibility;
  // MKT-CANCEL-PAY: cancelling a booked shift less than this long before its start owes
  // each confirmed clinician cancellation pay of this many hours at the shift's pay rate.
  int cancellation_window_hours = 24;
  int cancellation_pay_hours = 4;
  // MKT-CLAIM-TIMEOUT: a pending claim the manager has not answered after this long (or by
  // the shift's start, if sooner) is approved or declined by the background job.
  int approval_timeout_minutes = 120;
  TimeoutAction approval_timeout_action = TimeoutAction::kDecline;
  // MKT-TIER-RELEASE: minutes a new shift is offered only to tier 1 (the facility's own
  // staff and its favorites), then only to tiers 1-2 (plus the MSO float pool), before
  // every eligible clinician. 0 skips the tier; the defaults release to all at once.
  int tier1_minutes = 0;
  int tier2_minutes = 0;
};
// Checks the limits: minimum rest 0..24 h, weekly cap 1..100 h, consecutive days 1..14
// ("max_consecutive_days"), tier minutes 0..1440 each ("tier1_minutes", "tier2_minutes"),
// cancellation window
// 0..168 h, cancellation pay 0..24 h, approval timeout 1..10080 minutes (a week). Field
// names are the API's ("min_rest_minutes", "weekly_hours_cap", "cancellation_window_hours",
// "cancellation_pay_hours", "approval_timeout_minutes"); every bad field at once
// (kInvalidArgument).
Result<void> ValidateSettings(const MarketplaceSettings& s);

// ---- Cancellation pay (MKT-CANCEL-PAY) -------------------------------------------------------
// What the facility owes a clinician whose confirmed shift it cancels at `now`: nothing
// (nullopt) when `now` is at or before start - cancellation_window_hours, or when the pay
// comes to zero; else the pay rate for min(cancellation_pay_hours, the shift's paid length)
// (a short shift never pays more cancelled than worked), rounded to the cent once.
// Payroll (src/finance) pays the unsettled rows as cancellation pay.
std::optional<Money> CancellationPay(const Shift& shift, const MarketplaceSettings& settings, Instant now);

// A row of cancellation pay owed (table cancellation_pay_owed); settled_run_id is set by
// the pay run that pays it.
struct CancellationPayOwed {
  int64_t id = 0;
  MsoId mso_id;
  ClinicianId clinician_id;
  ShiftId shift_id;
  Money amount;
  std::string reason;  // the facility's reason for cancelling
  Instant created_at;
  std::optional<int64_t> settled_run_id;
};

// ---- Claims --------------------------------------------------------------------------------
// instant book: confirmed at once. Otherwise pending -> confirmed (approved, taking an
// opening then) or declined; pending/confirmed -> cancelled when the shift is cancelled;
// pending/confirmed -> withdrawn by the clinician before the cutoff (MKT-WITHDRAW-CUTOFF).
enum class ClaimStatus { kPending, kConfirmed, kDeclined, kCancelled, kWithdrawn };
std::string_view ClaimStatusName(ClaimStatus s);  // "pending", "confirmed", "declined", "cancelled", "withdrawn"
std::optional<ClaimStatus> ParseClaimStatus(std::string_view name);

// MKT-CLAIM-TIMEOUT: when a pending claim stops waiting for the manager: its creation plus
// the facility's approval timeout, or the shift's start when that comes first.
Instant ClaimDecisionDue(Instant claimed_at, Instant shift_start, const MarketplaceSettings& settings);

// MKT-WITHDRAW-CUTOFF: a clinician may withdraw a pending or confirmed claim until this
// long before the shift starts; later, only the facility can release them.
inline constexpr std::chrono::hours kWithdrawCutoff{24};
// Errors: kConflict ("claim-decided") unless pending or confirmed; kConflict
// ("withdraw-cutoff") from kWithdrawCutoff before `shift_start` on.
Result<void> CheckWithdrawal(ClaimStatus status, Instant shift_start, Instant now);

struct Claim {
  ClaimId id;
  ShiftId shift_id;
  ClinicianId clinician_id;
  ClaimStatus status = ClaimStatus::kConfirmed;
  Instant created_at;
  std::optional<Instant> confirmed_at;  // when it last became confirmed; kept after a later change
  int revision = 0;                     // +1 on every status change (the feed's SEQUENCE)
  Instant updated_at;
  std::optional<Instant> no_show_at;    // MKT-NO-SHOW: recorded by the facility
};

// ---- After the shift: no-shows, ratings, reliability (issue 4 part 7) -------------------------
// MKT-NO-SHOW: the facility records that a confirmed clinician did not come, once the shift
// has started. Errors: kConflict "claim-not-confirmed", "already-no-show",
// "shift-not-started".
Result<void> CheckNoShow(const Claim& c, Instant shift_start, Instant now);

// MKT-RATING: after a worked shift each side rates the other once: the facility the
// clinician, the clinician the facility.
enum class Rater { kFacility, kClinician };
std::string_view RaterName(Rater r);  // "facility", "clinician"
inline constexpr int kMaxRatingTags = 10;
inline constexpr size_t kMaxRatingTagLength = 40;

struct Rating {
  ClaimId claim_id;
  Rater rater = Rater::kFacility;
  int stars = 0;                  // 1..5
  std::vector<std::string> tags;  // normalized by ValidateRating
  UserId rated_by;
  Instant created_at;
};
// Stars 1..5 ("stars": out_of_range); at most kMaxRatingTags tags ("tags": too_many), each
// 1..40 characters of ASCII letters, digits, spaces, '-' or '_' once trimmed and lower-cased
// ("tags.i": invalid), no repeats ("tags.i": duplicate). Returns the normalized tags;
// every bad field at once (kInvalidArgument).
Result<std::vector<std::string>> ValidateRating(int64_t stars, const std::vector<std::string>& tags);
// A claim may be rated once its shift has ended and it was confirmed; a clinician marked
// as a no-show cannot rate the facility. Errors: kConflict "claim-not-worked",
// "shift-not-ended".
Result<void> CheckRatable(const Claim& c, Instant shift_end, Rater rater, Instant now);

// MKT-RELIABILITY: the ranking's history inputs of a clinician (MKT-RANK), across the MSO.
//   completed  confirmed claims on shifts that have ended, no-shows excluded
//   cancelled  claims withdrawn by the clinician after they were confirmed
//   no_shows   claims the facility marked as no-shows
//   rating     the mean of the facilities' stars for the clinician; nullopt without any
struct Reliability {
  int completed = 0, cancelled = 0, no_shows = 0;
  std::optional<double> rating;
};

// ---- The clinician's calendar feed (MKT-ICAL-FEED) -----------------------------------------
// A private iCalendar URL per clinician; the secret token in it is the only credential,
// so only its SHA-256 is stored, and rotating or revoking it kills the old URL at once.
// The feed covers shifts ending from kFeedPast ago to starting kFeedAhead from now
// (far enough to hold next autumn's DST night).
inline constexpr std::chrono::hours kFeedPast{30 * 24};
inline constexpr std::chrono::hours kFeedAhead{400 * 24};

struct FeedEntry {
  bool cancelled = false;  // STATUS:CANCELLED (else CONFIRMED)
  int sequence = 0;        // SEQUENCE: grows with every status change of the claim
};
// Which claims the feed shows: confirmed ones, and ones cancelled (with the shift) or
// withdrawn after having been confirmed, as cancelled, so that subscribed calendars drop
// them (fhir-and-calendar.md B.2). Pending, declined and never-confirmed claims: nullopt.
std::optional<FeedEntry> FeedEntryOf(const Claim& c);

// ---- Tiered release (MKT-TIER-RELEASE, issue 4 part 4) ----------------------------------------
// Tier 1: the facility's own staff (home facility) and its favorites; tier 2: the MSO's
// float pool; tier 3: every other eligible clinician. A shift is offered to tier k from
// its release instant for k on (created_at, tier2_at, tier3_at); an urgent shift, and a
// facility whose tier minutes are 0, skip the waits.
inline constexpr int kTierOwn = 1, kTierFloat = 2, kTierAll = 3;
struct ReleasePlan {
  Instant tier2_at, tier3_at;
};
ReleasePlan PlanRelease(Instant posted_at, bool urgent, const MarketplaceSettings& settings);
// The tier a clinician belongs to for a facility's shifts.
int AudienceTier(FacilityId facility, const ClinicianFacts& c);
// The highest tier the shift is offered to at `now` (1..3).
int TierAt(const Shift& s, Instant now);
// When the shift opens to `tier`.
Instant ReleaseAt(const Shift& s, int tier);

// ---- Recurrence (MKT-RECURRENCE, issue 4 part 1) ------------------------------------------------
// An RFC 5545 RRULE subset: FREQ=DAILY|WEEKLY, INTERVAL=n (1..52), BYDAY=MO,TU,.. (WEEKLY
// only), and exactly one of COUNT=n or UNTIL=YYYYMMDD (a local date, inclusive). Dates are
// the local start dates in the facility's zone; each is resolved to instants separately,
// so every occurrence keeps its wall-clock times across DST changes.
inline constexpr int kMaxOccurrences = 62;
struct Recurrence {
  bool weekly = false;
  int interval = 1;
  std::vector<int> by_day;  // 0 = Monday .. 6 = Sunday, sorted, unique
  std::optional<int> count;
  std::optional<Date> until;
};
// Errors: kInvalidArgument on "recurrence" (invalid_rrule, with the reason).
Result<Recurrence> ParseRecurrence(std::string_view rrule);
// The occurrences' local start dates from `first` on (the first is `first` itself when it
// matches BYDAY). Errors: kInvalidArgument recurrence:too_many above kMaxOccurrences,
// recurrence:empty when no date matches.
Result<std::vector<Date>> ExpandRecurrence(const Recurrence& r, Date first);

// ---- Shift edits (MKT-SHIFT-EDIT, issue 4 part 1) -----------------------------------------------
// What a manager changes; absent fields keep their value. Times are local in the shift's
// zone; a changed start or end is resolved like a posting (MKT-LOCAL-TIME).
struct ShiftEdit {
  std::optional<LocalDateTime> start_local, end_local;
  std::optional<Fold> start_fold, end_fold;
  std::optional<int> break_minutes;
  std::optional<Money> pay_rate, bill_rate, incentive;
  std::optional<int> openings;
  std::optional<std::string> notes;
  std::string reason;  // required, 1..1000 characters
};
// The shift after the edit, validated like a posting (MKT-SHIFT-VALID; every bad field at
// once). Errors: kInvalidArgument (reason:required, nothing_to_change); kConflict
// "shift-cancelled", "shift-started"; "openings-below-confirmed" when openings would drop
// below the confirmed claims. The result's status is filled exactly when filled ==
// openings. REQUIRES: `current.unit_id` is in `units`.
Result<Shift> ApplyEdit(const Shift& current, const ShiftEdit& e, const org::Facility& facility,
                        const std::vector<org::Unit>& units, const std::vector<credentialing::Discipline>& disciplines,
                        Instant now);
// The rules a changed time re-checks for a booked clinician: those that depend on when the
// shift is (the license on the new date, overlap, rest, weekly hours, consecutive days).
bool IsTimeRule(std::string_view rule_id);

// ---- Fill metrics (MKT-FILL-METRICS, issue 4 part 8) ---------------------------------------------
// One shift as the metrics see it: its openings, and when each confirmed claim was confirmed.
struct FillSample {
  FacilityId facility_id;
  UnitId unit_id;
  std::string discipline;
  Instant start, posted_at;
  std::string time_zone;
  int openings = 0;
  std::vector<Instant> confirmed_at;  // one per confirmed claim
};
struct FillGroupBy {
  bool facility = false, unit = false, discipline = false, week = false;
};
struct FillGroup {
  std::optional<FacilityId> facility_id;
  std::optional<UnitId> unit_id;
  std::optional<std::string> discipline;
  std::optional<std::string> week;  // ISO 8601 week of the local start, "2026-W49"
  int shifts = 0, openings = 0, filled = 0;
  // fill rate = filled / openings; time to fill = confirmed_at - posted_at, in minutes
  std::optional<int64_t> median_minutes, p90_minutes, mean_minutes;
};
// Groups by the chosen keys (all in one group when none), ordered by key.
std::vector<FillGroup> FillMetrics(const std::vector<FillSample>& samples, const FillGroupBy& by);
// "2026-W49" for a date (ISO 8601: weeks start Monday; week 1 holds the year's first Thursday).
std::string IsoWeek(Date d);

// ---- Candidate index (MKT-CANDIDATE-INDEX, issue 4 "Performance") ------------------------------
// An in-memory spatial index of clinicians' homes, travel radii and disciplines, so that the
// candidates of a new posting are found without scanning every clinician. Each clinician is
// filed, per discipline, under every 0.5-degree latitude/longitude cell their travel circle
// reaches, with their coordinates inline (a query scans one contiguous list); a query reads
// the list of the facility's cell and discipline and checks each entry exactly
// (great-circle distance). The answer is a pre-selection: callers run the
// full rules (Evaluate) on it, against the database, as the claim path always does.
struct IndexedClinician {
  ClinicianId id;
  GeoPoint home;
  int64_t travel_radius_km = 0;
  std::vector<std::string> disciplines;
  bool active = true;  // inactive clinicians are not indexed
};

// Thread-safe: queries share a lock, changes take it exclusively.
class CandidateIndex {
 public:
  static constexpr double kCellDegrees = 0.5;
  static constexpr int kMaxDisciplines = 32;  // distinct discipline codes (a small table)
  // Adds or replaces a clinician; an inactive one, or one with an invalid home, is removed.
  // Returns false (and indexes nothing) when a 33rd distinct discipline code appears.
  bool Upsert(const IndexedClinician& c);
  void Remove(ClinicianId id);
  // Active clinicians holding `discipline` whose home is within their travel radius of
  // `where` (haversine, as MKT-ELIG-DISTANCE, with 1 m of slack), in no particular order.
  std::vector<ClinicianId> Query(GeoPoint where, std::string_view discipline) const;
  size_t size() const;
  // Bytes held by the index's own structures (allocated capacity, hash buckets and nodes).
  size_t MemoryBytes() const;

 private:
  struct Slot {
    int64_t id = 0;
    float lat = 0, lon = 0, cos_lat = 0;
    float radius_km = 0;
    float threshold = 0;  // sin^2(radius / 2R): within the radius when haversine h <= it
    uint32_t disciplines = 0;  // bit i: discipline_codes_[i]
  };
  // One clinician in one (cell, discipline) list: what the distance check reads, inline.
  struct Entry {
    float lat, lon, cos_lat, threshold;
    int64_t id;
  };
  // The cells a slot is filed under (from its stored values, so removal finds the same).
  static std::vector<int64_t> CellsOf(const Slot& s);
  void RemoveLocked(int64_t id);
  static int64_t CellKey(int lat_idx, int lon_idx) { return int64_t{lat_idx} * 4096 + lon_idx; }
  static int64_t ListKey(int64_t cell, int bit) { return cell * 32 + bit; }
  mutable std::shared_mutex mu_;
  std::vector<Slot> slots_;                 // slot 0 unused
  std::vector<uint32_t> free_;              // reusable slots
  std::unordered_map<int64_t, uint32_t> slot_of_;
  std::unordered_map<int64_t, std::vector<Entry>> lists_;  // by ListKey(cell, discipline bit)
  std::vector<std::string> discipline_codes_;
};

// ---- Repository ------------------------------------------------------------------------------
// Storage of shifts and claims. Implementations run inside the caller's transaction and
// are not thread-safe.
class MarketplaceRepository {
 public:
  virtual ~MarketplaceRepository() = default;
  virtual Result<ShiftId> CreateShift(const Shift& s) = 0;
  // Errors: kNotFound.
  virtual Result<Shift> GetShift(ShiftId id) = 0;
  // Shifts of a facility starting in [from, to), by start.
  virtual Result<std::vector<Shift>> ListShifts(FacilityId f, Instant from, Instant to) = 0;
  // Nullopt when the facility has no rate for the discipline.
  virtual Result<std::optional<Money>> RateCard(FacilityId f, std::string_view discipline) = 0;
  // Serializes claims of one clinician until the transaction ends (PostgreSQL: row lock on
  // the clinician; SQLite: the single writer already serializes). Call before reading
  // BookedShifts in a claim. Errors: kNotFound.
  virtual Result<void> LockClinician(ClinicianId c) = 0;
  // Confirmed claims of the clinician on shifts overlapping [from, to).
  virtual Result<std::vector<BookedShift>> BookedShifts(ClinicianId c, Instant from, Instant to) = 0;
  // MKT-CLAIM-EXACT: takes one opening if the shift is open and not full, in one
  // conditional statement; false when none was taken.
  virtual Result<bool> TakeOpening(ShiftId id, Instant now) = 0;
  virtual Result<ClaimId> InsertClaim(ShiftId s, ClinicianId c, ClaimStatus status, Instant now) = 0;
  virtual Result<std::vector<Claim>> ListClaims(ShiftId s) = 0;
  // Errors: kNotFound.
  virtual Result<Claim> GetClaim(ClaimId id) = 0;
  // The clinician's claim on the shift, whatever its status.
  virtual Result<std::optional<Claim>> FindClaim(ShiftId s, ClinicianId c) = 0;
  // Moves a claim from `from` to `to`; false when it was no longer in `from`.
  virtual Result<bool> SetClaimStatus(ClaimId id, ClaimStatus from, ClaimStatus to, Instant now) = 0;
  // Gives back an opening of a shift whose confirmed claim was withdrawn (filled - 1;
  // a filled shift opens again). False when nothing was filled.
  virtual Result<bool> ReleaseOpening(ShiftId id, Instant now) = 0;
  // The facility's settings; the defaults when none are stored.
  virtual Result<MarketplaceSettings> GetSettings(FacilityId f) = 0;
  virtual Result<void> PutSettings(FacilityId f, const MarketplaceSettings& s, Instant now) = 0;
  // Cancels the shift and its pending and confirmed claims. False when it was already cancelled.
  virtual Result<bool> CancelShift(ShiftId id, std::string_view reason, Instant now) = 0;
  // Records cancellation pay owed; returns its id. Errors: kConflict ("unique-violation")
  // when the clinician already has a row for the shift.
  virtual Result<int64_t> RecordCancellationPay(const CancellationPayOwed& row) = 0;
  virtual Result<bool> IsExcluded(ClinicianId c) = 0;
  virtual Result<bool> IsDoNotReturn(FacilityId f, ClinicianId c) = 0;
  virtual Result<bool> IsFavorite(FacilityId f, ClinicianId c) = 0;
  // Open shifts of the MSO starting at or after `from`, by start, at most `limit`.
  virtual Result<std::vector<Shift>> ListOpenShifts(MsoId mso, Instant from, int limit) = 0;
  // Pending claims that may be due for the timeout at `now` (created at least their
  // facility's approval timeout ago, or on a shift that has started), oldest first, at
  // most `limit`. A pre-selection: the caller re-checks ClaimDecisionDue under the lock.
  virtual Result<std::vector<Claim>> PendingClaimsDue(Instant now, int limit) = 0;
  // The clinician's claims, newest shift first, on shifts ending at or after `from`.
  virtual Result<std::vector<Claim>> ListClaimsOf(ClinicianId c, Instant from) = 0;
  // MKT-NO-SHOW: marks a confirmed claim a no-show (bumps its revision); false when it was
  // not confirmed or already marked.
  virtual Result<bool> MarkNoShow(ClaimId id, Instant now) = 0;
  // MKT-RATING: stores a rating; false when this side already rated the claim.
  virtual Result<bool> InsertRating(const Rating& r) = 0;
  // MKT-RELIABILITY: the clinician's history as of `now`.
  virtual Result<Reliability> ReliabilityOf(ClinicianId c, Instant now) = 0;
  // Active clinicians of the MSO holding the discipline whose home lies in the box their own
  // travel radius spans around `near` (candidate pool, MKT-POOL-BOX): a superset of those
  // MKT-ELIG-DISTANCE passes, so a posting checks the clinicians in reach, not every
  // clinician of the discipline (a clinician without a home fails that rule and is left out).
  virtual Result<std::vector<ClinicianId>> ClinicianPool(MsoId mso, std::string_view discipline, GeoPoint near) = 0;
  // The clinician's calendar-feed token (its SHA-256, hex): set replaces any earlier one.
  virtual Result<void> PutCalendarToken(ClinicianId c, std::string_view token_sha256, Instant now) = 0;
  // False when the clinician had none.
  virtual Result<bool> DeleteCalendarToken(ClinicianId c) = 0;
  // The clinician whose current token has this hash; nullopt for unknown or revoked ones.
  virtual Result<std::optional<ClinicianId>> FindCalendarToken(std::string_view token_sha256) = 0;
  // MKT-SHIFT-EDIT: stores the edited fields of `s` unless the shift was cancelled or
  // more claims were confirmed meanwhile than `s.openings`; sets the status from filled vs
  // openings; records the edit (reason, changes as JSON). False when refused.
  virtual Result<bool> UpdateShift(const Shift& s, UserId by, std::string_view reason, std::string_view changes_json,
                                   Instant now) = 0;
  // MKT-TIER-RELEASE: raises released_tier to `tier` and records (shift, tier, at) for each
  // newly released tier; false when another server did it first (only one notifies).
  virtual Result<bool> RecordRelease(ShiftId id, int from_tier, int tier, Instant now) = 0;
  // Open shifts starting after `now` whose next tier's release instant has passed.
  virtual Result<std::vector<Shift>> ReleasesDue(Instant now, int limit) = 0;
  // MKT-FILL-METRICS: shifts of the facility starting in [from, to), not cancelled.
  virtual Result<std::vector<FillSample>> FillSamples(FacilityId f, Instant from, Instant to) = 0;
};

}  // namespace openmso::marketplace
