// Job leases (JOB-LEASE): one process of several runs each background job.
#include "storage/storage.h"

namespace openmso::storage {
namespace {
constexpr Statement kTake{"jobs.take",
    "INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
    "holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE job_leases.expires_at <= ? OR job_leases.holder = excluded.holder"};
constexpr Statement kHolder{"jobs.holder", "SELECT holder FROM job_leases WHERE name = ?"};
}  // namespace

Result<bool> TryJobLease(Session& s, std::string_view name, std::string_view holder, Instant now,
                         std::chrono::milliseconds ttl) {
  OPENMSO_TRY(s.Exec(kTake, {std::string(name), std::string(holder), ToUnixMillis(now) + ttl.count(), ToUnixMillis(now)}));
  OPENMSO_ASSIGN_OR_RETURN(auto row, s.QueryOne(kHolder, {std::string(name)}));
  return row && row->Text(0) == holder;
}

}  // namespace openmso::storage
