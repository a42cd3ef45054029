// Progress of a long pay-run step, fed by the live "payrun.progress" events the server
// sends to the requester ({phase, done, total}; PAY-RUN-PROGRESS): a labelled <progress>
// with the numbers in words. Without events yet it is indeterminate.
import { useState } from 'react';
import type { PayRunProgress } from '../../api/types';
import { useLiveEvent } from '../../shell/live';
import { phaseLabel } from './labels';

interface Props {
  /** Only events of this period (the run being computed). */
  periodStart: string;
  /** What runs while no event has arrived yet, e.g. "Finalizing". */
  waiting: string;
  running: boolean;
}

export function RunProgress({ periodStart, waiting, running }: Props) {
  const [last, setLast] = useState<PayRunProgress | null>(null);
  useLiveEvent((event) => {
    if (event.type !== 'payrun.progress') return;
    const progress = event as unknown as PayRunProgress;
    if (progress.period_start === periodStart) setLast(progress);
  });
  if (!running && !last) return null;
  const text = last
    ? `${phaseLabel(last.phase)}: ${last.done} of ${last.total}${running ? '' : ' (done)'}`
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
