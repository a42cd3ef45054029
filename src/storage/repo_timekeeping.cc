// SQL implementation of timekeeping::TimekeepingRepository: timesheets (updated only with a
// version check, so two managers acting at once cannot both win), the raw punches (insert
// only) and the revisions that keep every corrected field's original value.
#include <string>

#include "storage/storage.h"

namespace openmso::storage {
namespace {

using namespace timekeeping;

#define OPENMSO_TS_COLUMNS                                                                                          \
  "id, mso_id, facility_id, shift_id, clinician_id, time_zone, scheduled_start, scheduled_end, clock_in, clock_out, " \
  "in_distance_m, out_distance_m, breaks, flags, status, correction_clock_in, correction_clock_out, "                 \
  "correction_breaks, correction_reason, correction_at, submitted_at, decided_at, decided_by, auto_approve_at, "       \
  "dispute_reason, version, created_at"
constexpr Statement kInsert{"tk.insert",
    "INSERT INTO timesheets (mso_id, facility_id, shift_id, clinician_id, time_zone, scheduled_start, scheduled_end, "
    "clock_in, clock_out, in_distance_m, out_distance_m, breaks, flags, status, correction_clock_in, "
    "correction_clock_out, correction_breaks, correction_reason, correction_at, worked_minutes, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kUpdate{"tk.update",
    "UPDATE timesheets SET clock_in = ?, clock_out = ?, in_distance_m = ?, out_distance_m = ?, breaks = ?, flags = ?, "
    "status = ?, correction_clock_in = ?, correction_clock_out = ?, correction_breaks = ?, correction_reason = ?, "
    "correction_at = ?, submitted_at = ?, decided_at = ?, decided_by = ?, auto_approve_at = ?, dispute_reason = ?, "
    "worked_minutes = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?"};
constexpr Statement kGet{"tk.get", "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE id = ?"};
constexpr Statement kFindByShift{"tk.find_by_shift",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE shift_id = ? AND clinician_id = ?"};
constexpr Statement kOpenOf{"tk.open_of",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE clinician_id = ? AND status = 'open' ORDER BY id"};
constexpr Statement kListOf{"tk.list_of",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE clinician_id = ? ORDER BY scheduled_start DESC, id DESC LIMIT ?"};
constexpr Statement kListOfFacility{"tk.list_of_facility",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE facility_id = ? AND scheduled_start >= ? AND scheduled_start < ? "
    "ORDER BY scheduled_start, id LIMIT ?"};
constexpr Statement kListOfFacilityStatus{"tk.list_of_facility_status",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE facility_id = ? AND status = ? AND scheduled_start >= ? "
    "AND scheduled_start < ? ORDER BY scheduled_start, id LIMIT ?"};
constexpr Statement kDue{"tk.due",
    "SELECT " OPENMSO_TS_COLUMNS " FROM timesheets WHERE status = 'submitted' AND auto_approve_at <= ? "
    "AND correction_at IS NULL ORDER BY auto_approve_at, id LIMIT ?"};
#undef OPENMSO_TS_COLUMNS
constexpr Statement kAddPunch{"tk.add_punch",
    "INSERT INTO timesheet_punches (timesheet_id, kind, at, recorded_at, latitude_e6, longitude_e6, accuracy_m, "
    "distance_m) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Statement kPunches{"tk.punches",
    "SELECT kind, at, recorded_at, latitude_e6, longitude_e6, accuracy_m, distance_m FROM timesheet_punches "
    "WHERE timesheet_id = ? ORDER BY id"};
constexpr Statement kAddRevision{"tk.add_revision",
    "INSERT INTO timesheet_revisions (timesheet_id, field, old_value, new_value, reason, by_user, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"};
constexpr Statement kRevisions{"tk.revisions",
    "SELECT field, old_value, new_value, reason, by_user, at FROM timesheet_revisions WHERE timesheet_id = ? ORDER BY id"};
constexpr Statement kGetSettings{"tk.get_settings",
    "SELECT geofence_radius_m, clock_in_opens_minutes, early_tolerance_minutes, late_tolerance_minutes, "
    "auto_approve_hours FROM timekeeping_settings WHERE facility_id = ?"};
constexpr Statement kPutSettings{"tk.put_settings",
    "INSERT INTO timekeeping_settings (facility_id, geofence_radius_m, clock_in_opens_minutes, early_tolerance_minutes, "
    "late_tolerance_minutes, auto_approve_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (facility_id) DO "
    "UPDATE SET geofence_radius_m = excluded.geofence_radius_m, clock_in_opens_minutes = excluded.clock_in_opens_minutes, "
    "early_tolerance_minutes = excluded.early_tolerance_minutes, late_tolerance_minutes = excluded.late_tolerance_minutes, "
    "auto_approve_hours = excluded.auto_approve_hours, updated_at = excluded.updated_at"};

Value Ms(const std::optional<Instant>& t) { return t ? Value(ToUnixMillis(*t)) : Value(); }
std::optional<Instant> OptInstant(const Row& r, size_t i) {
  auto v = r.OptInt(i);
  return v ? std::optional(FromUnixMillis(*v)) : std::nullopt;
}

Timesheet FromRow(const Row& r) {
  Timesheet t;
  t.id = TimesheetId(r.Int(0));
  t.mso_id = MsoId(r.Int(1));
  t.facility_id = FacilityId(r.Int(2));
  t.shift_id = ShiftId(r.Int(3));
  t.clinician_id = ClinicianId(r.Int(4));
  t.time_zone = r.Text(5);
  t.scheduled_start = FromUnixMillis(r.Int(6));
  t.scheduled_end = FromUnixMillis(r.Int(7));
  t.clock_in = OptInstant(r, 8);
  t.clock_out = OptInstant(r, 9);
  t.in_distance_m = r.OptInt(10);
  t.out_distance_m = r.OptInt(11);
  t.breaks = ParseBreaks(r.Text(12));
  t.flags = static_cast<uint32_t>(r.Int(13));
  t.status = ParseStatus(r.Text(14)).value_or(Status::kOpen);
  if (auto at = OptInstant(r, 19)) {
    Correction c;
    c.clock_in = OptInstant(r, 15);
    c.clock_out = OptInstant(r, 16);
    if (auto b = r.OptText(17)) c.breaks = ParseBreaks(*b);
    c.reason = r.OptText(18).value_or("");
    c.requested_at = *at;
    t.correction = std::move(c);
  }
  t.submitted_at = OptInstant(r, 20);
  t.decided_at = OptInstant(r, 21);
  if (auto by = r.OptInt(22)) t.decided_by = UserId(*by);
  t.auto_approve_at = OptInstant(r, 23);
  t.dispute_reason = r.Text(24);
  t.version = r.Int(25);
  t.created_at = FromUnixMillis(r.Int(26));
  return t;
}

std::vector<Timesheet> FromRows(const std::vector<Row>& rows) {
  std::vector<Timesheet> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

// The correction columns: all NULL when none is pending (correction_at is the marker).
std::vector<Value> CorrectionValues(const Timesheet& t) {
  if (!t.correction) return {Value(), Value(), Value(), Value(), Value()};
  const Correction& c = *t.correction;
  return {Ms(c.clock_in), Ms(c.clock_out), c.breaks ? Value(FormatBreaks(*c.breaks)) : Value(), c.reason,
          ToUnixMillis(c.requested_at)};
}

}  // namespace

Result<TimesheetId> SqlTimekeepingRepository::Insert(const Timesheet& t) {
  std::vector<Value> v{t.mso_id.value, t.facility_id.value, t.shift_id.value, t.clinician_id.value, t.time_zone,
                       ToUnixMillis(t.scheduled_start), ToUnixMillis(t.scheduled_end), Ms(t.clock_in), Ms(t.clock_out),
                       Opt(t.in_distance_m), Opt(t.out_distance_m), FormatBreaks(t.breaks), int64_t{t.flags},
                       std::string(StatusName(t.status))};
  for (auto& c : CorrectionValues(t)) v.push_back(std::move(c));
  v.push_back(t.WorkedMinutes());
  v.push_back(ToUnixMillis(t.created_at));
  v.push_back(ToUnixMillis(t.created_at));
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsert, v));
  return TimesheetId(rows.at(0).Int(0));
}

Result<void> SqlTimekeepingRepository::Update(Timesheet& t, Instant now) {
  std::vector<Value> v{Ms(t.clock_in), Ms(t.clock_out), Opt(t.in_distance_m), Opt(t.out_distance_m),
                       FormatBreaks(t.breaks), int64_t{t.flags}, std::string(StatusName(t.status))};
  for (auto& c : CorrectionValues(t)) v.push_back(std::move(c));
  v.push_back(Ms(t.submitted_at));
  v.push_back(Ms(t.decided_at));
  v.push_back(t.decided_by ? Value(t.decided_by->value) : Value());
  v.push_back(Ms(t.auto_approve_at));
  v.push_back(t.dispute_reason);
  v.push_back(t.WorkedMinutes());
  v.push_back(ToUnixMillis(now));
  v.push_back(t.id.value);
  v.push_back(t.version);
  OPENMSO_ASSIGN_OR_RETURN(int64_t changed, s_.Exec(kUpdate, v));
  if (changed != 1)
    return Error::Conflict("concurrent-update", "Someone else changed this timesheet at the same time; reload it.");
  ++t.version;
  return Ok();
}

Result<Timesheet> SqlTimekeepingRepository::Get(TimesheetId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGet, {id.value}));
  if (!row) return Error::NotFound("The timesheet");
  return FromRow(*row);
}

Result<std::optional<Timesheet>> SqlTimekeepingRepository::FindByShift(ShiftId s, ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kFindByShift, {s.value, c.value}));
  if (!row) return std::optional<Timesheet>();
  return std::optional<Timesheet>(FromRow(*row));
}

Result<std::vector<Timesheet>> SqlTimekeepingRepository::OpenOf(ClinicianId c) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kOpenOf, {c.value}));
  return FromRows(rows);
}

Result<std::vector<Timesheet>> SqlTimekeepingRepository::ListOf(ClinicianId c, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListOf, {c.value, int64_t{limit}}));
  return FromRows(rows);
}

Result<std::vector<Timesheet>> SqlTimekeepingRepository::ListOfFacility(FacilityId f, std::optional<Status> status,
                                                                        Instant from, Instant to, int limit) {
  std::vector<Row> rows;
  if (status) {
    OPENMSO_ASSIGN_OR_RETURN(rows, s_.Query(kListOfFacilityStatus, {f.value, std::string(StatusName(*status)),
                                                                    ToUnixMillis(from), ToUnixMillis(to), int64_t{limit}}));
  } else {
    OPENMSO_ASSIGN_OR_RETURN(rows, s_.Query(kListOfFacility, {f.value, ToUnixMillis(from), ToUnixMillis(to), int64_t{limit}}));
  }
  return FromRows(rows);
}

Result<std::vector<Timesheet>> SqlTimekeepingRepository::DueForAutoApproval(Instant now, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kDue, {ToUnixMillis(now), int64_t{limit}}));
  return FromRows(rows);
}

Result<void> SqlTimekeepingRepository::AddPunch(TimesheetId t, const PunchRecord& p) {
  OPENMSO_TRY(s_.Exec(kAddPunch, {t.value, p.kind, ToUnixMillis(p.at), ToUnixMillis(p.recorded_at),
                                  p.location ? Value(ToE6(p.location->latitude)) : Value(),
                                  p.location ? Value(ToE6(p.location->longitude)) : Value(),
                                  p.accuracy_m ? Value(int64_t{*p.accuracy_m}) : Value(), Opt(p.distance_m)}));
  return Ok();
}

Result<std::vector<PunchRecord>> SqlTimekeepingRepository::Punches(TimesheetId t) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kPunches, {t.value}));
  std::vector<PunchRecord> out;
  for (const auto& r : rows) {
    PunchRecord p;
    p.kind = r.Text(0);
    p.at = FromUnixMillis(r.Int(1));
    p.recorded_at = FromUnixMillis(r.Int(2));
    if (!r.IsNull(3) && !r.IsNull(4)) p.location = GeoPoint{FromE6(r.Int(3)), FromE6(r.Int(4))};
    if (auto a = r.OptInt(5)) p.accuracy_m = static_cast<int>(*a);
    p.distance_m = r.OptInt(6);
    out.push_back(std::move(p));
  }
  return out;
}

Result<void> SqlTimekeepingRepository::AddRevision(TimesheetId t, const RevisionRecord& r) {
  OPENMSO_TRY(s_.Exec(kAddRevision, {t.value, r.revision.field, r.revision.old_value, r.revision.new_value, r.reason,
                                     r.by ? Value(r.by->value) : Value(), ToUnixMillis(r.at)}));
  return Ok();
}

Result<std::vector<RevisionRecord>> SqlTimekeepingRepository::Revisions(TimesheetId t) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kRevisions, {t.value}));
  std::vector<RevisionRecord> out;
  for (const auto& r : rows) {
    RevisionRecord v;
    v.revision = {r.Text(0), r.Text(1), r.Text(2)};
    v.reason = r.Text(3);
    if (auto by = r.OptInt(4)) v.by = UserId(*by);
    v.at = FromUnixMillis(r.Int(5));
    out.push_back(std::move(v));
  }
  return out;
}

Result<Settings> SqlTimekeepingRepository::GetSettings(FacilityId f) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetSettings, {f.value}));
  Settings s;
  if (!row) return s;
  s.geofence_radius_m = static_cast<int>(row->Int(0));
  s.clock_in_opens_minutes = static_cast<int>(row->Int(1));
  s.early_tolerance_minutes = static_cast<int>(row->Int(2));
  s.late_tolerance_minutes = static_cast<int>(row->Int(3));
  s.auto_approve_hours = static_cast<int>(row->Int(4));
  return s;
}

Result<void> SqlTimekeepingRepository::PutSettings(FacilityId f, const Settings& s, Instant now) {
  OPENMSO_TRY(s_.Exec(kPutSettings, {f.value, int64_t{s.geofence_radius_m}, int64_t{s.clock_in_opens_minutes},
                                     int64_t{s.early_tolerance_minutes}, int64_t{s.late_tolerance_minutes},
                                     int64_t{s.auto_approve_hours}, ToUnixMillis(now)}));
  return Ok();
}

}  // namespace openmso::storage
