// "Fill rates": how many of a facility's openings were filled and how fast (posting to
// confirmation), by ISO week, unit or discipline (GET /api/v1/facilities/{id}/fill-metrics,
// MKT-FILL-METRICS), as a small SVG bar chart and the table with the same numbers (the
// table is what a screen reader reads; the chart repeats it for the eye).
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { FillGroup, Unit } from '../../api/types';
import { addDays, formatDuration } from '../../shell/format';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useFacilityChoice } from '../org/FacilityPicker';
import { todayLocal } from '../credentialing/labels';
import './marketplace.css';

type GroupBy = 'week' | 'unit' | 'discipline';

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

function minutes(m: number | null): string {
  return m === null ? '—' : formatDuration(m);
}

function label(g: FillGroup, by: GroupBy, units: Unit[]): string {
  if (by === 'week') return g.week ?? '?';
  if (by === 'unit') return units.find((u) => u.id === g.unit_id)?.name ?? `Unit #${g.unit_id}`;
  return g.discipline ?? '?';
}

/** Vertical bars of the fill rate, 0-100 %, one per group, labelled under and above each bar. */
function FillChart({ items, names }: { items: FillGroup[]; names: string[] }) {
  // Each group gets a slot wide enough for its label (about 7 px a character at 11 px).
  const slot = Math.max(62, ...names.map((n) => n.length * 7 + 8));
  const bar = 44;
  const gap = slot - bar;
  const top = 24;
  const plot = 160;
  const left = 40;
  const width = left + items.length * slot + 6;
  const height = top + plot + 40;
  return (
    <svg className="chart" role="img" aria-label="Fill rate per group, as in the table below" width={width} height={height}
      viewBox={`0 0 ${width} ${height}`}>
      {[0, 0.5, 1].map((t) => (
        <g key={t}>
          <line x1={left} x2={width - 6} y1={top + plot * (1 - t)} y2={top + plot * (1 - t)} stroke="#d8dee6" />
          <text x={left - 6} y={top + plot * (1 - t) + 4} textAnchor="end">{t * 100}%</text>
        </g>
      ))}
      {items.map((g, i) => {
        const h = Math.round(plot * Math.min(1, Math.max(0, g.fill_rate)));
        const x = left + gap / 2 + i * slot;
        return (
          <g key={names[i] ?? i} data-group={names[i]}>
            <rect x={x} y={top + plot - h} width={bar} height={h} fill="#1f5fbf" data-rate={g.fill_rate} />
            <text x={x + bar / 2} y={top + plot - h - 6} textAnchor="middle">{percent(g.fill_rate)}</text>
            <text x={x + bar / 2} y={top + plot + 16} textAnchor="middle">{names[i]}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function FillRatesPage() {
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const today = todayLocal();
  const [from, setFrom] = useState(addDays(today, -56));
  const [to, setTo] = useState(addDays(today, 28));
  const [by, setBy] = useState<GroupBy>('week');
  const ids = { from: useId(), to: useId(), by: useId() };
  const { state } = useReloadable(async () => {
    if (!facilityId) return null;
    const [metrics, units] = await Promise.all([api.fillMetrics(facilityId, from, to, by), api.units(facilityId)]);
    const items = [...metrics.items].sort((a, b) => label(a, by, units.items).localeCompare(label(b, by, units.items)));
    return { items, units: units.items };
  }, [facilityId, from, to, by]);
  const names = state.status === 'ok' && state.data ? state.data.items.map((g) => label(g, by, state.data?.units ?? [])) : [];
  return (
    <>
      <h1 tabIndex={-1}>Fill rates</h1>
      <div className="filters">
        {picker}
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} type="date" value={from} onChange={(e) => { if (e.target.value) setFrom(e.target.value); }} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To (exclusive)</label>
          <input id={ids.to} type="date" value={to} onChange={(e) => { if (e.target.value) setTo(e.target.value); }} />
        </div>
        <div className="field">
          <label htmlFor={ids.by}>Group by</label>
          <select id={ids.by} value={by} onChange={(e) => setBy(e.target.value as GroupBy)}>
            <option value="week">Week</option>
            <option value="unit">Unit</option>
            <option value="discipline">Discipline</option>
          </select>
        </div>
      </div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {facility && state.status === 'loading' && <Loading />}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && state.status === 'ok' && state.data && (state.data.items.length === 0 ? (
        <p>No shifts at {facility.name} start in this period.</p>
      ) : (
        <>
          <FillChart items={state.data.items} names={names} />
          <table className="data fill-table">
            <caption>{facility.name}: shifts starting {from} to {to} (not cancelled), by {by}</caption>
            <thead>
              <tr>
                <th scope="col">{by === 'week' ? 'Week' : by === 'unit' ? 'Unit' : 'Discipline'}</th>
                <th scope="col" className="num">Shifts</th>
                <th scope="col" className="num">Openings</th>
                <th scope="col" className="num">Filled</th>
                <th scope="col" className="num">Fill rate</th>
                <th scope="col" className="num">Time to fill (median)</th>
                <th scope="col" className="num">90th percentile</th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((g, i) => (
                <tr key={names[i] ?? i} data-group={names[i]}>
                  <th scope="row">{names[i]}</th>
                  <td className="num">{g.shifts}</td>
                  <td className="num">{g.openings}</td>
                  <td className="num">{g.filled}</td>
                  <td className="num">{percent(g.fill_rate)}</td>
                  <td className="num">{minutes(g.time_to_fill_minutes.median)}</td>
                  <td className="num">{minutes(g.time_to_fill_minutes.p90)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ))}
    </>
  );
}
