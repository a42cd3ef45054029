// "A/R aging": what facilities owe by how far past the due date it is (current, 31-60,
// 61-90, over 90 days; BILL-AGING) as of a date, for all facilities and each one: a bar chart
// drawn as plain SVG with the amounts written next to the bars (readable without colour and
// by screen readers through its title and description), and the same numbers in a table.
import { useId, useState } from 'react';
import { api } from '../../api/client';
import type { AgingBuckets } from '../../api/types';
import { formatCents, formatDate, localInputValue } from '../../shell/format';
import { LoadError, Loading, useLoad } from '../../shell/load';

const kBuckets: { key: keyof AgingBuckets; label: string }[] = [
  { key: 'current_cents', label: 'Current' },
  { key: 'days_31_60_cents', label: '31–60 days' },
  { key: 'days_61_90_cents', label: '61–90 days' },
  { key: 'over_90_cents', label: 'Over 90 days' },
];

function AgingChart({ totals, asOf }: { totals: AgingBuckets; asOf: string }) {
  const titleId = useId();
  const descId = useId();
  const width = 640;
  const labelWidth = 120;
  const valueWidth = 130;
  const barArea = width - labelWidth - valueWidth;
  const rowHeight = 40;
  const height = kBuckets.length * rowHeight + 10;
  const max = Math.max(1, ...kBuckets.map((b) => totals[b.key]));
  const description = kBuckets.map((b) => `${b.label}: ${formatCents(totals[b.key])}`).join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={titleId} aria-describedby={descId}
        className="aging-chart">
        <title id={titleId}>Receivables by age as of {formatDate(asOf)}</title>
        <desc id={descId}>{description}</desc>
        {kBuckets.map((b, i) => {
          const value = totals[b.key];
          const w = value > 0 ? Math.max(2, (value / max) * barArea) : 0;
          const y = i * rowHeight + 8;
          return (
            <g key={b.key} className={`aging-bar aging-${i}`}>
              <text x={labelWidth - 10} y={y + 18} textAnchor="end" className="aging-label">{b.label}</text>
              <rect x={labelWidth} y={y} width={w} height={26} rx={3} />
              <text x={labelWidth + w + 8} y={y + 18} className="aging-value">{formatCents(value)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        Total outstanding {formatCents(totals.total_cents)} on {totals.invoices} invoice{totals.invoices === 1 ? '' : 's'}
        {totals.credits_cents !== 0 && `, unapplied credits ${formatCents(totals.credits_cents)}`}.
      </figcaption>
    </figure>
  );
}

export function ArAgingPage() {
  const [asOf, setAsOf] = useState(localInputValue(new Date(), 'UTC').slice(0, 10));
  const dateId = useId();
  const load = useLoad(async () => {
    const [aging, facilities] = await Promise.all([api.arAging(asOf), api.facilities()]);
    return { aging, names: new Map(facilities.items.map((f) => [f.id, f.name])) };
  }, [asOf]);
  return (
    <>
      <h1 tabIndex={-1}>A/R aging</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor={dateId}>As of</label>
          <input id={dateId} type="date" value={asOf} onChange={(e) => { if (e.target.value) setAsOf(e.target.value); }} />
        </div>
      </div>
      {load.status === 'loading' && <Loading />}
      {load.status === 'error' && <LoadError error={load.error} />}
      {load.status === 'ok' && (
        <>
          <AgingChart totals={load.data.aging.totals} asOf={load.data.aging.as_of} />
          <table className="data">
            <caption>By facility, as of {formatDate(load.data.aging.as_of)} (days past the due date)</caption>
            <thead>
              <tr>
                <th scope="col">Facility</th>
                {kBuckets.map((b) => <th key={b.key} scope="col" className="num">{b.label}</th>)}
                <th scope="col" className="num">Credits</th>
                <th scope="col" className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {load.data.aging.facilities.length === 0 && (
                <tr><td colSpan={kBuckets.length + 3}>Nothing is owed.</td></tr>
              )}
              {load.data.aging.facilities.map((f) => (
                <tr key={f.facility_id} data-facility-id={f.facility_id}>
                  <th scope="row">{load.data.names.get(f.facility_id) ?? `Facility #${f.facility_id}`}</th>
                  {kBuckets.map((b) => <td key={b.key} className="num">{formatCents(f[b.key])}</td>)}
                  <td className="num">{formatCents(f.credits_cents)}</td>
                  <td className="num">{formatCents(f.total_cents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All facilities</th>
                {kBuckets.map((b) => <td key={b.key} className="num">{formatCents(load.data.aging.totals[b.key])}</td>)}
                <td className="num">{formatCents(load.data.aging.totals.credits_cents)}</td>
                <td className="num">{formatCents(load.data.aging.totals.total_cents)}</td>
              </tr>
            </tfoot>
          </table>
        </>
      )}
    </>
  );
}
