// "Invoices" (billing, MSO admin; auditors read): generate a period's invoices per facility
// from approved, unbilled timesheets (POST /api/v1/invoices/generate; all in one transaction,
// BILL-EXACTLY-ONCE), optionally finalized at once, and the list, newest first.
import { useId, useState, type FormEvent } from 'react';
import { api, downloads } from '../../api/client';
import type { Invoice, InvoiceRunInput } from '../../api/types';
import { addDays, formatCents, formatDate } from '../../shell/format';
import { ProblemNotice, SelectField, TextField, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { LiveProgress } from '../../shell/progress';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { billingPeriod, invoiceName, invoiceStatusLabel, kInvoicingPhases } from './labels';

function GenerateForm({ facilities, onDone }: { facilities: { id: number; name: string }[]; onDone(items: Invoice[]): void }) {
  const [from, setFrom] = useState('');
  const [through, setThrough] = useState('');
  const [facility, setFacility] = useState('');
  const [finalize, setFinalize] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const finalizeId = useId();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!from) local.period_from = 'Required.';
    if (!through) local.period_to = 'Required.';
    if (from && through && through < from) local.period_to = 'The last day comes on or after the first.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    // The form asks for the last day billed; the API takes the day after it (exclusive).
    const input: InvoiceRunInput = { period_from: from, period_to: addDays(through, 1) };
    if (facility) input.facility_id = Number(facility);
    if (finalize) input.finalize = true;
    const answer = await action.run(() => api.generateInvoices(input));
    if (answer) onDone(answer.items);
  };
  const err = (field: string) => errors[field] ?? action.problem?.fields[field];
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="generate-heading">
      <h2 id="generate-heading">Generate invoices</h2>
      <div className="form-grid">
        <TextField label="First day" type="date" value={from} onChange={setFrom} required error={err('period_from')} />
        <TextField label="Last day" type="date" value={through} onChange={setThrough} required error={err('period_to')} />
        <SelectField label="Facility" value={facility} onChange={setFacility} error={err('facility_id')}
          options={[{ value: '', label: 'Every facility' }, ...facilities.map((f) => ({ value: String(f.id), label: f.name }))]} />
      </div>
      <div className="field field-inline">
        <input id={finalizeId} type="checkbox" checked={finalize} onChange={(e) => setFinalize(e.target.checked)} />
        <label htmlFor={finalizeId}>Finalize at once (numbers are given and the invoices can no longer change)</label>
      </div>
      <ProblemNotice problem={action.problem} fieldsShown={['period_from', 'period_to', 'facility_id']} />
      <LiveProgress type="invoicing.progress" phases={kInvoicingPhases} waiting="Starting" running={action.busy} />
      <button type="submit" disabled={action.busy}>{action.busy ? 'Generating…' : 'Generate'}</button>
    </form>
  );
}

export function InvoicesPage() {
  const user = useUser();
  const canBill = user.role === 'mso_admin' || user.role === 'billing';
  const { state, reload } = useReloadable(async () => {
    const [invoices, facilities] = await Promise.all([api.invoices(), api.facilities()]);
    return { invoices: invoices.items, facilities: facilities.items };
  }, []);
  const [generated, setGenerated] = useState<Invoice[] | null>(null);
  return (
    <>
      <h1 tabIndex={-1}>Invoices</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (
        <>
          {canBill && <GenerateForm facilities={state.data.facilities} onDone={(items) => { setGenerated(items); reload(); }} />}
          {generated && (
            <div className="notice notice-ok" role="status">
              <p className="notice-line">{generated.length} invoice{generated.length === 1 ? '' : 's'} generated:</p>
              <ul>
                {generated.map((i) => (
                  <li key={i.id}><Link to={`/invoices/${i.id}`}>{invoiceName(i)}</Link>, {i.facility_name},{' '}
                    {formatCents(i.total_cents)} ({i.timesheets} timesheets)</li>
                ))}
              </ul>
            </div>
          )}
          {state.data.invoices.length === 0 ? <p>No invoices yet.</p> : (
            <table className="data">
              <caption>{state.data.invoices.length} invoice{state.data.invoices.length === 1 ? '' : 's'}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Facility</th>
                  <th scope="col">Period</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Total</th>
                  <th scope="col" className="num">Balance</th>
                  <th scope="col">PDF</th>
                </tr>
              </thead>
              <tbody>
                {state.data.invoices.map((i) => (
                  <tr key={i.id} data-invoice-id={i.id}>
                    <th scope="row"><Link to={`/invoices/${i.id}`}>{invoiceName(i)}</Link></th>
                    <td>{i.facility_name}</td>
                    <td>{billingPeriod(i)}</td>
                    <td className="nowrap">{i.status === 'draft' ? '—' : formatDate(i.due_date)}</td>
                    <td><span className={`status status-${i.status}`}>{invoiceStatusLabel(i.status)}</span></td>
                    <td className="num">{formatCents(i.total_cents)}</td>
                    <td className="num">{i.status === 'draft' ? '—' : formatCents(i.balance_cents)}</td>
                    <td>
                      <a href={downloads.invoicePdf(i.id)} download={`${invoiceName(i)}.pdf`}
                        aria-label={`${invoiceName(i)} (PDF)`}>PDF</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
