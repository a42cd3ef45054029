// SQL implementation of credentialing::CredentialingRepository: profiles, credentials,
// requirement profiles, credential documents and the notification outbox. Every lookup
// for compliance goes through an index on one clinician or one facility.
#include "storage/storage.h"

namespace openmso::storage {
namespace {

using namespace credentialing;

constexpr Statement kListDisciplines{"cred.list_disciplines",
    "SELECT code, name, nlc_eligible, proof_kind FROM disciplines ORDER BY code"};
constexpr Statement kGetProfile{"cred.get_profile",
    "SELECT id, mso_id, email, home_facility_id, status, status_reason, first_name, last_name, phone, "
    "date_of_birth, home_latitude_e6, home_longitude_e6, travel_radius_km, employment_type, employment_class, "
    "npi, primary_state, discipline FROM clinicians WHERE id = ?"};
constexpr Statement kProfileDisciplines{"cred.profile_disciplines",
    "SELECT discipline FROM clinician_disciplines WHERE clinician_id = ? ORDER BY position"};
constexpr Statement kProfileSpecialties{"cred.profile_specialties",
    "SELECT specialty FROM clinician_specialties WHERE clinician_id = ? ORDER BY position"};
constexpr Statement kUpdateProfile{"cred.update_profile",
    "UPDATE clinicians SET first_name = ?, last_name = ?, phone = ?, date_of_birth = ?, home_latitude_e6 = ?, "
    "home_longitude_e6 = ?, travel_radius_km = ?, discipline = ?, employment_type = ?, employment_class = ?, "
    "npi = ?, primary_state = ?, updated_at = ? WHERE id = ?"};
constexpr Statement kDeleteDisciplines{"cred.delete_disciplines", "DELETE FROM clinician_disciplines WHERE clinician_id = ?"};
constexpr Statement kInsertDiscipline{"cred.insert_discipline",
    "INSERT INTO clinician_disciplines (clinician_id, position, discipline) VALUES (?, ?, ?)"};
constexpr Statement kDeleteSpecialties{"cred.delete_specialties", "DELETE FROM clinician_specialties WHERE clinician_id = ?"};
constexpr Statement kInsertSpecialty{"cred.insert_specialty",
    "INSERT INTO clinician_specialties (clinician_id, position, specialty) VALUES (?, ?, ?)"};
constexpr Statement kNpiHolder{"cred.npi_holder", "SELECT id FROM clinicians WHERE npi = ? AND id <> ? LIMIT 1"};
constexpr Statement kSetStatus{"cred.set_status",
    "UPDATE clinicians SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?"};

// Batch reads of the MSO's active clinicians (facility compliance summary).
constexpr Statement kActiveProfiles{"cred.active_profiles",
    "SELECT id, mso_id, email, home_facility_id, status, status_reason, first_name, last_name, phone, "
    "date_of_birth, home_latitude_e6, home_longitude_e6, travel_radius_km, employment_type, employment_class, "
    "npi, primary_state, discipline FROM clinicians WHERE mso_id = ? AND status = 'active' ORDER BY id"};
constexpr Statement kActiveDisciplines{"cred.active_disciplines",
    "SELECT d.clinician_id, d.discipline FROM clinician_disciplines d JOIN clinicians c ON c.id = d.clinician_id "
    "WHERE c.mso_id = ? AND c.status = 'active' ORDER BY d.clinician_id, d.position"};
constexpr Statement kActiveExcluded{"cred.active_excluded",
    "SELECT DISTINCT e.clinician_id FROM clinician_exclusions e JOIN clinicians c ON c.id = e.clinician_id "
    "WHERE c.mso_id = ? AND c.status = 'active' ORDER BY e.clinician_id"};

#define OPENMSO_CREDENTIAL_COLUMNS                                                                   \
  "id, clinician_id, kind, type_code, jurisdiction, number, multistate, issued_on, expires_on, issuer, " \
  "verification, verification_reason, verification_source, verified_by, verified_at"
constexpr Statement kListCredentials{"cred.list_credentials",
    "SELECT " OPENMSO_CREDENTIAL_COLUMNS " FROM credentials WHERE clinician_id = ? ORDER BY kind, type_code, id"};
constexpr Statement kActiveCredentials{"cred.active_credentials",
    "SELECT " OPENMSO_CREDENTIAL_COLUMNS " FROM credentials WHERE mso_id = ? AND clinician_id IN "
    "(SELECT id FROM clinicians WHERE mso_id = ? AND status = 'active') ORDER BY clinician_id, kind, type_code, id"};
constexpr Statement kGetCredential{"cred.get_credential",
    "SELECT " OPENMSO_CREDENTIAL_COLUMNS " FROM credentials WHERE id = ?"};
constexpr Statement kInsertCredential{"cred.insert_credential",
    "INSERT INTO credentials (clinician_id, mso_id, kind, type_code, jurisdiction, number, multistate, issued_on, "
    "expires_on, issuer, verification, created_at, updated_at) "
    "SELECT id, mso_id, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ? FROM clinicians WHERE id = ? RETURNING id"};
constexpr Statement kUpdateCredential{"cred.update_credential",
    "UPDATE credentials SET kind = ?, type_code = ?, jurisdiction = ?, number = ?, multistate = ?, issued_on = ?, "
    "expires_on = ?, issuer = ?, verification = 'pending', verification_reason = '', verification_source = '', "
    "verified_by = NULL, verified_at = NULL, updated_at = ? WHERE id = ?"};
constexpr Statement kDeleteCredentialDocs{"cred.delete_credential_docs",
    "DELETE FROM credential_documents WHERE credential_id = ?"};
constexpr Statement kDeleteCredential{"cred.delete_credential", "DELETE FROM credentials WHERE id = ?"};
constexpr Statement kListPending{"cred.list_pending",
    "SELECT " OPENMSO_CREDENTIAL_COLUMNS " FROM credentials WHERE mso_id = ? AND verification = 'pending' "
    "ORDER BY id LIMIT ?"};
constexpr Statement kRecordVerification{"cred.record_verification",
    "UPDATE credentials SET verification = ?, verification_reason = ?, verification_source = ?, verified_by = ?, "
    "verified_at = ?, updated_at = ? WHERE id = ?"};
constexpr Statement kListExpiring{"cred.list_expiring",
    "SELECT " OPENMSO_CREDENTIAL_COLUMNS " FROM credentials WHERE mso_id = ? AND verification = 'verified' "
    "AND expires_on >= ? AND expires_on <= ? ORDER BY expires_on, id LIMIT ?"};
#undef OPENMSO_CREDENTIAL_COLUMNS

constexpr Statement kGetRequirements{"cred.get_requirements",
    "SELECT kind, type_code, in_facility_state, max_age_days FROM requirement_items "
    "WHERE facility_id = ? AND discipline = ? ORDER BY position"};
constexpr Statement kListRequirements{"cred.list_requirements",
    "SELECT discipline, kind, type_code, in_facility_state, max_age_days FROM requirement_items "
    "WHERE facility_id = ? ORDER BY discipline, position"};
constexpr Statement kDeleteRequirements{"cred.delete_requirements",
    "DELETE FROM requirement_items WHERE facility_id = ? AND discipline = ?"};
constexpr Statement kInsertRequirement{"cred.insert_requirement",
    "INSERT INTO requirement_items (facility_id, discipline, position, kind, type_code, in_facility_state, "
    "max_age_days, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Statement kUserOfClinician{"cred.user_of_clinician",
    "SELECT id FROM users WHERE clinician_id = ? ORDER BY id LIMIT 1"};
constexpr Statement kQueueNotification{"cred.queue_notification",
    "INSERT INTO notification_outbox (mso_id, user_id, clinician_id, template, payload, status, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id"};

constexpr Statement kInsertDocument{"cred.insert_document",
    "INSERT INTO credential_documents (credential_id, sha256, content_type, size_bytes, file_name, uploaded_by, "
    "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Statement kListDocuments{"cred.list_documents",
    "SELECT id, credential_id, sha256, content_type, size_bytes, file_name, uploaded_by, uploaded_at "
    "FROM credential_documents WHERE credential_id = ? ORDER BY id"};
constexpr Statement kGetDocument{"cred.get_document",
    "SELECT id, credential_id, sha256, content_type, size_bytes, file_name, uploaded_by, uploaded_at "
    "FROM credential_documents WHERE id = ?"};

// CRED-NPI-UNIQUE: 409 naming the field.
Error NpiTaken() {
  Error e = Error::Conflict("npi-taken", "Another clinician already has this NPI.");
  e.fields.push_back({"npi", "duplicate_npi", "Another clinician already has this NPI."});
  return e;
}

Value OptDate(const std::optional<Date>& d) { return d ? Value(d->ToString()) : Null(); }
std::optional<Date> DateOf(const Row& r, size_t i) { return r.IsNull(i) ? std::nullopt : Date::Parse(r.Text(i)); }

Credential CredentialFromRow(const Row& r) {
  Credential c;
  c.id = CredentialId(r.Int(0));
  c.clinician_id = ClinicianId(r.Int(1));
  c.draft.kind = ParseKind(r.Text(2)).value_or(CredentialKind::kCertification);
  c.draft.type_code = r.Text(3);
  c.draft.jurisdiction = r.Text(4);
  c.draft.number = r.Text(5);
  c.draft.multistate = r.Bool(6);
  c.draft.issued_on = DateOf(r, 7);
  c.draft.expires_on = DateOf(r, 8);
  c.draft.issuer = r.Text(9);
  c.verification = ParseVerification(r.Text(10)).value_or(Verification::kPending);
  c.verification_reason = r.Text(11);
  c.verification_source = r.Text(12);
  if (!r.IsNull(13)) c.verified_by = UserId(r.Int(13));
  if (!r.IsNull(14)) c.verified_at = FromUnixMillis(r.Int(14));
  return c;
}

std::vector<Value> DraftParams(const CredentialDraft& d) {
  return {std::string(KindName(d.kind)), d.type_code, d.jurisdiction, d.number, int64_t{d.multistate},
          OptDate(d.issued_on), OptDate(d.expires_on), d.issuer};
}

RequirementItem ItemFromRow(const Row& r, size_t o) {
  RequirementItem it;
  it.kind = ParseKind(r.Text(o)).value_or(CredentialKind::kCertification);
  it.type_code = r.Text(o + 1);
  it.in_facility_state = r.Bool(o + 2);
  if (!r.IsNull(o + 3)) it.max_age_days = static_cast<int>(r.Int(o + 3));
  return it;
}

CredentialDocument DocumentFromRow(const Row& r) {
  CredentialDocument d;
  d.id = DocumentId(r.Int(0));
  d.credential_id = CredentialId(r.Int(1));
  d.sha256 = r.Text(2);
  d.content_type = r.Text(3);
  d.size_bytes = r.Int(4);
  d.file_name = r.Text(5);
  if (!r.IsNull(6)) d.uploaded_by = UserId(r.Int(6));
  d.uploaded_at = FromUnixMillis(r.Int(7));
  return d;
}

}  // namespace

Result<std::vector<Discipline>> SqlCredentialingRepository::ListDisciplines() {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListDisciplines));
  std::vector<Discipline> out;
  for (const auto& r : rows)
    out.push_back({r.Text(0), r.Text(1), r.Bool(2), ParseKind(r.Text(3)).value_or(CredentialKind::kLicense)});
  return out;
}

// The columns of kGetProfile / kActiveProfiles, without the discipline and specialty lists.
static Profile ProfileFromRow(const Row& r) {
  Profile p;
  p.id = ClinicianId(r.Int(0));
  p.mso_id = MsoId(r.Int(1));
  p.email = r.Text(2);
  if (!r.IsNull(3)) p.home_facility_id = FacilityId(r.Int(3));
  p.status = ParseStatus(r.Text(4)).value_or(ClinicianStatus::kApplied);
  p.status_reason = r.Text(5);
  p.draft.first_name = r.Text(6);
  p.draft.last_name = r.Text(7);
  p.draft.phone = r.Text(8);
  p.draft.date_of_birth = DateOf(r, 9);
  p.draft.home = {FromE6(r.Int(10)), FromE6(r.Int(11))};
  p.draft.travel_radius_km = r.Int(12);
  p.draft.employment_type = r.Text(13);
  p.draft.employment_class = r.Text(14);
  p.draft.npi = r.OptText(15);
  p.draft.primary_state = r.Text(16);
  return p;
}

Result<Profile> SqlCredentialingRepository::GetProfile(ClinicianId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetProfile, {id.value}));
  if (!row) return Error::NotFound("The clinician");
  const Row& r = *row;
  Profile p = ProfileFromRow(r);
  OPENMSO_ASSIGN_OR_RETURN(auto ds, s_.Query(kProfileDisciplines, {id.value}));
  for (const auto& d : ds) p.draft.disciplines.push_back(d.Text(0));
  // A roster record created without a discipline list: its single discipline is the list.
  if (ds.empty() && !r.Text(17).empty()) p.draft.disciplines.push_back(r.Text(17));
  OPENMSO_ASSIGN_OR_RETURN(auto ss, s_.Query(kProfileSpecialties, {id.value}));
  for (const auto& x : ss) p.draft.specialties.push_back(x.Text(0));
  return p;
}

Result<void> SqlCredentialingRepository::UpdateProfile(ClinicianId id, const ProfileDraft& d, Instant now) {
  // CRED-NPI-UNIQUE: two clinicians cannot share an NPI (the unique index of 0011 is the
  // guard against races; this check names the field first).
  if (d.npi) {
    OPENMSO_ASSIGN_OR_RETURN(auto other, s_.QueryOne(kNpiHolder, {*d.npi, id.value}));
    if (other) return NpiTaken();
  }
  auto changed = s_.Exec(kUpdateProfile, {d.first_name, d.last_name, d.phone, OptDate(d.date_of_birth), ToE6(d.home.latitude),
                                          ToE6(d.home.longitude), d.travel_radius_km,
                                          d.disciplines.empty() ? std::string() : d.disciplines[0], d.employment_type,
                                          d.employment_class, Opt(d.npi), d.primary_state, ToUnixMillis(now), id.value});
  if (!changed.ok() && changed.error().type == "unique-violation") return NpiTaken();
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, std::move(changed));
  if (n == 0) return Error::NotFound("The clinician");
  OPENMSO_TRY(s_.Exec(kDeleteDisciplines, {id.value}));
  for (size_t i = 0; i < d.disciplines.size(); ++i)
    OPENMSO_TRY(s_.Exec(kInsertDiscipline, {id.value, static_cast<int64_t>(i), d.disciplines[i]}));
  OPENMSO_TRY(s_.Exec(kDeleteSpecialties, {id.value}));
  for (size_t i = 0; i < d.specialties.size(); ++i)
    OPENMSO_TRY(s_.Exec(kInsertSpecialty, {id.value, static_cast<int64_t>(i), d.specialties[i]}));
  return Ok();
}

Result<void> SqlCredentialingRepository::SetStatus(ClinicianId id, ClinicianStatus st, std::string_view reason, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kSetStatus, {std::string(StatusName(st)), std::string(reason), ToUnixMillis(now), id.value}));
  if (n == 0) return Error::NotFound("The clinician");
  return Ok();
}

Result<std::vector<Profile>> SqlCredentialingRepository::ListActiveProfiles(MsoId mso) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kActiveProfiles, {mso.value}));
  OPENMSO_ASSIGN_OR_RETURN(auto ds, s_.Query(kActiveDisciplines, {mso.value}));
  std::vector<Profile> out;
  out.reserve(rows.size());
  size_t next = 0;  // both reads are ordered by clinician id
  for (const auto& r : rows) {
    Profile p = ProfileFromRow(r);
    while (next < ds.size() && ds[next].Int(0) < p.id.value) ++next;
    for (; next < ds.size() && ds[next].Int(0) == p.id.value; ++next) p.draft.disciplines.push_back(ds[next].Text(1));
    // A roster record created without a discipline list: its single discipline is the list.
    if (p.draft.disciplines.empty() && !r.Text(17).empty()) p.draft.disciplines.push_back(r.Text(17));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Credential>> SqlCredentialingRepository::ListActiveCredentials(MsoId mso) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kActiveCredentials, {mso.value, mso.value}));
  std::vector<Credential> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(CredentialFromRow(r));
  return out;
}

Result<std::vector<ClinicianId>> SqlCredentialingRepository::ListActiveExcluded(MsoId mso) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kActiveExcluded, {mso.value}));
  std::vector<ClinicianId> out;
  for (const auto& r : rows) out.push_back(ClinicianId(r.Int(0)));
  return out;
}

Result<std::vector<Credential>> SqlCredentialingRepository::ListCredentials(ClinicianId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListCredentials, {id.value}));
  std::vector<Credential> out;
  for (const auto& r : rows) out.push_back(CredentialFromRow(r));
  return out;
}

Result<Credential> SqlCredentialingRepository::GetCredential(CredentialId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetCredential, {id.value}));
  if (!row) return Error::NotFound("The credential");
  return CredentialFromRow(*row);
}

Result<CredentialId> SqlCredentialingRepository::CreateCredential(ClinicianId c, const CredentialDraft& d, Instant now) {
  auto params = DraftParams(d);
  params.push_back(ToUnixMillis(now));
  params.push_back(ToUnixMillis(now));
  params.push_back(c.value);
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertCredential, params));
  if (rows.empty()) return Error::NotFound("The clinician");
  return CredentialId(rows[0].Int(0));
}

Result<void> SqlCredentialingRepository::UpdateCredential(CredentialId id, const CredentialDraft& d, Instant now) {
  auto params = DraftParams(d);
  params.push_back(ToUnixMillis(now));
  params.push_back(id.value);
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kUpdateCredential, params));
  if (n == 0) return Error::NotFound("The credential");
  return Ok();
}

Result<void> SqlCredentialingRepository::DeleteCredential(CredentialId id) {
  OPENMSO_TRY(s_.Exec(kDeleteCredentialDocs, {id.value}));
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kDeleteCredential, {id.value}));
  if (n == 0) return Error::NotFound("The credential");
  return Ok();
}

Result<std::vector<Credential>> SqlCredentialingRepository::ListPending(MsoId mso, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListPending, {mso.value, int64_t{limit}}));
  std::vector<Credential> out;
  for (const auto& r : rows) out.push_back(CredentialFromRow(r));
  return out;
}

Result<void> SqlCredentialingRepository::RecordVerification(CredentialId id, Verification v, std::string_view reason,
                                                           std::string_view source, UserId by, Instant at) {
  OPENMSO_ASSIGN_OR_RETURN(int64_t n, s_.Exec(kRecordVerification, {std::string(VerificationName(v)), std::string(reason),
                                                                    std::string(source), by.value, ToUnixMillis(at),
                                                                    ToUnixMillis(at), id.value}));
  if (n == 0) return Error::NotFound("The credential");
  return Ok();
}

Result<std::vector<Credential>> SqlCredentialingRepository::ListExpiring(MsoId mso, Date from, Date to, int limit) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListExpiring, {mso.value, from.ToString(), to.ToString(), int64_t{limit}}));
  std::vector<Credential> out;
  for (const auto& r : rows) out.push_back(CredentialFromRow(r));
  return out;
}

Result<std::optional<RequirementProfile>> SqlCredentialingRepository::GetRequirements(FacilityId f, std::string_view discipline) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kGetRequirements, {f.value, std::string(discipline)}));
  if (rows.empty()) return std::optional<RequirementProfile>();
  RequirementProfile p{f, std::string(discipline), {}};
  for (const auto& r : rows) p.items.push_back(ItemFromRow(r, 0));
  return std::optional<RequirementProfile>(std::move(p));
}

Result<std::vector<RequirementProfile>> SqlCredentialingRepository::ListRequirements(FacilityId f) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListRequirements, {f.value}));
  std::vector<RequirementProfile> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().discipline != r.Text(0)) out.push_back({f, r.Text(0), {}});
    out.back().items.push_back(ItemFromRow(r, 1));
  }
  return out;
}

Result<void> SqlCredentialingRepository::ReplaceRequirements(const RequirementProfile& p, Instant now) {
  OPENMSO_TRY(s_.Exec(kDeleteRequirements, {p.facility_id.value, p.discipline}));
  for (size_t i = 0; i < p.items.size(); ++i) {
    const auto& it = p.items[i];
    OPENMSO_TRY(s_.Exec(kInsertRequirement, {p.facility_id.value, p.discipline, static_cast<int64_t>(i),
                                             std::string(KindName(it.kind)), it.type_code, int64_t{it.in_facility_state},
                                             it.max_age_days ? Value(int64_t{*it.max_age_days}) : Null(),
                                             ToUnixMillis(now)}));
  }
  return Ok();
}

Result<std::optional<UserId>> SqlCredentialingRepository::UserOfClinician(ClinicianId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kUserOfClinician, {id.value}));
  if (!row) return std::optional<UserId>();
  return std::optional<UserId>(UserId(row->Int(0)));
}

Result<int64_t> SqlCredentialingRepository::QueueNotification(MsoId mso, std::optional<UserId> user,
                                                              std::optional<ClinicianId> clinician,
                                                              std::string_view template_name,
                                                              std::string_view payload_json, Instant now) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kQueueNotification,
                                               {mso.value, user ? Value(user->value) : Null(),
                                                clinician ? Value(clinician->value) : Null(), std::string(template_name),
                                                std::string(payload_json), ToUnixMillis(now), ToUnixMillis(now)}));
  return rows.at(0).Int(0);
}

Result<DocumentId> SqlCredentialingRepository::InsertDocument(const CredentialDocument& d) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kInsertDocument, {d.credential_id.value, d.sha256, d.content_type, d.size_bytes,
                                                                 d.file_name, d.uploaded_by ? Value(d.uploaded_by->value) : Null(),
                                                                 ToUnixMillis(d.uploaded_at)}));
  return DocumentId(rows.at(0).Int(0));
}

Result<std::vector<CredentialDocument>> SqlCredentialingRepository::ListDocuments(CredentialId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto rows, s_.Query(kListDocuments, {id.value}));
  std::vector<CredentialDocument> out;
  for (const auto& r : rows) out.push_back(DocumentFromRow(r));
  return out;
}

Result<CredentialDocument> SqlCredentialingRepository::GetDocument(DocumentId id) {
  OPENMSO_ASSIGN_OR_RETURN(auto row, s_.QueryOne(kGetDocument, {id.value}));
  if (!row) return Error::NotFound("The document");
  return DocumentFromRow(*row);
}

}  // namespace openmso::storage
