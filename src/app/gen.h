// Synthetic data for benchmarks and load tests: `openmso gen` makes one MSO with
// facilities, units and clinicians spread over US metro areas, deterministically from a
// seed, written with Session::BulkInsert (COPY on PostgreSQL, one prepared INSERT on SQLite).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/storage.h"

namespace openmso::app {

struct GenOptions {
  int64_t facilities = 20;     // >= 1
  int64_t clinicians = 1000;   // >= 0
  int64_t users = 0;           // 0, or 1 admin + (users - 1) clinician logins (<= clinicians + 1)
  uint64_t seed = 1;           // same seed (and sizes) -> same rows, whatever the backend
  std::string password;        // for generated users; REQUIRED when users > 0
  int64_t batch_rows = 20000;  // rows per BulkInsert call (bounds memory)
  // Worked-shift history: for every active clinician, `shifts_per_week` shifts a week over
  // the `history_weeks` whole weeks before `now`'s UTC day, each a filled shift with a
  // confirmed claim and an approved timesheet (the input of pay runs and invoicing).
  int64_t history_weeks = 0;   // 0 to 104
  int64_t shifts_per_week = 3; // 1 to 7
};

struct GenReport {
  MsoId mso;
  int64_t facilities = 0;
  int64_t units = 0;
  int64_t clinicians = 0;
  int64_t users = 0;
  int64_t shifts = 0;          // history: shifts = claims = timesheets
};

// Called now and then with the phase ("facilities", "units", "clinicians", "users",
// "shifts", "claims", "timesheets", "commit") and the rows written so far of `total` in that phase.
using GenProgress = std::function<void(std::string_view phase, int64_t done, int64_t total)>;

// Writes a new MSO ("Synthetic Health Partners <seed>") and its generated data in ONE
// write transaction, together with one audit event (action "mso.generate"): a crash or
// error leaves either the whole import or nothing (the all-or-nothing import rule of
// issue 7). Facilities cluster around ~50 US metro areas weighted by population; each
// clinician has a discipline (CNA > RN > LPN > others), an employment type (facility
// staff have a home facility in their metro), a home point and a travel radius.
// Emails are unique per MSO (they embed the MSO id), so several runs can share a
// database. Created/updated timestamps are `now`. History rows take explicit ids after the
// largest existing ones (PostgreSQL identities are moved past them): run gen while no
// server writes shifts.
// Errors: kInvalidArgument for bad sizes; database errors as returned by Write. On
// SQLite the writer is held for the whole import, so other writers wait (busy timeout).
// PostgreSQL may retry the transaction (the progress callback then runs again).
Result<GenReport> Generate(storage::Database& db, const GenOptions& options, Instant now,
                           const GenProgress& progress = {});

}  // namespace openmso::app
