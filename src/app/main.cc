// The `openmso` binary: one CLI (serve, migrate, seed, user add, audit verify, roster,
// version) and the wiring of configuration, database, domain and server.
#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <iostream>
#include <unistd.h>

#include "app/config.h"
#include "finance/finance.h"
#include "app/gen.h"
#include "app/seed.h"
#include "http/http.h"
#include "storage/backup.h"
#include "storage/repo_screening.h"
#include "solver/solver.h"

extern char** environ;

namespace openmso::app {
namespace {

constexpr const char* kVersion = "0.1.0";

int Fail(const Error& e) {
  std::cerr << "error: " << e.message;
  for (const auto& f : e.fields) std::cerr << "\n  " << f.field << ": " << f.message;
  if (!e.log_detail.empty()) std::cerr << "\n  (" << e.log_detail << ")";
  std::cerr << std::endl;
  return 1;
}

Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const Config& c, bool quiet = false) {
  storage::OpenOptions opt;
  opt.pool_size = c.db_pool_size;
  OPENMSO_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(c.database_url, opt));
  OPENMSO_ASSIGN_OR_RETURN(auto applied, db->Migrate());
  if (!quiet)
    for (int v : applied) log::Info("migration applied", {{"version", std::to_string(v)}});
  return db;
}

void PrintDemoLogins(std::ostream& out) {
  out << "Demo logins (password " << kDemoPassword << "):\n";
  for (const auto& l : DemoLogins()) out << "  " << l.role << std::string(18 - l.role.size(), ' ') << l.email << "\n";
}

// One pass of every background job; failures are logged and retried next pass.
// JOB-LEASE: with several servers on one database only the lease holder runs the jobs; the
// lease lasts three intervals, so another server takes over when the holder dies.
void RunJobs(http::AppContext& ctx, const std::string& holder, std::chrono::seconds interval) {
  auto mine = storage::WriteValue<bool>(ctx.db, [&](storage::Session& s) {
    return storage::TryJobLease(s, "background", holder, ctx.clock.Now(),
                                std::chrono::duration_cast<std::chrono::milliseconds>(interval * 3));
  });
  if (!mine.ok()) {
    log::Error("job lease failed", {{"type", mine.error().type}});
    return;
  }
  if (!*mine) return;
  auto approved = http::RunAutoApprovals(ctx);
  if (!approved.ok()) log::Error("job auto-approval failed", {{"type", approved.error().type}});
  else if (*approved > 0) log::Info("timesheets auto-approved", {{"count", std::to_string(*approved)}});
  if (auto r = http::RunShiftReleases(ctx); !r.ok()) log::Error("job shift releases failed", {{"type", r.error().type}});
  auto answered = http::RunClaimTimeouts(ctx);
  if (!answered.ok()) log::Error("job claim timeouts failed", {{"type", answered.error().type}});
  else if (*answered > 0) log::Info("claims answered by timeout", {{"count", std::to_string(*answered)}});
  if (auto n = http::RunNotificationJobs(ctx); !n.ok()) log::Error("job notifications failed", {{"type", n.error().type}});
  if (auto m = http::RunMonthlyScreening(ctx); !m.ok()) log::Error("job monthly screening failed", {{"type", m.error().type}});
}

int Serve(Config c, bool demo) {
  identity::SetHashConcurrency(c.hash_concurrency);
  auto db = OpenAndMigrate(c);
  if (!db.ok()) return Fail(db.error());
  SystemClock clock;
  if (demo) {
    auto empty = DatabaseIsEmpty(**db);
    if (!empty.ok()) return Fail(empty.error());
    if (*empty) {
      if (auto r = SeedDemo(**db, clock); !r.ok()) return Fail(r.error());
      log::Info("demo data seeded");
    }
  }
  http::EventHub hub;
  hub.AttachDatabase(db->get());
  http::Settings settings;
  settings.session.idle_timeout = std::chrono::minutes(c.session_idle_minutes);
  settings.session.absolute_lifetime = std::chrono::hours(c.session_absolute_hours);
  settings.session.max_failed_logins = c.login_max_failures;
  settings.session.lockout = std::chrono::minutes(c.login_lockout_minutes);
  settings.static_dir = c.static_dir;
  settings.data_dir = c.data_dir;
  settings.trust_proxy = c.trust_proxy;
  settings.body_limit_bytes = static_cast<size_t>(c.body_limit_bytes);
  settings.ip_login_attempts_per_minute = c.login_attempts_per_ip_per_minute;
  settings.notify = {c.notify_email_url, c.notify_sms_url, c.notify_from, c.notify_sms_token, c.public_url,
                     c.notify_max_attempts, std::chrono::seconds(c.notify_backoff_seconds)};
  http::AppContext ctx{**db, clock, hub, settings, kVersion, nullptr};
  http::Api api(ctx, http::BuildRouter());
  http::ServerOptions so;
  so.bind = c.bind;
  so.port = c.port;
  so.io_threads = c.io_threads;
  so.worker_threads = c.worker_threads;
  so.body_limit_bytes = static_cast<size_t>(c.body_limit_bytes);
  so.header_timeout_seconds = c.header_timeout_seconds;
  so.idle_timeout_seconds = c.idle_timeout_seconds;
  so.shutdown_grace_seconds = c.shutdown_grace_seconds;
  so.tls_cert_file = c.tls_cert_file;
  so.tls_key_file = c.tls_key_file;
  if (demo) PrintDemoLogins(std::cout);
  std::cout.flush();
  // Background jobs on their own thread, every jobs_interval_seconds until the server stops.
  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  bool stopping = false;
  std::thread jobs;
  // This process's name in the job lease: host and pid (no personal data).
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  const std::string holder = std::string(host) + ":" + std::to_string(::getpid());
  if (c.jobs_interval_seconds > 0) {
    jobs = std::thread([&] {
      std::unique_lock lock(jobs_mu);
      while (!jobs_cv.wait_for(lock, std::chrono::seconds(c.jobs_interval_seconds), [&] { return stopping; })) {
        lock.unlock();
        RunJobs(ctx, holder, std::chrono::seconds(c.jobs_interval_seconds));
        lock.lock();
      }
    });
  }
  auto r = http::Serve(so, api);
  {
    std::lock_guard lock(jobs_mu);
    stopping = true;
  }
  jobs_cv.notify_all();
  if (jobs.joinable()) jobs.join();
  if (!r.ok()) return Fail(r.error());
  return 0;
}

// A "system" audit event for a CLI change, written in its transaction.
finance::AuditFn CliAudit(const Clock& clock, std::string action, std::string entity_type) {
  return [&clock, action, entity_type](storage::Session& s, std::string_view id) -> Result<void> {
    audit::Event e;
    e.at = clock.Now();
    e.actor_role = "system";
    e.action = action;
    e.entity_type = entity_type;
    e.entity_id = std::string(id);
    e.request_id = "cli";
    e.client_ip = "local";
    e.outcome = "success";
    storage::SqlAuditRepository repo(s);
    OPENMSO_TRY(audit::Append(repo, e));
    return Ok();
  };
}

int UserAdd(const Config& c, identity::User u, std::string password, bool password_stdin) {
  if (password_stdin) std::getline(std::cin, password);
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  if (auto v = identity::ValidateNewUser(u, password); !v.ok()) return Fail(v.error());
  u.email = *identity::NormalizeEmail(u.email);
  std::string hash = identity::HashPassword(password);
  SystemClock clock;
  auto id = storage::WriteValue<UserId>(**db, [&](storage::Session& s) -> Result<UserId> {
    static constexpr storage::Statement kFirstMso{"cli.first_mso", "SELECT id FROM msos ORDER BY id LIMIT 1"};
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kFirstMso));
    if (!row) return Error::Make(ErrorCode::kNotFound, "no-mso", "No MSO exists yet; run `openmso seed --demo` or create one.");
    u.mso_id = MsoId(row->Int(0));
    storage::SqlIdentityRepository repo(s);
    OPENMSO_ASSIGN_OR_RETURN(UserId uid, repo.CreateUser(u, hash, clock.Now()));
    OPENMSO_TRY(CliAudit(clock, "user.create", "user")(s, std::to_string(uid.value)));
    return uid;
  });
  if (!id.ok()) return Fail(id.error());
  std::cout << "created user " << id->value << " (" << identity::RoleName(u.role) << ")\n";
  return 0;
}

int AuditVerify(const Config& c) {
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  auto rep = storage::ReadValue<audit::VerifyReport>(**db, [](storage::Session& s) {
    storage::SqlAuditRepository repo(s);
    return audit::Verify(repo);
  });
  if (!rep.ok()) return Fail(rep.error());
  if (rep->ok) {
    std::cout << "audit chain OK: " << rep->events_checked << " events verified\n";
    return 0;
  }
  std::cout << "audit chain BROKEN at seq " << *rep->first_broken_seq << ": " << rep->reason << " ("
            << rep->events_checked - 1 << " events before it verified)\n";
  return 2;
}

// A progress bar on stderr when it is a terminal (long work shows progress).
std::function<void(std::string_view, int64_t, int64_t)> ProgressBar(bool tty) {
  auto last = std::make_shared<std::pair<std::string, int>>("", -1);
  return [tty, last](std::string_view phase, int64_t done, int64_t total) {
    if (!tty) return;
    int percent = total > 0 ? static_cast<int>(std::min<int64_t>(100, done * 100 / total)) : 100;
    if (phase == last->first && percent == last->second) return;
    *last = {std::string(phase), percent};
    std::string bar(static_cast<size_t>(percent / 4), '#');
    bar.resize(25, ' ');
    if (phase == "commit") std::cerr << "\r\x1b[Kcommitting..." << std::flush;
    else std::cerr << "\r\x1b[K[" << bar << "] " << percent << "% " << phase << " " << done << "/" << total << std::flush;
  };
}

// The first MSO of the database (the CLI acts for it, as `user add` does).
Result<MsoId> FirstMso(storage::Database& db) {
  return storage::ReadValue<MsoId>(db, [](storage::Session& s) -> Result<MsoId> {
    static constexpr storage::Statement kFirst{"cli.first_mso_id", "SELECT id FROM msos ORDER BY id LIMIT 1"};
    OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kFirst));
    if (!row) return Error::Make(ErrorCode::kNotFound, "no-mso", "No MSO exists yet; run `openmso seed --demo` first.");
    return MsoId(row->Int(0));
  });
}

// `openmso payroll run --period-start DATE [--finalize]`: a pay run from the command line.
int PayrollRun(const Config& c, const std::string& start, bool finalize) {
  auto date = Date::Parse(start);
  if (!date) return Fail(Error::Invalid("period_start", "invalid_date", "A date, YYYY-MM-DD."));
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  auto mso = FirstMso(**db);
  if (!mso.ok()) return Fail(mso.error());
  SystemClock clock;
  bool tty = ::isatty(2);
  auto run = finance::CreatePayRun(**db, *mso, *date, "regular", std::nullopt, clock.Now(), ProgressBar(tty),
                                   CliAudit(clock, "pay_run.create", "pay_run"));
  if (tty) std::cerr << "\r\x1b[K" << std::flush;
  if (!run.ok()) return Fail(run.error());
  if (finalize) {
    run = finance::FinalizePayRun(**db, run->id, std::nullopt, clock.Now(), CliAudit(clock, "pay_run.finalize", "pay_run"));
    if (!run.ok()) return Fail(run.error());
  }
  std::cout << "pay run " << run->id.value << " (" << run->status << ") " << run->period.start.ToString() << " to "
            << run->period.end.ToString() << ": " << run->statements << " statements, " << run->timesheets
            << " timesheets, gross " << run->gross.ToDecimalString() << ", net due " << run->net_due.ToDecimalString()
            << (run->exceptions_json == "[]" ? "" : ", exceptions: " + run->exceptions_json) << "\n";
  return 0;
}

// `openmso invoices generate --from DATE --to DATE [--finalize]`.
int InvoicesGenerate(const Config& c, const std::string& from, const std::string& to, bool finalize) {
  auto f = Date::Parse(from), t = Date::Parse(to);
  if (!f || !t) return Fail(Error::Invalid(!f ? "from" : "to", "invalid_date", "A date, YYYY-MM-DD."));
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  auto mso = FirstMso(**db);
  if (!mso.ok()) return Fail(mso.error());
  SystemClock clock;
  bool tty = ::isatty(2);
  auto rows = finance::GenerateInvoices(**db, *mso, *f, *t, std::nullopt, finalize, std::nullopt, clock.Now(),
                                        ProgressBar(tty), CliAudit(clock, "invoice.generate", "invoice"));
  if (tty) std::cerr << "\r\x1b[K" << std::flush;
  if (!rows.ok()) return Fail(rows.error());
  for (const auto& r : *rows)
    std::cout << "invoice " << r.id.value << " " << (r.invoice.number.empty() ? "(draft)" : r.invoice.number) << " "
              << r.facility_name << ": " << r.timesheets << " timesheets, total " << r.invoice.total.ToDecimalString()
              << ", due " << r.invoice.due_date.ToString() << "\n";
  return 0;
}

// The bytes of FILE. Errors: kNotFound naming the file.
Result<std::string> ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid("FILE", "not_found", "Cannot read " + path + ".");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `openmso screening import FILE [--supplement exclusions|reinstatements]`: loads an OIG
// LEIE file (no body limit here: UPDATED.csv is about 15 MB) and screens every clinician.
int ScreeningImport(const Config& c, const std::string& path, const std::string& supplement) {
  auto kind = supplement.empty() ? std::optional(screening::LeieKind::kFull) : screening::ParseLeieKind(supplement);
  if (!kind || (!supplement.empty() && *kind == screening::LeieKind::kFull))
    return Fail(Error::Invalid("--supplement", "invalid_value", "exclusions or reinstatements."));
  auto text = ReadFileText(path);
  if (!text.ok()) return Fail(text.error());
  auto entries = screening::ParseLeie(*text, *kind);
  if (!entries.ok()) return Fail(entries.error());
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  SystemClock clock;
  bool tty = ::isatty(2);
  auto progress = ProgressBar(tty);
  auto out = storage::WriteValue<storage::ExclusionImportRow>(**db, [&](storage::Session& s) -> Result<storage::ExclusionImportRow> {
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::ImportExclusions(s, *kind, *entries, identity::Sha256Hex(*text), std::nullopt,
                                                               clock.Now(), progress));
    OPENMSO_TRY(CliAudit(clock, "screening.import", "exclusion_list")(s, std::to_string(r.list_id)));
    return r;
  });
  if (tty) std::cerr << "\r\x1b[K" << std::flush;
  if (!out.ok()) return Fail(out.error());
  std::cout << "exclusion list " << out->list_id << " (" << out->kind << ", sha256 " << out->sha256 << "): " << out->rows
            << " rows, " << out->active_entries << " active; screening run " << out->run.id << ": " << out->run.clinicians
            << " clinicians, " << out->run.confirmed << " new confirmed, " << out->run.possible << " new possible, "
            << out->run.lifted << " lifted\n";
  return 0;
}

// `openmso clinicians import FILE [--valid-only]`: bulk onboarding (docs/onboarding.md).
int CliniciansImport(const Config& c, const std::string& path, bool valid_only) {
  auto text = ReadFileText(path);
  if (!text.ok()) return Fail(text.error());
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  auto mso = FirstMso(**db);
  if (!mso.ok()) return Fail(mso.error());
  SystemClock clock;
  const Date today = Date::FromDaysSinceEpoch(ToUnixMillis(clock.Now()) / 86'400'000);
  auto out = storage::WriteValue<storage::OnboardingImportRow>(**db, [&](storage::Session& s) -> Result<storage::OnboardingImportRow> {
    OPENMSO_ASSIGN_OR_RETURN(auto known, storage::SqlCredentialingRepository(s).ListDisciplines());
    OPENMSO_ASSIGN_OR_RETURN(auto file, screening::ParseOnboarding(*text, known, today));
    OPENMSO_ASSIGN_OR_RETURN(auto r, storage::ImportOnboarding(s, *mso, file, valid_only, clock.Now()));
    for (ClinicianId id : r.clinician_ids) OPENMSO_TRY(CliAudit(clock, "clinician.import", "clinician")(s, std::to_string(id.value)));
    return r;
  });
  if (!out.ok()) return Fail(out.error());
  for (const auto& e : out->errors) std::cerr << "skipped " << e.field << ": " << e.message << "\n";
  std::cout << "imported " << out->clinician_ids.size() << " clinicians and " << out->credentials_created << " credentials";
  if (out->screening) std::cout << "; screened: " << out->screening->confirmed << " confirmed, " << out->screening->possible << " possible";
  std::cout << "\n";
  return 0;
}

// `openmso gen`: synthetic data in one transaction, with a progress bar on a terminal.
int Gen(const Config& c, GenOptions o, bool password_stdin) {
  if (password_stdin) std::getline(std::cin, o.password);
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  const bool tty = isatty(STDERR_FILENO) == 1;
  GenProgress progress = ProgressBar(tty);
  SystemClock clock;
  auto start = std::chrono::steady_clock::now();
  auto rep = Generate(**db, o, clock.Now(), progress);
  if (tty) std::cerr << "\r\x1b[K" << std::flush;
  if (!rep.ok()) return Fail(rep.error());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "generated MSO " << rep->mso.value << ": " << rep->facilities << " facilities, " << rep->units
            << " units, " << rep->clinicians << " clinicians, " << rep->users << " users, " << rep->shifts
            << " worked shifts in " << secs << " s\n";
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  // `openmso roster ...` is handed whole to the solver's CLI.
  if (argc >= 2 && std::string(argv[1]) == "roster") {
    std::vector<std::string> args(argv + 2, argv + argc);
    return solver::RosterCommand(args, std::cout, std::cerr);
  }
  CLI::App cli{"OpenMSO: the back office of a healthcare management services organization."};
  cli.require_subcommand(1);
  cli.fallthrough();  // global options (--config, --database) may follow the subcommand
  std::string config_file;
  if (const char* f = std::getenv("OPENMSO_CONFIG")) config_file = f;
  cli.add_option("--config", config_file, "Configuration file (key = value lines); also OPENMSO_CONFIG");
  std::string database_url;
  cli.add_option("--database", database_url, "Database URL (sqlite:PATH or postgresql://...); overrides OPENMSO_DATABASE_URL");

  auto* serve = cli.add_subcommand("serve", "Run the HTTP/WebSocket server");
  int port = -1;
  bool demo = false;
  serve->add_option("--port", port, "TCP port (default 8080; 0 = any free port)");
  serve->add_flag("--demo", demo, "Seed the demo MSO when the database is empty");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  auto* seed = cli.add_subcommand("seed", "Load data into the database");
  bool seed_demo = false;
  seed->add_flag("--demo", seed_demo, "The demo MSO (three facilities, clinicians, one user per role)")->required();
  auto* gen = cli.add_subcommand("gen", "Generate seeded synthetic data (one MSO) for benchmarks and load tests");
  GenOptions gen_options;
  bool gen_password_stdin = false;
  gen->add_option("--clinicians", gen_options.clinicians, "Clinicians to generate (default 1000)");
  gen->add_option("--facilities", gen_options.facilities, "Facilities to generate (default 20)");
  gen->add_option("--users", gen_options.users, "Users: one MSO admin plus clinician logins (default 0)");
  gen->add_option("--seed", gen_options.seed, "Random seed; same seed and sizes give the same data (default 1)");
  gen->add_option("--history-weeks", gen_options.history_weeks,
                  "Weeks of worked shifts (approved timesheets) before today (default 0)");
  gen->add_option("--shifts-per-week", gen_options.shifts_per_week, "Worked shifts per clinician and week (default 3)");
  gen->add_option("--password", gen_options.password, "Password of the generated users (prefer --password-stdin)");
  gen->add_flag("--password-stdin", gen_password_stdin, "Read the generated users' password from standard input");
  auto* backup = cli.add_subcommand("backup", "Write a consistent copy of the database to FILE (servers may run)");
  std::string backup_file;
  backup->add_option("file", backup_file, "The new backup file (SQLite file, or pg_dump custom format)")->required();
  auto* restore = cli.add_subcommand("restore", "Restore FILE into the database (SQLite: stop the servers first; "
                                                "PostgreSQL: the database must be empty)");
  std::string restore_file;
  restore->add_option("file", restore_file, "A file written by `openmso backup`")->required();
  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user");
  identity::User u;
  std::string role = "mso_admin", password;
  std::vector<int64_t> facility_ids;
  bool password_stdin = false;
  user_add->add_option("--email", u.email, "Email (the login)")->required();
  user_add->add_option("--name", u.display_name, "Display name")->required();
  user_add->add_option("--role", role, "mso_admin, facility_manager, credentialing, billing, clinician, auditor");
  user_add->add_option("--facility", facility_ids, "Facility id (facility managers; repeatable)");
  user_add->add_option("--password", password, "Password (prefer --password-stdin)");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  auto* audit_cmd = cli.add_subcommand("audit", "The audit trail");
  audit_cmd->require_subcommand(1);
  auto* verify = audit_cmd->add_subcommand("verify", "Walk the hash chain; name the first broken event");
  cli.add_subcommand("roster", "Core schedule optimizer: `openmso roster --help`");
  auto* payroll_cmd = cli.add_subcommand("payroll", "Pay runs");
  auto* payroll_run = payroll_cmd->add_subcommand("run", "Compute (and optionally finalize) the pay run of a period");
  std::string period_start;
  bool pay_finalize = false;
  payroll_run->add_option("--period-start", period_start, "First day of the pay period (YYYY-MM-DD)")->required();
  payroll_run->add_flag("--finalize", pay_finalize, "Finalize the draft at once");
  auto* invoices_cmd = cli.add_subcommand("invoices", "Facility invoices");
  auto* invoices_gen = invoices_cmd->add_subcommand("generate", "Invoice every facility for a period");
  std::string inv_from, inv_to;
  bool inv_finalize = false;
  invoices_gen->add_option("--from", inv_from, "First day (YYYY-MM-DD)")->required();
  invoices_gen->add_option("--to", inv_to, "Day after the last (YYYY-MM-DD)")->required();
  invoices_gen->add_flag("--finalize", inv_finalize, "Finalize the invoices at once");
  auto* screening_cmd = cli.add_subcommand("screening", "Exclusion screening (OIG LEIE)");
  screening_cmd->require_subcommand(1);
  auto* screening_import = screening_cmd->add_subcommand("import", "Load a LEIE file and screen every clinician");
  std::string leie_file, leie_supplement;
  screening_import->add_option("FILE", leie_file, "UPDATED.csv, or a monthly supplement with --supplement")->required();
  screening_import->add_option("--supplement", leie_supplement, "exclusions or reinstatements (a monthly supplement)");
  auto* clinicians_cmd = cli.add_subcommand("clinicians", "Clinicians");
  clinicians_cmd->require_subcommand(1);
  auto* clinicians_import = clinicians_cmd->add_subcommand("import", "Bulk onboarding from CSV (docs/onboarding.md)");
  std::string onboarding_file;
  bool onboarding_valid_only = false;
  clinicians_import->add_option("FILE", onboarding_file, "The CSV file")->required();
  clinicians_import->add_flag("--valid-only", onboarding_valid_only, "Import the clean clinicians even if other rows are bad");
  auto* version = cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);

  if (version->parsed()) {
    std::cout << "openmso " << kVersion << "\n";
    return 0;
  }
  auto config = LoadConfig(config_file, environ);
  if (!config.ok()) return Fail(config.error());
  Config c = *config;
  if (!database_url.empty()) c.database_url = database_url;
  if (port >= 0) c.port = port;
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, level);
  log::SetLevel(level);

  if (serve->parsed()) return Serve(c, demo);
  if (migrate->parsed()) {
    auto db = OpenAndMigrate(c);
    if (!db.ok()) return Fail(db.error());
    std::cout << "database is up to date\n";
    return 0;
  }
  if (seed->parsed()) {
    auto db = OpenAndMigrate(c, true);
    if (!db.ok()) return Fail(db.error());
    SystemClock clock;
    if (auto r = SeedDemo(**db, clock); !r.ok()) return Fail(r.error());
    std::cout << "demo data seeded\n";
    PrintDemoLogins(std::cout);
    return 0;
  }
  if (gen->parsed()) return Gen(c, gen_options, gen_password_stdin);
  if (backup->parsed()) {
    if (auto r = storage::BackupDatabase(c.database_url, backup_file); !r.ok()) return Fail(r.error());
    std::cout << "backup written to " << backup_file << "\n";
    return 0;
  }
  if (restore->parsed()) {
    if (auto r = storage::RestoreDatabase(c.database_url, restore_file); !r.ok()) return Fail(r.error());
    std::cout << "restored " << restore_file << "\n";
    return 0;
  }
  if (user_add->parsed()) {
    auto parsed = identity::ParseRole(role);
    if (!parsed) return Fail(Error::Invalid("role", "invalid_value", "Unknown role " + role + "."));
    u.role = *parsed;
    for (auto f : facility_ids) u.facility_ids.push_back(FacilityId(f));
    return UserAdd(c, u, password, password_stdin);
  }
  if (verify->parsed()) return AuditVerify(c);
  if (payroll_run->parsed()) return PayrollRun(c, period_start, pay_finalize);
  if (invoices_gen->parsed()) return InvoicesGenerate(c, inv_from, inv_to, inv_finalize);
  if (screening_import->parsed()) return ScreeningImport(c, leie_file, leie_supplement);
  if (clinicians_import->parsed()) return CliniciansImport(c, onboarding_file, onboarding_valid_only);
  return 0;
}

}  // namespace openmso::app

int main(int argc, char** argv) { return openmso::app::Main(argc, argv); }
