// One invoice: totals and balance, every line (a labor line names the approved timesheet it
// bills, BILL-MINUTES; fee lines BILL-FEE-*), Finalize or Discard of a draft (a finalized
// invoice is immutable, BILL-LIFECYCLE), the PDF, payments received (BILL-PAYMENT), and a
// credit memo for disputed lines (BILL-CREDIT-MEMO): the invoice itself never changes.
import { useId, useState, type FormEvent } from 'react';
import { api, downloads } from '../../api/client';
import type { Invoice } from '../../api/types';
import { formatCents, formatDate, formatDuration, formatInZone, localInputValue, parseDollars } from '../../shell/format';
import { ProblemNotice, TextAreaField, TextField, useAction } from '../../shell/form';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { Link } from '../../shell/router';
import { useUser } from '../../shell/session';
import { billingPeriod, invoiceName, invoiceStatusLabel, lineKindLabel, multiplierLabel, percentLabel } from './labels';

function PaymentForm({ invoice, onDone }: { invoice: Invoice; onDone(): void }) {
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(localInputValue(new Date(), 'UTC').slice(0, 10));
  const [reference, setReference] = useState('');
  const [overpayment, setOverpayment] = useState(false);
  const [amountError, setAmountError] = useState<string | undefined>();
  const action = useAction();
  const overId = useId();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const cents = parseDollars(amount);
    if (cents === null || cents <= 0) {
      setAmountError('An amount in dollars, e.g. 1250.00.');
      return;
    }
    setAmountError(undefined);
    const input = { amount_cents: cents, received_on: receivedOn, ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(overpayment ? { overpayment_credit: true } : {}) };
    const answer = await action.run(() => api.recordPayment(invoice.id, input));
    if (answer) {
      setAmount('');
      setReference('');
      onDone();
    }
  };
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="payment-heading">
      <h2 id="payment-heading">Record a payment</h2>
      <div className="form-grid">
        <TextField label="Amount ($)" inputMode="decimal" value={amount} onChange={setAmount} required
          error={amountError ?? action.problem?.fields.amount_cents} hint={`Balance ${formatCents(invoice.balance_cents)}`} />
        <TextField label="Received on" type="date" value={receivedOn} onChange={setReceivedOn}
          error={action.problem?.fields.received_on} />
        <TextField label="Reference (check or transfer number)" value={reference} onChange={setReference} maxLength={200}
          error={action.problem?.fields.reference} />
      </div>
      <div className="field field-inline">
        <input id={overId} type="checkbox" checked={overpayment} onChange={(e) => setOverpayment(e.target.checked)} />
        <label htmlFor={overId}>Keep any amount over the balance as a credit</label>
      </div>
      <ProblemNotice problem={action.problem} fieldsShown={['amount_cents', 'received_on', 'reference']} />
      <button type="submit" disabled={action.busy}>Record payment</button>
    </form>
  );
}

export function InvoicePage({ id }: { id: number }) {
  const user = useUser();
  const canBill = user.role === 'mso_admin' || user.role === 'billing';
  const { state, reload } = useReloadable(async () => {
    const invoice = await api.invoice(id);
    // The facility's zone for shift times (auditors and billing may read facilities).
    let zone = 'UTC';
    try { zone = (await api.facility(invoice.facility_id)).time_zone; } catch { /* keep UTC */ }
    return { invoice, zone };
  }, [id]);
  const action = useAction();
  const memo = useAction();
  const [credited, setCredited] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState('');
  const [memoErrors, setMemoErrors] = useState<Record<string, string>>({});

  const act = async (call: () => Promise<Invoice>) => {
    if (await action.run(call)) reload();
  };
  const issueMemo = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (credited.size === 0) errors.items = 'Choose the disputed lines in the table above.';
    if (!reason.trim()) errors.reason = 'Say why the lines are credited; the facility reads it.';
    setMemoErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const items = [...credited].sort((a, b) => a - b).map((line_no) => ({ line_no }));
    if (await memo.run(() => api.createCreditMemo(id, { reason: reason.trim(), items }))) {
      setCredited(new Set());
      setReason('');
      reload();
    }
  };

  return (
    <>
      <p className="breadcrumb"><Link to="/invoices">← Invoices</Link></p>
      <h1 tabIndex={-1}>{state.status === 'ok' ? `Invoice ${invoiceName(state.data.invoice)}` : 'Invoice'}</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} />}
      {state.status === 'ok' && (() => {
        const { invoice: i, zone } = state.data;
        const lines = i.lines ?? [];
        const final = i.status !== 'draft' && i.status !== 'discarded';
        const canCredit = canBill && final;
        return (
          <>
            <dl className="facts">
              <dt>Facility</dt><dd>{i.facility_name}</dd>
              <dt>Status</dt><dd><span className={`status status-${i.status}`}>{invoiceStatusLabel(i.status)}</span></dd>
              <dt>Period</dt><dd>{billingPeriod(i)}</dd>
              {final && <><dt>Issued</dt><dd>{formatDate(i.issue_date)}</dd></>}
              {final && <><dt>Due</dt><dd>{formatDate(i.due_date)} (net {i.payment_terms_days} days)</dd></>}
              <dt>Labor</dt><dd>{formatDuration(i.labor_minutes)} from {i.timesheets} approved timesheet{i.timesheets === 1 ? '' : 's'}: {formatCents(i.labor_subtotal_cents)}</dd>
              <dt>Fees</dt><dd>{formatCents(i.fee_total_cents)}</dd>
              <dt>Total</dt><dd><strong>{formatCents(i.total_cents)}</strong></dd>
              {final && <><dt>Credits</dt><dd>{formatCents(i.credits_cents)}</dd></>}
              {final && <><dt>Payments</dt><dd>{formatCents(i.payments_cents)}</dd></>}
              {final && <><dt>Balance</dt><dd><strong>{formatCents(i.balance_cents)}</strong></dd></>}
            </dl>
            <div className="actions">
              <a className="button-link" href={downloads.invoicePdf(i.id)} download={`${invoiceName(i)}.pdf`}>
                Invoice PDF
              </a>
              {canBill && i.status === 'draft' && (
                <>
                  <button type="button" disabled={action.busy} onClick={() => void act(() => api.finalizeInvoice(i.id))}>
                    Finalize invoice
                  </button>
                  <button type="button" className="button-secondary" disabled={action.busy}
                    onClick={() => void act(() => api.discardInvoice(i.id))}>Discard draft</button>
                </>
              )}
            </div>
            <ProblemNotice problem={action.problem} />

            <table className="data">
              <caption>{lines.length} lines; labor lines name the timesheet they bill (times in {zone})</caption>
              <thead>
                <tr>
                  {canCredit && <th scope="col">Credit</th>}
                  <th scope="col">Line</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Timesheet</th>
                  <th scope="col">Shift</th>
                  <th scope="col" className="num">Quantity</th>
                  <th scope="col" className="num">Rate</th>
                  <th scope="col" className="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.line_no} data-line-no={l.line_no} data-timesheet-id={l.timesheet_id ?? ''}>
                    {canCredit && (
                      <td>
                        <input type="checkbox" aria-label={`Credit line ${l.line_no}`} checked={credited.has(l.line_no)}
                          onChange={(e) => {
                            const next = new Set(credited);
                            if (e.target.checked) next.add(l.line_no); else next.delete(l.line_no);
                            setCredited(next);
                          }} />
                      </td>
                    )}
                    <th scope="row">{l.line_no}</th>
                    <td>{lineKindLabel(l.kind)}{l.discipline && ` (${l.discipline})`}</td>
                    <td><code>{l.rule_id}</code></td>
                    <td>{l.timesheet_id ? `#${l.timesheet_id}` : '—'}{l.clinician_id ? <div className="muted small">clinician #{l.clinician_id}</div> : null}</td>
                    <td className="nowrap">{l.shift_start ? formatInZone(l.shift_start, zone) : '—'}</td>
                    <td className="num">{l.timesheet_id ? formatDuration(l.minutes) : l.quantity || '—'}</td>
                    <td className="num">
                      {l.kind === 'fee_percent'
                        ? `${percentLabel(l.multiplier_bp)} of labor`
                        : `${l.rate_cents ? formatCents(l.rate_cents) : '—'} ${multiplierLabel(l.multiplier_bp)}`}
                    </td>
                    <td className="num">{formatCents(l.amount_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>

            {canCredit && (
              <form className="card inline-form" onSubmit={(e) => void issueMemo(e)} noValidate aria-labelledby="memo-heading">
                <h2 id="memo-heading">Credit disputed lines</h2>
                <p className="muted small">{credited.size === 0 ? 'No lines chosen.' : `Lines ${[...credited].sort((a, b) => a - b).join(', ')} chosen.`}
                  {' '}A credit memo is issued; the invoice itself never changes.</p>
                {memoErrors.items && <p className="field-error" role="alert">{memoErrors.items}</p>}
                <TextAreaField label="Reason for the credit" value={reason} onChange={setReason} required maxLength={2000}
                  error={memoErrors.reason ?? memo.problem?.fields.reason} />
                <ProblemNotice problem={memo.problem} fieldsShown={['reason']} />
                <button type="submit" disabled={memo.busy}>Issue credit memo</button>
              </form>
            )}

            {(i.credit_memos?.length ?? 0) > 0 && (
              <table className="data">
                <caption>Credit memos</caption>
                <thead><tr><th scope="col">Number</th><th scope="col">Issued</th><th scope="col">Reason</th><th scope="col" className="num">Amount</th></tr></thead>
                <tbody>
                  {i.credit_memos?.map((m) => (
                    <tr key={m.number}><th scope="row">{m.number}</th><td>{formatDate(m.issue_date)}</td><td>{m.reason}</td>
                      <td className="num">{formatCents(m.total_cents)}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            {(i.payments?.length ?? 0) > 0 && (
              <table className="data">
                <caption>Payments received</caption>
                <thead><tr><th scope="col">Received</th><th scope="col">Reference</th><th scope="col" className="num">Amount</th></tr></thead>
                <tbody>
                  {i.payments?.map((p, n) => (
                    <tr key={n}><th scope="row">{formatDate(p.received_on)}</th><td>{p.reference || '—'}</td>
                      <td className="num">{formatCents(p.amount_cents)}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            {canBill && final && i.status !== 'paid' && <PaymentForm invoice={i} onDone={reload} />}
          </>
        );
      })()}
    </>
  );
}
