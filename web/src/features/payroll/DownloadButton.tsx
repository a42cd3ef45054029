// A file from the server saved by the browser, with the server's refusal (problem+json)
// shown next to the button instead of a saved error page.
import { downloadFile } from '../../api/client';
import { ProblemNotice, useAction } from '../../shell/form';

export function DownloadButton({ path, fileName, label }: { path: string; fileName: string; label: string }) {
  const action = useAction();
  return (
    <span className="download">
      <button type="button" className="button-secondary" disabled={action.busy}
        onClick={() => void action.run(() => downloadFile(path, fileName))}>{label}</button>
      <ProblemNotice problem={action.problem} />
    </span>
  );
}
