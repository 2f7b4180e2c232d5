/**
 * A suite version's pre-registered claims (the optional `claims` block of a suite file): which
 * variants each claim compares, fixed before any result is seen. Without the block, the claims
 * follow a default derived from the grid (contract/ranking/claims-spec.ts; docs/science.md,
 * "Claims").
 */
import { z } from 'zod';
import { STRATEGY_IDS } from '../strategy-ids';

/** One variant of a cell: a strategy at one tau, with eta / temperature when the grid has several. */
export const VariantRefSchema = z
  .strictObject({
    strategy: z.enum(STRATEGY_IDS).describe('Strategy id.'),
    tau: z.number().int().min(0).describe('Head-probing epochs of the variant.'),
    eta: z.number().min(0).lt(1).optional().describe('Label smoothing of the variant (when the strategy has several at this tau).'),
    temperature: z.number().positive().optional().describe('Logit temperature of the variant (when the strategy has several at this tau).'),
  })
  .describe('One variant of a cell: it must match exactly one fingerprint of the cell.');
export type VariantRef = z.infer<typeof VariantRefSchema>;

export const SuiteClaimsSchema = z
  .strictObject({
    sweep: z
      .strictObject({
        low: VariantRefSchema.describe('The high-energy end of the tau sweep: finetuning from a fresh head (ft at tau 0).'),
        high: VariantRefSchema.describe('The converged end: finetuning from a converged probe (lp-ft at the largest tau).'),
        interior: z
          .strictObject({
            strategy: z.enum(STRATEGY_IDS).describe('The strategy of the interior points (hp-tau).'),
            taus: z.array(z.number().int().min(1)).min(1).describe('Interior taus; tau* is chosen among them on mean validation accuracy.'),
          }),
      })
      .optional()
      .describe('The tau sweep: claims (i) energy falls with tau, (ii) features move more at higher energy, (iii-a) tau* beats both ends after FT, (iii-b) the FT gain at tau* against the ends.'),
    label_smoothing: z
      .array(
        z
          .strictObject({
            smoothed: VariantRefSchema.describe('A label-smoothed probe (hp-ls).'),
            plain: VariantRefSchema.describe('The plain probe at the same tau.'),
          }),
      )
      .optional()
      .describe('Claim (iv), a manipulation check: label smoothing keeps the energy higher than a plain probe of the same length.'),
    fixed_probe: z
      .strictObject({
        baseline: VariantRefSchema.describe('The low-energy probe (lp-ft).'),
        higher_energy: z.array(VariantRefSchema).min(1).describe('Probes of the same length with more energy (hp-temp, hp-ls).'),
      })
      .optional()
      .describe('Claim (v): at a fixed probe length, more energy against the baseline (test accuracy after FT).'),
    kumar: z
      .strictObject({
        lp: VariantRefSchema.describe('Linear probe only (no FT).'),
        ft: VariantRefSchema.describe('Finetuning from a fresh head.'),
        lp_ft: VariantRefSchema.describe('Finetuning from a converged probe.'),
      })
      .optional()
      .describe("Claim (vi), Kumar et al.'s pattern: FT above LP in distribution and below it out of distribution; LP-FT above FT on both."),
  })
  .describe('Pre-registered claims of the suite version: which variants each claim compares.');
export type SuiteClaims = z.infer<typeof SuiteClaimsSchema>;
