// Progress of a long server step fed by live events ({type, phase, done, total}), e.g.
// "payrun.progress" while a pay run is computed or "invoicing.progress" while invoices are
// generated: a labelled <progress> with the numbers in words, indeterminate until the first
// event arrives, and left showing the last step once the work is done.
import { useState } from 'react';
import type { LiveEvent } from '../api/types';
import { useLiveEvent } from './live';

interface Step {
  phase: string;
  done: number;
  total: number;
}

interface Props {
  /** The live event type to follow. */
  type: string;
  /** Only events this returns true for (e.g. the pay period being computed). */
  match?: (event: LiveEvent) => boolean;
  /** Words for the phases the server names ("load" -> "Loading approved timesheets"). */
  phases: Record<string, string>;
  /** What runs while no event has arrived yet, e.g. "Finalizing". */
  waiting: string;
  running: boolean;
}

export function LiveProgress({ type, match, phases, waiting, running }: Props) {
  const [last, setLast] = useState<Step | null>(null);
  useLiveEvent((event) => {
    if (event.type !== type || (match && !match(event))) return;
    const { phase, done, total } = event;
    if (typeof phase === 'string' && typeof done === 'number' && typeof total === 'number') setLast({ phase, done, total });
  });
  if (!running && !last) return null;
  const text = last
    ? `${phases[last.phase] ?? last.phase}: ${last.done} of ${last.total}${running ? '' : ' (done)'}`
    : `${waiting}…`;
  return (
    <div className="run-progress" role="status" aria-live="polite">
      <label>
        <span className="run-progress-text">{text}</span>
        {last && last.total > 0
          ? <progress max={last.total} value={last.done} />
          : running ? <progress /> : null}
      </label>
    </div>
  );
}
