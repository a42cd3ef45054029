// Choosing the facility a staff page works on (shifts, the timesheet queue): the facilities
// the server lets the caller list, the choice kept in the address (?facility=ID) so that a
// link or a reload opens the same one. With one facility there is nothing to choose.
import { useId, useState, type ReactElement } from 'react';
import { api } from '../../api/client';
import type { Facility } from '../../api/types';
import { useLoad, type Load } from '../../shell/load';

function fromAddress(): number | null {
  const value = Number(new URLSearchParams(window.location.search).get('facility'));
  return Number.isInteger(value) && value > 0 ? value : null;
}

export function useFacilityChoice(): { load: Load<Facility[]>; facility: Facility | undefined; picker: ReactElement | null } {
  const load = useLoad(async () => (await api.facilities()).items, []);
  const [chosen, setChosen] = useState<number | null>(fromAddress);
  const id = useId();
  const list = load.status === 'ok' ? load.data : [];
  const facility = list.find((f) => f.id === chosen) ?? list[0];
  const choose = (value: number) => {
    setChosen(value);
    const url = new URL(window.location.href);
    url.searchParams.set('facility', String(value));
    window.history.replaceState(null, '', url.pathname + url.search);
  };
  const picker = list.length > 1 && facility ? (
    <div className="field">
      <label htmlFor={id}>Facility</label>
      <select id={id} value={facility.id} onChange={(e) => choose(Number(e.target.value))}>
        {list.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
      </select>
    </div>
  ) : null;
  return { load, facility, picker };
}
