/**
 * The site's side of the ranking: the statistics themselves live in contract/ranking/ (shared
 * with `headprep report`), a strategy's colour and title in contract/catalog.ts.
 */
export {
  strategyColor,
  strategyInfo,
  variantLabel,
  type CellRanking,
  type OverallRanking,
  type OverallRow,
  type RankedStrategy,
} from '../../contract';
