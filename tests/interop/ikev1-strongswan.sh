#!/usr/bin/env bash
# IKEv1 interop: our engine (the ikex CLI) against strongSwan's charon, in two throw-away network namespaces.
#
#   sudo tests/interop/ikev1-strongswan.sh <scenario> <path-to-ikex.dll>
#
# Scenarios (PROPOSAL: aes256-sha256-modp2048 | aes128-sha1-modp2048 | aes128-sha256-ecp256):
#   sw-initiates-PROPOSAL  `ikex responder` in A (192.0.2.1); charon in B (192.0.2.2) initiates Main Mode + a
#                          tunnel-mode Quick Mode (198.51.100.2/32 <=> 198.51.100.1/32), ESP = PROPOSAL minus DH.
#   we-initiate-PROPOSAL   charon in B responds; `ikex initiate` from A, same tunnel.
#   we-initiate-transport  charon in B with a transport-mode child; `ikex initiate --mode transport` from A.
#   sw-initiates-cert      as sw-initiates-aes256-sha256-modp2048, but RSA signatures over X.509 certificates
#   we-initiate-cert       (RFC 2409 §5.1) instead of PSK: a throw-away CA and two RSA-3072 certificates made with
#                          strongSwan's pki (lib.sh make_test_pki); ikex gets --cert/--key/--ca (no --psk-file),
#                          charon auth = pubkey with ID_DER_ASN1_DN identities on both sides.
#
# IKEv1, PSK (or certificates), no NAT: both sides offer NAT-T (RFC 3947) but detect no NAT, so IKE stays on UDP 500.
# kernel-libipsec is not loaded here: it fakes NAT (IKE floats to 4500); tests/interop/ikev1-nat.sh covers that and real NATs.
# This kernel has no ESP, so charon negotiates Quick Mode on the wire and then fails to install the CHILD_SA:
# as QM initiator it answers QM2 with N(NO_PROP) instead of QM3, as QM responder it sends a Delete after QM3.
# Its IKE SA stays ESTABLISHED. The checks below assert exactly that.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, util-linux, dotnet, strongswan-charon strongswan-swanctl libcharon-extra-plugins
# (and strongswan-pki for the cert scenarios).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" b/charon.log ikex.log ikex.out initiate.out sa-list.out

# --- arguments and prerequisites ----------------------------------------------------------------------------------
auth=psk
case "$scenario" in
  sw-initiates-cert) role=sw proposal=aes256-sha256-modp2048 mode=tunnel auth=cert ;;
  we-initiate-cert) role=we proposal=aes256-sha256-modp2048 mode=tunnel auth=cert ;;
  sw-initiates-*) role=sw proposal=${scenario#sw-initiates-} mode=tunnel ;;
  we-initiate-transport) role=we proposal=aes256-sha256-modp2048 mode=transport ;;
  we-initiate-*) role=we proposal=${scenario#we-initiate-} mode=tunnel ;;
  *) unknown_scenario "sw-initiates-PROPOSAL|we-initiate-PROPOSAL|we-initiate-transport|sw-initiates-cert|we-initiate-cert" ;;
esac
# Per proposal: our policy (encryption hash group), strongSwan's ESP proposal, and how charon prints both.
case "$proposal" in
  aes256-sha256-modp2048) enc=aes256 hash=sha256 group=14 esp=aes256-sha256
    ike_algs=AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 esp_algs=ESP:AES_CBC_256/HMAC_SHA2_256_128 ;;
  aes128-sha1-modp2048) enc=aes128 hash=sha1 group=14 esp=aes128-sha1
    ike_algs=AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048 esp_algs=ESP:AES_CBC_128/HMAC_SHA1_96 ;;
  aes128-sha256-ecp256) enc=aes128 hash=sha256 group=19 esp=aes128-sha256
    ike_algs=AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256 esp_algs=ESP:AES_CBC_128/HMAC_SHA2_256_128 ;;
  *) verdict_done=1; echo "FAIL $scenario: unknown proposal '$proposal'"; exit 1 ;;
esac
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout || fail "prerequisites missing (see above)"
[ "$auth" = psk ] || need_tools pki || fail "prerequisites missing (see above; apt-get install strongswan-pki)"
check_ikex_dll

make_work ikev1-sw
lab_up "ikx$$"                      # unique per run: namespaces ikx<pid>-a / ikx<pid>-b
write_lab_psk
# Identities: A is us (192.0.2.1), B is charon (192.0.2.2). With certificates, ID_DER_ASN1_DN of each subject.
dn_a="C=XX, O=IkeExtensions, CN=a.ike.test" dn_b="C=XX, O=IkeExtensions, CN=b.ike.test"
if [ "$auth" = cert ]; then
  note "generating a throw-away CA and RSA-3072 certificates for A (us) and B (charon)"
  make_test_pki "$work/pki" 3072 || fail "pki could not generate the test certificates"
  ours=(--cert "$work/pki/a.pem" --key "$work/pki/a.key" --ca "$work/pki/ca.pem")
else
  ours=(--psk-file "$work/psk")
fi
cat >"$work/policy.json" <<EOF
{"mainMode":[{"encryption":"$enc","hash":"$hash","group":$group}],
 "quickMode":[{"encryption":"$enc","integrity":"$hash","pfsGroup":0}]}
EOF

# --- strongSwan in B ----------------------------------------------------------------------------------------------
# enc = 2 with certificates: every payload charon parses/generates (CERT, CERTREQ, SIG) and why it refuses one.
write_strongswan_conf "$work/b" no 1280 "      cfg = 2
      knl = 2$([ "$auth" = cert ] && printf '\n      enc = 2')"
conf=(version=1 proposals="$proposal" esp_proposals="$esp" mode="$mode" secrets="$(swanctl_psk_secrets "$psk")")
[ "$mode" = tunnel ] || conf+=(local_ts=)   # transport: no selectors (dynamic = the IKE addresses)
if [ "$auth" = cert ]; then
  install_charon_cert "$work/b" "$work/pki"
  conf+=(auth="$(swanctl_cert_auth "$dn_b" "$dn_a")")
fi
swanctl_conf "${conf[@]}" >"$work/b/swanctl.conf"
# ike-updown/child-updown events: ikex initiate deletes its SAs when it exits, so --list-sas may come too late.
start_charon_monitored "$NB" "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
verbose() { dotnet "$dll" "$1" --help 2>/dev/null | grep -q -- '--verbose' && echo --verbose || true; }  # optional flag

# --- the exchange -------------------------------------------------------------------------------------------------
if [ "$role" = sw ]; then
  ctl=$work/ikex.ctl
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" \
    $(verbose responder) --address 192.0.2.1 "${ours[@]}" --policy "$work/policy.json"
  note "charon (B) initiates to ikex responder (A)"
  # rc 1 is expected: the CHILD_SA cannot be installed in this kernel while the IKE SA is up (checked below).
  sw_initiate "$work/b" t "$work/initiate.out"
else
  note "ikex initiate (A) to charon (B), $mode mode"
  args=(--address 192.0.2.1 --peer 192.0.2.2 "${ours[@]}" --policy "$work/policy.json" --mode "$mode"
        --timeout 20 --json $(verbose initiate))
  [ "$mode" = tunnel ] && args+=(--local-ts 198.51.100.1/32 --remote-ts 198.51.100.2/32)
  rc=0; timeout 60 ip netns exec "$NA" dotnet "$dll" initiate "${args[@]}" >"$work/ikex.out" 2>"$work/ikex.log" || rc=$?
  note "ikex initiate rc=$rc"; sed 's/^/   /' "$work/ikex.out"
  [ "$rc" = 0 ] || fail "ikex initiate exited $rc"
  json=$(tr -d ' \n' <"$work/ikex.out")
  mm=$(grep -o '"mainModeSa":{[^}]*}' <<<"$json" || true)
  qm=$(grep -o '"quickModeSas\{0,1\}":\[\{0,1\}{[^}]*}' <<<"$json" || true)
  grep -qi '"state":"Established"' <<<"$mm" || fail "ikex initiate --json shows no Established Main Mode SA"
  # charon's Delete for the child it cannot install may beat ikex's printout: then the QM SA shows as Deleted,
  # but it must have been established (establishedAt set).
  grep -qiE '"state":"(Established|Deleted)"' <<<"$qm" && grep -q '"establishedAt":"[0-9]' <<<"$qm" ||
    fail "ikex initiate --json shows no established Quick Mode SA"
  grep -qi "\"encapsulationMode\":\"$mode\"" <<<"$qm" || fail "ikex's Quick Mode SA is not in $mode mode"
fi
sleep 1   # let the Delete / N(NO_PROP) that follows the failed kernel install go over the wire

# --- strongSwan's view -------------------------------------------------------------------------------------------
log=$work/b/charon.log
# The ike-updown event as charon raised it (raw: one line with state, algorithms and cookies).
charon_ike_up "$work/monitor.out" 1
IFS=/ read -r e i p g <<<"$ike_algs"
grep -qF "encr-alg=${e%-*} encr-keysize=${e#*-} integ-alg=$i prf-alg=$p dh-group=$g" <<<"$up" ||
  fail "charon's IKE SA does not use $ike_algs"
if [ "$role" = sw ]; then   # our responder keeps the SA: it must still be listed
  check_charon_lists_sa "$work/b" "$work/list-sas.out" 1
  grep -qF "$ike_algs" "$work/list-sas.out" || fail "swanctl --list-sas does not show $ike_algs"
fi
note "charon: IKE SA ESTABLISHED, IKEv1, $ike_algs, cookies $spi_i/$spi_r"
if [ "$auth" = cert ]; then
  # charon's identities are the certificates' DNs, and it verified our SIG with IKEv1's digest-less PKCS#1 v1.5
  # (RSA_EMSA_PKCS1_NULL) over the certificate it received from us, chained to the test CA.
  grep -qF "local-id=$dn_b remote-host=" <<<"$up" && grep -qF "remote-id=$dn_a initiator" <<<"$up" ||
    fail "charon's IKE SA does not have the certificate DNs as identities (want local-id=$dn_b, remote-id=$dn_a)"
  grep -qF "received end entity cert \"$dn_a\"" "$log" || fail "charon did not receive our certificate"
  grep -qF "using trusted ca certificate \"C=XX, O=IkeExtensions, CN=IkeExtensions Test CA\"" "$log" ||
    fail "charon did not chain our certificate to the test CA"
  grep -qF "authentication of '$dn_a' with RSA_EMSA_PKCS1_NULL successful" "$log" ||
    fail "charon did not verify our RSA signature"
  note "charon: $(grep -oF "authentication of '$dn_a' with RSA_EMSA_PKCS1_NULL successful" "$log" | head -n 1)"
fi
grep -q 'selected proposal: '"$esp_algs" "$log" || fail "charon did not select the Quick Mode proposal $esp_algs"
note "charon: $(grep -o 'selected proposal: ESP.*' "$log" | tail -n 1)"
if grep -q 'unable to install .*IPsec SA (SAD) in kernel' "$log"; then
  note "charon: CHILD_SA not installed in the kernel (no ESP here: expected): $(grep -o 'unable to install .*' "$log" | head -n 1)"
fi
if grep -q 'no matching CHILD_SA config found' "$log"; then fail "charon found no child config for our Quick Mode"; fi
if [ "$mode" = transport ]; then
  # 5.9.x quick_mode.c refuses a QM whose encapsulation mode differs from the child config's (then logs "no matching
  # CHILD_SA config found"), so "selected proposal" with our transport-only config proves transport was selected.
  grep -q 'selecting traffic selectors for us:' "$log" &&
    grep -A1 'selecting traffic selectors for us:' "$log" | grep -q 'match: 192.0.2.2/32' ||
    fail "charon did not select host-to-host selectors for transport mode"
  note "charon: transport child \"t\" selected (host-to-host 192.0.2.2/32 === 192.0.2.1/32)"
fi

# --- our view ------------------------------------------------------------------------------------------------------
# check_our_auth MM_JSON: our Main Mode SA used the scenario's method; with certificates, charon's DN is its peer ID.
check_our_auth() {
  if [ "$auth" = cert ]; then
    grep -qi '"authenticationMethod":"RsaSignatures"' <<<"$1" || fail "our Main Mode SA did not use RSA signatures"
    # Our JSON has no spaces (tr -d ' '), the engine prints DNs as C=XX,O=...,CN=...
    grep -qF "\"remoteFirstId\":\"$(tr -d ' ' <<<"$dn_b")\"" <<<"$1" || fail "our Main Mode SA's remoteFirstId is not charon's DN '$dn_b'"
    note "ikex: Main Mode SA authenticated with RsaSignatures, remoteFirstId $(grep -o '"remoteFirstId":"[^"]*"' <<<"$1" | cut -d'"' -f4)"
  else
    grep -qi '"authenticationMethod":"PreSharedKey"' <<<"$1" || fail "our Main Mode SA did not use the pre-shared key"
  fi
}
if [ "$role" = sw ]; then
  ikex sa list --control "$ctl" --json >"$work/sa-list.out" 2>&1 || fail "ikex sa list failed"
  note "ikex sa list: $(tr -s ' \n' ' ' <"$work/sa-list.out" | cut -c1-400)..."
  mm=$(tr -d ' \n' <"$work/sa-list.out" | grep -o '"mainModeSas":\[.*\],"quickModeSas"' || true)
  qm=$(tr -d ' \n' <"$work/sa-list.out" | grep -o '"quickModeSas":\[.*\]' || true)
  grep -qi '"State":"Established"' <<<"$mm" || fail "our responder has no Established Main Mode SA"
  grep -qi "$spi_i" <<<"$mm" && grep -qi "$spi_r" <<<"$mm" || fail "our MM SA cookies differ from charon's ($spi_i/$spi_r)"
  check_our_auth "$mm"
  grep -E 'MM#[0-9]+ established' "$work/ikex.log" | sed 's/^/   ikex: /'
  # Quick Mode: charon (QM initiator) installs the child when it gets QM2; the install fails, so it answers with
  # N(NO_PROP) instead of QM3 and our responder never sees QM3.
  if grep -q 'generating INFORMATIONAL_V1 request [0-9]* \[ HASH N(NO_PROP) \]' "$log"; then
    note "charon sent N(NO_PROP) instead of QM3 (its kernel install failed): our QM cannot complete - expected"
    if grep -qi '"State":"Established"' <<<"$qm"; then
      fail "our responder shows an Established QM SA although QM3 never came"
    fi
    note "ikex: quickModeSas=${qm#*:}"
  else
    grep -qi '"State":"Established"' <<<"$qm" || fail "charon sent QM3 but our QM SA is not Established"
    grep -E 'QM#[0-9]+ established' "$work/ikex.log" | sed 's/^/   ikex: /'
  fi
else
  grep -qi "\"initiatorCookie\":\"$spi_i\"" <<<"$mm" && grep -qi "\"responderCookie\":\"$spi_r\"" <<<"$mm" ||
    fail "ikex's Main Mode SA cookies differ from charon's ($spi_i/$spi_r)"
  check_our_auth "$mm"
  note "ikex: Main Mode SA Established, cookies match charon's ($spi_i/$spi_r)"
  # No NAT between the namespaces: NAT-T is negotiated (both send the RFC 3947 vendor ID) but nothing floats.
  if grep -q '"natTraversalRevision"' <<<"$mm"; then
    grep -q '"natDetectedLocal":false' <<<"$mm" && grep -q '"natDetectedRemote":false' <<<"$mm" &&
      grep -q '"localEndpoint":"192.0.2.1:500"' <<<"$mm" && grep -q '"remoteEndpoint":"192.0.2.2:500"' <<<"$mm" ||
      fail "ikex detected a NAT or floated although there is none"
    note "ikex: NAT-T $(grep -o '"natTraversalRevision":"[A-Za-z0-9]*"' <<<"$mm" | cut -d'"' -f4), no NAT detected, stayed on 500"
  fi
  # Our ESP SPIs must be the two charon tried to install (logged at knl 2 before the kernel refuses them).
  sad=$(grep -o 'adding SAD entry with SPI [0-9a-f]*' "$log" | awk '{print $NF}' | sort -u | xargs)
  for k in inboundSpi outboundSpi; do
    spi=$(grep -o "\"$k\":\"[0-9a-fA-F]*\"" <<<"$qm" | cut -d'"' -f4)
    [ -n "$spi" ] && grep -qi "$spi" <<<"$sad" || fail "ikex's $k '$spi' is not among charon's SAD entries ($sad)"
  done
  note "ikex: Quick Mode SA established, $(grep -oE '"(state|encapsulationMode)":"[A-Za-z]*"' <<<"$qm" | xargs), SPIs match charon's ($sad)"
  # charon (QM responder) installs after QM3; the install fails and it deletes the CHILD_SA, IKE SA stays.
  grep -q 'parsed QUICK_MODE request [0-9]* \[ HASH \]' "$log" || fail "charon never received QM3 from us"
  note "charon received our QM3$(grep -q 'HASH D \]' "$log" && echo ' and sent a Delete for the uninstallable child (expected)')"
fi
pass
