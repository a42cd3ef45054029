-- Credentialing: clinician profile fields beyond the roster record, disciplines as data,
-- credentials with their verification, requirement profiles per facility and discipline,
-- credential documents (content-addressed files, metadata here), and the notification
-- outbox every module queues messages in. Dates are TEXT YYYY-MM-DD (they compare in
-- order); instants BIGINT ms UTC.

ALTER TABLE clinicians ADD COLUMN date_of_birth TEXT;
ALTER TABLE clinicians ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE clinicians ADD COLUMN employment_class TEXT NOT NULL DEFAULT 'w2';
ALTER TABLE clinicians ADD COLUMN npi TEXT;
ALTER TABLE clinicians ADD COLUMN primary_state TEXT NOT NULL DEFAULT '';
ALTER TABLE clinicians ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE clinicians ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX clinicians_mso ON clinicians(mso_id);

CREATE TABLE disciplines (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  nlc_eligible BIGINT NOT NULL DEFAULT 0,
  proof_kind TEXT NOT NULL DEFAULT 'license'
);
INSERT INTO disciplines (code, name, nlc_eligible, proof_kind) VALUES
  ('CNA', 'Certified Nursing Assistant', 0, 'certification'),
  ('CMA', 'Certified Medication Aide', 0, 'certification'),
  ('LPN', 'Licensed Practical Nurse', 1, 'license'),
  ('LVN', 'Licensed Vocational Nurse', 1, 'license'),
  ('RN', 'Registered Nurse', 1, 'license'),
  ('NP', 'Nurse Practitioner', 0, 'license'),
  ('CNS', 'Clinical Nurse Specialist', 0, 'license'),
  ('CNM', 'Certified Nurse-Midwife', 0, 'license'),
  ('CRNA', 'Certified Registered Nurse Anesthetist', 0, 'license'),
  ('RT', 'Respiratory Therapist', 0, 'license');

CREATE TABLE clinician_disciplines (
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  position BIGINT NOT NULL,
  discipline TEXT NOT NULL REFERENCES disciplines(code),
  PRIMARY KEY (clinician_id, position)
);
-- The roster's single discipline becomes the first (primary) of the list.
INSERT INTO clinician_disciplines (clinician_id, position, discipline)
  SELECT c.id, 0, c.discipline FROM clinicians c WHERE c.discipline IN (SELECT code FROM disciplines);

CREATE TABLE clinician_specialties (
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  position BIGINT NOT NULL,
  specialty TEXT NOT NULL,
  PRIMARY KEY (clinician_id, position)
);

CREATE TABLE credentials (
  id @ID@,
  clinician_id BIGINT NOT NULL REFERENCES clinicians(id),
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  kind TEXT NOT NULL,
  type_code TEXT NOT NULL,
  jurisdiction TEXT NOT NULL DEFAULT '',
  number TEXT NOT NULL DEFAULT '',
  multistate BIGINT NOT NULL DEFAULT 0,
  issued_on TEXT,
  expires_on TEXT,
  issuer TEXT NOT NULL DEFAULT '',
  verification TEXT NOT NULL DEFAULT 'pending',
  verification_reason TEXT NOT NULL DEFAULT '',
  verification_source TEXT NOT NULL DEFAULT '',
  verified_by BIGINT REFERENCES users(id),
  verified_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- One clinician's credentials (compliance, the wallet), the queue, expiry alerts.
CREATE INDEX credentials_clinician ON credentials(clinician_id);
CREATE INDEX credentials_queue ON credentials(mso_id, verification, id);
CREATE INDEX credentials_expiry ON credentials(mso_id, verification, expires_on);

CREATE TABLE requirement_items (
  id @ID@,
  facility_id BIGINT NOT NULL REFERENCES facilities(id),
  discipline TEXT NOT NULL REFERENCES disciplines(code),
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  type_code TEXT NOT NULL,
  in_facility_state BIGINT NOT NULL DEFAULT 0,
  max_age_days BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX requirement_items_profile ON requirement_items(facility_id, discipline, position);

CREATE TABLE credential_documents (
  id @ID@,
  credential_id BIGINT NOT NULL REFERENCES credentials(id),
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  uploaded_by BIGINT REFERENCES users(id),
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX credential_documents_credential ON credential_documents(credential_id);

CREATE TABLE notification_outbox (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  user_id BIGINT REFERENCES users(id),
  clinician_id BIGINT REFERENCES clinicians(id),
  template TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX notification_outbox_due ON notification_outbox(status, next_attempt_at);
