import { suiteNeedsText } from '../../contract';

/**
 * What running a suite needs beyond a CPU (a GPU, a download), from contract/suites/needs.ts: the
 * same words `headprep suites` prints. Renders nothing for suites that run anywhere.
 */
export function SuiteNeeds({ suite }: { suite: string }) {
  const text = suiteNeedsText(suite);
  if (!text) return null;
  return (
    <div className="small" data-testid="suite-needs">
      <span className="badge warn">to run</span> {text[0]!.toUpperCase() + text.slice(1)}.
    </div>
  );
}
