#!/usr/bin/env bash
# Builds the site and serves it on 127.0.0.1:$1 for the Playwright tests, on a fresh embedded
# database of its own (so tests never touch a developer's .data/), seeded at server start by
# seed/load.ts from envelopes test/e2e/make-seed.ts signs with a throwaway reference key.
set -euo pipefail
port=${1:-3107}
# playwright.config.ts passes HEADPREP_DATA_DIR (and removes it afterwards); by hand, a fresh temp dir.
export HEADPREP_DATA_DIR=${HEADPREP_DATA_DIR:-$(mktemp -d /tmp/headprep-e2e-XXXXXX)}
unset DATABASE_URL POSTGRES_URL
seed_dir=${E2E_SEED_DIR:-.cache/e2e-seed}
rm -rf "$seed_dir"
npx tsx test/e2e/make-seed.ts "$seed_dir" 2> >(grep -v -e 'tfjs-node' -e 'TensorFlow.js in Node' -e '^=*$' -e '^$' >&2)
export HEADPREP_SEED_DIR="$seed_dir/envelopes"
export HEADPREP_SEED_PUBKEY="$seed_dir/reference-key.pub.pem"
# serve only once the whole seed is stored (a first start otherwise serves after 5 s, seed/README.md)
export HEADPREP_SEED_WAIT_S=${HEADPREP_SEED_WAIT_S:-600}
export ADMIN_TOKEN=${ADMIN_TOKEN:-e2e-admin-token}
export HEADPREP_SITE_URL="http://127.0.0.1:$port"
if [ "${E2E_SKIP_BUILD:-}" != "1" ]; then npx next build; fi
exec npx next start -p "$port" -H 127.0.0.1
