export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One measured configuration: metric names carry their units (samples_per_sec, p95_ms, ratio). */
export interface BenchResult {
  name: string;
  params?: Record<string, string | number | boolean>;
  metrics: Record<string, number>;
  targets?: Record<string, Target>;
}

export interface BenchSuite {
  run(): Promise<BenchResult[]>;
}
