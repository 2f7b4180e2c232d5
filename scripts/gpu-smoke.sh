#!/usr/bin/env bash
# GPU smoke test for a machine with an NVIDIA GPU and no network, in under 5 minutes.
# Run it from a checkout whose node_modules is installed (npm ci, optional deps included: the
# webgpu packages carry their prebuilt dawn.node, nothing is downloaded):
#
#   scripts/gpu-smoke.sh [--out runs/gpu-smoke.json] [--debs DIR]
#
# --debs DIR   .deb files of the Vulkan/EGL loaders (libvulkan1 libegl1 libglvnd0 libopengl0 libgl1
#              libglx0 libgles2: `apt-get download` them where there is network) to unpack when
#              libvulkan.so.1 is missing; they are unpacked into a private prefix, not into /.
#
# Steps, each in its own process with a time limit (a crash is recorded, the rest still runs):
#   doctor    headprep doctor --json: nvidia-smi, Vulkan loader, ICD, driver capabilities, the
#             adapter Dawn returns, a timed webgpu cnn-digits step (first step apart), auto's pick
#   parity    tiny@1 + one digits-transfer@2 smoke cell on wasm, then on webgpu: reproduce-style
#             verdicts (every cell must be "within") and wall times
#   steps     ms/step of cnn-digits (batch 64) and resnet18-cifar (batch 32) on webgpu and on wasm,
#             one process each, the first step (shader compilation) reported apart
#   profile   per-kernel time of the cnn-digits and resnet18-cifar FT steps on webgpu (GPU
#             timestamps when Dawn allows them) and each convolution kernel timed alone, the
#             runner's Conv2DBackpropFilter next to tfjs's
# Writes one JSON object (--out, default runs/gpu-smoke.json) and prints a short summary.
set -uo pipefail
cd "$(dirname "$0")/.."

out=runs/gpu-smoke.json
debs=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --debs) debs=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "gpu-smoke.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

t_start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HEADPREP_CACHE_DIR=${HEADPREP_CACHE_DIR:-$work/cache}
export HEADPREP_CONFIG_DIR=${HEADPREP_CONFIG_DIR:-$work/config}

# The Vulkan loader: unpack carried .debs into a private prefix when the system has none.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  if [ -n "$debs" ] && ls "$debs"/*.deb >/dev/null 2>&1; then
    prefix=$work/gl
    mkdir -p "$prefix"
    for f in "$debs"/*.deb; do dpkg -x "$f" "$prefix"; done
    export LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu:$prefix/usr/lib/aarch64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "gpu-smoke: Vulkan/EGL loaders unpacked from $debs into $prefix" >&2
  else
    echo "gpu-smoke: libvulkan.so.1 not found and no --debs given: webgpu will find no hardware adapter" >&2
  fi
fi
# NVIDIA's ICD mounted outside the loader's default search path (common in GPU containers).
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/icd.d/nvidia_icd.json; do
  if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ] && ! ls /etc/vulkan/icd.d/*nvidia* /usr/share/vulkan/icd.d/*nvidia* >/dev/null 2>&1; then
    export VK_DRIVER_FILES=$icd
  fi
done
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$egl" ]; then export __EGL_VENDOR_LIBRARY_FILENAMES=$egl; fi

# step NAME SECONDS CMD...: runs CMD, keeps its last stdout line if it is JSON, else records the failure.
# The whole run stays under 5 minutes: each part gets at most what is left of BUDGET_S (default 280).
budget=${BUDGET_S:-280}
step() {
  local name=$1 limit=$2
  shift 2
  local t0 rc left
  left=$(( budget - ($(date +%s) - t_start) ))
  [ "$left" -lt "$limit" ] && limit=$left
  t0=$(date +%s.%N)
  if [ "$limit" -lt 5 ]; then
    : >"$work/$name.out"
    echo "skipped: the 5-minute budget is spent" >"$work/$name.err"
    rc=125
  else
    timeout --kill-after=5 "$limit" "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
  fi
  local secs
  secs=$(node -e 'console.log((Date.now() / 1000 - Number(process.argv[1])).toFixed(1))' "$t0")
  node -e '
    const fs = require("fs");
    const [name, rc, secs, outFile, errFile, dest] = process.argv.slice(1);
    const text = fs.readFileSync(outFile, "utf8").trim();
    let result = null;
    try { result = JSON.parse(text); } catch { try { result = JSON.parse(text.split("\n").at(-1)); } catch {} }
    const err = fs.readFileSync(errFile, "utf8").split("\n").filter((l) => l.trim() && !/^Warning: |^\s+at /.test(l)).slice(-5);
    const why = Number(rc) === 125 ? "skipped (the 5-minute budget was spent)" : Number(rc) === 124 || Number(rc) === 137 ? "timed out" : Number(rc) > 128 ? `crashed (signal ${Number(rc) - 128})` : Number(rc) ? `exit ${rc}` : null;
    fs.writeFileSync(dest, JSON.stringify({ name, ok: Number(rc) === 0 && result !== null, exit: Number(rc), failure: why, seconds: Number(secs), result, stderr_tail: err }));
  ' "$name" "$rc" "$secs" "$work/$name.out" "$work/$name.err" "$work/$name.json"
  echo "gpu-smoke: $name: exit $rc in $secs s" >&2
}

tsx=node_modules/.bin/tsx
step doctor 90 node bin/headprep.mjs doctor --json --seconds 2
step parity 120 "$tsx" scripts/gpu-smoke.ts parity
step cnn_webgpu 45 "$tsx" scripts/gpu-smoke.ts steps webgpu cnn-digits
step cnn_wasm 30 "$tsx" scripts/gpu-smoke.ts steps wasm cnn-digits
step resnet_webgpu 45 "$tsx" scripts/gpu-smoke.ts steps webgpu resnet18-cifar
step resnet_wasm 75 "$tsx" scripts/gpu-smoke.ts steps wasm resnet18-cifar
HEADPREP_DAWN_FLAGS=enable-dawn-features=allow_unsafe_apis step profile 60 "$tsx" scripts/gpu-smoke.ts profile cnn-digits
HEADPREP_DAWN_FLAGS=enable-dawn-features=allow_unsafe_apis step profile_resnet 60 "$tsx" scripts/gpu-smoke.ts profile resnet18-cifar

node -e '
  const fs = require("fs");
  const [dir, out, t0] = process.argv.slice(1);
  const parts = {};
  const names = ["doctor", "parity", "cnn_webgpu", "cnn_wasm", "resnet_webgpu", "resnet_wasm", "profile", "profile_resnet"];
  for (const n of names) {
    try { parts[n] = JSON.parse(fs.readFileSync(`${dir}/${n}.json`, "utf8")); } catch { parts[n] = { name: n, ok: false, failure: "no record" }; }
  }
  const r = (n) => parts[n].result ?? {};
  const step = (n) => { const s = r(n).step; return s ? { first_step_ms: s.first_step_ms, best_step_ms: s.best_step_ms, mean_step_ms: s.mean_step_ms, samples_per_sec: s.samples_per_sec, batch: s.batch, steps_timed: s.steps_timed } : { failed: parts[n].failure ?? "no result" }; };
  const summary = {
    adapter: r("cnn_webgpu").adapter ?? r("parity").adapter ?? null,
    auto: r("doctor").auto ?? null,
    parity: ["tiny@1", "digits-transfer@2 lp-ft smoke"].map((k) => ({ suite: k, ...(r("parity")[k] ?? {}) })),
    ms_per_step: {
      "cnn-digits": { webgpu: step("cnn_webgpu"), wasm: step("cnn_wasm") },
      "resnet18-cifar": { webgpu: step("resnet_webgpu"), wasm: step("resnet_wasm") },
    },
    top_kernels: { "cnn-digits": (r("profile").kernels ?? []).slice(0, 8), "resnet18-cifar": (r("profile_resnet").kernels ?? []).slice(0, 8) },
    conv_ops: { "cnn-digits": r("profile").conv_ops ?? null, "resnet18-cifar": r("profile_resnet").conv_ops ?? null },
  };
  const doc = { created_at: new Date().toISOString(), total_s: Math.round(Date.now() / 1000 - Number(t0)), summary, parts };
  fs.mkdirSync(require("path").dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
  console.log(JSON.stringify(summary, null, 2));
  const failed = Object.values(parts).filter((p) => !p.ok).map((p) => `${p.name} (${p.failure ?? "no JSON"})`);
  if (failed.length) console.error(`gpu-smoke: failed parts: ${failed.join(", ")}`);
  console.error(`gpu-smoke: ${out} written in ${doc.total_s} s`);
  process.exitCode = failed.length ? 1 : 0;
' "$work" "$out" "$t_start"
