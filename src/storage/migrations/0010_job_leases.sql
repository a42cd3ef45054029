-- Background jobs run once across several servers (issue 7 part 3): a job runs only in the
-- process holding its lease; a lease lapses at expires_at (ms) so a crashed holder is
-- replaced within one lease length.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
