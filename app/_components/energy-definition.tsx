/**
 * One sentence that defines "energy" where it is first used (home, suite pages, /about): readers
 * otherwise take it for joules. Reusable by any page: <EnergyDefinition /> renders inline text.
 */
export function EnergyDefinition({ short = false }: { short?: boolean }) {
  return (
    <span className="energy-definition" data-testid="energy-definition">
      <strong>Energy</strong> (average initial energy, AIE) is how wrong the head is at the start of finetuning: the mean
      over training examples of ‖e<sub>y</sub> − p<sub>0</sub>(x)‖, the distance between the one-hot label and the
      prepared head&rsquo;s predicted probabilities{short ? '' : ', before any backbone weight moves'}; it is not a
      measure of joules or compute.
    </span>
  );
}
