#!/usr/bin/env bash
# IKEv2 fragmentation interop (RFC 7383; MS-IKEE 1.3.13, 2.2.11, 3.15): our engine (the ikex CLI) against strongSwan's
# charon, in two throw-away network namespaces (lib.sh lab_up), pre-shared keys.
#
#   sudo tests/interop/ikev2-fragmentation.sh <scenario> <path-to-ikex.dll>
#
# Both sides announce IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (charon: `fragmentation = yes`) and both limit
# fragments to 200-byte IP datagrams (charon: `fragment_size = 200`; ikex: `--fragment-size 200`), so the PSK
# IKE_AUTH request and response (~250-350 bytes) are each split into Encrypted Fragment payloads (SKF, type 53):
# charon's arrive fragmented at our engine, which must verify, decrypt and reassemble them, and ours arrive
# fragmented at charon, which must reassemble them.
#
# Scenarios:
#   v2-frag-sw-initiates      `ikex responder --fragment-size 200` in A (192.0.2.1); charon in B (192.0.2.2) initiates
#                             IKE_SA_INIT + IKE_AUTH (PSK), tunnel child 198.51.100.2/32 <=> .1/32, IKE
#                             aes256-sha256-modp2048 (AES-CBC + HMAC ICV over each fragment).
#   v2-frag-we-initiate       charon in B responds; `ikex initiate --ike-version 2 --fragment-size 200` from A.
#   v2-frag-sw-initiates-gcm  as above with IKE aes128gcm16-prfsha256-ecp256 (AEAD: the SKF header with Fragment
#   v2-frag-we-initiate-gcm   Number and Total Fragments is associated data).
# Asserts: both IKE_SA_INIT messages carried N(FRAG_SUP); charon split its IKE_AUTH message and reassembled ours
# (its log), we reassembled charon's and split ours (our log); the IKE SA is ESTABLISHED on both sides with the same
# SPIs, and our listing shows fragmentationSupported and fragmentationActive.
#
# As in ikev2-strongswan.sh, this kernel has no ESP: charon fails to install the CHILD_SA; the IKE SA stays up.
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl libcharon-extra-plugins.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" b/charon.log ikex.log ikex.out initiate.out sa-list.out

case "$scenario" in
  v2-frag-sw-initiates) role=sw suite=cbc ;;
  v2-frag-we-initiate) role=we suite=cbc ;;
  v2-frag-sw-initiates-gcm) role=sw suite=gcm ;;
  v2-frag-we-initiate-gcm) role=we suite=gcm ;;
  *) unknown_scenario "v2-frag-sw-initiates|v2-frag-we-initiate|v2-frag-sw-initiates-gcm|v2-frag-we-initiate-gcm" ;;
esac
if [ "$suite" = cbc ]; then
  proposal=aes256-sha256-modp2048 esp=aes256-sha256 our_cipher=AES-CBC-256
else
  proposal=aes128gcm16-prfsha256-ecp256 esp=aes128gcm16 our_cipher=AES-GCM-128
fi
frag_size=200
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout || fail "prerequisites missing (see above)"
check_ikex_dll

make_work ikev2-frag
lab_up "v2fr$$"
write_lab_psk

# --- strongSwan in B: fragmentation = yes, fragment_size = 200 (whole IP datagram) ---------------------------------
write_strongswan_conf "$work/b" no "$frag_size" "      cfg = 2
      knl = 2
      enc = 2
      net = 2"
# As responder charon refuses the child it cannot install, so its IKE_AUTH response is only IDr AUTH N(...) (~130
# bytes): a long FQDN identity (ID_FQDN, RFC 7296 §3.5) makes it big enough to need fragments too.
auth=$(swanctl_psk_auth) secrets=$(swanctl_psk_secrets "$psk")
if [ "$role" = we ]; then
  long_id=responder.with-a-deliberately-long-identity-so-that-its-ike-auth-response-needs-fragments.b.ike.test
  auth=${auth/id = 192.0.2.2/id = $long_id}
  secrets=${secrets/id-b = 192.0.2.2/id-b = $long_id}
fi
swanctl_conf fragmentation=yes proposals="$proposal" esp_proposals="$esp" auth="$auth" secrets="$secrets" >"$work/b/swanctl.conf"
start_charon_monitored "$NB" "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }

# --- the exchange -------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = sw ]; then
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 \
    --psk-file "$work/psk" --ike-version 2 --fragment-size "$frag_size"
  note "charon (B, fragment_size $frag_size) initiates IKEv2 to ikex responder (A, --fragment-size $frag_size)"
  sw_initiate "$work/b" t "$work/initiate.out"   # rc 1 expected: no ESP in this kernel (the IKE SA is checked below)
else
  note "ikex initiate --ike-version 2 --fragment-size $frag_size (A) to charon (B, fragment_size $frag_size)"
  ikex_initiate_v2 "$NA" "$dll" "$work/ikex.out" "$work/ikex.log" --psk-file "$work/psk" --fragment-size "$frag_size"
fi
sleep 1

# --- strongSwan's view -------------------------------------------------------------------------------------------
log=$work/b/charon.log
charon_ike_up "$work/monitor.out" 2
grep -q "authentication of '192.0.2.1' with pre-shared key successful" "$log" || fail "charon did not verify our PSK AUTH"
# MS-IKEE 2.2.11.1: the notify in both IKE_SA_INIT messages (charon names it FRAG_SUP).
[ "$(grep -cE '(parsed|generating) IKE_SA_INIT (request|response) 0 \[.*N\(FRAG_SUP\)' "$log" || true)" -ge 2 ] ||
  fail "IKEV2_FRAGMENTATION_SUPPORTED is missing from an IKE_SA_INIT message"
grep -oE '(parsed|generating) IKE_SA_INIT (request|response) 0 \[.*\]' "$log" | sed 's/^/   charon: /'
# charon fragmented its IKE_AUTH message...
grep -qE 'splitting IKE message (\([0-9]+ bytes\)|with length of [0-9]+ bytes) into [0-9]+ fragments' "$log" ||
  fail "charon did not split its IKE_AUTH message into fragments"
grep -oE 'splitting IKE message .* into [0-9]+ fragments' "$log" | sed 's/^/   charon: /'
grep -oE 'generating IKE_AUTH (request|response) 1 \[ EF\([0-9]+/[0-9]+\) \]' "$log" | sed 's/^/   charon: /' | head -n 8
# ...and reassembled ours.
grep -qE 'received fragment #[0-9]+ of [0-9]+, reassembl(ed|ing) fragmented IKE message' "$log" ||
  fail "charon did not reassemble our IKE_AUTH fragments"
grep -oE 'parsed IKE_AUTH (request|response) 1 \[ EF\([0-9]+/[0-9]+\) \]|received fragment #[0-9]+ of [0-9]+, (waiting for complete IKE message|reassembl(ed|ing) fragmented IKE message.*)' "$log" |
  sed 's/^/   charon: /' | head -n 12
grep -qE 'parsed IKE_AUTH (request|response) 1 \[ (IDi|IDr)' "$log" || fail "charon did not parse our reassembled IKE_AUTH message"
note "charon: $(grep -oE 'parsed IKE_AUTH (request|response) 1 \[ (IDi|IDr)[^]]*\]' "$log" | head -n 1) (our fragments, reassembled)"
note "charon: IKE SA ESTABLISHED, IKEv2, SPIs $spi_i/$spi_r"

# --- our view ------------------------------------------------------------------------------------------------------
grep -qE 'IKEv2#[0-9]+ IKEv2 fragmentation negotiated' "$work/ikex.log" || fail "ikex did not record fragmentation as negotiated"
grep -qE 'IKEv2#[0-9]+ IkeAuth (request|response) mid=1 reassembled from [0-9]+ fragments' "$work/ikex.log" ||
  fail "ikex did not reassemble charon's IKE_AUTH fragments"
grep -qE 'IKEv2#[0-9]+ IkeAuth (request|response) mid=1 \([0-9]+ bytes\) split into [0-9]+ fragments of at most 172 bytes' "$work/ikex.log" ||
  fail "ikex did not send its IKE_AUTH message in fragments of 200-byte datagrams (172-byte IKE messages)"
grep -oE 'IKEv2#[0-9]+ (IkeAuth .*(reassembled from|split into) [0-9]+ fragments[^(]*|IKE_SA_INIT done.*|IKE_SA_INIT from.*|established.*)' "$work/ikex.log" |
  sed 's/^/   ikex: /' | head -n 10
check_our_ikev2_sa "$role" "$ctl" "$work/sa-list.out" "$work/ikex.out"
grep -qi "\"cipherAlgorithm\":\"$our_cipher\"" <<<"$mm" || fail "ikex's IKEv2 SA does not use $our_cipher"
[ "$role" = sw ] || grep -qF "\"remoteFirstId\":\"$long_id\"" <<<"$mm" || fail "ikex's IKEv2 SA lacks charon's long identity (from the reassembled IDr)"
grep -qi '"fragmentationSupported":true' <<<"$mm" || fail "ikex's IKEv2 SA does not list fragmentationSupported"
grep -qi '"fragmentationActive":true' <<<"$mm" || fail "ikex's IKEv2 SA does not list fragmentationActive"
note "ikex: IKEv2 SA Established ($our_cipher), fragmentationSupported and fragmentationActive, SPIs match charon's ($spi_i/$spi_r)"
pass
