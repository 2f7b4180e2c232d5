// Lists the WebGPU adapters Dawn (npm `webgpu`) returns, in a child process, so that a native
// crash in a GPU driver ends this process and never the caller (runner/train/webgpu.ts: `auto`'s
// probe; runner/commands/doctor.ts). Plain ESM without the tsx loader: it starts in ~0.1 s.
// Usage: node webgpu-probe.mjs '<JSON array of {api, flags, featureLevel}>'
// Prints one JSON line: [{ api, flags, featureLevel, adapter: {vendor, architecture, device,
// description, isFallbackAdapter} | null, error?: string }, ...].
const attempts = JSON.parse(process.argv[2] ?? '[]');
const results = [];
let create;
try {
  ({ create } = await import('webgpu'));
} catch (e) {
  process.stdout.write(`${JSON.stringify(attempts.map((a) => ({ ...a, adapter: null, error: `npm package "webgpu" did not load: ${String(e.message).split('\n')[0]}` })))}\n`);
  process.exit(0);
}
for (const a of attempts) {
  try {
    if (a.flags.includes('backend=opengl') && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
    const gpu = create(a.flags);
    const adapter = await gpu.requestAdapter({ featureLevel: a.featureLevel, powerPreference: 'high-performance' });
    const i = adapter?.info;
    results.push({
      ...a,
      adapter: adapter
        ? { vendor: i?.vendor ?? '', architecture: i?.architecture ?? '', device: i?.device ?? '', description: i?.description ?? '', isFallbackAdapter: Boolean(i?.isFallbackAdapter ?? adapter.isFallbackAdapter) }
        : null,
    });
  } catch (e) {
    results.push({ ...a, adapter: null, error: String(e?.message ?? e).split('\n')[0] });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
