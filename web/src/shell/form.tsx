// Forms and actions against the API: a problem+json answer becomes a sentence for the form
// and a message next to each field it names (errors[].field), read out by screen readers
// through aria-describedby; a labelled input, select and textarea that show them.
import { useId, useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { errorMessage } from './load';

export interface FormProblem {
  /** The sentence for the whole form (role="alert"). */
  message: string;
  /** Field name as the server spells it -> its message. */
  fields: Record<string, string>;
}

/** What a failed call means for a form or a button: the server's words when it gave some. */
export function problemOf(error: unknown): FormProblem {
  if (error instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const e of error.problem?.errors ?? []) {
      if (!e.field) continue;
      fields[e.field] = fields[e.field] ? `${fields[e.field]} ${e.message}` : e.message;
    }
    if (error.status === 401 || !error.problem) return { message: errorMessage(error), fields };
    const detail = error.problem.detail ?? error.problem.title;
    return { message: detail || errorMessage(error), fields };
  }
  return { message: errorMessage(error), fields: {} };
}

/**
 * Runs one API action at a time: `busy` while it runs, `problem` when it failed. run()
 * resolves to the action's value, or undefined after a failure (already shown).
 */
export function useAction(): {
  busy: boolean;
  problem: FormProblem | null;
  run<T>(action: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
} {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(null);
    try {
      return await action();
    } catch (error) {
      setProblem(problemOf(error));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run, clear: () => setProblem(null) };
}

/** The form-level message of a failed action (fields named by the server are listed too). */
export function ProblemNotice({ problem, fieldsShown = [] }: { problem: FormProblem | null; fieldsShown?: string[] }) {
  if (!problem) return null;
  const others = Object.entries(problem.fields).filter(([field]) => !fieldsShown.includes(field));
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-line">{problem.message}</p>
      {others.length > 0 && (
        <ul>{others.map(([field, message]) => <li key={field}><code>{field}</code>: {message}</li>)}</ul>
      )}
    </div>
  );
}

interface FieldFrame {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (ids: { id: string; describedBy: string | undefined; invalid: true | undefined }) => ReactNode;
}

function Frame({ label, error, hint, children }: FieldFrame) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: error ? true : undefined })}
      {hint && <span id={hintId} className="hint">{hint}</span>}
      {error && <span id={errorId} className="field-error">{error}</span>}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>;

export function TextField({ label, value, onChange, error, hint, ...rest }: InputProps & {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <Frame label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <input id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid}
          onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} {...rest} />
      )}
    </Frame>
  );
}

export function SelectField({ label, value, onChange, options, error, hint, name }: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: { value: string; label: string }[];
  error?: string | undefined;
  hint?: ReactNode;
  name?: string;
}) {
  return (
    <Frame label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <select id={id} name={name} value={value} aria-describedby={describedBy} aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Frame>
  );
}

export function TextAreaField({ label, value, onChange, error, hint, name, required, maxLength }: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  name?: string;
  required?: boolean;
  maxLength?: number;
}) {
  return (
    <Frame label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} name={name} value={value} rows={3} required={required} maxLength={maxLength}
          aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)} />
      )}
    </Frame>
  );
}

/**
 * A form that asks for one required reason (cancel a shift, dispute a timesheet): an empty
 * reason is refused next to the field before anything is sent; the server's refusal is
 * shown the same way. `send` resolves to a value on success (the form then calls onDone).
 */
export function ReasonForm<T>({ name, label, submitLabel, missing, multiline, maxLength, send, onDone }: {
  name: string;
  label: string;
  submitLabel: string;
  missing: string;
  multiline?: boolean;
  maxLength: number;
  send(reason: string): Promise<T>;
  onDone(value: T): void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError(missing);
      return;
    }
    setError(undefined);
    const answer = await action.run(() => send(reason.trim()));
    if (answer !== undefined) onDone(answer);
  };
  const fieldError = error ?? action.problem?.fields.reason;
  return (
    <form className="card inline-form" onSubmit={(e) => void submit(e)} noValidate aria-label={name}>
      {multiline
        ? <TextAreaField label={label} value={reason} onChange={setReason} required maxLength={maxLength} error={fieldError} />
        : <TextField label={label} value={reason} onChange={setReason} required maxLength={maxLength} error={fieldError} />}
      <ProblemNotice problem={action.problem} fieldsShown={['reason']} />
      <button type="submit" className="button-danger" disabled={action.busy}>{submitLabel}</button>
    </form>
  );
}
