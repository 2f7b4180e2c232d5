#!/usr/bin/env bash
# Signs a HeadPrep result bundle into a DSSE v1 envelope with nothing but openssl 3, base64,
# sha256sum, wc and printf: the worked example of docs/signing.md.
#
#   usage: sign-with-openssl.sh <bundle.json> [key.pem] > envelope.json
#
# Creates key.pem (Ed25519, mode 0600) when it does not exist. Prints the key id and the raw
# public key (base64) on stderr.
set -euo pipefail
BUNDLE=${1:?usage: sign-with-openssl.sh <bundle.json> [key.pem]}
KEY=${2:-key.pem}
TYPE='application/vnd.headprep.result+json'
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. an Ed25519 key pair
if [ ! -f "$KEY" ]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$KEY")
fi
# 2. the raw 32-byte public key is the tail of the DER SubjectPublicKeyInfo; key id = sha256(raw)
openssl pkey -in "$KEY" -pubout -outform DER | tail -c 32 > "$WORK/pub.raw"
KEYID=$(sha256sum "$WORK/pub.raw" | cut -d' ' -f1)
echo "key id:     $KEYID" >&2
echo "public key: $(base64 -w0 "$WORK/pub.raw")" >&2
# 3. DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body (byte lengths)
printf 'DSSEv1 %d %s %d ' "${#TYPE}" "$TYPE" "$(wc -c < "$BUNDLE")" > "$WORK/pae.bin"
cat "$BUNDLE" >> "$WORK/pae.bin"
# 4. pure Ed25519 signature over the PAE bytes (-rawin: no pre-hashing)
openssl pkeyutl -sign -inkey "$KEY" -rawin -in "$WORK/pae.bin" -out "$WORK/sig.bin"
# 5. the envelope: payload is base64 of the EXACT bundle bytes
printf '{"payload":"%s","payloadType":"%s","signatures":[{"keyid":"%s","sig":"%s"}]}\n' \
  "$(base64 -w0 "$BUNDLE")" "$TYPE" "$KEYID" "$(base64 -w0 "$WORK/sig.bin")"
