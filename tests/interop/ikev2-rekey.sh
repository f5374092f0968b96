#!/usr/bin/env bash
# IKEv2 rekeying interop (RFC 7296 §1.3.2, §2.8, §2.18): our engine (`ikex responder`) against strongSwan's charon, in
# two throw-away network namespaces (lab prefix v2rk).
#
#   sudo tests/interop/ikev2-rekey.sh <scenario> <path-to-ikex.dll>
#
# Scenarios (charon in B (192.0.2.2) initiates IKE_SA_INIT + IKE_AUTH with PSK to `ikex responder` in A (192.0.2.1),
# IKE aes256-sha256-modp2048; then):
#   v2-sw-rekeys-ike   `swanctl --rekey --ike c`: charon rekeys the IKE SA (CREATE_CHILD_SA with an IKE proposal, new
#                      SPI, Ni, KE) against our responder, then deletes the old IKE SA on it.
#   v2-we-rekey-ike    our responder's policy file gives the IKE SA a 20 s lifetime: at its soft lifetime (~90 %) we
#                      rekey it towards charon and delete the old one ourselves.
#   v2-rekey-both      both of the above on one IKE SA: charon rekeys first, then we rekey the rekeyed SA.
# Each asserts: charon's `swanctl --list-sas` and our `ikex sa list` show one ESTABLISHED IKEv2 SA with the same new
# SPIs, and the old SPIs are gone from both listings (and charon saw the exchanges it should have).
#
# Child SAs: this kernel has no ESP, so charon (kernel-netlink, as here) cannot install the child it negotiates in
# IKE_AUTH and deletes it right away (see ikev2-strongswan.sh). Child rekeying (§1.3.3) against charon is in
# ikev2-child-rekey.sh, where charon uses kernel-libipsec (userspace ESP) and keeps its child.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl.
set -euo pipefail

scenario=${1:-} dll=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

pids=() work="" ikex_pid=""
scenario_harness 80 b/charon.log ikex.log ikex.out initiate.out rekey.out list-sas.out sa-list.out

case "$scenario" in
  v2-sw-rekeys-ike) sw_rekeys=1 we_rekey="" ;;
  v2-we-rekey-ike) sw_rekeys="" we_rekey=1 ;;
  v2-rekey-both) sw_rekeys=1 we_rekey=1 ;;
  *) echo "usage: $0 v2-sw-rekeys-ike|v2-we-rekey-ike|v2-rekey-both <ikex.dll>" >&2
     verdict_done=1; echo "FAIL ${scenario:-?}: unknown scenario"; exit 1 ;;
esac
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout || fail "prerequisites missing (see above)"
check_ikex_dll
make_work ikev2-rekey
lab_up "v2rk$$"
write_lab_psk

# Our policy: aes256/sha256/group 14 (IKEv2: aes256-sha256-modp2048); a 20 s IKE SA lifetime when we are to rekey.
ike_lifetime=3600
[ -n "$we_rekey" ] && ike_lifetime=20
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"aes256","hash":"sha256","group":14,"lifetimeSeconds":$ike_lifetime}],
 "quickMode":[{"encryption":"aes256","integrity":"sha256","pfsGroup":0,"lifetimeSeconds":3600}],
 "allowTransport":true,"allowTunnel":true}
EOF

write_strongswan_conf "$work/b" no 1280 "      cfg = 1
      knl = 1
      enc = 2"
swanctl_conf secrets="$(swanctl_psk_secrets "$psk")" >"$work/b/swanctl.conf"
start_charon "$NB" "$work/b" || fail "charon did not start"
start_sa_monitor "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
ctl=$work/ikex.ctl
log=$work/b/charon.log

# sw_sa: "SPIi SPIr" of charon's ESTABLISHED IKEv2 SA c (empty if none); sw_count: how many IKE SAs charon lists.
sw_list() { sw "$work/b" --list-sas --ike c >"$work/list-sas.out" 2>&1 || true; }
sw_sa() { sw_list; grep -o 'ESTABLISHED, IKEv2, [0-9a-f]*_i\*\? [0-9a-f]*_r\*\?' "$work/list-sas.out" | head -n 1 |
          sed -E 's/ESTABLISHED, IKEv2, ([0-9a-f]+)_i\*? ([0-9a-f]+)_r\*?/\1 \2/'; }
sw_count() { grep -c '^c: #' "$work/list-sas.out" || true; }
# our_mm: our main mode SA list as one JSON line.
our_mm() {
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  tr -d ' \n' <"$work/sa-list.out" | grep -o '"mainModeSas":\[.*\],"quickModeSas"' || true
}
# check_pair SPII SPIR: both listings show exactly this ESTABLISHED IKEv2 SA.
check_pair() {
  local i=$1 r=$2 mm
  sw_list
  grep -q "ESTABLISHED, IKEv2, ${i}_i.* ${r}_r" "$work/list-sas.out" || fail "charon does not list IKE SA $i/$r as ESTABLISHED"
  [ "$(sw_count)" = 1 ] || fail "charon lists $(sw_count) IKE SAs for c, not one"
  mm=$(our_mm)
  grep -qi "$i" <<<"$mm" && grep -qi "$r" <<<"$mm" || fail "ikex does not list IKE SA $i/$r"
  [ "$(grep -o '"keyModule":"IKEv2"' <<<"$mm" | wc -l)" = 1 ] || fail "ikex lists more than one IKEv2 SA: $mm"
  grep -qi '"state":"Established"' <<<"$mm" || fail "ikex's IKEv2 SA is not Established"
}
# gone SPII SPIR: neither listing has these SPIs any more.
gone() {
  local mm
  sw_list
  ! grep -q "$1_i" "$work/list-sas.out" || fail "charon still lists the old IKE SA $1/$2"
  mm=$(our_mm)
  ! grep -qi "$1" <<<"$mm" || fail "ikex still lists the old IKE SA $1/$2"
}
# wait_new OLDI SECONDS: waits until charon's one ESTABLISHED SA c has another SPIi than OLDI and ours lists only it.
wait_new() {
  local old=$1 t=$2 k cur mm
  for k in $(seq 1 "$t"); do
    cur=$(sw_sa)
    if [ -n "$cur" ] && [ "${cur%% *}" != "$old" ] && [ "$(sw_count)" = 1 ]; then
      mm=$(our_mm)
      if grep -qi "${cur%% *}" <<<"$mm" && ! grep -qi "$old" <<<"$mm"; then echo "$cur"; return 0; fi
    fi
    sleep 1
  done
  return 1
}

# --- establish -----------------------------------------------------------------------------------------------------
start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 --psk-file "$work/psk" \
  --ike-version 2 --policy "$work/policy.json"
note "charon (B) initiates IKEv2 to ikex responder (A)"
sw_initiate "$work/b" t "$work/initiate.out"   # rc 1 expected: no ESP in this kernel for the child (the IKE SA stays)
first=$(sw_sa)
[ -n "$first" ] || fail "charon has no ESTABLISHED IKEv2 SA"
read -r i0 r0 <<<"$first"
check_pair "$i0" "$r0"
note "established: SPIs $i0/$r0 on both sides"
cur_i=$i0 cur_r=$r0

# --- charon rekeys --------------------------------------------------------------------------------------------------
if [ -n "$sw_rekeys" ]; then
  note "swanctl --rekey --ike c"
  sw "$work/b" --rekey --ike c >"$work/rekey.out" 2>&1 || fail "swanctl --rekey failed: $(tail -n 1 "$work/rekey.out")"
  new=$(wait_new "$cur_i" 15) || fail "no new IKE SA on both sides after charon's rekey"
  read -r i1 r1 <<<"$new"
  check_pair "$i1" "$r1"
  gone "$cur_i" "$cur_r"
  grep -q 'generating CREATE_CHILD_SA request [0-9]* \[ SA No KE \]' "$log" || fail "charon's log lacks its rekey request"
  grep -q 'parsed CREATE_CHILD_SA response [0-9]* \[ SA No KE \]' "$log" || fail "charon did not parse our rekey response (SA, Nr, KE)"
  grep -q 'generating INFORMATIONAL request [0-9]* \[ D \]' "$log" || fail "charon did not delete the old IKE SA"
  grep -q "established by rekeying IKEv2#[0-9]* (the peer's rekey" "$work/ikex.log" || fail "ikex did not log the rekeyed IKE SA"
  note "charon: $(grep -o 'parsed CREATE_CHILD_SA response [0-9]* \[ SA No KE \]' "$log" | tail -n 1)"
  note "after charon's rekey: SPIs $i1/$r1 on both sides (old $cur_i/$cur_r gone)"
  cur_i=$i1 cur_r=$r1
fi

# --- we rekey (soft lifetime of the 20 s IKE SA lifetime in the policy file) -----------------------------------------
if [ -n "$we_rekey" ]; then
  note "waiting for ikex's soft lifetime (20 s IKE SA lifetime) to rekey towards charon"
  new=$(wait_new "$cur_i" 40) || fail "ikex did not rekey the IKE SA at its soft lifetime"
  read -r i2 r2 <<<"$new"
  check_pair "$i2" "$r2"
  gone "$cur_i" "$cur_r"
  grep -q 'rekeying the IKE SA (soft lifetime reached)' "$work/ikex.log" || fail "ikex did not log its lifetime-driven rekey"
  grep -q 'parsed CREATE_CHILD_SA request [0-9]* \[ SA No KE \]' "$log" || fail "charon's log lacks our rekey request"
  grep -q 'generating CREATE_CHILD_SA response [0-9]* \[ SA No KE \]' "$log" || fail "charon did not answer our rekey"
  grep -q 'parsed INFORMATIONAL request [0-9]* \[ D \]' "$log" || fail "charon never got our Delete of the old IKE SA"
  # §2.2: on the new IKE SA we are the original initiator (our SPI is SPIi): charon marks its own SPIr with '*'.
  grep -q "${i2}_i ${r2}_r\*" "$work/list-sas.out" || fail "charon does not see us as the new SA's original initiator"
  note "charon: $(grep -o 'parsed CREATE_CHILD_SA request [0-9]* \[ SA No KE \]' "$log" | tail -n 1); $(grep -o 'generating CREATE_CHILD_SA response [0-9]* \[ SA No KE \]' "$log" | tail -n 1)"
  note "after our rekey: SPIs $i2/$r2 on both sides (old $cur_i/$cur_r gone)"
fi
grep -E 'IKEv2#[0-9]+ (IKE_SA_INIT|established|rekeying|deleting|deleted)' "$work/ikex.log" | sed -E 's/^/   ikex: /'
pass
