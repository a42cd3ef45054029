// SQL side of exclusion screening (issue 3 part 7): the active LEIE rows, imports of the
// full file and of monthly supplements, screening runs over the clinicians with the pure
// matcher of src/domain/screening, results and reviewers' decisions, and the
// clinician_exclusions rows the marketplace reads. Everything runs in the caller's
// transaction, so an import is all or nothing.
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "storage/repo_screening.h"
#include "storage/storage.h"

namespace openmso::storage {
namespace {

using screening::ExclusionEntry;

constexpr std::string_view kSource = "LEIE";

constexpr Statement kInsertList{"scr.insert_list",
    "INSERT INTO exclusion_lists (source, kind, file_sha256, row_count, imported_by, imported_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kDeleteEntries{"scr.delete_entries", "DELETE FROM exclusion_entries WHERE source = ?"};
constexpr Statement kDeleteEntryByKey{"scr.delete_entry_by_key",
    "DELETE FROM exclusion_entries WHERE source = ? AND entry_key = ?"};
constexpr Statement kLoadEntries{"scr.load_entries",
    "SELECT last_name, first_name, mid_name, bus_name, general, specialty, upin, npi, dob, address, city, state, zip, "
    "excl_type, excl_date, rein_date, waiver_date, waiver_state FROM exclusion_entries WHERE source = ? ORDER BY id"};
constexpr Statement kCountEntries{"scr.count_entries", "SELECT COUNT(*) FROM exclusion_entries WHERE source = ?"};
constexpr Statement kLatestList{"scr.latest_list",
    "SELECT id, file_sha256 FROM exclusion_lists WHERE source = ? ORDER BY id DESC LIMIT 1"};
constexpr Statement kAllClinicians{"scr.all_clinicians",
    "SELECT id, mso_id, first_name, last_name, date_of_birth, npi FROM clinicians ORDER BY id"};
constexpr Statement kMsoClinicians{"scr.mso_clinicians",
    "SELECT id, mso_id, first_name, last_name, date_of_birth, npi FROM clinicians WHERE mso_id = ? ORDER BY id"};
constexpr Statement kOneClinician{"scr.one_clinician",
    "SELECT id, mso_id, first_name, last_name, date_of_birth, npi FROM clinicians WHERE id = ?"};
constexpr Statement kInsertRun{"scr.insert_run",
    "INSERT INTO screening_runs (mso_id, trigger_kind, list_id, list_sha256, started_by, started_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kFinishRun{"scr.finish_run",
    "UPDATE screening_runs SET clinicians = ?, confirmed = ?, possible = ?, lifted = ? WHERE id = ?"};
constexpr Statement kResultsOfAll{"scr.results_all",
    "SELECT id, clinician_id, entry_key, status, match_kind FROM screening_results WHERE source = ?"};
constexpr Statement kResultsOfMso{"scr.results_mso",
    "SELECT id, clinician_id, entry_key, status, match_kind FROM screening_results WHERE source = ? AND mso_id = ?"};
constexpr Statement kResultsOfClinician{"scr.results_clinician",
    "SELECT id, clinician_id, entry_key, status, match_kind FROM screening_results WHERE source = ? AND clinician_id = ?"};
constexpr Statement kInsertResult{"scr.insert_result",
    "INSERT INTO screening_results (run_id, mso_id, clinician_id, source, entry_key, entry_json, match_kind, status, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kUpdateResult{"scr.update_result",
    "UPDATE screening_results SET run_id = ?, match_kind = ?, status = ?, entry_json = ?, updated_at = ? WHERE id = ?"};
constexpr Statement kLiftResult{"scr.lift_result",
    "UPDATE screening_results SET run_id = ?, status = 'lifted', updated_at = ? WHERE id = ?"};
constexpr Statement kHasConfirmed{"scr.has_confirmed",
    "SELECT 1 FROM screening_results WHERE clinician_id = ? AND source = ? AND status = 'confirmed' LIMIT 1"};
constexpr Statement kExclude{"scr.exclude",
    "INSERT INTO clinician_exclusions (clinician_id, source, confirmed_at) VALUES (?, ?, ?) "
    "ON CONFLICT (clinician_id, source) DO NOTHING"};
constexpr Statement kUnexclude{"scr.unexclude", "DELETE FROM clinician_exclusions WHERE clinician_id = ? AND source = ?"};
constexpr Statement kMsoReviewers{"scr.mso_reviewers",
    "SELECT id FROM users WHERE mso_id = ? AND active = 1 AND role IN ('credentialing', 'mso_admin') ORDER BY id"};
constexpr Statement kQueueAlert{"scr.queue_alert",
    "INSERT INTO notification_outbox (mso_id, user_id, clinician_id, template, payload, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)"};
#define OPENMSO_RESULT_COLUMNS                                                                                   \
  "r.id, r.run_id, r.clinician_id, r.match_kind, r.status, r.decided_by, r.decided_at, r.reason, r.created_at, " \
  "r.entry_json, c.first_name, c.last_name, c.date_of_birth, c.npi, c.primary_state, r.mso_id"
constexpr Statement kGetResult{"scr.get_result",
    "SELECT " OPENMSO_RESULT_COLUMNS " FROM screening_results r JOIN clinicians c ON c.id = r.clinician_id WHERE r.id = ?"};
constexpr Statement kListResults{"scr.list_results",
    "SELECT " OPENMSO_RESULT_COLUMNS " FROM screening_results r JOIN clinicians c ON c.id = r.clinician_id "
    "WHERE r.mso_id = ? AND (? = '' OR r.status = ?) AND (? = 0 OR r.clinician_id = ?) ORDER BY r.id DESC LIMIT ?"};
#undef OPENMSO_RESULT_COLUMNS
constexpr Statement kDecide{"scr.decide",
    "UPDATE screening_results SET status = ?, decided_by = ?, decided_at = ?, reason = ?, updated_at = ? "
    "WHERE id = ? AND status = 'possible'"};
constexpr Statement kListRuns{"scr.list_runs",
    "SELECT id, trigger_kind, list_id, list_sha256, clinicians, confirmed, possible, lifted, started_at "
    "FROM screening_runs WHERE mso_id = ? OR mso_id IS NULL ORDER BY id DESC LIMIT ?"};
constexpr Statement kGetRun{"scr.get_run",
    "SELECT id, trigger_kind, list_id, list_sha256, clinicians, confirmed, possible, lifted, started_at "
    "FROM screening_runs WHERE id = ?"};
constexpr Statement kEmailTaken{"scr.email_taken",
    "SELECT 1 FROM clinicians WHERE email = ? UNION ALL SELECT 1 FROM users WHERE email = ? LIMIT 1"};
constexpr Statement kNpiTaken{"scr.npi_taken", "SELECT id FROM clinicians WHERE npi = ? LIMIT 1"};
constexpr Statement kLastFullRun{"scr.last_full_run",
    "SELECT started_at FROM screening_runs WHERE mso_id IS NULL ORDER BY id DESC LIMIT 1"};

Value OptDate(const std::optional<Date>& d) { return d ? Value(d->ToString()) : Null(); }
std::optional<Date> DateOf(const Row& r, size_t i) { return r.IsNull(i) ? std::nullopt : Date::Parse(r.Text(i)); }

void JsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += ch;
  }
  out += '"';
}

// The LEIE row as stored with a result (evidence; the UI shows it beside the clinician).
std::string EntryJson(const ExclusionEntry& e) {
  std::string o = "{";
  auto field = [&](std::string_view k, std::string_view v, bool first = false) {
    if (!first) o += ',';
    JsonString(o, k);
    o += ':';
    JsonString(o, v);
  };
  auto opt = [&](std::string_view k, const std::optional<std::string>& v) {
    o += ',';
    JsonString(o, k);
    o += ':';
    if (v) JsonString(o, *v);
    else o += "null";
  };
  auto date = [&](const std::optional<Date>& d) { return d ? std::optional<std::string>(d->ToString()) : std::nullopt; };
  field("last_name", e.last_name, true);
  field("first_name", e.first_name);
  field("mid_name", e.mid_name);
  field("bus_name", e.bus_name);
  field("general", e.general);
  field("specialty", e.specialty);
  opt("npi", e.npi);
  opt("dob", date(e.dob));
  field("address", e.address);
  field("city", e.city);
  field("state", e.state);
  field("zip", e.zip);
  field("excl_type", e.excl_type);
  opt("excl_date", date(e.excl_date));
  opt("rein_date", date(e.rein_date));
  opt("waiver_date", date(e.waiver_date));
  field("waiver_state", e.waiver_state);
  o += '}';
  return o;
}

ExclusionEntry EntryFromRow(const Row& r) {
  ExclusionEntry e;
  e.last_name = r.Text(0); e.first_name = r.Text(1); e.mid_name = r.Text(2); e.bus_name = r.Text(3);
  e.general = r.Text(4); e.specialty = r.Text(5); e.upin = r.Text(6);
  e.npi = r.OptText(7);
  e.dob = DateOf(r, 8);
  e.address = r.Text(9); e.city = r.Text(10); e.state = r.Text(11); e.zip = r.Text(12); e.excl_type = r.Text(13);
  e.excl_date = DateOf(r, 14); e.rein_date = DateOf(r, 15); e.waiver_date = DateOf(r, 16); e.waiver_state = r.Text(17);
  return e;
}

ScreeningRunRow RunFromRow(const Row& r) {
  ScreeningRunRow o;
  o.id = r.Int(0);
  o.trigger = r.Text(1);
  o.list_id = r.OptInt(2);
  o.list_sha256 = r.Text(3);
  o.clinicians = r.Int(4);
  o.confirmed = r.Int(5);
  o.possible = r.Int(6);
  o.lifted = r.Int(7);
  o.started_at = FromUnixMillis(r.Int(8));
  return o;
}

ScreeningResultRow ResultFromRow(const Row& r) {
  ScreeningResultRow o;
  o.id = r.Int(0);
  o.run_id = r.Int(1);
  o.clinician_id = ClinicianId(r.Int(2));
  o.match = r.Text(3);
  o.status = r.Text(4);
  if (!r.IsNull(5)) o.decided_by = UserId(r.Int(5));
  if (!r.IsNull(6)) o.decided_at = FromUnixMillis(r.Int(6));
  o.reason = r.Text(7);
  o.created_at = FromUnixMillis(r.Int(8));
  o.entry_json = r.Text(9);
  o.first_name = r.Text(10);
  o.last_name = r.Text(11);
  o.date_of_birth = DateOf(r, 12);
  o.npi = r.OptText(13);
  o.primary_state = r.Text(14);
  o.mso_id = MsoId(r.Int(15));
  return o;
}

struct Screened {
  screening::Person person;
  MsoId mso;
};

Screened ClinicianFromRow(const Row& r) {
  Screened s;
  s.person.id = r.Int(0);
  s.mso = MsoId(r.Int(1));
  s.person.first_name = r.Text(2);
  s.person.last_name = r.Text(3);
  s.person.dob = DateOf(r, 4);
  s.person.npi = r.OptText(5);
  if (s.person.npi && s.person.npi->empty()) s.person.npi.reset();
  return s;
}

Date UtcDate(Instant t) { return Date::FromDaysSinceEpoch(ToUnixMillis(t) / 86'400'000); }

// Queues the MSO's alert about a confirmed match to each active reviewer (credentialing
// staff and MSO admins); delivery is the outbox sender's (issue 3 part 8).
Result<void> AlertMso(Session& s, MsoId mso, int64_t clinician, int64_t result_id, std::string_view match, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto users, s.Query(kMsoReviewers, {mso.value}));
  std::string payload = "{\"clinician_id\":" + std::to_string(clinician) + ",\"result_id\":" + std::to_string(result_id) +
                        ",\"match\":\"" + std::string(match) + "\",\"list\":\"LEIE\"}";
  for (const auto& u : users)
    OPENMSO_TRY(s.Exec(kQueueAlert, {mso.value, u.Int(0), clinician, std::string("screening.exclusion_confirmed"), payload,
                                     ToUnixMillis(now), ToUnixMillis(now)}));
  return Ok();
}

}  // namespace

// SCREEN-MATCH over the clinicians chosen by `scope`; see storage.h.
Result<ScreeningRunRow> ScreenClinicians(Session& s, const ScreeningScope& scope, std::string_view trigger,
                                         std::optional<UserId> by, Instant now, const ScreeningProgress& progress) {
  auto report = [&](std::string_view phase, int64_t done, int64_t total) { if (progress) progress(phase, done, total); };
  OPENMSO_ASSIGN_OR_RETURN(auto latest, s.QueryOne(kLatestList, {std::string(kSource)}));
  if (!latest)
    return Error::Conflict("no-exclusion-list", "No exclusion list has been imported yet; import the LEIE UPDATED.csv first.");
  // The active list, indexed (the pure matcher; SCREEN-ACTIVE on today's UTC date).
  OPENMSO_ASSIGN_OR_RETURN(auto entry_rows, s.Query(kLoadEntries, {std::string(kSource)}));
  std::vector<ExclusionEntry> entries;
  entries.reserve(entry_rows.size());
  for (const auto& r : entry_rows) entries.push_back(EntryFromRow(r));
  entry_rows.clear();
  screening::ExclusionIndex index(entries, UtcDate(now));
  std::vector<std::string> keys;
  keys.reserve(entries.size());
  std::unordered_set<std::string> active_keys;
  for (const auto& e : entries) {
    keys.push_back(screening::EntryKey(e));
    if (screening::IsActive(e, UtcDate(now))) active_keys.insert(keys.back());
  }
  // The clinicians.
  std::vector<Screened> people;
  if (scope.clinicians) {
    for (ClinicianId id : *scope.clinicians) {
      OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kOneClinician, {id.value}));
      if (row) people.push_back(ClinicianFromRow(*row));
    }
  } else {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, scope.mso ? s.Query(kMsoClinicians, {scope.mso->value}) : s.Query(kAllClinicians));
    for (const auto& r : rows) people.push_back(ClinicianFromRow(r));
  }
  std::vector<screening::Person> persons;
  persons.reserve(people.size());
  for (const auto& p : people) persons.push_back(p.person);
  report("screen", 0, static_cast<int64_t>(persons.size()));
  auto matches = screening::ScreenAll(index, persons);
  report("screen", static_cast<int64_t>(persons.size()), static_cast<int64_t>(persons.size()));

  std::optional<MsoId> run_mso = scope.mso;
  if (scope.clinicians && !people.empty()) run_mso = people.front().mso;
  OPENMSO_ASSIGN_OR_RETURN(auto run_rows, s.Query(kInsertRun, {run_mso ? Value(run_mso->value) : Null(), std::string(trigger),
                                                               latest->Int(0), latest->Text(1),
                                                               by ? Value(by->value) : Null(), ToUnixMillis(now)}));
  const int64_t run_id = run_rows.at(0).Int(0);

  // What earlier runs found for these clinicians: (clinician, entry key) -> result.
  struct Prior { int64_t id; std::string status; std::string match; };
  std::map<std::pair<int64_t, std::string>, Prior> prior;
  auto load_prior = [&](const std::vector<Row>& rows) {
    for (const auto& r : rows) prior[{r.Int(1), r.Text(2)}] = {r.Int(0), r.Text(3), r.Text(4)};
  };
  if (scope.clinicians) {
    for (const auto& p : people) {
      OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kResultsOfClinician, {std::string(kSource), p.person.id}));
      load_prior(rows);
    }
  } else {
    OPENMSO_ASSIGN_OR_RETURN(auto rows, scope.mso ? s.Query(kResultsOfMso, {std::string(kSource), scope.mso->value})
                                                  : s.Query(kResultsOfAll, {std::string(kSource)}));
    load_prior(rows);
  }

  ScreeningRunRow out;
  out.id = run_id;
  out.trigger = std::string(trigger);
  out.list_id = latest->Int(0);
  out.list_sha256 = latest->Text(1);
  out.clinicians = static_cast<int64_t>(people.size());
  out.started_at = now;
  std::set<int64_t> touched;  // clinicians whose exclusion row may change
  std::set<std::pair<int64_t, std::string>> seen;
  for (const auto& m : matches) {
    const Screened& who = people[m.person];
    const std::string& key = keys[m.entry];
    if (!seen.insert({who.person.id, key}).second) continue;
    bool confirmed = screening::IsConfirmedKind(m.kind);
    std::string status = confirmed ? "confirmed" : "possible";
    std::string match(screening::MatchKindName(m.kind));
    auto it = prior.find({who.person.id, key});
    int64_t result_id = 0;
    bool newly_confirmed = false;
    if (it == prior.end()) {
      OPENMSO_ASSIGN_OR_RETURN(auto ins, s.Query(kInsertResult, {run_id, who.mso.value, who.person.id, std::string(kSource), key,
                                                                 EntryJson(entries[m.entry]), match, status,
                                                                 ToUnixMillis(now), ToUnixMillis(now)}));
      result_id = ins.at(0).Int(0);
      (confirmed ? out.confirmed : out.possible) += 1;
      newly_confirmed = confirmed;
    } else if (it->second.status == "lifted" || (it->second.status == "possible" && confirmed) ||
               (it->second.status == "dismissed" && confirmed)) {
      // A reinstated row excluding again, or stronger evidence than before (e.g. a DOB or
      // NPI added to the profile): the automatic outcome replaces the earlier one.
      result_id = it->second.id;
      OPENMSO_TRY(s.Exec(kUpdateResult, {run_id, match, status, EntryJson(entries[m.entry]), ToUnixMillis(now), result_id}));
      (confirmed ? out.confirmed : out.possible) += 1;
      newly_confirmed = confirmed;
    }
    if (newly_confirmed) {
      touched.insert(who.person.id);
      OPENMSO_TRY(AlertMso(s, who.mso, who.person.id, result_id, match, now));
    }
  }
  // SCREEN-LIFTED: results whose row left the active list (a reinstatement) end.
  for (const auto& [k, p] : prior) {
    if ((p.status == "confirmed" || p.status == "possible") && !active_keys.count(k.second)) {
      OPENMSO_TRY(s.Exec(kLiftResult, {run_id, ToUnixMillis(now), p.id}));
      ++out.lifted;
      touched.insert(k.first);
    }
  }
  // clinician_exclusions follows the confirmed results (MKT-ELIG-EXCLUDED reads it).
  for (int64_t c : touched) OPENMSO_TRY(SyncExclusion(s, ClinicianId(c), now));
  OPENMSO_TRY(s.Exec(kFinishRun, {out.clinicians, out.confirmed, out.possible, out.lifted, run_id}));
  return out;
}

Result<void> SyncExclusion(Session& s, ClinicianId c, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto any, s.QueryOne(kHasConfirmed, {c.value, std::string(kSource)}));
  if (any) OPENMSO_TRY(s.Exec(kExclude, {c.value, std::string(kSource), ToUnixMillis(now)}));
  else OPENMSO_TRY(s.Exec(kUnexclude, {c.value, std::string(kSource)}));
  return Ok();
}

Result<ExclusionImportRow> ImportExclusions(Session& s, screening::LeieKind kind, const std::vector<ExclusionEntry>& entries,
                                            std::string_view sha256, std::optional<UserId> by, Instant now,
                                            const ScreeningProgress& progress) {
  OPENMSO_ASSIGN_OR_RETURN(auto list_rows, s.Query(kInsertList, {std::string(kSource), std::string(screening::LeieKindName(kind)),
                                                                 std::string(sha256), static_cast<int64_t>(entries.size()),
                                                                 by ? Value(by->value) : Null(), ToUnixMillis(now)}));
  const int64_t list_id = list_rows.at(0).Int(0);
  if (kind == screening::LeieKind::kReinstatements) {
    // SCREEN-SUPPLEMENT: a reinstated row leaves the active list.
    int64_t done = 0;
    for (const auto& e : entries) {
      OPENMSO_TRY(s.Exec(kDeleteEntryByKey, {std::string(kSource), screening::EntryKey(e)}));
      if (++done % 1000 == 0 && progress) progress("load", done, static_cast<int64_t>(entries.size()));
    }
  } else {
    if (kind == screening::LeieKind::kFull) OPENMSO_TRY(s.Exec(kDeleteEntries, {std::string(kSource)}));
    constexpr size_t kChunk = 5000;
    for (size_t start = 0; start < entries.size(); start += kChunk) {
      std::vector<std::vector<Value>> rows;
      for (size_t i = start; i < std::min(entries.size(), start + kChunk); ++i) {
        const auto& e = entries[i];
        // An exclusions supplement may repeat a row already listed: replace it.
        if (kind == screening::LeieKind::kExclusions)
          OPENMSO_TRY(s.Exec(kDeleteEntryByKey, {std::string(kSource), screening::EntryKey(e)}));
        rows.push_back({std::string(kSource), screening::EntryKey(e), list_id, e.last_name, e.first_name, e.mid_name,
                        e.bus_name, e.general, e.specialty, e.upin, Opt(e.npi), OptDate(e.dob), e.address, e.city,
                        e.state, e.zip, e.excl_type, OptDate(e.excl_date), OptDate(e.rein_date), OptDate(e.waiver_date),
                        e.waiver_state});
      }
      OPENMSO_TRY(s.BulkInsert("exclusion_entries",
                               {"source", "entry_key", "list_id", "last_name", "first_name", "mid_name", "bus_name",
                                "general", "specialty", "upin", "npi", "dob", "address", "city", "state", "zip",
                                "excl_type", "excl_date", "rein_date", "waiver_date", "waiver_state"},
                               rows));
      if (progress) progress("load", static_cast<int64_t>(std::min(entries.size(), start + kChunk)), static_cast<int64_t>(entries.size()));
    }
  }
  ExclusionImportRow out;
  out.list_id = list_id;
  out.kind = std::string(screening::LeieKindName(kind));
  out.sha256 = std::string(sha256);
  out.rows = static_cast<int64_t>(entries.size());
  OPENMSO_ASSIGN_OR_RETURN(auto count, s.QueryOne(kCountEntries, {std::string(kSource)}));
  out.active_entries = count ? count->Int(0) : 0;
  // Screen at import: every clinician of every MSO (the list is one public list).
  OPENMSO_ASSIGN_OR_RETURN(out.run, ScreenClinicians(s, ScreeningScope{}, "import", by, now, progress));
  return out;
}

Result<std::vector<ScreeningResultRow>> ListScreeningResults(Session& s, MsoId mso, std::string_view status,
                                                             std::optional<ClinicianId> clinician, int limit) {
  int64_t cid = clinician ? clinician->value : 0;
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kListResults, {mso.value, std::string(status), std::string(status), cid, cid,
                                                             static_cast<int64_t>(limit)}));
  std::vector<ScreeningResultRow> out;
  for (const auto& r : rows) out.push_back(ResultFromRow(r));
  return out;
}

Result<ScreeningResultRow> GetScreeningResult(Session& s, int64_t id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetResult, {id}));
  if (!row) return Error::NotFound("The screening result");
  return ResultFromRow(*row);
}

// SCREEN-REVIEW: only a possible is decided by a person; confirming excludes at once.
Result<ScreeningResultRow> DecideScreeningResult(Session& s, int64_t id, bool confirm, std::string_view reason, UserId by,
                                                 Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto before, GetScreeningResult(s, id));
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s.Exec(kDecide, {std::string(confirm ? "confirmed" : "dismissed"), by.value,
                                                       ToUnixMillis(now), std::string(reason), ToUnixMillis(now), id}));
  if (n != 1)
    return Error::Conflict("screening-result-decided", "Only a possible match is decided by a reviewer; this one is " + before.status + ".");
  if (confirm) {
    OPENMSO_TRY(SyncExclusion(s, before.clinician_id, now));
    OPENMSO_TRY(AlertMso(s, before.mso_id, before.clinician_id.value, id, before.match, now));
  }
  return GetScreeningResult(s, id);
}

Result<std::vector<ScreeningRunRow>> ListScreeningRuns(Session& s, MsoId mso, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s.Query(kListRuns, {mso.value, static_cast<int64_t>(limit)}));
  std::vector<ScreeningRunRow> out;
  for (const auto& r : rows) out.push_back(RunFromRow(r));
  return out;
}

Result<ScreeningRunRow> GetScreeningRun(Session& s, int64_t id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kGetRun, {id}));
  if (!row) return Error::NotFound("The screening run");
  return RunFromRow(*row);
}

// SCREEN-MONTHLY: due when a list is loaded and no run over every clinician started in
// the current UTC calendar month.
Result<bool> MonthlyScreeningDue(Session& s, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto latest, s.QueryOne(kLatestList, {std::string(kSource)}));
  if (!latest) return false;
  OPENMSO_ASSIGN_OR_RETURN(auto last, s.QueryOne(kLastFullRun));
  if (!last) return true;
  Date a = UtcDate(FromUnixMillis(last->Int(0))), b = UtcDate(now);
  return a.year != b.year || a.month != b.month;
}

// ONBOARD-CSV, ONBOARD-ALL-OR-NOTHING, CRED-NPI-UNIQUE.
Result<OnboardingImportRow> ImportOnboarding(Session& s, MsoId mso, const screening::OnboardingFile& file, bool valid_only,
                                             Instant now) {
  OnboardingImportRow out;
  out.errors = file.errors;
  std::vector<const screening::OnboardingClinician*> clean;
  for (const auto& c : file.clinicians) {
    size_t before = out.errors.size();
    auto at = [&](std::string_view col) { return "line " + std::to_string(c.line) + ", column " + std::string(col); };
    OPENMSO_ASSIGN_OR_RETURN(auto email, s.QueryOne(kEmailTaken, {c.email, c.email}));
    if (email) out.errors.push_back({at("email"), "email_taken", "A clinician or user with this email already exists."});
    if (c.profile.npi) {
      OPENMSO_ASSIGN_OR_RETURN(auto npi, s.QueryOne(kNpiTaken, {*c.profile.npi}));
      if (npi) out.errors.push_back({at("npi"), "duplicate_npi", "Another clinician already has this NPI."});
    }
    if (out.errors.size() == before) clean.push_back(&c);
  }
  if (!out.errors.empty() && !valid_only) {
    FieldErrors fe;
    for (const auto& e : out.errors) fe.Add(e.field, e.code, e.message);
    Error err = fe.ToError();
    err.type = "onboarding-rejected";
    err.message = std::to_string(out.errors.size()) + " problem(s) in the file; nothing was imported.";
    return err;
  }
  SqlOrgRepository org(s);
  SqlCredentialingRepository cred(s);
  for (const auto* c : clean) {
    org::Clinician row;
    row.mso_id = mso;
    row.first_name = c->profile.first_name;
    row.last_name = c->profile.last_name;
    row.email = c->email;
    row.discipline = c->profile.disciplines.front();
    row.employment_type = c->profile.employment_type;
    row.home = c->profile.home;
    row.travel_radius_km = c->profile.travel_radius_km;
    row.status = "verifying";
    OPENMSO_ASSIGN_OR_RETURN(ClinicianId id, org.CreateClinician(row, now));
    OPENMSO_TRY(cred.UpdateProfile(id, c->profile, now));
    for (const auto& [line, draft] : c->credentials) {
      OPENMSO_TRY(cred.CreateCredential(id, draft, now));
      ++out.credentials_created;
    }
    out.clinician_ids.push_back(id);
  }
  if (!out.clinician_ids.empty()) {
    OPENMSO_ASSIGN_OR_RETURN(auto latest, s.QueryOne(kLatestList, {std::string(kSource)}));
    if (latest) {
      ScreeningScope scope;
      scope.clinicians = out.clinician_ids;
      OPENMSO_ASSIGN_OR_RETURN(out.screening, ScreenClinicians(s, scope, "onboarding", std::nullopt, now));
    }
  }
  return out;
}

}  // namespace openmso::storage
