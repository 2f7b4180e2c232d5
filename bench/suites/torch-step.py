"""PyTorch peer of the runner's finetuning step (bench/suites/runner.bench.ts).

Same models as bench/suites/runner-train-step.ts (cnn-digits: conv5x5x16/2, conv3x3x32/2,
conv3x3x64/1, ReLU, global average pool, dense 64 ReLU; mlp-digits: 784-128-64 ReLU) plus a
10-way linear head, the same step work (cross-entropy, accuracy, head gradient norm, Nesterov SGD
momentum 0.9 with coupled L2 5e-4), one thread. Serves requests on stdin, one per line:
"<model> <batch> <max_seconds>", answering one JSON line each; the first line it prints is
{"torch": version} or {"error": why}.
"""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except Exception as e:  # noqa: BLE001 - report any import failure to the caller
    print(json.dumps({"error": f"PyTorch not importable: {e}"}), flush=True)
    sys.exit(0)

torch.set_num_threads(1)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)


def build(model):
    if model == "mlp-digits":
        backbone = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
    else:
        backbone = nn.Sequential(
            nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=1, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 64), nn.ReLU(),
        )
    return backbone, nn.Linear(64, 10)


def measure(model, batch, max_seconds):
    torch.manual_seed(0)
    backbone, head = build(model)
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=1e-3, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        q = head(backbone(x))
        loss = loss_fn(q, y)
        correct = (q.argmax(-1) == y).sum()
        loss.backward()
        gn = torch.sqrt(sum((p.grad ** 2).sum() for p in head.parameters()))
        opt.step()
        return loss.item(), correct.item(), gn.item()

    for _ in range(3):
        step()
    n = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    while n == 0 or time.perf_counter() - t0 < max_seconds:
        step()
        n += 1
    s = time.perf_counter() - t0
    # CPU seconds per wall second of this process: about 1 for a one-thread peer; more means a
    # library ran threads of its own (the caller pins OpenBLAS/OpenMP/MKL to one thread).
    cpu = (time.process_time() - c0) / s
    return {"samples_per_sec": n * batch / s, "step_time_ms": 1000 * s / n, "steps_timed": n, "cpu_per_wall": cpu}


for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    try:
        print(json.dumps(measure(parts[0], int(parts[1]), float(parts[2]))), flush=True)
    except Exception as e:  # noqa: BLE001 - a failed measurement is a result, not a crash
        print(json.dumps({"error": str(e)}), flush=True)
