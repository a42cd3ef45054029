// End-to-end benchmark of pay runs and facility invoicing over the database (issue 5,
// "Performance"): a biweekly pay run for 100,000 clinicians with ~1,000,000 approved shifts
// (load, draft, finalize) and 100,000 approved timesheets of three facilities invoiced and
// finalized in one call. It measures src/finance as the API and the CLI call it.
//   finance_bench [--database URL] [--clinicians N] [--shifts-per-clinician N]
//                 [--timesheets-for-invoices N] [--phases payrun,invoice] [--seed N] [--tiny]
// The database defaults to a fresh SQLite file in a temporary directory (deleted at exit).
// Rows are loaded with Session::BulkInsert (COPY on PostgreSQL) under explicit ids, then
// the timed calls are finance::CreatePayRun + FinalizePayRun and GenerateInvoices(finalize).
// The program checks its results (every clinician has a statement, every shift is paid,
// three finalized invoices whose labor lines bill every timesheet exactly once) and exits 1
// when they are wrong, so its tiny run in the test suite fails on a wrong result, never on
// timing. Figures are JSON lines on stdout (bench/run.sh convention), a summary on stderr.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "finance/finance.h"
#include "storage/storage.h"

using namespace openmso;
using namespace std::chrono_literals;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "\nfinance_bench: FAILED: %s\n", what.c_str());
  std::exit(1);
}

[[noreturn]] void Die(const char* what, const Error& e) {
  std::string text = std::string(what) + ": " + e.type + ": " + e.message + " (" + e.log_detail + ")";
  for (const auto& f : e.fields) text += " " + f.field + ":" + f.code;
  Die(text);
}
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(what, r.error());
  return std::move(r).value();
}
void Must(Result<void> r, const char* what) {
  if (!r.ok()) Die(what, r.error());
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct Site {
  const char* name;
  const char* city;
  const char* state;
  const char* zip;
  double lat, lon;
  const char* zone;
};
// IL and AZ follow the federal weekly rule, MA too (no state daily rule): one law per
// clinician even when one works at two of them.
constexpr Site kSites[3] = {
    {"Lakeside Care", "Chicago", "IL", "60601", 41.88, -87.63, "America/Chicago"},
    {"Desert Vista", "Phoenix", "AZ", "85004", 33.45, -112.07, "America/Phoenix"},
    {"Harbor Point", "Boston", "MA", "02108", 42.36, -71.06, "America/New_York"},
};
constexpr const char* kDisciplines[3] = {"RN", "LPN", "CNA"};
constexpr int64_t kBaseRate[3] = {5200, 3600, 2400};  // pay per hour, cents, per discipline

constexpr int kPeriodDays = 14;
const Date kPeriodStart{2026, 1, 18};  // a period start of the default PaySettings (anchor 2026-01-04)
const Date kPeriodEnd{2026, 2, 1};

// One worked shift of the generated data set.
struct Work {
  int64_t clinician;  // database id
  int site;           // 0..2
  int discipline;     // 0..2
  int64_t start_ms, end_ms;
  int64_t pay_rate;   // cents per hour
};

struct Mso {
  MsoId id;
  FacilityId facilities[3];
  UnitId units[3];
};

Mso CreateMso(storage::Database& db, const std::string& name, Instant now) {
  Mso m;
  Must(db.Write([&](storage::Session& s) -> Result<void> {
    storage::SqlOrgRepository org(s);
    OPENMSO_ASSIGN_OR_RETURN(m.id, org.CreateMso(name, now));
    for (int i = 0; i < 3; ++i) {
      const Site& site = kSites[i];
      org::FacilityDraft f{site.name, "nursing_home", {"1 Main St", site.city, site.state, site.zip},
                           {site.lat, site.lon}, site.zone, Money::Cents(0), std::nullopt};
      OPENMSO_ASSIGN_OR_RETURN(m.facilities[i], org.CreateFacility(m.id, f, now));
      OPENMSO_ASSIGN_OR_RETURN(m.units[i], org.CreateUnit(m.facilities[i], "Main", "skilled_nursing", now));
    }
    return finance::PutPaySettings(s, m.id, finance::PaySettings{}, now);  // biweekly from 2026-01-04
  }), "create the MSO");
  return m;
}

int64_t NextId(storage::Database& db, const char* table) {
  const std::string sql = std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table;
  return Must(storage::ReadValue<int64_t>(db, [&](storage::Session& s) -> Result<int64_t> {
    storage::Statement st{sql, sql};  // the SQL text is unique per table, so it names itself
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(st));
    return row->Int(0);
  }), "next id");
}

// PostgreSQL identity columns do not advance on explicit ids: move them past the rows.
Result<void> SyncSequences(storage::Session& s) {
  if (s.backend() != storage::Backend::kPostgres) return Ok();
  return s.ExecScript(
      "SELECT setval(pg_get_serial_sequence('clinicians', 'id'), (SELECT MAX(id) FROM clinicians));"
      "SELECT setval(pg_get_serial_sequence('shifts', 'id'), (SELECT MAX(id) FROM shifts));"
      "SELECT setval(pg_get_serial_sequence('timesheets', 'id'), (SELECT MAX(id) FROM timesheets));");
}

// Generates `total` shifts for ceil(total / per) clinicians inside the period: each clinician
// works at a home facility (one in ten also picks up one shift at a second one), on distinct
// local days, day (07:00) or night (19:00) shifts of 8, 10 or 12 hours, never overlapping and
// never crossing the period's end. Clinicians get ids from `first_clinician`.
std::vector<Work> Generate(int64_t total, int64_t per, int64_t first_clinician, uint64_t seed,
                           int64_t* clinicians_out) {
  if (per < 1 || per > kPeriodDays) Die("--shifts-per-clinician must be 1..14");
  // Instants of each site's local day starts (07:00, 19:00) in the period, computed once.
  int64_t starts[3][kPeriodDays][2];
  for (int site = 0; site < 3; ++site)
    for (int d = 0; d < kPeriodDays; ++d)
      for (int half = 0; half < 2; ++half) {
        LocalDateTime l{Date::FromDaysSinceEpoch(kPeriodStart.DaysSinceEpoch() + d), half == 0 ? 7 * 60 : 19 * 60};
        starts[site][d][half] = ToUnixMillis(Must(ToInstant(l, kSites[site].zone), "local time"));
      }
  std::mt19937_64 rng(seed);
  std::vector<Work> out;
  out.reserve(static_cast<size_t>(total));
  int64_t clinicians = (total + per - 1) / per;
  std::vector<int> days(kPeriodDays);
  for (int64_t c = 0; c < clinicians; ++c) {
    int64_t id = first_clinician + c;
    int home = static_cast<int>(c % 3);
    int discipline = static_cast<int>((c / 3) % 3);
    int64_t rate = kBaseRate[discipline] + static_cast<int64_t>(rng() % 1200);
    bool roams = rng() % 10 == 0;
    const int n = static_cast<int>(std::clamp<int64_t>(total - static_cast<int64_t>(out.size()), 0, per));
    for (int d = 0; d < kPeriodDays; ++d) days[d] = d;
    std::shuffle(days.begin(), days.end(), rng);
    std::sort(days.begin(), days.begin() + n);
    int64_t last_end = 0;
    for (int k = 0; k < n; ++k) {
      int d = days[k];
      int site = roams && k == n - 1 ? (home + 1) % 3 : home;
      int half = d == kPeriodDays - 1 ? 0 : static_cast<int>(rng() % 2);  // the last night would cross the edge
      int hours = 8 + 2 * static_cast<int>(rng() % 3);
      int64_t start = starts[site][d][half];
      if (start < last_end) start = last_end;  // a night after a night at another zone's site
      int64_t end = start + hours * 3'600'000LL;
      if (d == kPeriodDays - 1 && end > starts[site][d][1] + 5 * 3'600'000LL) Die("generator: shift past the edge");
      last_end = end;
      out.push_back(Work{id, site, discipline, start, end, rate});
    }
  }
  *clinicians_out = clinicians;
  return out;
}

// Loads the clinicians (not timed) and then their shifts and approved timesheets in one
// transaction through BulkInsert (timed). Returns the load's seconds; shift and timesheet
// ids are contiguous from *first_timesheet.
double Load(storage::Database& db, const Mso& m, const std::vector<Work>& work, int64_t clinicians,
            int64_t first_clinician, Instant now, int64_t* first_timesheet) {
  const int64_t now_ms = ToUnixMillis(now);
  constexpr size_t kChunk = 50'000;
  Must(db.Write([&](storage::Session& s) -> Result<void> {
    std::vector<std::vector<storage::Value>> rows;
    for (int64_t c = 0; c < clinicians; ++c) {
      int64_t id = first_clinician + c;
      int home = static_cast<int>(c % 3);
      rows.push_back({id, m.id.value, std::string("Clin"), "No" + std::to_string(id),
                      "c" + std::to_string(id) + "@bench.example.org", std::string(kDisciplines[(c / 3) % 3]),
                      std::string("per_diem"), m.facilities[home].value, int64_t{41'880'000}, int64_t{-87'630'000},
                      int64_t{80}, std::string("active"), now_ms, std::string(c % 4 == 3 ? "1099" : "w2")});
      if (rows.size() == kChunk || c + 1 == clinicians) {
        OPENMSO_TRY(s.BulkInsert("clinicians",
                                 {"id", "mso_id", "first_name", "last_name", "email", "discipline", "employment_type",
                                  "home_facility_id", "home_latitude_e6", "home_longitude_e6", "travel_radius_km",
                                  "status", "created_at", "employment_class"},
                                 rows));
        rows.clear();
      }
    }
    return Ok();
  }), "load clinicians");

  const int64_t first_shift = NextId(db, "shifts");
  *first_timesheet = NextId(db, "timesheets");
  auto t0 = std::chrono::steady_clock::now();
  Must(db.Write([&](storage::Session& s) -> Result<void> {
    std::vector<std::vector<storage::Value>> rows;
    rows.reserve(kChunk);
    for (size_t begin = 0; begin < work.size(); begin += kChunk) {
      size_t end = std::min(work.size(), begin + kChunk);
      rows.clear();
      for (size_t i = begin; i < end; ++i) {
        const Work& w = work[i];
        int64_t bill = w.pay_rate * 14 / 10;
        rows.push_back({first_shift + static_cast<int64_t>(i), m.id.value, m.facilities[w.site].value,
                        m.units[w.site].value, std::string(kDisciplines[w.discipline]), w.start_ms, w.end_ms,
                        std::string(kSites[w.site].zone), w.pay_rate, bill, int64_t{1}, int64_t{1},
                        std::string("filled"), w.start_ms - 7 * 86'400'000LL, w.start_ms - 6 * 86'400'000LL});
      }
      OPENMSO_TRY(s.BulkInsert("shifts",
                               {"id", "mso_id", "facility_id", "unit_id", "discipline", "start_at", "end_at",
                                "time_zone", "pay_rate_cents", "bill_rate_cents", "openings", "filled", "status",
                                "created_at", "updated_at"},
                               rows));
      rows.clear();
      for (size_t i = begin; i < end; ++i) {
        const Work& w = work[i];
        int64_t decided = w.end_ms + 3'600'000LL;
        rows.push_back({*first_timesheet + static_cast<int64_t>(i), m.id.value, m.facilities[w.site].value,
                        first_shift + static_cast<int64_t>(i), w.clinician, std::string(kSites[w.site].zone),
                        w.start_ms, w.end_ms, w.start_ms, w.end_ms, std::string("approved"),
                        (w.end_ms - w.start_ms) / 60'000, w.end_ms, decided, w.start_ms, decided});
      }
      OPENMSO_TRY(s.BulkInsert("timesheets",
                               {"id", "mso_id", "facility_id", "shift_id", "clinician_id", "time_zone",
                                "scheduled_start", "scheduled_end", "clock_in", "clock_out", "status",
                                "worked_minutes", "submitted_at", "decided_at", "created_at", "updated_at"},
                               rows));
    }
    return SyncSequences(s);
  }), "load shifts and timesheets");
  return Seconds(t0, std::chrono::steady_clock::now());
}

double CpuSeconds() {  // this process's CPU time (a database server's is not counted)
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A progress bar on stderr, redrawn when the percentage changes (the CLI's long-work bar).
// It also times the phases the call reports, to show where the time goes.
struct Phases {
  std::vector<std::pair<std::string, double>> seconds;  // in order of first report
  std::string current;
  std::chrono::steady_clock::time_point since;
  int pct = -1;

  void Close(std::chrono::steady_clock::time_point now) {
    if (!current.empty()) seconds.emplace_back(current, Seconds(since, now));
    current.clear();
  }
  // "load 1.2 s, compute 3.4 s, write 5.6 s, rest 0.1 s" for a call that took `total` s.
  std::string Summary(double total) {
    std::string out;
    double sum = 0;
    char buf[64];
    for (const auto& [name, secs] : seconds) {
      std::snprintf(buf, sizeof buf, "%s %.2f s, ", name.c_str(), secs);
      out += buf;
      sum += secs;
    }
    std::snprintf(buf, sizeof buf, "after the last phase %.2f s", total - sum);
    return out + buf;
  }
};

finance::Progress Bar(const char* label, std::shared_ptr<Phases> phases) {
  phases->since = std::chrono::steady_clock::now();
  return [label, phases](std::string_view phase, int64_t done, int64_t total) {
    int pct = total > 0 ? static_cast<int>(done * 100 / total) : 100;
    // A phase runs from the end of the previous one (or its own first report while the
    // previous one is still open) to its report of done == total.
    auto now = std::chrono::steady_clock::now();
    if (phase != phases->current) {
      if (!phases->current.empty()) {
        phases->Close(now);
        phases->since = now;
      }
      phases->current = std::string(phase);
    } else if (pct == phases->pct) {
      return;
    }
    phases->pct = pct;
    if (done >= total) {
      phases->Close(now);
      phases->since = now;
      phases->pct = -1;
    }
    constexpr int kWidth = 40;
    int filled = pct * kWidth / 100;
    std::fprintf(stderr, "\r%s %-8.*s [%.*s%*s] %3d%% %lld/%lld", label, static_cast<int>(phase.size()), phase.data(),
                 filled, "########################################", kWidth - filled, "", pct,
                 static_cast<long long>(done), static_cast<long long>(total));
    if (pct >= 100) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };
}

void Figure(const std::string& name, double value, const char* unit, const char* reference = nullptr,
            double ratio = 0) {
  std::printf("{\"figure\": \"%s\", \"name\": \"%s\", \"value\": %.3f, \"unit\": \"%s\"", name.c_str(), name.c_str(),
              value, unit);
  if (reference) std::printf(", \"reference\": \"%s\", \"ratio\": %.2f", reference, ratio);
  std::printf("}\n");
  std::fflush(stdout);
}

int64_t Count(storage::Database& db, const std::string& sql, int64_t param) {
  return Must(storage::ReadValue<int64_t>(db, [&](storage::Session& s) -> Result<int64_t> {
    storage::Statement st{sql, sql};
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(st, {param}));
    return row->Int(0);
  }), "count");
}

void PayRunPhase(storage::Database& db, int64_t clinicians_wanted, int64_t per, uint64_t seed, const std::string& tag) {
  const Instant now = *ParseInstant("2026-02-02T15:00:00Z");
  Mso m = CreateMso(db, "Pay run bench MSO " + std::to_string(::getpid()), now);
  int64_t first_clinician = NextId(db, "clinicians"), clinicians = 0, first_timesheet = 0;
  auto work = Generate(clinicians_wanted * per, per, first_clinician, seed, &clinicians);
  const auto shifts = static_cast<int64_t>(work.size());
  std::fprintf(stderr, "pay run: loading %lld clinicians, %lld shifts and approved timesheets...\n",
               static_cast<long long>(clinicians), static_cast<long long>(shifts));
  double load_s = Load(db, m, work, clinicians, first_clinician, now, &first_timesheet);
  work = {};
  std::fprintf(stderr, "pay run: loaded %lld shifts + timesheets in %.2f s (%.0f timesheets/s)\n",
               static_cast<long long>(shifts), load_s, shifts / load_s);

  auto phases = std::make_shared<Phases>();
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  auto draft = Must(finance::CreatePayRun(db, m.id, kPeriodStart, "regular", std::nullopt, now, Bar("pay run", phases),
                                          nullptr),
                    "CreatePayRun");
  auto t1 = std::chrono::steady_clock::now();
  double cpu1 = CpuSeconds();
  auto fin = Must(finance::FinalizePayRun(db, draft.id, std::nullopt, now + 1h, nullptr), "FinalizePayRun");
  auto t2 = std::chrono::steady_clock::now();
  double cpu2 = CpuSeconds();

  // The run pays every clinician and every shift, and finalizing recorded each one as paid.
  if (draft.statements != clinicians)
    Die("statements " + std::to_string(draft.statements) + " != clinicians " + std::to_string(clinicians) +
        "; exceptions " + draft.exceptions_json.substr(0, 400));
  if (draft.timesheets != shifts)
    Die("timesheets " + std::to_string(draft.timesheets) + " != shifts " + std::to_string(shifts));
  if (fin.status != "finalized") Die("run status " + fin.status);
  if (draft.gross <= Money::Cents(0) || fin.gross != draft.gross) Die("gross changed by finalizing or not positive");
  int64_t paid = Count(db, "SELECT COUNT(*) FROM paid_timesheet_periods WHERE run_id = ?", draft.id.value);
  if (paid != shifts) Die("paid timesheet periods " + std::to_string(paid) + " != shifts " + std::to_string(shifts));

  double draft_s = Seconds(t0, t1), fin_s = Seconds(t1, t2), total_s = Seconds(t0, t2);
  std::fprintf(stderr,
               "pay run: %lld statements, %lld timesheets, gross $%lld; draft (compute and write) %.2f s, finalize "
               "%.2f s, end to end %.2f s (issue 5 target: under 30 s on SQLite, for draft + finalize)\n",
               static_cast<long long>(draft.statements), static_cast<long long>(draft.timesheets),
               static_cast<long long>(draft.gross.cents() / 100), draft_s, fin_s, total_s);
  std::fprintf(stderr, "pay run: draft phases: %s; CPU of this process: draft %.2f s, finalize %.2f s\n",
               phases->Summary(draft_s).c_str(), cpu1 - cpu0, cpu2 - cpu1);
  Figure("payrun_load_timesheets_per_s" + tag, shifts / load_s, "timesheets/s", "640 (Tryton 6.0 import), target 32000",
         shifts / load_s / 32000.0);
  Figure("payrun_compute_and_write_s" + tag, draft_s, "s");
  Figure("payrun_finalize_s" + tag, fin_s, "s");
  Figure("payrun_end_to_end_s" + tag, total_s, "s", "30 s (issue 5 target on SQLite: draft + finalize)", total_s / 30.0);
  Figure("payrun_end_to_end_cpu_s" + tag, cpu2 - cpu0, "CPU-s");
  Figure("payrun_shifts" + tag, static_cast<double>(shifts), "shifts");
}

void InvoicePhase(storage::Database& db, int64_t timesheets, uint64_t seed, const std::string& tag) {
  const Instant now = *ParseInstant("2026-02-02T16:00:00Z");
  Mso m = CreateMso(db, "Invoice bench MSO " + std::to_string(::getpid()), now);
  Must(db.Write([&](storage::Session& s) -> Result<void> {
    for (int i = 0; i < 3; ++i) {
      billing::ServiceAgreement a;
      a.facility_id = m.facilities[i];
      a.effective_from = Date{2026, 1, 1};
      for (int d = 0; d < 3; ++d)
        a.rate_card.push_back({kDisciplines[d], Money::Cents(kBaseRate[d] * 15 / 10 + 500 * i)});
      a.overtime.kind = billing::OvertimeKind::kWeekly;
      a.holidays = {Date{2026, 1, 19}};  // MLK day, billed at the holiday multiplier
      a.fee.percent_bp = 800;
      a.fee.per_shift = Money::Cents(250);
      a.fee.flat_monthly = Money::Cents(150'000);
      OPENMSO_TRY(finance::AddAgreement(s, m.id, a, std::nullopt, now));
    }
    return Ok();
  }), "AddAgreement");
  int64_t first_clinician = NextId(db, "clinicians"), clinicians = 0, first_timesheet = 0;
  auto work = Generate(timesheets, 10, first_clinician, seed + 1, &clinicians);
  std::fprintf(stderr, "invoicing: loading %lld approved timesheets of %lld clinicians at 3 facilities...\n",
               static_cast<long long>(work.size()), static_cast<long long>(clinicians));
  double load_s = Load(db, m, work, clinicians, first_clinician, now, &first_timesheet);
  work = {};

  auto phases = std::make_shared<Phases>();
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  auto invoices = Must(finance::GenerateInvoices(db, m.id, kPeriodStart, kPeriodEnd, std::nullopt, true, std::nullopt,
                                                 now, Bar("invoicing", phases), nullptr),
                       "GenerateInvoices");
  double secs = Seconds(t0, std::chrono::steady_clock::now());
  double cpu = CpuSeconds() - cpu0;

  // Three finalized invoices whose labor lines bill every timesheet, each on one invoice,
  // and the exactly-once ledger holds each timesheet once (its primary key).
  if (invoices.size() != 3) Die("invoices " + std::to_string(invoices.size()) + " != 3");
  std::vector<char> billed(static_cast<size_t>(timesheets), 0);
  int64_t lines = 0;
  Money total;
  char invoice_no = 0;
  for (const auto& inv : invoices) {
    ++invoice_no;
    if (inv.stored_status != "finalized" || inv.invoice.number.empty()) Die("an invoice is not finalized");
    auto full = Must(storage::ReadValue<finance::InvoiceRow>(
                         db, [&](storage::Session& s) { return finance::GetInvoice(s, inv.id, true); }),
                     "GetInvoice");
    lines += static_cast<int64_t>(full.invoice.lines.size());
    total += full.invoice.total;
    for (const auto& l : full.invoice.lines) {
      if (!billing::IsLabor(l.kind)) continue;
      int64_t k = l.timesheet_id.value - first_timesheet;
      if (k < 0 || k >= timesheets) Die("a labor line bills timesheet " + std::to_string(l.timesheet_id.value));
      // A timesheet may have several labor lines (regular, overtime, holiday), all on one invoice.
      char& on = billed[static_cast<size_t>(k)];
      if (on != 0 && on != invoice_no) Die("timesheet on two invoices: " + std::to_string(l.timesheet_id.value));
      on = invoice_no;
    }
  }
  for (int64_t k = 0; k < timesheets; ++k)
    if (!billed[static_cast<size_t>(k)]) Die("timesheet not billed: " + std::to_string(first_timesheet + k));
  int64_t ledger = Count(db,
                         "SELECT COUNT(*) FROM billed_timesheets b JOIN invoices i ON i.id = b.invoice_id "
                         "WHERE i.mso_id = ?",
                         m.id.value);
  if (ledger != timesheets) Die("billed ledger " + std::to_string(ledger) + " != " + std::to_string(timesheets));

  std::fprintf(stderr,
               "invoicing: %lld timesheets -> 3 finalized invoices, %lld lines, total $%lld in %.3f s (%.0f lines/s); "
               "load %.2f s (%.0f timesheets/s). Issue 5 target: under 2 s on PostgreSQL (Tryton 6.0: 87 s)\n",
               static_cast<long long>(timesheets), static_cast<long long>(lines),
               static_cast<long long>(total.cents() / 100), secs, lines / secs, load_s, timesheets / load_s);
  std::fprintf(stderr, "invoicing: phases: %s; CPU of this process %.2f s\n", phases->Summary(secs).c_str(), cpu);
  std::string n = timesheets == 100'000 ? "100k" : std::to_string(timesheets);
  Figure("invoicing_" + n + "_finalized_s" + tag, secs, "s", "2 s (issue 5 target on PostgreSQL); Tryton 6.0: 87 s",
         secs / 2.0);
  Figure("invoicing_" + n + "_finalized_cpu_s" + tag, cpu, "CPU-s");
  Figure("invoicing_lines_per_s" + tag, lines / secs, "lines/s");
  Figure("invoicing_load_timesheets_per_s" + tag, timesheets / load_s, "timesheets/s",
         "640 (Tryton 6.0 import), target 32000", timesheets / load_s / 32000.0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, phases = "payrun,invoice";
  int64_t clinicians = 100'000, per = 10, invoice_timesheets = 100'000;
  uint64_t seed = 1;
  bool tiny = false, set_clinicians = false, set_invoices = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) { std::fprintf(stderr, "finance_bench: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--database") url = next();
    else if (a == "--clinicians") { clinicians = std::atoll(next()); set_clinicians = true; }
    else if (a == "--shifts-per-clinician") per = std::atoll(next());
    else if (a == "--timesheets-for-invoices") { invoice_timesheets = std::atoll(next()); set_invoices = true; }
    else if (a == "--phases") phases = next();
    else if (a == "--seed") seed = std::strtoull(next(), nullptr, 10);
    else if (a == "--tiny") tiny = true;
    else { std::fprintf(stderr, "finance_bench: unknown argument %s\n", a.c_str()); return 2; }
  }
  if (tiny) {
    if (!set_clinicians) clinicians = 2'000;
    if (!set_invoices) invoice_timesheets = 3'000;
  }
  if (clinicians < 1 || invoice_timesheets < 3) Die("--clinicians >= 1 and --timesheets-for-invoices >= 3");

  std::filesystem::path tmp;
  if (url.empty()) {
    tmp = std::filesystem::temp_directory_path() / ("openmso-finance-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(tmp);
    std::filesystem::create_directories(tmp);
    url = "sqlite:" + (tmp / "bench.db").string();
  }
  int rc = 0;
  {
    auto db = Must(storage::OpenDatabase(url), "open the database");
    Must(db->Migrate(), "migrate");
    // The SQLite figures carry the plain names; PostgreSQL's end in _postgres, tiny runs' in _tiny.
    const std::string tag = std::string(db->backend() == storage::Backend::kPostgres ? "_postgres" : "") +
                            (tiny ? "_tiny" : "");
    if (phases.find("payrun") != std::string::npos) PayRunPhase(*db, clinicians, per, seed, tag);
    if (phases.find("invoice") != std::string::npos) InvoicePhase(*db, invoice_timesheets, seed, tag);
  }
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  return rc;
}
