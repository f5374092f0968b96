#!/usr/bin/env bash
# IKEv1 fragmentation interop (MS-IKEE 2.2.3, 3.3): our engine (the ikex CLI) against strongSwan's charon, in two
# throw-away network namespaces (lib.sh lab_up), RSA signatures over RSA-3072 certificates (lib.sh make_test_pki) so
# that Main Mode messages 5 and 6 (ID CERT SIG [CERTREQ]) are ~1.6 kB.
#
#   sudo tests/interop/ikev1-fragmentation.sh <scenario> <path-to-ikex.dll>
#
# charon runs with `fragmentation = force` and `fragment_size = 400`: it splits every message above 372 bytes (MM3/MM4
# with KE, nonce, NAT-D and CERTREQ; MM5/MM6) into IKEv1 Fragment payloads (type 132), which we must reassemble.
# Receiving a fragment sets our SA's "Fragmentation active" flag (MS-IKEE 3.3.5.3 note 18), and charon announced
# FRAGMENTATION, so our own message carrying ID (MM5 or MM6) goes out in fragments of at most 576-byte IPv4
# datagrams (3.3.6.1), which charon must reassemble. No CLI flag is involved: default engine options.
#
# Scenarios:
#   frag-sw-initiates-cert  `ikex responder` in A (192.0.2.1); charon in B (192.0.2.2) initiates Main Mode + a
#                           tunnel-mode Quick Mode (198.51.100.2/32 <=> 198.51.100.1/32).
#   frag-we-initiate-cert   charon in B responds; `ikex initiate` from A, same tunnel.
# Asserts: charon split messages ("splitting IKE message (N bytes) into M fragments") and we reassembled them (our
# "reassembled into a ...-byte IdentityProtection message"); we sent our ID message in fragments ("... as N
# fragments") and charon reassembled them ("received fragment #n, reassembled fragmented IKE message"), verified our
# RSA signature, and the IKE SA is ESTABLISHED on both sides with the same cookies.
#
# Like ikev1-strongswan.sh: this kernel has no ESP, so charon fails to install the CHILD_SA after Quick Mode went
# over the wire; its IKE SA stays ESTABLISHED. Only Main Mode and the fragmentation are judged here.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl strongswan-pki.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" b/charon.log ikex.log ikex.out initiate.out sa-list.out

case "$scenario" in
  frag-sw-initiates-cert) role=sw ;;
  frag-we-initiate-cert) role=we ;;
  *) unknown_scenario "frag-sw-initiates-cert|frag-we-initiate-cert" ;;
esac
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout pki || fail "prerequisites missing (see above)"
check_ikex_dll

make_work ikev1-frag
lab_up "ikf$$"
dn_a="C=XX, O=IkeExtensions, CN=a.ike.test" dn_b="C=XX, O=IkeExtensions, CN=b.ike.test"
note "generating a throw-away CA and RSA-3072 certificates for A (us) and B (charon)"
make_test_pki "$work/pki" 3072 || fail "pki could not generate the test certificates"
ours=(--cert "$work/pki/a.pem" --key "$work/pki/a.key" --ca "$work/pki/ca.pem")
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":0}]}
EOF

# --- strongSwan in B: fragmentation = force, fragment_size = 400 (whole IP datagram) -----------------------------
write_strongswan_conf "$work/b" no 400 "      cfg = 2
      knl = 2
      enc = 2
      net = 2"
install_charon_cert "$work/b" "$work/pki"
swanctl_conf version=1 fragmentation=force auth="$(swanctl_cert_auth "$dn_b" "$dn_a")" >"$work/b/swanctl.conf"
start_charon_monitored "$NB" "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }

# --- the exchange -------------------------------------------------------------------------------------------------
if [ "$role" = sw ]; then
  ctl=$work/ikex.ctl
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" \
    --verbose --address 192.0.2.1 "${ours[@]}" --policy "$work/policy.json"
  note "charon (B, fragmentation = force) initiates to ikex responder (A)"
  sw_initiate "$work/b" t "$work/initiate.out"
else
  note "ikex initiate (A) to charon (B, fragmentation = force)"
  args=(--address 192.0.2.1 --peer 192.0.2.2 "${ours[@]}" --policy "$work/policy.json" --mode tunnel
        --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 --timeout 20 --json --verbose)
  rc=0; timeout 60 ip netns exec "$NA" dotnet "$dll" initiate "${args[@]}" >"$work/ikex.out" 2>"$work/ikex.log" || rc=$?
  note "ikex initiate rc=$rc"
  [ "$rc" = 0 ] || fail "ikex initiate exited $rc"
fi
sleep 1

# --- strongSwan's view -------------------------------------------------------------------------------------------
log=$work/b/charon.log
charon_ike_up "$work/monitor.out" 1
note "charon: IKE SA ESTABLISHED, IKEv1, cookies $spi_i/$spi_r"
grep -qF "authentication of '$dn_a' with RSA_EMSA_PKCS1_NULL successful" "$log" || fail "charon did not verify our RSA signature"
# charon fragmented its own messages (MM3/MM4 and MM5/MM6 are above 372 bytes)...
splits=$(grep -cE 'splitting IKE message (\([0-9]+ bytes\)|with length of [0-9]+ bytes) into [0-9]+ fragments' "$log" || true)
[ "$splits" -ge 2 ] || fail "charon split fewer than 2 messages into fragments ($splits)"
grep -oE 'splitting IKE message .* into [0-9]+ fragments' "$log" | sed 's/^/   charon: /'
# ...and reassembled ours.
grep -q 'received fragment #1, waiting for complete IKE message' "$log" || fail "charon received no fragment #1 from us"
# 5.9.8 logs "reassembled fragmented IKE message (N bytes)", later versions "reassembling fragmented IKE message".
grep -qE 'received fragment #[0-9]+, reassembl(ed|ing) fragmented IKE message' "$log" || fail "charon did not reassemble our fragments"
grep -oE 'received fragment #[0-9]+, (waiting for complete IKE message|reassembl(ed|ing) fragmented IKE message.*)' "$log" | sed 's/^/   charon: /'
grep -qE 'parsed ID_PROT (request|response) 0 \[ ID CERT SIG' "$log" || fail "charon did not parse our reassembled ID CERT SIG message"
note "charon: $(grep -oE 'parsed ID_PROT (request|response) 0 \[ ID CERT SIG[^]]*\]' "$log" | head -n 1) (our fragments, reassembled)"

# --- our view ------------------------------------------------------------------------------------------------------
grep -qE 'reassembled into a [0-9]+-byte IdentityProtection message' "$work/ikex.log" || fail "ikex did not reassemble charon's fragments"
grep -oE 'fragment ID [0-9]+ from [^ ]+ reassembled into a [0-9]+-byte IdentityProtection message' "$work/ikex.log" | sed 's/^/   ikex: /'
grep -qE 'as [0-9]+ fragments of at most 576-byte datagrams, fragment ID [0-9]+ \(fragmentation active\)' "$work/ikex.log" ||
  fail "ikex did not send its ID message in fragments of 576-byte datagrams"
grep -oE '(sending|retransmitting) IdentityProtection message \([0-9]+ bytes\) as [0-9]+ fragments.*' "$work/ikex.log" | sed 's/^/   ikex: /'
if [ "$role" = sw ]; then
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  mm=$(tr -d ' \n' <"$work/sa-list.out" | grep -o '"mainModeSas":\[.*\],"quickModeSas"' || true)
  grep -qi '"State":"Established"' <<<"$mm" || fail "our responder has no Established Main Mode SA"
  grep -qi "$spi_i" <<<"$mm" && grep -qi "$spi_r" <<<"$mm" || fail "our MM SA cookies differ from charon's ($spi_i/$spi_r)"
else
  json=$(tr -d ' \n' <"$work/ikex.out")
  mm=$(grep -o '"mainModeSa":{[^}]*}' <<<"$json" || true)
  grep -qi '"state":"Established"' <<<"$mm" || fail "ikex initiate --json shows no Established Main Mode SA"
  grep -qi "\"initiatorCookie\":\"$spi_i\"" <<<"$mm" && grep -qi "\"responderCookie\":\"$spi_r\"" <<<"$mm" ||
    fail "ikex's Main Mode SA cookies differ from charon's ($spi_i/$spi_r)"
fi
grep -qi '"authenticationMethod":"RsaSignatures"' <<<"$mm" || fail "our Main Mode SA did not use RSA signatures"
note "ikex: Main Mode SA Established with RsaSignatures, cookies match charon's ($spi_i/$spi_r)"
pass
