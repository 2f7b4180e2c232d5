/**
 * The command table the CLI dispatches on. Each entry names its verb and one-line summary here and
 * loads its module only when that verb runs: `headprep --help` reads no command module, and the
 * verbs that do not train (verify, report, submit, sign, keys) never load TensorFlow.js (the
 * CLI must start in under 1 s; bench/suites/cli-start.bench.ts measures it). The summaries must equal the
 * modules' own (test/runner/cli-lazy.test.ts checks both directions).
 */
import type { Command } from './types';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMAND_TABLE: CommandEntry[] = [
  { name: 'keys', summary: 'create, show, register or approve your signing key (Ed25519)', load: async () => (await import('./keys')).keysCommand },
  { name: 'submit', summary: 'sign and upload results to a site (retries, on-disk outbox, idempotent)', load: async () => (await import('./submit')).submitCommand },
  { name: 'verify', summary: 'check envelopes offline: signature over exact bytes, then the bundle schema', load: async () => (await import('./verify')).verifyCommand },
  { name: 'run', summary: 'run a suite or a single cell config and write result bundles', load: async () => (await import('./run')).runCommandDef },
  {
    name: 'report',
    summary: 'summarise result bundles: paired rankings (permutation max-T), the tau sweep, the pre-registered claims, Friedman/Nemenyi',
    load: async () => (await import('./report')).reportCommand,
  },
  {
    name: 'reproduce',
    summary: 'rerun a stored result and compare: exact, within tolerance, or differs (--submit signs and uploads it)',
    load: async () => (await import('./reproduce')).reproduceCommandDef,
  },
  { name: 'sign', summary: 'sign result bundles into DSSE envelopes with your key', load: async () => (await import('./sign')).signCommand },
  { name: 'suites', summary: 'list every published suite (and what each needs to run)', load: async () => (await import('./registries')).suitesCommand },
  { name: 'backbones', summary: 'list backbones, or pretrain one into the cache', load: async () => (await import('./registries')).backbonesCommand },
  { name: 'datasets', summary: 'list the registered datasets', load: async () => (await import('./registries')).datasetsCommand },
  {
    name: 'doctor',
    summary: 'check the backend (native TensorFlow / GPU, wasm SIMD and threads) and time a finetuning step',
    load: async () => (await import('./doctor')).doctorCommand,
  },
];
