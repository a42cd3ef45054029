// Tests of the synthetic data generator on small sizes: counts, determinism by seed,
// valid coordinates near a US metro, the discipline mix and the audit event.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include "app/gen.h"

namespace openmso::app {
namespace {

class TempDb {
 public:
  TempDb() {
    dir_ = std::filesystem::temp_directory_path() / ("openmso-gen-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    auto db = storage::OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    EXPECT_TRUE(db.ok());
    db_ = std::move(*db);
    EXPECT_TRUE(db_->Migrate().ok());
  }
  ~TempDb() {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  storage::Database& db() { return *db_; }

  // Every row of `sql` as one string per row (columns joined by '|').
  std::vector<std::string> Dump(std::string_view name, std::string_view sql) {
    auto rows = storage::ReadValue<std::vector<std::string>>(*db_, [&](storage::Session& s) -> Result<std::vector<std::string>> {
      OPENMSO_ASSIGN_OR_RETURN(auto rs, s.Query({name, sql}));
      std::vector<std::string> out;
      for (const auto& r : rs) {
        std::string line;
        for (size_t i = 0; i < r.size(); ++i) line += r.Text(i) + "|";
        out.push_back(line);
      }
      return out;
    });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<std::string>{};
  }
  int64_t Count(std::string_view table) {
    std::string sql = "SELECT COUNT(*) FROM " + std::string(table);
    auto v = Dump("count." + std::string(table), sql);
    return v.empty() ? -1 : std::stoll(v[0]);
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

const Instant kNow = FromUnixMillis(1'767'225'600'000);  // 2026-01-01T00:00:00Z

constexpr std::string_view kClinicianSql =
    "SELECT id, mso_id, first_name, last_name, email, discipline, employment_type, home_facility_id, "
    "home_latitude_e6, home_longitude_e6, travel_radius_km, status FROM clinicians ORDER BY id";
constexpr std::string_view kFacilitySql =
    "SELECT id, name, facility_type, address_line1, city, state, postal_code, latitude_e6, longitude_e6, time_zone, "
    "monthly_fee_cents, go_live_date FROM facilities ORDER BY id";

TEST(Gen, CountsMatchTheOptions) {
  TempDb t;
  GenOptions o;
  o.facilities = 30;
  o.clinicians = 2500;
  o.users = 5;
  o.password = "Synthetic-pass-2026";
  o.batch_rows = 700;  // several BulkInsert calls per table
  int64_t last_done = -1;
  auto rep = Generate(t.db(), o, kNow, [&](std::string_view phase, int64_t done, int64_t total) {
    if (phase == "clinicians") last_done = done;
  });
  ASSERT_TRUE(rep.ok()) << rep.error().log_detail;
  EXPECT_EQ(rep->facilities, 30);
  EXPECT_EQ(rep->clinicians, 2500);
  EXPECT_EQ(rep->users, 5);
  EXPECT_EQ(last_done, 2500);
  EXPECT_EQ(t.Count("msos"), 1);
  EXPECT_EQ(t.Count("facilities"), 30);
  EXPECT_EQ(t.Count("clinicians"), 2500);
  EXPECT_EQ(t.Count("users"), 5);
  EXPECT_EQ(t.Count("units"), rep->units);
  EXPECT_GE(rep->units, 30);
  EXPECT_EQ(t.Count("audit_events"), 1);
  // Every user after the admin is the login of a generated clinician.
  EXPECT_EQ(t.Dump("gen_test.linked", "SELECT COUNT(*) FROM users u JOIN clinicians c ON c.id = u.clinician_id "
                                      "AND c.email = u.email")[0], "4|");
}

// Worked-shift history: per active clinician and week, distinct days; every shift filled by
// one confirmed claim and worked on one approved timesheet at the same facility; no
// clinician works two shifts at once; same seed, same rows; two generators share a database.
TEST(Gen, HistoryOfWorkedShiftsIsConsistent) {
  TempDb t, u;
  GenOptions o;
  o.facilities = 8;
  o.clinicians = 300;
  o.history_weeks = 3;
  o.shifts_per_week = 4;
  o.batch_rows = 250;
  auto rep = Generate(t.db(), o, kNow);
  ASSERT_TRUE(rep.ok()) << rep.error().log_detail;
  const int64_t active = std::stoll(t.Dump("active", "SELECT COUNT(*) FROM clinicians WHERE status = 'active' "
                                                     "AND discipline IN (SELECT code FROM disciplines)")[0]);
  // A night shift that started yesterday evening is not over yet: at most one per clinician.
  EXPECT_LE(rep->shifts, active * 3 * 4);
  EXPECT_GE(rep->shifts, active * 3 * 4 - active);
  EXPECT_EQ(t.Count("shifts"), rep->shifts);
  EXPECT_EQ(t.Count("shift_claims"), rep->shifts);
  EXPECT_EQ(t.Count("timesheets"), rep->shifts);
  // One confirmed claim and one approved timesheet per shift, same clinician and facility.
  EXPECT_EQ(t.Dump("joined", "SELECT COUNT(*) FROM shifts s JOIN shift_claims c ON c.shift_id = s.id "
                              "AND c.status = 'confirmed' JOIN timesheets ts ON ts.shift_id = s.id "
                              "AND ts.clinician_id = c.clinician_id AND ts.facility_id = s.facility_id "
                              "AND ts.status = 'approved' JOIN clinicians k ON k.id = c.clinician_id "
                              "AND k.status = 'active' AND k.discipline = s.discipline "
                              "WHERE s.filled = 1 AND s.openings = 1")[0],
            std::to_string(rep->shifts) + "|");
  // All in the past, within the weeks asked for, and never overlapping for one clinician.
  const int64_t now = ToUnixMillis(kNow);
  EXPECT_EQ(t.Dump("window", "SELECT COUNT(*) FROM timesheets WHERE clock_out < " + std::to_string(now) +
                                 " AND scheduled_start >= " + std::to_string(now - 22 * 86'400'000LL))[0],
            std::to_string(rep->shifts) + "|");
  EXPECT_EQ(t.Dump("overlap", "SELECT COUNT(*) FROM timesheets a JOIN timesheets b ON a.clinician_id = b.clinician_id "
                              "AND a.id < b.id AND a.clock_in < b.clock_out AND b.clock_in < a.clock_out")[0],
            "0|");
  ASSERT_TRUE(Generate(u.db(), o, kNow).ok());
  const char* sheets = "SELECT id, facility_id, shift_id, clinician_id, clock_in, clock_out FROM timesheets ORDER BY id";
  EXPECT_EQ(t.Dump("ts", sheets), u.Dump("ts", sheets));
  // A second MSO in the same database takes ids after the first one's.
  o.seed = 2;
  auto second = Generate(t.db(), o, kNow);
  ASSERT_TRUE(second.ok()) << second.error().log_detail;
  EXPECT_EQ(t.Count("timesheets"), rep->shifts + second->shifts);
  // Bad sizes name their fields.
  o.history_weeks = 105;
  o.shifts_per_week = 8;
  auto bad = Generate(t.db(), o, kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.size(), 2u);
}

TEST(Gen, SameSeedSameRowsOtherSeedOtherRows) {
  TempDb a, b, c;
  GenOptions o;
  o.facilities = 12;
  o.clinicians = 400;
  ASSERT_TRUE(Generate(a.db(), o, kNow).ok());
  ASSERT_TRUE(Generate(b.db(), o, kNow).ok());
  o.seed = 2;
  ASSERT_TRUE(Generate(c.db(), o, kNow).ok());
  EXPECT_EQ(a.Dump("f", kFacilitySql), b.Dump("f", kFacilitySql));
  EXPECT_EQ(a.Dump("c", kClinicianSql), b.Dump("c", kClinicianSql));
  EXPECT_EQ(a.Dump("u", "SELECT * FROM units ORDER BY id"), b.Dump("u", "SELECT * FROM units ORDER BY id"));
  EXPECT_NE(a.Dump("c", kClinicianSql), c.Dump("c", kClinicianSql));
}

TEST(Gen, CoordinatesAreValidAndInTheUnitedStates) {
  TempDb t;
  GenOptions o;
  o.facilities = 50;
  o.clinicians = 3000;
  ASSERT_TRUE(Generate(t.db(), o, kNow).ok());
  auto check = [](double lat, double lon, const std::string& row) {
    GeoPoint p{lat, lon};
    EXPECT_TRUE(p.valid()) << row;
    // The contiguous states, Alaska and Hawaii (with the generator's spread).
    bool us = (lat > 17 && lat < 51 && lon > -128 && lon < -64) || (lat > 55 && lat < 66 && lon > -160 && lon < -140) ||
              (lat > 18 && lat < 24 && lon > -162 && lon < -152);
    EXPECT_TRUE(us) << row;
  };
  for (const auto& r : t.Dump("g.f", "SELECT latitude_e6, longitude_e6 FROM facilities")) {
    auto bar = r.find('|');
    check(std::stoll(r.substr(0, bar)) / 1e6, std::stoll(r.substr(bar + 1)) / 1e6, r);
  }
  for (const auto& r : t.Dump("g.c", "SELECT home_latitude_e6, home_longitude_e6 FROM clinicians")) {
    auto bar = r.find('|');
    check(std::stoll(r.substr(0, bar)) / 1e6, std::stoll(r.substr(bar + 1)) / 1e6, r);
  }
  // Facility staff have a home facility within commuting distance; others have none.
  auto staff = t.Dump("g.s",
                      "SELECT c.employment_type, c.home_facility_id IS NULL, c.home_latitude_e6, c.home_longitude_e6, "
                      "f.latitude_e6, f.longitude_e6 FROM clinicians c LEFT JOIN facilities f ON f.id = c.home_facility_id");
  int64_t with_home = 0;
  for (const auto& r : staff) {
    std::vector<std::string> col;
    size_t pos = 0;
    for (size_t bar; (bar = r.find('|', pos)) != std::string::npos; pos = bar + 1) col.push_back(r.substr(pos, bar - pos));
    if (col[1] == "0") {
      ++with_home;
      EXPECT_EQ(col[0], "facility_staff") << r;
      double km = DistanceMeters({std::stoll(col[2]) / 1e6, std::stoll(col[3]) / 1e6},
                                 {std::stoll(col[4]) / 1e6, std::stoll(col[5]) / 1e6}) / 1000;
      EXPECT_LT(km, 80) << r;  // sigma 10 km around the facility
    } else {
      EXPECT_NE(col[0], "facility_staff") << r;
    }
  }
  EXPECT_GT(with_home, 3000 * 40 / 100);
}

TEST(Gen, DisciplineMixHasMoreAidesThanRnsThanLpns) {
  TempDb t;
  GenOptions o;
  o.facilities = 200;  // enough that every metro has a facility
  o.clinicians = 5000;
  ASSERT_TRUE(Generate(t.db(), o, kNow).ok());
  std::map<std::string, int64_t> n;
  for (const auto& r : t.Dump("g.d", "SELECT discipline, COUNT(*) FROM clinicians GROUP BY discipline")) {
    auto bar = r.find('|');
    n[r.substr(0, bar)] = std::stoll(r.substr(bar + 1));
  }
  EXPECT_GT(n["CNA"], n["RN"]);
  EXPECT_GT(n["RN"], n["LPN"]);
  for (const auto& [d, count] : n)
    if (d != "CNA" && d != "RN" && d != "LPN") EXPECT_LT(count, n["LPN"]) << d;
}

TEST(Gen, TwoRunsShareADatabase) {
  TempDb t;
  GenOptions o;
  o.facilities = 5;
  o.clinicians = 100;
  ASSERT_TRUE(Generate(t.db(), o, kNow).ok());
  ASSERT_TRUE(Generate(t.db(), o, kNow).ok());  // same seed: emails differ by MSO
  EXPECT_EQ(t.Count("msos"), 2);
  EXPECT_EQ(t.Count("clinicians"), 200);
  auto v = storage::ReadValue<audit::VerifyReport>(t.db(), [](storage::Session& s) {
    storage::SqlAuditRepository repo(s);
    return audit::Verify(repo);
  });
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->events_checked, 2);
}

TEST(Gen, RejectsBadSizesAndWritesNothing) {
  TempDb t;
  GenOptions o;
  o.facilities = 0;
  o.users = 3;  // and no password
  auto r = Generate(t.db(), o, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(t.Count("msos"), 0);
}

}  // namespace
}  // namespace openmso::app
