// Clinicians' names for staff pages: timesheets carry only clinician ids, so names are read
// once per id (GET /api/v1/clinicians/{id}) and kept for the session; a clinician the
// caller may not read shows as "Clinician #id".
import { api } from '../../api/client';

const known = new Map<number, Promise<string>>();

export function clinicianName(id: number): Promise<string> {
  let name = known.get(id);
  if (!name) {
    name = api.clinician(id).then((c) => `${c.first_name} ${c.last_name}`, () => `Clinician #${id}`);
    known.set(id, name);
  }
  return name;
}

export async function clinicianNames(ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const names = await Promise.all(unique.map(clinicianName));
  return new Map(unique.map((id, i) => [id, names[i] ?? `Clinician #${id}`]));
}
