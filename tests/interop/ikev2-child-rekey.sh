#!/usr/bin/env bash
# IKEv2 CHILD SA rekeying interop (RFC 7296 §1.3.3, §2.8): our engine (`ikex responder`; in one scenario `ikex
# initiate`) against strongSwan's charon,
# in two throw-away network namespaces (lab prefix v2crk, lib.sh lab_up: A 192.0.2.1, B 192.0.2.2, no NAT).
#
#   sudo tests/interop/ikev2-child-rekey.sh <scenario> <path-to-ikex.dll>
#
# charon (B) runs with kernel-libipsec (userspace ESP), so — unlike kernel-netlink on this kernel without ESP — it
# installs the tunnel-mode child it negotiates (198.51.100.2/32 <=> 198.51.100.1/32, ESP aes256-sha256) and keeps it.
# kernel-libipsec only does UDP-encapsulated ESP and fakes NAT-D to force it: IKE floats to port 4500 (RFC 7296 §2.23),
# which our responder follows. charon initiates IKE_SA_INIT + IKE_AUTH (PSK, aes256-sha256-modp2048) to `ikex
# responder` in A; then:
#   v2-sw-rekeys-child  `swanctl --rekey --child t`: charon sends CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, TSi, TSr} on the
#                       IKE SA, we answer and keep the old child until charon deletes it (INFORMATIONAL [ D ]).
#   v2-we-rekey-child   our policy file gives the child a 30 s lifetime: at its soft lifetime (~90 %, less jitter) we
#                       send CREATE_CHILD_SA with REKEY_SA to charon and delete the old child ourselves.
#   v2-child-rekey-both both on one child: charon rekeys it first, then we rekey the child charon's rekey made.
#   v2-we-initiate-child-rekey-both
#                       the roles turned round: `ikex initiate --ike-version 2 --encap --policy` (30 s child lifetime,
#                       holding the SAs 60 s) establishes IKE + child with charon, which responds; charon then rekeys the
#                       child, and we rekey the child charon made at its soft lifetime. `ikex initiate` has no control
#                       socket, so our side is read from its --verbose log (children established and not deleted).
#   v2-sw-rekeys-child-pfs, v2-we-rekey-child-pfs
#                       the same with PFS (§1.3.3: "[KEi]"): ESP aes256-sha256-modp2048 on both sides, so the rekey
#                       carries a fresh Diffie-Hellman exchange (KE in request and response) and the new child's keys
#                       come from g^ir (new) as well (§2.17); charon lists the child with MODP_2048.
# Each asserts: charon's `swanctl --list-sas` and our `ikex sa list` (or log) show exactly one established child, with the same
# new SPIs on both sides (our inbound = charon's outbound and vice versa), none of the first child's SPIs anywhere, all
# on the same IKE SA (unchanged IKE SPIs, one IKE SA each); and both logs show the rekey exchange and the old child's
# deletion.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl, libcharon-extra-plugins
# (kernel-libipsec), /dev/net/tun.
set -euo pipefail

scenario=${1:-} dll=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

pids=() work="" ikex_pid=""
scenario_harness 80 b/charon.log ikex.log ikex.out initiate.out rekey.out list-sas.out sa-list.out

pfs="" init=sw
case "$scenario" in
  v2-sw-rekeys-child) who=sw ;;
  v2-we-rekey-child) who=we ;;
  v2-child-rekey-both) who="sw we" ;;
  v2-we-initiate-child-rekey-both) who="sw we" init=we ;;
  v2-sw-rekeys-child-pfs) who=sw pfs=1 ;;
  v2-we-rekey-child-pfs) who=we pfs=1 ;;
  *) echo "usage: $0 v2-sw-rekeys-child[-pfs]|v2-we-rekey-child[-pfs]|v2-child-rekey-both|v2-we-initiate-child-rekey-both <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout || fail "prerequisites missing (see above)"
[ -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || fail "kernel-libipsec plugin missing (apt-get install libcharon-extra-plugins)"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing (kernel-libipsec needs a TUN device)"
check_ikex_dll
make_work ikev2-child-rekey
lab_up "v2crk$$"
write_lab_psk

# Our policy: IKE aes256/sha256/group 14, ESP aes256/sha256 without PFS, or with group 14 for -pfs (as charon's
# esp_proposals); a 30 s child lifetime when we are to rekey (soft lifetime ~24-27 s), one hour otherwise.
child_lifetime=3600 pfs_group=0 esp=aes256-sha256 esp_name=AES_CBC-256/HMAC_SHA2_256_128 ke=""
[[ " $who " == *" we "* ]] && child_lifetime=30
[ -n "$pfs" ] && pfs_group=14 esp=aes256-sha256-modp2048 esp_name=AES_CBC-256/HMAC_SHA2_256_128/MODP_2048 ke=" KE"
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14,"lifetimeSeconds":3600}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":$pfs_group,"lifetimeSeconds":$child_lifetime}],
 "allowTransport":true,"allowTunnel":true}
EOF

write_strongswan_conf "$work/b" yes 1280 "      cfg = 1
      knl = 2
      chd = 2
      enc = 2"
swanctl_conf esp_proposals="$esp" secrets="$(swanctl_psk_secrets "$psk")" >"$work/b/swanctl.conf"
start_charon "$NB" "$work/b" || fail "charon did not start"
start_sa_monitor "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
ctl=$work/ikex.ctl
log=$work/b/charon.log

# sw_view: "IKESPIi IKESPIr IKECOUNT CHILDCOUNT IN OUT" from charon's listing of c (IN/OUT: its one INSTALLED child's
# SPIs, or "-" unless there is exactly one child).
sw_view() {
  local ike n_ike n_child in out
  sw "$work/b" --list-sas --ike c >"$work/list-sas.out" 2>&1 || true
  ike=$(grep -oE 'ESTABLISHED, IKEv2, [0-9a-f]+_i\*? [0-9a-f]+_r\*?' "$work/list-sas.out" | head -n 1 |
        sed -E 's/ESTABLISHED, IKEv2, ([0-9a-f]+)_i\*? ([0-9a-f]+)_r\*?/\1 \2/')
  n_ike=$(grep -c '^c: #' "$work/list-sas.out" || true)
  n_child=$(grep -cE '^ +t: #' "$work/list-sas.out" || true)
  in=- out=-
  if [ "$n_child" = 1 ] && grep -qE '^ +t: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL-in-UDP' "$work/list-sas.out"; then
    in=$(grep -oE '^ +in +[0-9a-f]{8}' "$work/list-sas.out" | awk '{print $2}' | head -n 1)
    out=$(grep -oE '^ +out +[0-9a-f]{8}' "$work/list-sas.out" | awk '{print $2}' | head -n 1)
  fi
  echo "${ike:-- -} $n_ike $n_child $in $out"
}
# our_view: "IKESPIi IKESPIr IKECOUNT CHILDCOUNT IN OUT" from `ikex sa list` (IKEv2 SAs, children in any state but
# Deleted; IN/OUT: the one Established child's SPIs, or "-" unless there is exactly one child).
our_view() {
  [ "$init" = we ] && { our_view_log; return; }
  local json mms qms ike n_ike n_child in=- out=-
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  json=$(tr -d ' \n' <"$work/sa-list.out")
  mms=$(grep -o '"mainModeSas":\[.*\],"quickModeSas"' <<<"$json" | grep -o '{[^}]*}' | grep '"keyModule":"IKEv2"' || true)
  qms=$(grep -o '"quickModeSas":\[.*\]' <<<"$json" | grep -o '{[^}]*}' | grep -v '"state":"Deleted"' || true)
  n_ike=$(grep -c . <<<"$mms" || true)
  n_child=$(grep -c . <<<"$qms" || true)
  ike="$(jf initiatorCookie "$mms") $(jf responderCookie "$mms")"
  if [ "$n_child" = 1 ] && [ "$(jf state "$qms")" = Established ]; then in=$(jf inboundSpi "$qms") out=$(jf outboundSpi "$qms"); fi
  echo "$ike $n_ike $n_child $in $out"
}
# our_view_log: the same from `ikex initiate --verbose`'s log; writes the children it has established and not deleted
# (their log lines) to sa-list.out.
our_view_log() {
  local ilog=$work/ikex.log ike n_ike id in=- out=-
  ike=$(grep -oE 'IKEv2#[0-9]+ established .* spi [0-9a-f]{16}/[0-9a-f]{16}' "$ilog" | sed -E 's|.* spi ([0-9a-f]+)/([0-9a-f]+)$|\1 \2|' || true)
  n_ike=$(( $(grep -c . <<<"$ike" || true) - $(grep -cE 'IKEv2#[0-9]+ deleted' "$ilog" || true) ))
  : >"$work/sa-list.out"
  for id in $(grep -oE 'CHILD#[0-9]+ established' "$ilog" | grep -oE '[0-9]+' || true); do
    grep -qE "CHILD#$id deleted" "$ilog" || grep -E "CHILD#$id established" "$ilog" >>"$work/sa-list.out"
  done
  if [ "$(grep -c . "$work/sa-list.out")" = 1 ]; then
    in=$(grep -oE 'spi in [0-9a-f]{8}' "$work/sa-list.out" | cut -d' ' -f3) out=$(grep -oE 'out [0-9a-f]{8}$' "$work/sa-list.out" | cut -d' ' -f2)
  fi
  echo "$(head -n 1 <<<"$ike") $n_ike $(grep -c . "$work/sa-list.out") $in $out"
}
# settled IKEI IKER: both sides list one IKE SA with these SPIs and one child with matching SPIs; echoes "IN OUT"
# (charon's view). Returns 1 otherwise.
settled() {
  local s o
  read -r -a s <<<"$(sw_view)"
  read -r -a o <<<"$(our_view)"
  [ "${s[0]}" = "$1" ] && [ "${s[1]}" = "$2" ] && [ "${s[2]}" = 1 ] && [ "${s[3]}" = 1 ] && [ "${s[4]}" != - ] || return 1
  [ "${o[0]}" = "$1" ] && [ "${o[1]}" = "$2" ] && [ "${o[2]}" = 1 ] && [ "${o[3]}" = 1 ] || return 1
  # Our inbound SPI is charon's outbound one and vice versa.
  [ "${o[4]}" = "${s[5]}" ] && [ "${o[5]}" = "${s[4]}" ] || return 1
  echo "${s[4]} ${s[5]}"
}
views() { echo "charon: $(sw_view); ikex: $(our_view)"; }

# --- establish -----------------------------------------------------------------------------------------------------
if [ "$init" = we ]; then
  note "ikex initiate --ike-version 2 --encap (A) to charon (B, kernel-libipsec), tunnel mode, holding the SAs 60 s"
  ip netns exec "$NA" timeout 120 dotnet "$dll" initiate --ike-version 2 --encap --address 192.0.2.1 --peer 192.0.2.2 \
    --psk-file "$work/psk" --policy "$work/policy.json" --mode tunnel --local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32 \
    --timeout 20 --json --hold 60 --verbose >"$work/ikex.out" 2>"$work/ikex.log" &
  ikex_pid=$!; pids+=("$ikex_pid")
  for _ in $(seq 1 300); do
    grep -q '"elapsedMilliseconds"' "$work/ikex.out" 2>/dev/null && break
    kill -0 "$ikex_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q '"elapsedMilliseconds"' "$work/ikex.out" || { rc=0; wait "$ikex_pid" || rc=$?; fail "ikex initiate printed no SAs (exit $rc)"; }
  sleep 1
else
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 --psk-file "$work/psk" \
    --ike-version 2 --policy "$work/policy.json"
  ip netns exec "$NA" ss -Hunl 'sport = :4500' | grep -q . || fail "ikex responder does not listen on UDP 4500"
  note "charon (B, kernel-libipsec) initiates IKEv2 with child t to ikex responder (A)"
  sw_initiate "$work/b" t "$work/initiate.out"
  [ "$rc" = 0 ] || fail "swanctl --initiate failed (rc $rc): charon did not establish and install the child"
fi
read -r ike_i ike_r _ <<<"$(sw_view)"
[ "$ike_i" != - ] || fail "charon has no ESTABLISHED IKEv2 SA"
grep -qE '^ +t: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-256/HMAC_SHA2_256_128$' "$work/list-sas.out" ||
  fail "charon's child t is not INSTALLED, TUNNEL-in-UDP"
grep -qE "^ +local  '192.0.2.2' @ 192.0.2.2\[4500\]" "$work/list-sas.out" || fail "charon's IKE SA did not float to port 4500"
first=$(settled "$ike_i" "$ike_r") || fail "the two sides do not agree on one IKE SA with one child: $(views)"
read -r in0 out0 <<<"$first"
if [ "$init" = we ]; then our_ike_id=$(grep -oE 'IKEv2#[0-9]+ established' "$work/ikex.log" | grep -oE '[0-9]+')
else our_ike_id=$(tr -d ' \n' <"$work/sa-list.out" | grep -o '"quickModeSas":\[.*\]' | grep -o '"mainModeSaId":[0-9]*' | head -n 1 | cut -d: -f2); fi
note "established: IKE SA $ike_i/$ike_r on 192.0.2.2[4500] <=> 192.0.2.1[4500]; child t charon in $in0 out $out0 (ours in $out0 out $in0)"

# --- the rekey (one phase per rekeying side) -----------------------------------------------------------------
ilog=$work/ikex.log
cur_in=$in0 cur_out=$out0 phase=0
for side in $who; do
  phase=$((phase + 1))
  prev="$cur_in $cur_out"
  if [ "$side" = sw ]; then
    note "swanctl --rekey --child t"
    sw "$work/b" --rekey --child t >"$work/rekey.out" 2>&1 || fail "swanctl --rekey failed: $(tail -n 1 "$work/rekey.out")"
    patience=20
  else
    note "waiting for ikex's soft lifetime (30 s child lifetime) to rekey the child towards charon"
    patience=45
  fi
  new=""
  for _ in $(seq 1 "$patience"); do
    if cur=$(settled "$ike_i" "$ike_r") && [ "$cur" != "$prev" ]; then new=$cur; break; fi
    sleep 1
  done
  [ -n "$new" ] || fail "no single rekeyed child on both sides within ${patience}s: $(views)"
  read -r in1 out1 <<<"$new"
  # Both SPIs new, and neither side lists the replaced child any more (charon's listing, our listing in every state).
  [ "$in1" != "$cur_in" ] && [ "$out1" != "$cur_out" ] || fail "only one direction got a new SPI (in $cur_in->$in1, out $cur_out->$out1)"
  for spi in $prev; do
    ! grep -q "$spi" "$work/list-sas.out" || fail "charon still lists the old child's SPI $spi"
    ! grep -qi "$spi" "$work/sa-list.out" || fail "ikex still lists the old child's SPI $spi"
  done
  # With PFS, charon lists the DH group of the new child (negotiated in CREATE_CHILD_SA, not in IKE_AUTH).
  grep -qE "^ +t: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL-in-UDP, ESP:$esp_name\$" "$work/list-sas.out" ||
    fail "charon's rekeyed child is not INSTALLED, TUNNEL-in-UDP, ESP:$esp_name"
  # Ours: the same IKE SA row, UDP-encapsulated tunnel, the D-H group of the rekey (0 without PFS).
  if [ "$init" = we ]; then
    grep -qE "established \(IKEv2#$our_ike_id\): ESP UdpEncapsulatedTunnel AES-CBC-256/HMAC-SHA2-256-128${pfs:+/pfs14} " "$work/sa-list.out" ||
      fail "our new child is not a UdpEncapsulatedTunnel child of IKEv2#$our_ike_id: $(cat "$work/sa-list.out")"
  else
    qm=$(tr -d ' \n' <"$work/sa-list.out" | grep -o '"quickModeSas":\[.*\]' | grep -o '{[^}]*}' | grep '"state":"Established"' || true)
    [ "$(jf mainModeSaId "$qm")" = "$our_ike_id" ] || fail "our new child hangs off IKE SA $(jf mainModeSaId "$qm"), not $our_ike_id"
    [ "$(jf encapsulationMode "$qm")" = UdpEncapsulatedTunnel ] || fail "our new child is $(jf encapsulationMode "$qm"), not UdpEncapsulatedTunnel"
    [ "$(jf pfsGroup "$qm")" = "$pfs_group" ] || fail "our new child has pfsGroup $(jf pfsGroup "$qm"), not $pfs_group"
  fi
  note "rekeyed ($side): child t charon in $in1 out $out1 (ours in $out1 out $in1) ESP:$esp_name on the same IKE SA $ike_i/$ike_r; old SPIs $cur_in/$cur_out gone on both sides"

  # --- the exchanges, from both logs ----------------------------------------------------------------------------------------------------
  if [ "$side" = sw ]; then
    req="generating CREATE_CHILD_SA request [0-9]* \[ N(REKEY_SA) SA No$ke TSi TSr \]"
    resp="parsed CREATE_CHILD_SA response [0-9]* \[ SA No$ke TSi TSr \]"
    grep -q "$req" "$log" || fail "charon's log lacks its CREATE_CHILD_SA with REKEY_SA${ke:+ and KE}"
    grep -q "$resp" "$log" || fail "charon did not parse our rekey response (SA, Nr,${ke:+ KE,} TSi, TSr)"
    grep -qE "CHILD_SA t\{[0-9]+\} established with SPIs ${in1}_i ${out1}_o" "$log" || fail "charon did not establish the new child $in1/$out1"
    grep -qE 'CHILD_SA t\{[0-9]+\} state change: REKEYING => REKEYED' "$log" || fail "charon did not mark the old child REKEYED"
    grep -q "sending DELETE for ESP CHILD_SA with SPI $cur_in" "$log" || fail "charon's log does not show it deleting the old child (its inbound SPI $cur_in)"
    # §1.4.1: we answer with a Delete of our inbound SPI of the old child (charon's outbound one).
    grep -q "received DELETE for ESP CHILD_SA with SPI $cur_out" "$log" || fail "charon did not get our Delete of the old child (SPI $cur_out) in the response"
    grep -qE "CHILD#[0-9]+ established .* spi in $out1 out $in1" "$ilog" || fail "ikex did not log the new child $out1/$in1"
    grep -qE 'CHILD#[0-9]+ replaces CHILD#[0-9]+ \(rekeyed by the peer\)' "$ilog" || fail "ikex did not log the peer's child rekey"
    grep -qE 'CHILD#[0-9]+ deleted: deleted by peer' "$ilog" || fail "ikex did not log the old child's deletion by charon"
  else
    req="parsed CREATE_CHILD_SA request [0-9]* \[ N(REKEY_SA) SA No$ke TSi TSr \]"
    resp="generating CREATE_CHILD_SA response [0-9]* \[ SA No$ke TSi TSr \]"
    grep -qE 'CHILD#[0-9]+ rekeying \(soft lifetime reached\): CREATE_CHILD_SA with REKEY_SA' "$ilog" || fail "ikex did not log its lifetime-driven child rekey"
    grep -q "$req" "$log" || fail "charon's log lacks our CREATE_CHILD_SA with REKEY_SA${ke:+ and KE}"
    grep -q "$resp" "$log" || fail "charon did not answer our child rekey (SA, Nr,${ke:+ KE,} TSi, TSr)"
    grep -qE "CHILD_SA t\{[0-9]+\} established with SPIs ${in1}_i ${out1}_o" "$log" || fail "charon did not establish the new child $in1/$out1"
    grep -q "received DELETE for ESP CHILD_SA with SPI $cur_out" "$log" || fail "charon's log does not show our Delete of the old child (its outbound SPI $cur_out)"
    grep -q "sending DELETE for ESP CHILD_SA with SPI $cur_in" "$log" || fail "charon did not answer our Delete with its own for the old child (SPI $cur_in)"
    grep -qE "CHILD#[0-9]+ established .* spi in $out1 out $in1" "$ilog" || fail "ikex did not log the new child $out1/$in1"
    grep -qE 'CHILD#[0-9]+ deleting: rekeyed: replaced by CHILD#[0-9]+' "$ilog" || fail "ikex did not log deleting the replaced child"
  fi
  note "charon: $(grep -o "$req" "$log" | tail -n 1); $(grep -o "$resp" "$log" | tail -n 1)"
  cur_in=$in1 cur_out=$out1
done
# No other IKE SA was made on the way: one IKE_SA_INIT in charon's log, no IKE rekey.
[ "$(grep -cE "$([ "$init" = we ] && echo parsed || echo generating) IKE_SA_INIT request" "$log")" = 1 ] || fail "more than one IKE_SA_INIT"
! grep -q 'CREATE_CHILD_SA .*\[ SA No KE \]' "$log" || fail "an IKE SA rekey happened (not a child rekey)"
grep -E 'IKEv2#[0-9]+ (established|deleting)|CHILD#[0-9]+ (established|rekeying|replaces|deleting|deleted)' "$ilog" | sed -E 's/^/   ikex: /'
pass
