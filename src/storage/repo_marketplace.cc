// SQL implementation of marketplace::MarketplaceRepository: shifts, claims, rate cards,
// favorites, do-not-return lists and exclusions. The claim statements are the exact part:
// TakeOpening is one conditional UPDATE, and LockClinician serializes one clinician's
// claims on PostgreSQL (SQLite's single writer already does).
#include <cmath>

#include "storage/storage.h"

namespace openmso::storage {
namespace {

using namespace marketplace;

#define OPENMSO_SHIFT_COLUMNS                                                                                 \
  "id, mso_id, facility_id, unit_id, discipline, start_at, end_at, time_zone, break_minutes, pay_rate_cents, " \
  "bill_rate_cents, incentive_cents, openings, filled, status, urgent, notes, cancel_reason, created_at, tier2_at, " \
  "tier3_at, released_tier"
constexpr Statement kInsertShift{"mkt.insert_shift",
    "INSERT INTO shifts (mso_id, facility_id, unit_id, discipline, start_at, end_at, time_zone, break_minutes, "
    "pay_rate_cents, bill_rate_cents, incentive_cents, openings, filled, status, urgent, notes, created_at, updated_at, "
    "tier2_at, tier3_at, released_tier) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'open', ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kGetShift{"mkt.get_shift", "SELECT " OPENMSO_SHIFT_COLUMNS " FROM shifts WHERE id = ?"};
constexpr Statement kListShifts{"mkt.list_shifts",
    "SELECT " OPENMSO_SHIFT_COLUMNS " FROM shifts WHERE facility_id = ? AND start_at >= ? AND start_at < ? "
    "ORDER BY start_at, id LIMIT 2000"};
constexpr Statement kListOpenShifts{"mkt.list_open_shifts",
    "SELECT " OPENMSO_SHIFT_COLUMNS " FROM shifts WHERE mso_id = ? AND status = 'open' AND start_at >= ? "
    "ORDER BY start_at, id LIMIT ?"};
// MKT-TIER-RELEASE: open future shifts whose next tier is due (the index on
// released_tier keeps this to the few shifts still in tiers 1-2).
constexpr Statement kReleasesDue{"mkt.releases_due",
    "SELECT " OPENMSO_SHIFT_COLUMNS " FROM shifts WHERE released_tier < 3 AND status = 'open' AND start_at > ? "
    "AND ((released_tier < 2 AND tier2_at <= ?) OR tier3_at <= ?) ORDER BY tier2_at, id LIMIT ?"};
#undef OPENMSO_SHIFT_COLUMNS
// The release itself: one conditional UPDATE, so that one server of several wins.
constexpr Statement kRaiseTier{"mkt.raise_tier",
    "UPDATE shifts SET released_tier = ? WHERE id = ? AND released_tier = ?"};
constexpr Statement kInsertRelease{"mkt.insert_release",
    "INSERT INTO shift_releases (shift_id, tier, released_at) VALUES (?, ?, ?) ON CONFLICT (shift_id, tier) DO NOTHING"};
// MKT-SHIFT-EDIT: refused when cancelled meanwhile or when claims confirmed meanwhile
// exceed the new openings (on PostgreSQL a racing TakeOpening waits for this row lock).
constexpr Statement kUpdateShift{"mkt.update_shift",
    "UPDATE shifts SET start_at = ?, end_at = ?, break_minutes = ?, pay_rate_cents = ?, bill_rate_cents = ?, "
    "incentive_cents = ?, openings = ?, notes = ?, "
    "status = CASE WHEN filled >= ? THEN 'filled' ELSE 'open' END, updated_at = ? "
    "WHERE id = ? AND status <> 'cancelled' AND filled <= ?"};
constexpr Statement kInsertEdit{"mkt.insert_edit",
    "INSERT INTO shift_edits (shift_id, edited_by, reason, changes, created_at) VALUES (?, ?, ?, ?, ?)"};
// MKT-FILL-METRICS: a facility's shifts in the range with the confirmation instants of
// their confirmed claims (NULL for a shift without any), one row per claim.
constexpr Statement kFillSamples{"mkt.fill_samples",
    "SELECT s.id, s.unit_id, s.discipline, s.start_at, s.created_at, s.time_zone, s.openings, c.confirmed_at "
    "FROM shifts s LEFT JOIN shift_claims c ON c.shift_id = s.id AND c.status = 'confirmed' "
    "WHERE s.facility_id = ? AND s.start_at >= ? AND s.start_at < ? AND s.status <> 'cancelled' "
    "ORDER BY s.start_at, s.id LIMIT 200000"};
#define OPENMSO_CLAIM_COLUMNS "id, shift_id, clinician_id, status, created_at, confirmed_at, revision, updated_at, no_show_at"
constexpr Statement kListClaimsOf{"mkt.list_claims_of",
    "SELECT c.id, c.shift_id, c.clinician_id, c.status, c.created_at, c.confirmed_at, c.revision, c.updated_at, c.no_show_at "
    "FROM shift_claims c JOIN shifts s ON s.id = c.shift_id "
    "WHERE c.clinician_id = ? AND s.end_at >= ? ORDER BY s.start_at DESC, c.id LIMIT 500"};
constexpr Statement kRateCard{"mkt.rate_card",
    "SELECT bill_rate_cents FROM rate_cards WHERE facility_id = ? AND discipline = ?"};
constexpr Statement kLockClinician{"mkt.lock_clinician", "SELECT id FROM clinicians WHERE id = ? FOR UPDATE"};
constexpr Statement kBooked{"mkt.booked",
    "SELECT s.id, s.start_at, s.end_at, s.break_minutes, s.time_zone FROM shift_claims c JOIN shifts s ON s.id = c.shift_id "
    "WHERE c.clinician_id = ? AND c.status = 'confirmed' AND s.start_at < ? AND s.end_at > ? ORDER BY s.start_at"};
// MKT-CLAIM-EXACT: never more confirmed claims than openings. On PostgreSQL a concurrent
// updater waits for the row lock and then re-checks the WHERE clause on the new row.
constexpr Statement kTakeOpening{"mkt.take_opening",
    "UPDATE shifts SET filled = filled + 1, status = CASE WHEN filled + 1 >= openings THEN 'filled' ELSE 'open' END, "
    "updated_at = ? WHERE id = ? AND status = 'open' AND filled < openings RETURNING filled"};
constexpr Statement kReleaseOpening{"mkt.release_opening",
    "UPDATE shifts SET filled = filled - 1, status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, "
    "updated_at = ? WHERE id = ? AND filled > 0"};
constexpr Statement kInsertClaim{"mkt.insert_claim",
    "INSERT INTO shift_claims (shift_id, clinician_id, status, created_at, updated_at, confirmed_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kListClaims{"mkt.list_claims",
    "SELECT " OPENMSO_CLAIM_COLUMNS " FROM shift_claims WHERE shift_id = ? ORDER BY id"};
constexpr Statement kGetClaim{"mkt.get_claim", "SELECT " OPENMSO_CLAIM_COLUMNS " FROM shift_claims WHERE id = ?"};
constexpr Statement kFindClaim{"mkt.find_claim",
    "SELECT " OPENMSO_CLAIM_COLUMNS " FROM shift_claims WHERE shift_id = ? AND clinician_id = ?"};
#undef OPENMSO_CLAIM_COLUMNS
// Every status change bumps the revision (the calendar feed's SEQUENCE).
constexpr Statement kSetClaimStatus{"mkt.set_claim_status",
    "UPDATE shift_claims SET status = ?, updated_at = ?, revision = revision + 1, "
    "confirmed_at = COALESCE(?, confirmed_at) WHERE id = ? AND status = ?"};
constexpr Statement kGetSettings{"mkt.get_settings",
    "SELECT instant_book, min_rest_minutes, weekly_hours_cap, cancellation_window_hours, cancellation_pay_hours, "
    "approval_timeout_minutes, approval_timeout_action, max_consecutive_days, tier1_minutes, tier2_minutes "
    "FROM marketplace_settings "
    "WHERE facility_id = ?"};
constexpr Statement kPutSettings{"mkt.put_settings",
    "INSERT INTO marketplace_settings (facility_id, instant_book, min_rest_minutes, weekly_hours_cap, "
    "cancellation_window_hours, cancellation_pay_hours, approval_timeout_minutes, approval_timeout_action, "
    "max_consecutive_days, updated_at, tier1_minutes, tier2_minutes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (facility_id) DO UPDATE SET instant_book = excluded.instant_book, "
    "min_rest_minutes = excluded.min_rest_minutes, weekly_hours_cap = excluded.weekly_hours_cap, "
    "cancellation_window_hours = excluded.cancellation_window_hours, "
    "cancellation_pay_hours = excluded.cancellation_pay_hours, approval_timeout_minutes = excluded.approval_timeout_minutes, "
    "approval_timeout_action = excluded.approval_timeout_action, max_consecutive_days = excluded.max_consecutive_days, "
    "updated_at = excluded.updated_at, tier1_minutes = excluded.tier1_minutes, tier2_minutes = excluded.tier2_minutes"};
// MKT-CLAIM-TIMEOUT pre-selection; 120 mirrors MarketplaceSettings' default for facilities
// that never stored settings.
constexpr Statement kPendingDue{"mkt.pending_due",
    "SELECT c.id, c.shift_id, c.clinician_id, c.status, c.created_at, c.confirmed_at, c.revision, c.updated_at, "
    "c.no_show_at FROM shift_claims c JOIN shifts s ON s.id = c.shift_id "
    "LEFT JOIN marketplace_settings m ON m.facility_id = s.facility_id "
    "WHERE c.status = 'pending' AND (c.created_at + COALESCE(m.approval_timeout_minutes, 120) * 60000 <= ? "
    "OR s.start_at <= ?) ORDER BY c.created_at, c.id LIMIT ?"};
constexpr Statement kInsertCancellationPay{"mkt.insert_cancellation_pay",
    "INSERT INTO cancellation_pay_owed (mso_id, clinician_id, shift_id, amount_cents, reason, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kCancelShift{"mkt.cancel_shift",
    "UPDATE shifts SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ? AND status <> 'cancelled'"};
constexpr Statement kCancelClaims{"mkt.cancel_claims",
    "UPDATE shift_claims SET status = 'cancelled', updated_at = ?, revision = revision + 1 "
    "WHERE shift_id = ? AND status IN ('pending', 'confirmed')"};
constexpr Statement kIsExcluded{"mkt.is_excluded", "SELECT 1 FROM clinician_exclusions WHERE clinician_id = ? LIMIT 1"};
constexpr Statement kIsDnr{"mkt.is_dnr",
    "SELECT 1 FROM facility_do_not_return WHERE facility_id = ? AND clinician_id = ?"};
constexpr Statement kIsFavorite{"mkt.is_favorite",
    "SELECT 1 FROM facility_favorites WHERE facility_id = ? AND clinician_id = ?"};
constexpr Statement kPutCalendarToken{"mkt.put_calendar_token",
    "INSERT INTO calendar_tokens (clinician_id, token_sha256, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (clinician_id) DO UPDATE SET token_sha256 = excluded.token_sha256, created_at = excluded.created_at"};
constexpr Statement kDeleteCalendarToken{"mkt.delete_calendar_token", "DELETE FROM calendar_tokens WHERE clinician_id = ?"};
constexpr Statement kFindCalendarToken{"mkt.find_calendar_token",
    "SELECT clinician_id FROM calendar_tokens WHERE token_sha256 = ?"};
constexpr Statement kMarkNoShow{"mkt.mark_no_show",
    "UPDATE shift_claims SET no_show_at = ?, updated_at = ?, revision = revision + 1 "
    "WHERE id = ? AND status = 'confirmed' AND no_show_at IS NULL"};
constexpr Statement kInsertRating{"mkt.insert_rating",
    "INSERT INTO claim_ratings (claim_id, rater, stars, tags, rated_by, created_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (claim_id, rater) DO NOTHING"};
// MKT-RELIABILITY
constexpr Statement kHistory{"mkt.history",
    "SELECT COALESCE(SUM(CASE WHEN c.status = 'confirmed' AND c.no_show_at IS NULL AND s.end_at <= ? THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN c.status = 'withdrawn' AND c.confirmed_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN c.no_show_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
    "FROM shift_claims c JOIN shifts s ON s.id = c.shift_id WHERE c.clinician_id = ?"};
constexpr Statement kRatingOf{"mkt.rating_of",
    "SELECT COUNT(*), COALESCE(SUM(r.stars), 0) FROM claim_ratings r JOIN shift_claims c ON c.id = r.claim_id "
    "WHERE c.clinician_id = ? AND r.rater = 'facility'"};
constexpr Statement kPool{"mkt.pool",
    "SELECT c.id FROM clinicians c JOIN clinician_disciplines d ON d.clinician_id = c.id "
    "WHERE c.mso_id = ? AND c.status = 'active' AND d.discipline = ? "
    "AND c.home_latitude_e6 BETWEEN ? - c.travel_radius_km * ? AND ? + c.travel_radius_km * ? "
    "AND c.home_longitude_e6 BETWEEN ? - c.travel_radius_km * ? AND ? + c.travel_radius_km * ? "
    "GROUP BY c.id ORDER BY c.id"};

Shift ShiftFromRow(const Row& r) {
  Shift s;
  s.id = ShiftId(r.Int(0));
  s.mso_id = MsoId(r.Int(1));
  s.facility_id = FacilityId(r.Int(2));
  s.unit_id = UnitId(r.Int(3));
  s.discipline = r.Text(4);
  s.start = FromUnixMillis(r.Int(5));
  s.end = FromUnixMillis(r.Int(6));
  s.time_zone = r.Text(7);
  s.break_minutes = static_cast<int>(r.Int(8));
  s.pay_rate = Money::Cents(r.Int(9));
  s.bill_rate = Money::Cents(r.Int(10));
  s.incentive = Money::Cents(r.Int(11));
  s.openings = static_cast<int>(r.Int(12));
  s.filled = static_cast<int>(r.Int(13));
  s.status = ParseShiftStatus(r.Text(14)).value_or(ShiftStatus::kOpen);
  s.urgent = r.Bool(15);
  s.notes = r.Text(16);
  s.cancel_reason = r.Text(17);
  s.created_at = FromUnixMillis(r.Int(18));
  s.tier2_at = FromUnixMillis(r.Int(19));
  s.tier3_at = FromUnixMillis(r.Int(20));
  s.released_tier = static_cast<int>(r.Int(21));
  return s;
}

Claim ClaimFromRow(const Row& r) {
  Claim c{ClaimId(r.Int(0)), ShiftId(r.Int(1)), ClinicianId(r.Int(2)),
          ParseClaimStatus(r.Text(3)).value_or(ClaimStatus::kCancelled), FromUnixMillis(r.Int(4))};
  if (!r.IsNull(5)) c.confirmed_at = FromUnixMillis(r.Int(5));
  c.revision = static_cast<int>(r.Int(6));
  c.updated_at = FromUnixMillis(r.Int(7));
  if (!r.IsNull(8)) c.no_show_at = FromUnixMillis(r.Int(8));
  return c;
}

}  // namespace

Result<ShiftId> SqlMarketplaceRepository::CreateShift(const Shift& s) {
  int64_t now = ToUnixMillis(s.created_at);
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertShift, {s.mso_id.value, s.facility_id.value, s.unit_id.value,
                                                              s.discipline, ToUnixMillis(s.start), ToUnixMillis(s.end),
                                                              s.time_zone, int64_t{s.break_minutes}, s.pay_rate.cents(),
                                                              s.bill_rate.cents(), s.incentive.cents(),
                                                              int64_t{s.openings}, int64_t{s.urgent}, s.notes, now, now,
                                                              ToUnixMillis(s.tier2_at), ToUnixMillis(s.tier3_at),
                                                              int64_t{s.released_tier}}));
  return ShiftId(rows.at(0).Int(0));
}

Result<Shift> SqlMarketplaceRepository::GetShift(ShiftId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetShift, {id.value}));
  if (!row) return Error::NotFound("The shift");
  return ShiftFromRow(*row);
}

Result<std::vector<Shift>> SqlMarketplaceRepository::ListShifts(FacilityId f, Instant from, Instant to) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListShifts, {f.value, ToUnixMillis(from), ToUnixMillis(to)}));
  std::vector<Shift> out;
  for (const auto& r : rows) out.push_back(ShiftFromRow(r));
  return out;
}

Result<std::optional<Money>> SqlMarketplaceRepository::RateCard(FacilityId f, std::string_view discipline) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kRateCard, {f.value, std::string(discipline)}));
  if (!row) return std::optional<Money>();
  return std::optional<Money>(Money::Cents(row->Int(0)));
}

Result<void> SqlMarketplaceRepository::LockClinician(ClinicianId c) {
  if (s_.backend() != Backend::kPostgres) return Ok();  // BEGIN IMMEDIATE: one writer at a time
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kLockClinician, {c.value}));
  if (!row) return Error::NotFound("The clinician");
  return Ok();
}

Result<std::vector<BookedShift>> SqlMarketplaceRepository::BookedShifts(ClinicianId c, Instant from, Instant to) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kBooked, {c.value, ToUnixMillis(to), ToUnixMillis(from)}));
  std::vector<BookedShift> out;
  for (const auto& r : rows) {
    BookedShift b{ShiftId(r.Int(0)), FromUnixMillis(r.Int(1)), FromUnixMillis(r.Int(2)), {}, r.Text(4)};
    b.paid = std::chrono::duration_cast<std::chrono::minutes>(b.end - b.start) - std::chrono::minutes(r.Int(3));
    out.push_back(b);
  }
  return out;
}

Result<bool> SqlMarketplaceRepository::TakeOpening(ShiftId id, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kTakeOpening, {ToUnixMillis(now), id.value}));
  return !rows.empty();
}

Result<ClaimId> SqlMarketplaceRepository::InsertClaim(ShiftId s, ClinicianId c, ClaimStatus status, Instant now) {
  Value confirmed = status == ClaimStatus::kConfirmed ? Value(ToUnixMillis(now)) : Null();
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertClaim, {s.value, c.value, std::string(ClaimStatusName(status)),
                                                              ToUnixMillis(now), ToUnixMillis(now), confirmed}));
  return ClaimId(rows.at(0).Int(0));
}

Result<std::vector<Claim>> SqlMarketplaceRepository::ListClaims(ShiftId s) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListClaims, {s.value}));
  std::vector<Claim> out;
  for (const auto& r : rows) out.push_back(ClaimFromRow(r));
  return out;
}

Result<Claim> SqlMarketplaceRepository::GetClaim(ClaimId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetClaim, {id.value}));
  if (!row) return Error::NotFound("The claim");
  return ClaimFromRow(*row);
}

Result<std::optional<Claim>> SqlMarketplaceRepository::FindClaim(ShiftId s, ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindClaim, {s.value, c.value}));
  if (!row) return std::optional<Claim>();
  return std::optional<Claim>(ClaimFromRow(*row));
}

Result<bool> SqlMarketplaceRepository::SetClaimStatus(ClaimId id, ClaimStatus from, ClaimStatus to, Instant now) {
  Value confirmed = to == ClaimStatus::kConfirmed ? Value(ToUnixMillis(now)) : Null();
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kSetClaimStatus, {std::string(ClaimStatusName(to)), ToUnixMillis(now), confirmed,
                                                                id.value, std::string(ClaimStatusName(from))}));
  return n == 1;
}

Result<bool> SqlMarketplaceRepository::ReleaseOpening(ShiftId id, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kReleaseOpening, {ToUnixMillis(now), id.value}));
  return n == 1;
}

Result<MarketplaceSettings> SqlMarketplaceRepository::GetSettings(FacilityId f) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetSettings, {f.value}));
  MarketplaceSettings out;
  if (!row) return out;
  out.instant_book = row->Bool(0);
  out.eligibility.min_rest = std::chrono::minutes(row->Int(1));
  out.eligibility.weekly_hours_cap = static_cast<int>(row->Int(2));
  out.cancellation_window_hours = static_cast<int>(row->Int(3));
  out.cancellation_pay_hours = static_cast<int>(row->Int(4));
  out.approval_timeout_minutes = static_cast<int>(row->Int(5));
  out.approval_timeout_action = ParseTimeoutAction(row->Text(6)).value_or(TimeoutAction::kDecline);
  out.eligibility.max_consecutive_days = static_cast<int>(row->Int(7));
  out.tier1_minutes = static_cast<int>(row->Int(8));
  out.tier2_minutes = static_cast<int>(row->Int(9));
  return out;
}

Result<void> SqlMarketplaceRepository::PutSettings(FacilityId f, const MarketplaceSettings& s, Instant now) {
  OPENMSO_TRY(s_.Exec(kPutSettings, {f.value, int64_t{s.instant_book}, static_cast<int64_t>(s.eligibility.min_rest.count()),
                                     int64_t{s.eligibility.weekly_hours_cap}, int64_t{s.cancellation_window_hours},
                                     int64_t{s.cancellation_pay_hours}, int64_t{s.approval_timeout_minutes},
                                     std::string(TimeoutActionName(s.approval_timeout_action)),
                                     int64_t{s.eligibility.max_consecutive_days}, ToUnixMillis(now),
                                     int64_t{s.tier1_minutes}, int64_t{s.tier2_minutes}}));
  return Ok();
}

Result<bool> SqlMarketplaceRepository::CancelShift(ShiftId id, std::string_view reason, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kCancelShift, {std::string(reason), ToUnixMillis(now), id.value}));
  if (n == 0) return false;
  OPENMSO_TRY(s_.Exec(kCancelClaims, {ToUnixMillis(now), id.value}));
  return true;
}

Result<int64_t> SqlMarketplaceRepository::RecordCancellationPay(const CancellationPayOwed& row) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertCancellationPay, {row.mso_id.value, row.clinician_id.value,
                                                                        row.shift_id.value, row.amount.cents(), row.reason,
                                                                        ToUnixMillis(row.created_at)}));
  return rows.at(0).Int(0);
}

Result<bool> SqlMarketplaceRepository::MarkNoShow(ClaimId id, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kMarkNoShow, {ToUnixMillis(now), ToUnixMillis(now), id.value}));
  return n == 1;
}

Result<bool> SqlMarketplaceRepository::InsertRating(const Rating& r) {
  std::string tags = "[";
  for (size_t i = 0; i < r.tags.size(); ++i) {
    tags += i ? ",\"" : "\"";
    for (char ch : r.tags[i]) {  // normalized tags hold no quotes or backslashes; escape anyway
      if (ch == '"' || ch == '\\') tags += '\\';
      tags += ch;
    }
    tags += '"';
  }
  tags += "]";
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kInsertRating, {r.claim_id.value, std::string(RaterName(r.rater)),
                                                              int64_t{r.stars}, tags, r.rated_by.value,
                                                              ToUnixMillis(r.created_at)}));
  return n == 1;
}

Result<Reliability> SqlMarketplaceRepository::ReliabilityOf(ClinicianId c, Instant now) {
  Reliability out;
  OPENMSO_ASSIGN_OR_RETURN(auto h, s_.QueryOne(kHistory, {ToUnixMillis(now), c.value}));
  if (h) {
    out.completed = static_cast<int>(h->Int(0));
    out.cancelled = static_cast<int>(h->Int(1));
    out.no_shows = static_cast<int>(h->Int(2));
  }
  OPENMSO_ASSIGN_OR_RETURN(auto r, s_.QueryOne(kRatingOf, {c.value}));
  if (r && r->Int(0) > 0) out.rating = static_cast<double>(r->Int(1)) / static_cast<double>(r->Int(0));
  return out;
}

Result<bool> SqlMarketplaceRepository::IsExcluded(ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kIsExcluded, {c.value}));
  return row.has_value();
}

Result<bool> SqlMarketplaceRepository::IsDoNotReturn(FacilityId f, ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kIsDnr, {f.value, c.value}));
  return row.has_value();
}

Result<bool> SqlMarketplaceRepository::IsFavorite(FacilityId f, ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kIsFavorite, {f.value, c.value}));
  return row.has_value();
}

Result<std::vector<Shift>> SqlMarketplaceRepository::ListOpenShifts(MsoId mso, Instant from, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListOpenShifts, {mso.value, ToUnixMillis(from), int64_t{limit}}));
  std::vector<Shift> out;
  for (const auto& r : rows) out.push_back(ShiftFromRow(r));
  return out;
}

Result<std::vector<Claim>> SqlMarketplaceRepository::PendingClaimsDue(Instant now, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kPendingDue, {ToUnixMillis(now), ToUnixMillis(now), int64_t{limit}}));
  std::vector<Claim> out;
  for (const auto& r : rows) out.push_back(ClaimFromRow(r));
  return out;
}

Result<std::vector<Claim>> SqlMarketplaceRepository::ListClaimsOf(ClinicianId c, Instant from) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListClaimsOf, {c.value, ToUnixMillis(from)}));
  std::vector<Claim> out;
  for (const auto& r : rows) out.push_back(ClaimFromRow(r));
  return out;
}

Result<std::vector<ClinicianId>> SqlMarketplaceRepository::ClinicianPool(MsoId mso, std::string_view discipline,
                                                                          GeoPoint near) {
  // MKT-POOL-BOX: on the sphere DistanceMeters uses, a point within D km lies within D / 111.19
  // degrees of latitude, and within D / (111.19 cos phi) degrees of longitude where phi is the
  // highest latitude it can have (|lat| + 4.5 degrees for the 500 km maximum radius). The
  // factors are in millionths of a degree per km, rounded up with a margin. (No facility or
  // clinician lies across the antimeridian; the Aleutians west of 180 degrees would need a
  // second box.)
  constexpr int64_t kLatPerKm = 9000;  // 1e6 / 111.19 = 8994
  const double phi = std::min(89.0, std::abs(near.latitude) + 4.6) * 3.14159265358979323846 / 180.0;
  const int64_t lon_per_km = static_cast<int64_t>(std::ceil(1.01e6 / (111.19 * std::cos(phi))));
  const int64_t lat = ToE6(near.latitude), lon = ToE6(near.longitude);
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kPool, {mso.value, std::string(discipline), lat, kLatPerKm, lat, kLatPerKm,
                                                      lon, lon_per_km, lon, lon_per_km}));
  std::vector<ClinicianId> out;
  for (const auto& r : rows) out.push_back(ClinicianId(r.Int(0)));
  return out;
}

Result<void> SqlMarketplaceRepository::PutCalendarToken(ClinicianId c, std::string_view token_sha256, Instant now) {
  OPENMSO_TRY(s_.Exec(kPutCalendarToken, {c.value, std::string(token_sha256), ToUnixMillis(now)}));
  return Ok();
}

Result<bool> SqlMarketplaceRepository::DeleteCalendarToken(ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kDeleteCalendarToken, {c.value}));
  return n > 0;
}

Result<std::optional<ClinicianId>> SqlMarketplaceRepository::FindCalendarToken(std::string_view token_sha256) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindCalendarToken, {std::string(token_sha256)}));
  if (!row) return std::optional<ClinicianId>();
  return std::optional<ClinicianId>(ClinicianId(row->Int(0)));
}

Result<bool> SqlMarketplaceRepository::UpdateShift(const Shift& s, UserId by, std::string_view reason,
                                                 std::string_view changes_json, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kUpdateShift, {ToUnixMillis(s.start), ToUnixMillis(s.end),
                                                             int64_t{s.break_minutes}, s.pay_rate.cents(),
                                                             s.bill_rate.cents(), s.incentive.cents(), int64_t{s.openings},
                                                             s.notes, int64_t{s.openings}, ToUnixMillis(now), s.id.value,
                                                             int64_t{s.openings}}));
  if (n != 1) return false;
  Value who = by.valid() ? Value(by.value) : Null();
  OPENMSO_TRY(s_.Exec(kInsertEdit, {s.id.value, who, std::string(reason), std::string(changes_json), ToUnixMillis(now)}));
  return true;
}

Result<bool> SqlMarketplaceRepository::RecordRelease(ShiftId id, int from_tier, int tier, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kRaiseTier, {int64_t{tier}, id.value, int64_t{from_tier}}));
  if (n != 1) return false;
  for (int t = from_tier + 1; t <= tier; ++t)
    OPENMSO_TRY(s_.Exec(kInsertRelease, {id.value, int64_t{t}, ToUnixMillis(now)}));
  return true;
}

Result<std::vector<Shift>> SqlMarketplaceRepository::ReleasesDue(Instant now, int limit) {
  int64_t t = ToUnixMillis(now);
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kReleasesDue, {t, t, t, int64_t{limit}}));
  std::vector<Shift> out;
  for (const auto& r : rows) out.push_back(ShiftFromRow(r));
  return out;
}

Result<std::vector<FillSample>> SqlMarketplaceRepository::FillSamples(FacilityId f, Instant from, Instant to) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kFillSamples, {f.value, ToUnixMillis(from), ToUnixMillis(to)}));
  std::vector<FillSample> out;
  int64_t last = 0;
  for (const auto& r : rows) {
    if (r.Int(0) != last) {
      last = r.Int(0);
      out.push_back({f, UnitId(r.Int(1)), r.Text(2), FromUnixMillis(r.Int(3)), FromUnixMillis(r.Int(4)), r.Text(5),
                     static_cast<int>(r.Int(6)), {}});
    }
    if (!r.IsNull(7)) out.back().confirmed_at.push_back(FromUnixMillis(r.Int(7)));
  }
  return out;
}

}  // namespace openmso::storage
