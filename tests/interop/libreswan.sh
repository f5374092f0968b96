#!/usr/bin/env bash
# Interop with libreswan's pluto (Debian 12: libreswan 4.10), IKEv1 and IKEv2, PSK, in two throw-away network
# namespaces: A (192.0.2.1) runs our engine (the ikex CLI), B (192.0.2.2) runs pluto.
#
#   sudo tests/interop/libreswan.sh <scenario> <path-to-ikex.dll>
#
# Scenarios:
#   lsw-v1-initiates-psk    `ikex responder` in A; pluto (conn ikev2=no) initiates Main Mode (PSK, ID_IPV4_ADDR,
#                           aes256-sha2_256;modp2048) and a tunnel-mode Quick Mode 198.51.100.2/32 <=> .1/32
#                           (ESP aes256-sha2_256, PFS MODP2048, pluto's default).
#   lsw-v1-we-initiate-psk  pluto responds; `ikex initiate` (IKEv1) from A, same Main Mode and Quick Mode.
#   lsw-v2-initiates-psk    as lsw-v1-initiates-psk with IKEv2 (conn ikev2=yes): IKE_SA_INIT + IKE_AUTH with the child.
#   lsw-v2-we-initiate-psk  pluto responds; `ikex initiate --ike-version 2` from A.
#
# This kernel has no ESP (nor AH), and pluto has no kernel-less mode (protostack is xfrm only; no impair skips the SA
# install). pluto installs its inbound IPsec SA before it sends the Quick Mode / IKE_AUTH message that completes the
# child, so the child cannot complete on either side, and each scenario asserts how far it gets:
#   - IKEv1: Main Mode ESTABLISHED on both sides with the same cookies. Quick Mode: pluto accepted our QM message
#     (it derived the keys and tried to add the SA whose SPI is ours, or answered the msgid we sent), then its kernel
#     refused the SA ("Protocol not supported") and it sends nothing more; our Quick Mode SA is not established.
#     Deletes both ways: pluto honours our ISAKMP Delete; `whack --terminate` makes pluto send one, and ours goes.
#   - IKEv2: the IKE SA ESTABLISHED on both sides with the same SPIs. As initiator pluto then deletes its IKE SA without
#     a notification (fatal child error); as responder it answers IKE_AUTH with TS_UNACCEPTABLE for the child and keeps
#     the IKE SA, which then accepts and decrypts our INFORMATIONAL Delete.
# pluto runs with `--impair revival` so that it does not re-initiate the connection after a failure.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, libnss3-tools, libreswan unpacked in $LIBRESWAN_ROOT (default /opt/libreswan;
# .ci/run does it: Debian's libreswan conflicts with strongswan-charon).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=libreswan-lib.sh
. "$here/libreswan-lib.sh"   # and lib.sh

lsw_begin "${1:-}" "${2:-}" b/pluto.log ikex.log ikex.out initiate.out showstates.out sa-list.out terminate.out

# --- arguments and prerequisites ----------------------------------------------------------------------------------
case "$scenario" in
  lsw-v1-initiates-psk) ver=1 role=lsw ;;
  lsw-v1-we-initiate-psk) ver=1 role=we ;;
  lsw-v2-initiates-psk) ver=2 role=lsw ;;
  lsw-v2-we-initiate-psk) ver=2 role=we ;;
  *) echo "usage: $0 lsw-v1-initiates-psk|lsw-v1-we-initiate-psk|lsw-v2-initiates-psk|lsw-v2-we-initiate-psk <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
need_tools ip unshare ss dotnet timeout || fail "prerequisites missing (see above)"
need_libreswan || fail "libreswan prerequisites missing (see above)"
[ -f "$dll" ] || fail "ikex.dll not found at '$dll'"
dll=$(realpath "$dll")

work=$(mktemp -d /tmp/lsw-interop.XXXXXX)
mkdir -p "$work/b"
lab_up "lsw$$"                      # unique per run: namespaces lsw<pid>-a / lsw<pid>-b
psk=interop-lab-psk-not-a-secret
printf '%s' "$psk" >"$work/psk"
# IKEv1 policy for ikex: pluto's ike= and esp= below, with pluto's default PFS (the IKE group) in Quick Mode.
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":14}]}
EOF
ours=(--psk-file "$work/psk")
[ "$ver" = 1 ] && ours+=(--policy "$work/policy.json")

# --- pluto in B ---------------------------------------------------------------------------------------------------
b=$work/b
write_pluto_setup "$b" >/dev/null
cat >>"$b/ipsec.conf" <<EOF
conn c
  ikev2=$([ "$ver" = 1 ] && echo no || echo yes)
  authby=secret
  type=tunnel
  left=192.0.2.2
  leftsubnet=198.51.100.2/32
  right=192.0.2.1
  rightsubnet=198.51.100.1/32
  ike=aes256-sha2_256;modp2048
  esp=aes256-sha2_256
  auto=add
EOF
write_pluto_psk_secrets "$b" 192.0.2.2 192.0.2.1 "$psk"
start_pluto "$NB" "$b" c --impair revival || fail "pluto did not start"
note "pluto $("$LSW_LIBEXEC/ipsec/pluto" --version 2>&1 | head -n 1 | cut -d' ' -f1-2) in $NB, conn c (IKEv$ver, PSK)"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
dlog=$b/pluto-debug.log
plog() { grep -v ': |' "$dlog"; }   # pluto's non-debug lines

# --- the exchange -------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = lsw ]; then
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 "${ours[@]}"
  note "pluto (B) initiates IKEv$ver to ikex responder (A)"
  # A non-zero rc is expected: pluto cannot install the child in this kernel (checked below).
  rc=0; timeout 60 ip netns exec "$NB" "$LSW_LIBEXEC/ipsec/whack" --rundir "$b/run" --initiate --name c >"$work/initiate.out" 2>&1 || rc=$?
  note "whack --initiate rc=$rc"; sed 's/^/   /' "$work/initiate.out"
  sleep 1
  whack "$NB" "$b" --showstates >"$work/showstates.out" 2>&1 || true
else
  note "ikex initiate --ike-version $ver (A) to pluto (B), tunnel mode"
  # ikex waits for the child until --timeout (IKEv1: pluto never answers our QM1) or gets TS_UNACCEPTABLE (IKEv2), then
  # prints the established IKE SA (--json) and keeps it for --hold seconds, so that pluto's view can be read meanwhile.
  ip netns exec "$NA" dotnet "$dll" initiate --ike-version "$ver" --address 192.0.2.1 --peer 192.0.2.2 "${ours[@]}" \
    --mode tunnel --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 --timeout 8 --hold 3 --json --verbose \
    >"$work/ikex.out" 2>"$work/ikex.log" &
  ikex_pid=$!; pids+=("$ikex_pid")
  want=$([ "$ver" = 1 ] && echo 'STATE_MAIN_R3 \(IKE SA established\)' || echo 'STATE_V2_ESTABLISHED_IKE_SA')
  wait_pluto_showstates "$NB" "$b" "$work/showstates.out" "\"c\":500 $want"
  rc=0; wait "$ikex_pid" || rc=$?
  note "ikex initiate rc=$rc ($(grep -m1 'ikex initiate:' "$work/ikex.log" || echo ok))"
  sed 's/^/   /' "$work/ikex.out"
  sleep 1   # our Delete (sent when ikex exits) reaches pluto
fi

# --- pluto's view --------------------------------------------------------------------------------------------------
note "pluto: whack --showstates:$([ -s "$work/showstates.out" ] || echo ' (none left)')"; sed 's/^/   /' "$work/showstates.out"
if [ "$ver" = 1 ]; then
  st=$(pluto_state_of "$b" c 'IKE SA established \{auth=PRESHARED_KEY cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048\}')
  [ -n "$st" ] || fail "pluto never established the Main Mode SA (aes256/sha2_256/modp2048, PSK)"
  plog | grep -qF "\"c\" #$st: Peer ID is ID_IPV4_ADDR: '192.0.2.1'" || fail "pluto did not authenticate us as ID_IPV4_ADDR 192.0.2.1"
  mm_state=$([ "$role" = lsw ] && echo STATE_MAIN_I4 || echo STATE_MAIN_R3)
  grep -qE "#$st: \"c\":500 $mm_state \(IKE SA established\)" "$work/showstates.out" ||
    fail "whack --showstates does not list #$st in $mm_state (IKE SA established)"
else
  if [ "$role" = lsw ]; then pat='initiator established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR .192\.0\.2\.1.'
  else pat='responder established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR .192\.0\.2\.1.'; fi
  st=$(pluto_state_of "$b" c "$pat")
  [ -n "$st" ] || fail "pluto never established the IKEv2 SA authenticating us by PSK as ID_IPV4_ADDR 192.0.2.1"
  plog | grep -qE "\"c\" #$st: sent IKE_(SA_INIT reply|AUTH request) \{cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048\}" ||
    fail "pluto's IKEv2 SA #$st does not use AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA2_256/MODP2048"
  if [ "$role" = we ]; then   # as responder pluto keeps the IKE SA after refusing the child: it is listed
    grep -qE "#$st: \"c\":500 STATE_V2_ESTABLISHED_IKE_SA" "$work/showstates.out" ||
      fail "whack --showstates does not list #$st in STATE_V2_ESTABLISHED_IKE_SA"
  fi
fi
read -r spi_i spi_r <<<"$(pluto_ike_spis "$b" c "$st")"
[ -n "${spi_r:-}" ] || fail "no IKE SPIs for pluto's state #$st in its debug log"
note "pluto: #$st $(plog | grep -oE "\"c\" #$st: (IKE SA established|(initiator|responder) established IKE SA).*" | head -n 1 | cut -d' ' -f3-), SPIs $spi_i/$spi_r"
# The child: pluto selected it and derived its keys, then the kernel refused the SA (no ESP here).
addsa=$(plog | grep -oE 'netlink response for Add SA esp\.[0-9a-f]{1,8}@192\.0\.2\.1: Protocol not supported' | head -n 1 || true)
[ -n "$addsa" ] || fail "pluto never got as far as installing the child SA towards us"
# pluto prints the SPI without leading zeros (esp.3ba7f26); ikex prints all 8 hex digits.
child_spi=$(printf '%08x' "0x$(grep -oE 'esp\.[0-9a-f]{1,8}' <<<"$addsa" | cut -d. -f2)")
sel=$(plog | grep -oE '"c" #[0-9]+: (initiating Quick Mode|responding to Quick Mode proposal|proposal 1:ESP).*' | head -n 1 || true)
[ -n "$sel" ] && note "pluto: $sel"
note "pluto: $addsa (no ESP in this kernel: expected): SA towards us, SPI $child_spi"
if [ "$ver" = 2 ] && [ "$role" = lsw ]; then
  plog | grep -qE "\"c\" #$st: deleting state \(STATE_V2_ESTABLISHED_IKE_SA\)" && note "pluto: then deleted IKE SA #$st without a notification (its child failed)"
fi

# --- our view ------------------------------------------------------------------------------------------------------
if [ "$role" = lsw ]; then
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  json=$(tr -d ' \n' <"$work/sa-list.out")
  mms=$(grep -o '"mainModeSas":\[.*\],"quickModeSas"' <<<"$json" || true)
  qms=$(grep -o '"quickModeSas":\[.*\]' <<<"$json" || true)
  # The SA whose cookies/SPIs are pluto's (IKEv2 rows carry them in the same fields).
  mm=$(grep -oiE "\{[^{}]*\"initiatorCookie\":\"$spi_i\",\"responderCookie\":\"$spi_r\"[^{}]*\}" <<<"$mms" | head -n 1 || true)
  [ -n "$mm" ] || fail "ikex lists no SA with pluto's SPIs $spi_i/$spi_r"
  child=$(grep -oiE "\{[^{}]*\"inboundSpi\":\"0*$(sed 's/^0*//' <<<"$child_spi")\"[^{}]*\}" <<<"$qms" | head -n 1 || true)
  [ -n "$child" ] || fail "ikex lists no child/Quick Mode SA with inbound SPI $child_spi (the SA pluto tried to add)"
  if [ "$ver" = 1 ]; then
    # pluto (QM initiator) never sends QM3 after its kernel refused the SA: ours must not be established.
    grep -qi '"state":"Established"' <<<"$child" && fail "our Quick Mode SA is Established although QM3 never came"
    note "ikex: Quick Mode SA inbound SPI $child_spi $(grep -oiE '"state":"[A-Za-z]*"' <<<"$child") (no QM3 from pluto: expected)"
    # RFC 2408 §3.15 / RFC 2409 §5.7: pluto's ISAKMP Delete (sent when the connection is terminated) removes our SA.
    whack "$NB" "$b" --terminate --name c >"$work/terminate.out" 2>&1 || true
    grep -qF "\"c\" #$st: deleting state (STATE_MAIN_I4) aged" "$work/terminate.out" && grep -q 'and sending notification' "$work/terminate.out" ||
      fail "pluto did not delete #$st with a notification on --terminate"
    mm_id=$(grep -oE 'MM#[0-9]+ established with 192\.0\.2\.2' "$work/ikex.log" | head -n 1 | grep -oE '[0-9]+' | head -n 1)
    for i in $(seq 1 50); do grep -q "MM#$mm_id deleted: deleted by peer" "$work/ikex.log" && break; sleep 0.1; done
    grep -q "MM#$mm_id deleted: deleted by peer" "$work/ikex.log" || fail "ikex did not delete MM#$mm_id on pluto's Delete"
    note "pluto: whack --terminate sent a Delete for #$st; ikex: $(grep -m1 -o "MM#$mm_id deleted: deleted by peer" "$work/ikex.log")"
  else
    # IKEv2 responder: the child is established when we send the IKE_AUTH response (RFC 7296 §1.2).
    grep -qi '"state":"Established"' <<<"$child" || fail "our child SA (inbound SPI $child_spi) is not Established"
    note "ikex: child SA Established, inbound SPI $child_spi = the SA pluto tried to install"
  fi
else
  json=$(tr -d ' \n' <"$work/ikex.out")
  mm=$(grep -o '"mainModeSa":{[^}]*}' <<<"$json" || true)
  grep -qi "\"initiatorCookie\":\"$spi_i\"" <<<"$mm" && grep -qi "\"responderCookie\":\"$spi_r\"" <<<"$mm" ||
    fail "ikex initiate --json shows no SA with pluto's SPIs $spi_i/$spi_r"
  [ "$rc" = 1 ] || fail "ikex initiate exited $rc, want 1 (the child cannot complete)"
  if [ "$ver" = 1 ]; then
    # pluto answered our QM1 (its msgid is ours), then its kernel refused the SA and it sent no QM2.
    mid=$(grep -oE 'QM#[0-9]+ initiating Quick Mode \(Tunnel\) on MM#[0-9]+, mid [0-9a-f]{1,8}' "$work/ikex.log" | grep -oE '[0-9a-f]+$' | head -n 1)
    # Compared without leading zeros: either side may drop them.
    [ -n "$mid" ] && plog | grep -qE "\"c\" #[0-9]+: responding to Quick Mode proposal \{msgid:0*$(sed 's/^0*//' <<<"$mid")\}" ||
      fail "pluto did not accept our Quick Mode message (msgid ${mid:-?})"
    note "pluto: accepted our QM1 (msgid $mid); ikex: $(grep -m1 -o 'no Quick Mode SA within.*' "$work/ikex.log" || true)"
    # After ikex exits it deletes its Main Mode SA: pluto decrypts and honours the Delete.
    plog | grep -qF "\"c\" #$st: received Delete SA payload: self-deleting ISAKMP State #$st" ||
      fail "pluto did not process our ISAKMP Delete for #$st"
    note "pluto: received our Delete: self-deleting ISAKMP State #$st"
  else
    grep -q 'the peer refused the child SA: TS_UNACCEPTABLE' "$work/ikex.log" || fail "ikex did not see pluto refuse the child"
    note "ikex: $(grep -m1 -oE 'CHILD#[0-9]+ failed: .*' "$work/ikex.log")"
    grep -qE "\| #$st ikev2 ISAKMP_v2_INFORMATIONAL decrypt success" "$dlog" && grep -A3 -E "\| #$st ikev2 ISAKMP_v2_INFORMATIONAL decrypt success" "$dlog" | grep -q 'parse IKEv2 Delete Payload' ||
      fail "pluto did not decrypt our INFORMATIONAL Delete for #$st"
    note "pluto: decrypted our INFORMATIONAL with the Delete of IKE SA #$st"
  fi
fi
grep -qi '"state":"Established"' <<<"$mm" || fail "our IKE/Main Mode SA with SPIs $spi_i/$spi_r is not Established"
grep -qi "\"keyModule\":\"IKEv$ver\"" <<<"$mm" || fail "our SA is not an IKEv$ver SA"
grep -qi '"cipherAlgorithm":"AES-CBC-256"' <<<"$mm" && grep -qi '"groupId":14' <<<"$mm" || fail "our SA does not use AES-CBC-256 / group 14"
grep -qi '"authenticationMethod":"PreSharedKey"' <<<"$mm" || fail "our SA did not use the pre-shared key"
grep -qi '"remoteFirstId":"192.0.2.2"' <<<"$mm" || fail "our SA's peer identity is not 192.0.2.2"
grep -E '(MM|QM|IKEv2|CHILD)#[0-9]+ (established|initiating|responding|IKE_SA_INIT|failed)' "$work/ikex.log" | sed 's/^/   ikex: /'
note "ikex: IKEv$ver SA Established, AES-CBC-256, group 14, PSK, SPIs match pluto's ($spi_i/$spi_r)"
pass
