// The synthetic data generator behind `openmso gen`. Randomness is our own xoshiro256**
// with hand-written distributions, because std:: distributions differ between standard
// libraries and the output must be the same for a seed everywhere.
#include "app/gen.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

namespace openmso::app {
namespace {

// xoshiro256** seeded through splitmix64 (Blackman & Vigna).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int64_t Between(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  double Normal() {  // Box-Muller; one value per call keeps the stream simple
    double u1 = std::max(Uniform(), 1e-12), u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * 3.14159265358979323846 * u2);
  }
  // An index drawn with probability proportional to cumulative weights `cum`.
  size_t Pick(const std::vector<double>& cum) {
    double x = Uniform() * cum.back();
    return static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), x) - cum.begin());
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

struct Metro {
  const char* city;
  const char* state;
  double lat, lon;
  double weight;  // metro population, millions (2020 census, rounded)
  const char* zone;
  const char* zip3;
};

// Population centres: the largest US metro areas plus a few for geographic spread.
constexpr Metro kMetros[] = {
    {"New York", "NY", 40.7128, -74.0060, 19.8, "America/New_York", "100"},
    {"Los Angeles", "CA", 34.0522, -118.2437, 13.0, "America/Los_Angeles", "900"},
    {"Chicago", "IL", 41.8781, -87.6298, 9.4, "America/Chicago", "606"},
    {"Dallas", "TX", 32.7767, -96.7970, 7.9, "America/Chicago", "752"},
    {"Houston", "TX", 29.7604, -95.3698, 7.3, "America/Chicago", "770"},
    {"Washington", "DC", 38.9072, -77.0369, 6.3, "America/New_York", "200"},
    {"Philadelphia", "PA", 39.9526, -75.1652, 6.2, "America/New_York", "191"},
    {"Miami", "FL", 25.7617, -80.1918, 6.1, "America/New_York", "331"},
    {"Atlanta", "GA", 33.7490, -84.3880, 6.2, "America/New_York", "303"},
    {"Boston", "MA", 42.3601, -71.0589, 4.9, "America/New_York", "021"},
    {"Phoenix", "AZ", 33.4484, -112.0740, 5.0, "America/Phoenix", "850"},
    {"San Francisco", "CA", 37.7749, -122.4194, 4.6, "America/Los_Angeles", "941"},
    {"Riverside", "CA", 33.9533, -117.3962, 4.6, "America/Los_Angeles", "925"},
    {"Detroit", "MI", 42.3314, -83.0458, 4.3, "America/Detroit", "482"},
    {"Seattle", "WA", 47.6062, -122.3321, 4.0, "America/Los_Angeles", "981"},
    {"Minneapolis", "MN", 44.9778, -93.2650, 3.7, "America/Chicago", "554"},
    {"San Diego", "CA", 32.7157, -117.1611, 3.3, "America/Los_Angeles", "921"},
    {"Tampa", "FL", 27.9506, -82.4572, 3.3, "America/New_York", "336"},
    {"Denver", "CO", 39.7392, -104.9903, 3.0, "America/Denver", "802"},
    {"Baltimore", "MD", 39.2904, -76.6122, 2.8, "America/New_York", "212"},
    {"St. Louis", "MO", 38.6270, -90.1994, 2.8, "America/Chicago", "631"},
    {"Orlando", "FL", 28.5383, -81.3792, 2.7, "America/New_York", "328"},
    {"Charlotte", "NC", 35.2271, -80.8431, 2.7, "America/New_York", "282"},
    {"San Antonio", "TX", 29.4241, -98.4936, 2.6, "America/Chicago", "782"},
    {"Portland", "OR", 45.5152, -122.6784, 2.5, "America/Los_Angeles", "972"},
    {"Sacramento", "CA", 38.5816, -121.4944, 2.4, "America/Los_Angeles", "958"},
    {"Pittsburgh", "PA", 40.4406, -79.9959, 2.4, "America/New_York", "152"},
    {"Austin", "TX", 30.2672, -97.7431, 2.4, "America/Chicago", "787"},
    {"Las Vegas", "NV", 36.1699, -115.1398, 2.3, "America/Los_Angeles", "891"},
    {"Cincinnati", "OH", 39.1031, -84.5120, 2.3, "America/New_York", "452"},
    {"Kansas City", "MO", 39.0997, -94.5786, 2.2, "America/Chicago", "641"},
    {"Columbus", "OH", 39.9612, -82.9988, 2.1, "America/New_York", "432"},
    {"Indianapolis", "IN", 39.7684, -86.1581, 2.1, "America/Indiana/Indianapolis", "462"},
    {"Cleveland", "OH", 41.4993, -81.6944, 2.1, "America/New_York", "441"},
    {"San Jose", "CA", 37.3382, -121.8863, 2.0, "America/Los_Angeles", "951"},
    {"Nashville", "TN", 36.1627, -86.7816, 2.0, "America/Chicago", "372"},
    {"Virginia Beach", "VA", 36.8529, -75.9780, 1.8, "America/New_York", "234"},
    {"Providence", "RI", 41.8240, -71.4128, 1.7, "America/New_York", "029"},
    {"Jacksonville", "FL", 30.3322, -81.6557, 1.6, "America/New_York", "322"},
    {"Milwaukee", "WI", 43.0389, -87.9065, 1.6, "America/Chicago", "532"},
    {"Raleigh", "NC", 35.7796, -78.6382, 1.4, "America/New_York", "276"},
    {"Oklahoma City", "OK", 35.4676, -97.5164, 1.4, "America/Chicago", "731"},
    {"Memphis", "TN", 35.1495, -90.0490, 1.3, "America/Chicago", "381"},
    {"Richmond", "VA", 37.5407, -77.4360, 1.3, "America/New_York", "232"},
    {"Louisville", "KY", 38.2527, -85.7585, 1.3, "America/Kentucky/Louisville", "402"},
    {"New Orleans", "LA", 29.9511, -90.0715, 1.3, "America/Chicago", "701"},
    {"Salt Lake City", "UT", 40.7608, -111.8910, 1.3, "America/Denver", "841"},
    {"Hartford", "CT", 41.7658, -72.6734, 1.2, "America/New_York", "061"},
    {"Buffalo", "NY", 42.8864, -78.8784, 1.2, "America/New_York", "142"},
    {"Birmingham", "AL", 33.5186, -86.8104, 1.1, "America/Chicago", "352"},
    {"Omaha", "NE", 41.2565, -95.9345, 1.0, "America/Chicago", "681"},
    {"Honolulu", "HI", 21.3069, -157.8583, 1.0, "Pacific/Honolulu", "968"},
    {"Albuquerque", "NM", 35.0844, -106.6504, 0.9, "America/Denver", "871"},
    {"Boise", "ID", 43.6150, -116.2023, 0.8, "America/Boise", "837"},
    {"Anchorage", "AK", 61.2181, -149.9003, 0.4, "America/Anchorage", "995"},
};

struct Weighted {
  const char* value;
  double weight;
};

// Shares of the post-acute and ambulatory workforce an MSO staffs: aides outnumber RNs,
// RNs outnumber LPNs, therapists and practitioners are few.
constexpr Weighted kDisciplines[] = {{"CNA", 42}, {"RN", 28}, {"LPN", 16}, {"CMA", 4}, {"RT", 3},
                                     {"PT", 2},   {"PTA", 2}, {"OT", 1},   {"SLP", 1}, {"NP", 1}};
constexpr Weighted kEmployment[] = {{"facility_staff", 55}, {"per_diem", 30}, {"float_pool", 15}};
constexpr Weighted kStatus[] = {{"active", 93}, {"onboarding", 4}, {"inactive", 3}};
constexpr Weighted kFacilityTypes[] = {{"nursing_home", 40}, {"assisted_living", 20}, {"clinic", 15},
                                       {"physician_group", 10}, {"home_health", 8}, {"hospital", 7}};

struct UnitKind {
  const char* name;
  const char* kind;
};
struct FacilityShape {
  const char* type;
  const char* word;  // "Care Center", ...
  int64_t min_units, max_units;
  int64_t fee_lo, fee_hi;  // monthly management fee, dollars
  std::vector<UnitKind> units;
};

const std::vector<FacilityShape>& Shapes() {
  static const std::vector<FacilityShape> v = {
      {"nursing_home", "Care Center", 2, 4, 8'000, 20'000,
       {{"Skilled Nursing", "skilled_nursing"}, {"Memory Care", "memory_care"}, {"Rehab", "rehab"},
        {"Long-Term Care", "long_term_care"}, {"Hospice Suite", "hospice"}}},
      {"assisted_living", "Senior Living", 1, 3, 4'000, 10'000,
       {{"Assisted Living", "assisted_living"}, {"Memory Care", "memory_care"}, {"Independent Living", "independent_living"}}},
      {"clinic", "Clinic", 1, 2, 3'000, 8'000, {{"Primary Care", "clinic"}, {"Urgent Care", "urgent_care"}, {"Lab", "lab"}}},
      {"physician_group", "Medical Group", 1, 2, 5'000, 12'000,
       {{"Primary Care", "primary_care"}, {"Cardiology", "specialty"}, {"Orthopedics", "specialty"}}},
      {"home_health", "Home Health", 1, 1, 3'000, 7'000, {{"Home Visits", "home_health"}}},
      {"hospital", "Hospital", 4, 8, 18'000, 45'000,
       {{"Med-Surg", "med_surg"}, {"ICU", "icu"}, {"Emergency", "emergency"}, {"Telemetry", "telemetry"},
        {"Step-Down", "step_down"}, {"Labor & Delivery", "labor_delivery"}, {"Oncology", "oncology"},
        {"Pediatrics", "pediatrics"}}},
  };
  return v;
}

constexpr const char* kFacilityNames[] = {
    "Maple Grove", "Riverside", "Cedar Ridge", "Sunrise", "Oak Hollow", "Lakeview", "Willow Creek",
    "Harbor View", "Pine Valley", "Meadowbrook", "Silver Springs", "Brookside", "Highland", "Summit",
    "Golden Gate", "Prairie View", "Evergreen", "Bayside", "Stonebridge", "Magnolia", "Aspen",
    "Heritage", "Fairview", "Crestwood", "Northgate", "Parkside", "Mission", "Liberty", "Canyon", "Hillcrest"};
constexpr const char* kStreets[] = {"Main", "Oak", "Maple", "Park", "Washington", "Lake", "Hill", "Cedar",
                                    "Elm", "Pine", "Church", "Center", "Lincoln", "Jefferson", "Mill",
                                    "River", "Spring", "Ridge", "Sunset", "Highland"};
constexpr const char* kStreetKinds[] = {"St", "Ave", "Blvd", "Rd", "Dr", "Way", "Pkwy"};
constexpr const char* kFirstNames[] = {
    "Maria", "James", "Jennifer", "Robert", "Patricia", "Michael", "Linda", "David", "Elizabeth", "William",
    "Barbara", "Jose", "Susan", "Juan", "Jessica", "Daniel", "Sarah", "Anthony", "Karen", "Kevin",
    "Lisa", "Brian", "Nancy", "Carlos", "Betty", "Luis", "Sandra", "Jamal", "Ashley", "Wei",
    "Kimberly", "Minh", "Emily", "Omar", "Donna", "Priya", "Michelle", "Andre", "Carol", "Tyrone",
    "Amanda", "Hector", "Melissa", "Chen", "Deborah", "Samuel", "Stephanie", "Kwame", "Rebecca", "Ana",
    "Sharon", "Rosa", "Laura", "Fatima", "Cynthia", "Diego", "Angela", "Grace", "Aisha", "Tanya"};
constexpr const char* kLastNames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Patel", "Kim", "Okafor", "Tran", "Kowalski", "Haddad", "Murphy", "Reyes", "Cruz", "Washington"};

template <typename T, size_t N>
const T& Choose(Rng& r, const T (&a)[N]) { return a[r.Next() % N]; }

template <size_t N>
std::vector<double> Cumulative(const Weighted (&a)[N]) {
  std::vector<double> c;
  double sum = 0;
  for (const auto& w : a) c.push_back(sum += w.weight);
  return c;
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// A point `sigma_km` (normal, per axis) around `c`, clamped to valid coordinates.
GeoPoint Around(Rng& r, GeoPoint c, double sigma_km) {
  double dy = r.Normal() * sigma_km, dx = r.Normal() * sigma_km;
  double lat = std::clamp(c.latitude + dy / 111.32, -89.9, 89.9);
  double lon = c.longitude + dx / (111.32 * std::cos(lat * 3.14159265358979323846 / 180.0));
  lon = std::clamp(lon, -179.9, 179.9);
  return {lat, lon};
}

struct GenFacility {
  size_t metro;
  GeoPoint where;
  std::string name;
};

constexpr storage::Statement kInsertMso{"gen.insert_mso", "INSERT INTO msos (name, created_at) VALUES (?, ?) RETURNING id"};
constexpr storage::Statement kFacilityIds{"gen.facility_ids", "SELECT id, name FROM facilities WHERE mso_id = ?"};
constexpr storage::Statement kClinicianIds{"gen.clinician_ids",
                                           "SELECT id, email, first_name, last_name FROM clinicians "
                                           "WHERE mso_id = ? ORDER BY id LIMIT ?"};

class Batcher {
 public:
  Batcher(storage::Session& s, std::string table, std::vector<std::string> columns, int64_t batch,
          const GenProgress& progress, std::string_view phase, int64_t total)
      : s_(s), table_(std::move(table)), columns_(std::move(columns)), batch_(std::max<int64_t>(1, batch)),
        progress_(progress), phase_(phase), total_(total) {
    rows_.reserve(static_cast<size_t>(std::min(batch_, total_ + 1)));
  }
  Result<void> Add(std::vector<storage::Value> row) {
    rows_.push_back(std::move(row));
    if (static_cast<int64_t>(rows_.size()) >= batch_) return Flush();
    return Ok();
  }
  Result<void> Flush() {
    if (rows_.empty()) return Ok();
    OPENMSO_TRY(s_.BulkInsert(table_, columns_, rows_));
    done_ += static_cast<int64_t>(rows_.size());
    rows_.clear();
    if (progress_) progress_(phase_, done_, total_);
    return Ok();
  }

 private:
  storage::Session& s_;
  std::string table_;
  std::vector<std::string> columns_;
  int64_t batch_;
  const GenProgress& progress_;
  std::string_view phase_;
  int64_t total_, done_ = 0;
  std::vector<std::vector<storage::Value>> rows_;
};

constexpr storage::Statement kFirstUnits{"gen.first_units",
    "SELECT u.facility_id, MIN(u.id) FROM units u JOIN facilities f ON f.id = u.facility_id WHERE f.mso_id = ? "
    "GROUP BY u.facility_id"};
constexpr storage::Statement kMsoClinicians{"gen.mso_clinicians", "SELECT id FROM clinicians WHERE mso_id = ? ORDER BY id"};
constexpr storage::Statement kNextShiftId{"gen.next_shift_id", "SELECT COALESCE(MAX(id), 0) + 1 FROM shifts"};
constexpr storage::Statement kNextClaimId{"gen.next_claim_id", "SELECT COALESCE(MAX(id), 0) + 1 FROM shift_claims"};
constexpr storage::Statement kNextTimesheetId{"gen.next_timesheet_id", "SELECT COALESCE(MAX(id), 0) + 1 FROM timesheets"};

// Hourly pay by discipline (cents), in the order of kDisciplines; bill rates are 1.4x. 0: the
// discipline is not staffed through shifts (PT, OT, SLP: no `disciplines` row), so no history.
constexpr int64_t kPayRate[] = {2100, 4700, 3100, 2300, 3600, 0, 0, 0, 0, 8200};
static_assert(std::size(kPayRate) == std::size(kDisciplines));

// The worked-shift history (GenOptions::history_weeks): per active clinician and week,
// shifts_per_week distinct days, each a 12-hour day (07:00) or night (19:00) shift or an
// 8-hour day shift in the facility's zone; punches a few minutes off the schedule.
Result<void> GenerateHistory(storage::Session& s, const GenOptions& o, GenReport& rep, Rng& rng, Instant now,
                             const std::vector<GenFacility>& facilities, const std::vector<int64_t>& facility_id,
                             const std::vector<int32_t>& works_at, const std::vector<uint8_t>& discipline_of,
                             const GenProgress& progress) {
  const int64_t ms = ToUnixMillis(now);
  std::unordered_map<int64_t, int64_t> unit_of;
  {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kFirstUnits, {rep.mso.value}));
    for (const auto& r : rows) unit_of.emplace(r.Int(0), r.Int(1));
  }
  std::vector<int64_t> clinician_id;
  {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kMsoClinicians, {rep.mso.value}));
    for (const auto& r : rows) clinician_id.push_back(r.Int(0));
    if (clinician_id.size() != works_at.size()) return Error::Internal("gen: clinicians not found after insert");
  }
  int64_t active = 0;
  for (int32_t at : works_at) active += at >= 0;
  const int64_t total = active * o.history_weeks * o.shifts_per_week;
  auto next = [&](const storage::Statement& st) -> Result<int64_t> {
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(st));
    return row->Int(0);
  };
  OPENMSO_ASSIGN_OR_RETURN(int64_t shift_id, next(kNextShiftId));
  OPENMSO_ASSIGN_OR_RETURN(int64_t claim_id, next(kNextClaimId));
  OPENMSO_ASSIGN_OR_RETURN(int64_t timesheet_id, next(kNextTimesheetId));
  Batcher shifts(s, "shifts",
                 {"id", "mso_id", "facility_id", "unit_id", "discipline", "start_at", "end_at", "time_zone",
                  "pay_rate_cents", "bill_rate_cents", "openings", "filled", "status", "created_at", "updated_at"},
                 o.batch_rows, progress, "shifts", total);
  Batcher claims(s, "shift_claims", {"id", "shift_id", "clinician_id", "status", "created_at", "updated_at", "confirmed_at"},
                 o.batch_rows, progress, "claims", total);
  Batcher sheets(s, "timesheets",
                 {"id", "mso_id", "facility_id", "shift_id", "clinician_id", "time_zone", "scheduled_start",
                  "scheduled_end", "clock_in", "clock_out", "status", "worked_minutes", "submitted_at", "decided_at",
                  "created_at", "updated_at"},
                 o.batch_rows, progress, "timesheets", total);
  const Date today = Date::FromDaysSinceEpoch(ms / 86'400'000);
  for (size_t c = 0; c < works_at.size(); ++c) {
    if (works_at[c] < 0) continue;
    const size_t fi = static_cast<size_t>(works_at[c]);
    const std::string zone(kMetros[facilities[fi].metro].zone);
    const std::string discipline(kDisciplines[discipline_of[c]].value);
    const int64_t pay = kPayRate[discipline_of[c]] + rng.Between(0, 8) * 50;
    const int64_t fid = facility_id[fi];
    auto unit = unit_of.find(fid);
    if (unit == unit_of.end()) return Error::Internal("gen: facility without a unit");
    int64_t last_out = INT64_MIN / 2;
    for (int64_t w = o.history_weeks; w >= 1; --w) {
      // shifts_per_week distinct days of the week (a partial Fisher-Yates draw).
      std::array<int, 7> days = {0, 1, 2, 3, 4, 5, 6};
      for (int k = 0; k < o.shifts_per_week; ++k) std::swap(days[static_cast<size_t>(k)], days[static_cast<size_t>(k + rng.Between(0, 6 - k))]);
      std::sort(days.begin(), days.begin() + o.shifts_per_week);
      for (int k = 0; k < o.shifts_per_week; ++k) {
        Date day = Date::FromDaysSinceEpoch(today.DaysSinceEpoch() - 7 * w + days[static_cast<size_t>(k)]);
        int kind = static_cast<int>(rng.Between(0, 9));  // 0-5 day 12 h, 6-7 night 12 h, 8-9 day 8 h
        // Never less than 8 h after the last shift: after a night, the next day is a night too.
        int start_minute = kind <= 5 || kind >= 8 ? 7 * 60 : 19 * 60;
        int hours = kind >= 8 ? 8 : 12;
        OPENMSO_ASSIGN_OR_RETURN(Instant start, ToInstant(LocalDateTime{day, start_minute}, zone));
        if (ToUnixMillis(start) < last_out + 8 * 3'600'000LL) {
          start_minute = 19 * 60;
          hours = 12;
          OPENMSO_ASSIGN_OR_RETURN(start, ToInstant(LocalDateTime{day, start_minute}, zone));
        }
        // A night shift across a DST change is 11 or 13 hours: the end is a local time too.
        int end_minute = start_minute + hours * 60;
        OPENMSO_ASSIGN_OR_RETURN(Instant end, ToInstant(LocalDateTime{Date::FromDaysSinceEpoch(day.DaysSinceEpoch() + end_minute / 1440), end_minute % 1440}, zone));
        const int64_t a = ToUnixMillis(start), b = ToUnixMillis(end);
        const int64_t in = a + (rng.Between(0, 12) - 8) * 60'000, out = b + (rng.Between(0, 12) - 4) * 60'000;
        last_out = out;
        if (out >= ms) continue;  // not worked yet: not history
        const int64_t decided = std::min(out + rng.Between(1, 48) * 3'600'000, ms - 1);
        OPENMSO_TRY(shifts.Add({shift_id, rep.mso.value, fid, unit->second, discipline, a, b, zone, pay, pay * 14 / 10,
                                int64_t{1}, int64_t{1}, std::string("filled"), a - 5 * 86'400'000LL, a - 4 * 86'400'000LL}));
        OPENMSO_TRY(claims.Add({claim_id, shift_id, clinician_id[c], std::string("confirmed"), a - 4 * 86'400'000LL,
                                a - 4 * 86'400'000LL, a - 4 * 86'400'000LL}));
        OPENMSO_TRY(sheets.Add({timesheet_id, rep.mso.value, fid, shift_id, clinician_id[c], zone, a, b, in, out,
                                std::string("approved"), (out - in) / 60'000, out, decided, in, decided}));
        ++shift_id;
        ++claim_id;
        ++timesheet_id;
        ++rep.shifts;
      }
    }
  }
  OPENMSO_TRY(shifts.Flush());
  OPENMSO_TRY(claims.Flush());
  OPENMSO_TRY(sheets.Flush());
  if (s.backend() == storage::Backend::kPostgres)
    OPENMSO_TRY(s.ExecScript(
        "SELECT setval(pg_get_serial_sequence('shifts', 'id'), (SELECT MAX(id) FROM shifts));"
        "SELECT setval(pg_get_serial_sequence('shift_claims', 'id'), (SELECT MAX(id) FROM shift_claims));"
        "SELECT setval(pg_get_serial_sequence('timesheets', 'id'), (SELECT MAX(id) FROM timesheets));"));
  return Ok();
}

}  // namespace

Result<GenReport> Generate(storage::Database& db, const GenOptions& o, Instant now, const GenProgress& progress) {
  FieldErrors errs;
  if (o.facilities < 1 || o.facilities > 1'000'000) errs.Add("facilities", "out_of_range", "Facilities must be 1 to 1,000,000.");
  if (o.clinicians < 0 || o.clinicians > 100'000'000) errs.Add("clinicians", "out_of_range", "Clinicians must be 0 to 100,000,000.");
  if (o.users < 0 || o.users > o.clinicians + 1) errs.Add("users", "out_of_range", "Users must be 0 to clinicians + 1.");
  if (o.users > 0 && o.password.empty()) errs.Add("password", "required", "A password is needed for generated users.");
  if (o.history_weeks < 0 || o.history_weeks > 104) errs.Add("history_weeks", "out_of_range", "History weeks must be 0 to 104.");
  if (o.shifts_per_week < 1 || o.shifts_per_week > 7) errs.Add("shifts_per_week", "out_of_range", "Shifts per week must be 1 to 7.");
  if (!errs.empty()) return errs.ToError();
  // Hash once, outside the transaction (argon2id is slow on purpose); all users share it.
  std::string hash = o.users > 0 ? identity::HashPassword(o.password) : std::string();
  const int64_t ms = ToUnixMillis(now);

  return storage::WriteValue<GenReport>(db, [&](storage::Session& s) -> Result<GenReport> {
    Rng rng(o.seed);
    GenReport rep;
    OPENMSO_ASSIGN_OR_RETURN(auto mso_rows, s.Query(kInsertMso, {"Synthetic Health Partners " + std::to_string(o.seed), ms}));
    rep.mso = MsoId(mso_rows.at(0).Int(0));
    const std::string domain = "m" + std::to_string(rep.mso.value) + ".gen.openmso.test";

    std::vector<double> metro_cum;
    double sum = 0;
    for (const auto& m : kMetros) metro_cum.push_back(sum += m.weight);
    const auto type_cum = Cumulative(kFacilityTypes);
    const auto discipline_cum = Cumulative(kDisciplines);
    const auto employment_cum = Cumulative(kEmployment);
    const auto status_cum = Cumulative(kStatus);

    // Facilities: 70% in the urban core (sigma 12 km), the rest in the exurbs (45 km).
    std::vector<GenFacility> facilities;
    facilities.reserve(static_cast<size_t>(o.facilities));
    std::vector<std::vector<size_t>> by_metro(std::size(kMetros));
    std::vector<size_t> shape_of;
    {
      Batcher b(s, "facilities",
                {"mso_id", "name", "facility_type", "address_line1", "city", "state", "postal_code", "latitude_e6",
                 "longitude_e6", "time_zone", "monthly_fee_cents", "go_live_date", "created_at", "updated_at"},
                o.batch_rows, progress, "facilities", o.facilities);
      for (int64_t i = 0; i < o.facilities; ++i) {
        size_t mi = rng.Pick(metro_cum);
        const Metro& m = kMetros[mi];
        const std::string_view type = kFacilityTypes[rng.Pick(type_cum)].value;
        size_t si = 0;
        while (Shapes()[si].type != type) ++si;
        const FacilityShape& shape = Shapes()[si];
        GeoPoint where = Around(rng, {m.lat, m.lon}, rng.Uniform() < 0.7 ? 12 : 45);
        std::string name = std::string(Choose(rng, kFacilityNames)) + " " + shape.word + " " + std::to_string(i + 1);
        std::string line1 = std::to_string(rng.Between(100, 9999)) + " " + Choose(rng, kStreets) + " " +
                            Choose(rng, kStreetKinds);
        char zip2[3];
        std::snprintf(zip2, sizeof zip2, "%02d", static_cast<int>(rng.Between(1, 99)));
        int64_t fee_cents = rng.Between(shape.fee_lo, shape.fee_hi) * 100;
        Date go_live{static_cast<int>(rng.Between(2019, 2026)), static_cast<int>(rng.Between(1, 12)), 1};
        OPENMSO_TRY(b.Add({rep.mso.value, name, std::string(type), line1, std::string(m.city), std::string(m.state),
                           std::string(m.zip3) + zip2, storage::ToE6(where.latitude), storage::ToE6(where.longitude),
                           std::string(m.zone), fee_cents, go_live.ToString(), ms, ms}));
        by_metro[mi].push_back(facilities.size());
        shape_of.push_back(si);
        facilities.push_back({mi, where, std::move(name)});
      }
      OPENMSO_TRY(b.Flush());
    }
    rep.facilities = o.facilities;
    // A metro without a facility sends its facility staff to the nearest one.
    for (size_t mi = 0; mi < by_metro.size(); ++mi) {
      if (!by_metro[mi].empty()) continue;
      size_t best = 0;
      double best_m = 1e18;
      for (size_t fi = 0; fi < facilities.size(); ++fi) {
        double d = DistanceMeters({kMetros[mi].lat, kMetros[mi].lon}, facilities[fi].where);
        if (d < best_m) best_m = d, best = fi;
      }
      by_metro[mi].push_back(best);
    }

    // Ids assigned by the database, matched back by the (unique per MSO) name.
    std::vector<int64_t> facility_id(facilities.size());
    {
      OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kFacilityIds, {rep.mso.value}));
      std::unordered_map<std::string, int64_t> ids;
      for (const auto& r : rows) ids.emplace(r.Text(1), r.Int(0));
      for (size_t i = 0; i < facilities.size(); ++i) {
        auto it = ids.find(facilities[i].name);
        if (it == ids.end()) return Error::Internal("gen: generated facility not found after insert");
        facility_id[i] = it->second;
      }
    }

    // Units: a type-dependent count of distinct unit kinds per facility.
    {
      int64_t expected = 0;
      for (size_t si : shape_of) expected += Shapes()[si].max_units;
      Batcher b(s, "units", {"facility_id", "name", "kind", "created_at"}, o.batch_rows, progress, "units", expected);
      for (size_t i = 0; i < facilities.size(); ++i) {
        const FacilityShape& shape = Shapes()[shape_of[i]];
        std::vector<UnitKind> kinds = shape.units;
        for (size_t k = kinds.size(); k > 1; --k) std::swap(kinds[k - 1], kinds[rng.Next() % k]);
        int64_t n = std::min<int64_t>(rng.Between(shape.min_units, shape.max_units), static_cast<int64_t>(kinds.size()));
        for (int64_t k = 0; k < n; ++k) {
          OPENMSO_TRY(b.Add({facility_id[i], std::string(kinds[static_cast<size_t>(k)].name),
                             std::string(kinds[static_cast<size_t>(k)].kind), ms}));
          ++rep.units;
        }
      }
      OPENMSO_TRY(b.Flush());
    }

    // Clinicians live around the same metros; facility staff near their home facility.
    // What the history needs of each: where they work (-1: nowhere), discipline, active.
    std::vector<int32_t> works_at;
    std::vector<uint8_t> discipline_of;
    if (o.history_weeks > 0) {
      works_at.reserve(static_cast<size_t>(o.clinicians));
      discipline_of.reserve(static_cast<size_t>(o.clinicians));
    }
    {
      Batcher b(s, "clinicians",
                {"mso_id", "first_name", "last_name", "email", "discipline", "employment_type", "home_facility_id",
                 "home_latitude_e6", "home_longitude_e6", "travel_radius_km", "status", "created_at"},
                o.batch_rows, progress, "clinicians", o.clinicians);
      for (int64_t i = 0; i < o.clinicians; ++i) {
        size_t mi = rng.Pick(metro_cum);
        std::string first = Choose(rng, kFirstNames), last = Choose(rng, kLastNames);
        std::string_view discipline = kDisciplines[rng.Pick(discipline_cum)].value;
        std::string_view employment = kEmployment[rng.Pick(employment_cum)].value;
        std::string_view status = kStatus[rng.Pick(status_cum)].value;
        storage::Value home_facility = storage::Null();
        GeoPoint home;
        int64_t radius;
        int64_t home_index = -1;
        if (employment == "facility_staff") {
          size_t fi = by_metro[mi][rng.Next() % by_metro[mi].size()];
          home_index = static_cast<int64_t>(fi);
          home_facility = facility_id[fi];
          home = Around(rng, facilities[fi].where, 10);
          radius = rng.Between(2, 8) * 5;  // 10-40 km
        } else {
          home = Around(rng, {kMetros[mi].lat, kMetros[mi].lon}, 20);
          radius = employment == "float_pool" ? rng.Between(8, 32) * 5 : rng.Between(5, 16) * 5;
        }
        if (o.history_weeks > 0) {
          // Facility staff work at home; the others at a facility of their metro.
          size_t d = 0;
          while (kDisciplines[d].value != discipline) ++d;
          int32_t at = -1;
          if (status == "active" && kPayRate[d] > 0)
            at = static_cast<int32_t>(home_index >= 0 ? static_cast<size_t>(home_index)
                                                      : by_metro[mi][rng.Next() % by_metro[mi].size()]);
          works_at.push_back(at);
          discipline_of.push_back(static_cast<uint8_t>(d));
        }
        // The index first keeps emails unique and their index append-mostly.
        std::string email = "c" + std::to_string(i + 1) + "." + Lower(first) + "." + Lower(last) + "@" + domain;
        OPENMSO_TRY(b.Add({rep.mso.value, std::move(first), std::move(last), std::move(email), std::string(discipline),
                           std::string(employment), std::move(home_facility), storage::ToE6(home.latitude),
                           storage::ToE6(home.longitude), radius, std::string(status), ms}));
      }
      OPENMSO_TRY(b.Flush());
    }
    rep.clinicians = o.clinicians;

    // Users: one MSO admin, then clinician logins for the first clinicians.
    if (o.users > 0) {
      Batcher b(s, "users",
                {"mso_id", "email", "display_name", "role", "password_hash", "active", "failed_logins", "locked_until",
                 "created_at", "clinician_id"},
                o.batch_rows, progress, "users", o.users);
      OPENMSO_TRY(b.Add({rep.mso.value, "admin@" + domain, "Synthetic Admin", "mso_admin", hash, int64_t{1}, int64_t{0},
                         int64_t{0}, ms, storage::Null()}));
      OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kClinicianIds, {rep.mso.value, o.users - 1}));
      for (const auto& r : rows) {
        OPENMSO_TRY(b.Add({rep.mso.value, r.Text(1), r.Text(2) + " " + r.Text(3), "clinician", hash, int64_t{1},
                           int64_t{0}, int64_t{0}, ms, r.Int(0)}));
      }
      OPENMSO_TRY(b.Flush());
      rep.users = o.users;
    }

    if (o.history_weeks > 0) OPENMSO_TRY(GenerateHistory(s, o, rep, rng, now, facilities, facility_id, works_at,
                                                        discipline_of, progress));

    audit::Event e;
    e.at = now;
    e.actor_role = "system";
    e.action = "mso.generate";
    e.entity_type = "mso";
    e.entity_id = std::to_string(rep.mso.value);
    e.request_id = "cli";
    e.client_ip = "local";
    e.outcome = "success";
    storage::SqlAuditRepository audit_repo(s);
    OPENMSO_TRY(audit::Append(audit_repo, e));
    if (progress) progress("commit", 0, 1);
    return rep;
  });
}

}  // namespace openmso::app
