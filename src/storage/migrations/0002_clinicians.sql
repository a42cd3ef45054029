-- The minimal clinician roster the foundation needs for demo data and scoping: a person
-- who works shifts, optionally a facility's own staff. Credentialing extends it.

CREATE TABLE clinicians (
  id @ID@,
  mso_id BIGINT NOT NULL REFERENCES msos(id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  discipline TEXT NOT NULL,
  employment_type TEXT NOT NULL,
  home_facility_id BIGINT REFERENCES facilities(id),
  home_latitude_e6 BIGINT NOT NULL,
  home_longitude_e6 BIGINT NOT NULL,
  travel_radius_km BIGINT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX clinicians_home_facility ON clinicians(home_facility_id);

ALTER TABLE users ADD COLUMN clinician_id BIGINT REFERENCES clinicians(id);
