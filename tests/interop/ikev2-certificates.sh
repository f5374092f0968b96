#!/usr/bin/env bash
# IKEv2 certificate authentication interop (RFC 7296 §2.15, §3.6-§3.8; RFC 7427; RFC 4754): our engine (the ikex
# CLI) against strongSwan's charon, in two throw-away network namespaces.
#
#   sudo tests/interop/ikev2-certificates.sh <scenario> <path-to-ikex.dll>
#
# Scenarios (ikex in A 192.0.2.1, charon in B 192.0.2.2; IKE aes256-sha256-modp2048, tunnel child 198.51.100.2/32 <=> .1/32):
#   v2-sw-initiates-rsa          charon initiates to `ikex responder --cert/--key/--ca`, RSA-3072 certificates from
#                                lib.sh make_test_pki, ID_DER_ASN1_DN identities; both sign with RFC 7427 Digital
#                                Signature (AUTH method 14, sha256WithRSAEncryption) after SIGNATURE_HASH_ALGORITHMS.
#   v2-we-initiate-rsa           `ikex initiate --ike-version 2 --cert/--key/--ca` to charon, same certificates.
#   v2-sw-initiates-ecdsa        as v2-sw-initiates-rsa with ECDSA P-256 certificates (pki --type ecdsa) under the same CA.
#   v2-we-initiate-ecdsa         ditto, ikex initiates.
#   v2-we-initiate-rsa-legacy    charon with signature_authentication = no (no RFC 7427 notify): both sides fall back to
#                                AUTH method 1 (RSASSA-PKCS1-v1_5 with SHA-1, RFC 7296 §3.8).
#
# charon sends its certificate only when asked (send_cert = ifasked): we ask with CERTREQ (SHA-1 of the CA's
# SubjectPublicKeyInfo, §3.7) in the IKE_SA_INIT response and in IKE_AUTH. No ESP in this kernel: the child cannot be
# installed, the IKE SA stays ESTABLISHED on both sides (see ikev2-strongswan.sh); the checks compare both listings.
#
# Last line: "PASS <scenario>" (exit 0) or "FAIL <scenario>: reason" (exit 1). KEEP=1 keeps the temp dir.
# Needs root, iproute2, dotnet, strongswan-charon strongswan-swanctl strongswan-pki.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

interop_begin "${1:-}" "${2:-}" b/charon.log ikex.log ikex.out initiate.out sa-list.out

case "$scenario" in
  v2-sw-initiates-rsa) role=sw key=rsa legacy=no ;;
  v2-we-initiate-rsa) role=we key=rsa legacy=no ;;
  v2-sw-initiates-ecdsa) role=sw key=ecdsa legacy=no ;;
  v2-we-initiate-ecdsa) role=we key=ecdsa legacy=no ;;
  v2-we-initiate-rsa-legacy) role=we key=rsa legacy=yes ;;
  *) unknown_scenario "v2-sw-initiates-rsa|v2-we-initiate-rsa|v2-sw-initiates-ecdsa|v2-we-initiate-ecdsa|v2-we-initiate-rsa-legacy" ;;
esac
need_tools ip unshare ss swanctl /usr/lib/ipsec/charon dotnet timeout pki || fail "prerequisites missing (see above)"
check_ikex_dll

make_work ikev2-cert
lab_up "v2cert$$"
dn_a="C=XX, O=IkeExtensions, CN=a.ike.test" dn_b="C=XX, O=IkeExtensions, CN=b.ike.test"

# --- certificates ---------------------------------------------------------------------------------------------------
note "generating a throw-away CA and $key certificates for A (us) and B (charon)"
make_test_pki "$work/pki" 3072 || fail "pki could not generate the test certificates"
if [ "$key" = ecdsa ]; then
  # make_test_pki makes RSA leaves; ECDSA P-256 leaves under the same (RSA) CA, same subjects and SANs.
  (
    export STRONGSWAN_CONF=$work/pki/pki.conf
    for s in a b; do
      pki --gen --type ecdsa --size 256 --outform pem >"$work/pki/$s.key"
      pki --pub --in "$work/pki/$s.key" --type ecdsa | pki --issue --cacert "$work/pki/ca.pem" --cakey "$work/pki/ca.key" \
          --dn "C=XX, O=IkeExtensions, CN=$s.ike.test" --san "$s.ike.test" --lifetime 3650 --outform pem >"$work/pki/$s.pem"
    done
  ) || fail "pki could not generate the ECDSA certificates"
  grep -q 'BEGIN EC PRIVATE KEY' "$work/pki/a.key" || fail "pki did not write an EC key"
fi

# --- strongSwan in B ------------------------------------------------------------------------------------------------
write_strongswan_conf "$work/b" no 1280 "      cfg = 2
      knl = 2
      enc = 2"
if [ "$legacy" = yes ]; then   # RFC 7427 off: no SIGNATURE_HASH_ALGORITHMS, legacy AUTH methods only
  sed -i 's/^  port = 500$/  port = 500\n  signature_authentication = no/' "$work/b/strongswan.conf"
  grep -q 'signature_authentication = no' "$work/b/strongswan.conf" || fail "could not turn off RFC 7427 in strongswan.conf"
fi
install_charon_cert "$work/b" "$work/pki" "$key"
swanctl_conf auth="$(swanctl_cert_auth "$dn_b" "$dn_a")" >"$work/b/swanctl.conf"
start_charon_monitored "$NB" "$work/b" "$work/monitor.out"
ikex() { ip netns exec "$NA" dotnet "$dll" "$@"; }
ours=(--cert "$work/pki/a.pem" --key "$work/pki/a.key" --ca "$work/pki/ca.pem")

# --- the exchange ---------------------------------------------------------------------------------------------------
ctl=$work/ikex.ctl
if [ "$role" = sw ]; then
  start_ikex_responder "$NA" "$dll" "$ctl" "$work/ikex.out" "$work/ikex.log" --verbose --address 192.0.2.1 --ike-version 2 "${ours[@]}"
  note "charon (B) initiates IKEv2 with $key certificates to ikex responder (A)"
  sw_initiate "$work/b" t "$work/initiate.out"   # rc 1 expected: the child cannot be installed here
else
  note "ikex initiate --ike-version 2 with $key certificates (A) to charon (B)"
  ikex_initiate_v2 "$NA" "$dll" "$work/ikex.out" "$work/ikex.log" "${ours[@]}"
fi
sleep 1

# --- strongSwan's view ----------------------------------------------------------------------------------------------
log=$work/b/charon.log
charon_ike_up "$work/monitor.out" 2
grep -qF "local-id=$dn_b remote-host=" <<<"$up" && grep -qF "remote-id=$dn_a " <<<"$up" ||
  fail "charon's IKE SA does not have the certificate DNs as identities (want local-id=$dn_b, remote-id=$dn_a)"
grep -qF "received end entity cert \"$dn_a\"" "$log" || fail "charon did not receive our certificate (CERT, RFC 7296 §3.6)"
grep -qF "using trusted ca certificate \"C=XX, O=IkeExtensions, CN=IkeExtensions Test CA\"" "$log" ||
  fail "charon did not chain our certificate to the test CA"
grep -qE 'received cert request for "C=XX, O=IkeExtensions, CN=IkeExtensions Test CA"' "$log" ||
  fail "charon did not recognise our CERTREQ (SHA-1 of the CA's SubjectPublicKeyInfo, RFC 7296 §3.7)"
case "$key/$legacy" in
  rsa/no) scheme=RSA_EMSA_PKCS1_SHA2_256 ours_method=DigitalSignature ;;
  ecdsa/no) scheme=ECDSA_WITH_SHA256_DER ours_method=DigitalSignature ;;
  rsa/yes) scheme="RSA signature" ours_method=RsaSignature ;;   # charon's name for AUTH method 1
esac
grep -qF "authentication of '$dn_a' with $scheme successful" "$log" || fail "charon did not verify our AUTH as $scheme"
note "charon: $(grep -oF "authentication of '$dn_a' with $scheme successful" "$log" | head -n 1)"
note "charon: $(grep -o "received cert request for .*" "$log" | head -n 1)"
note "charon: $(grep -o 'IKE_SA c\[[0-9]*\] established between .*' "$log" | head -n 1)"
if [ "$legacy" = no ]; then
  grep -q 'IKE_SA_INIT request 0 \[.*N(HASH_ALG)' "$log" && grep -q 'IKE_SA_INIT response 0 \[.*N(HASH_ALG)' "$log" ||
    fail "SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4) missing from the IKE_SA_INIT request or response"
else
  # We announce SHA-2 hashes; charon, with RFC 7427 off, answers without the notify, so we sign with method 1.
  ! grep -q 'generating IKE_SA_INIT response 0 \[.*N(HASH_ALG)' "$log" || fail "charon sent SIGNATURE_HASH_ALGORITHMS although RFC 7427 is off"
fi
if [ "$role" = sw ]; then
  check_charon_lists_sa "$work/b" "$work/list-sas.out" 2
else
  grep -q 'received DELETE for IKE_SA c\[[0-9]*\]' "$log" || fail "charon never received our Delete of the IKE SA"
fi
note "charon: IKE SA ESTABLISHED, IKEv2, SPIs $spi_i/$spi_r"

# --- our view -------------------------------------------------------------------------------------------------------
check_our_ikev2_sa "$role" "$ctl" "$work/sa-list.out" "$work/ikex.out"
grep -qi "\"authenticationMethod\":\"$ours_method\"" <<<"$mm" || fail "ikex did not verify charon's AUTH as $ours_method"
grep -qF "\"remoteFirstId\":\"$(tr -d ' ' <<<"$dn_b")\"" <<<"$mm" || fail "ikex's remoteFirstId is not charon's DN '$dn_b'"
grep -qF "\"remoteCertificateSubject\":\"$(tr -d ' ' <<<"$dn_b")\"" <<<"$mm" || fail "ikex's row lacks charon's certificate subject"
grep -E 'IKEv2#[0-9]+ (IKE_SA_INIT|established)|AUTHENTICATION_FAILED' "$work/ikex.log" | sed 's/^/   ikex: /'
note "ikex: IKEv2 SA Established, authenticationMethod $ours_method, remote certificate '$dn_b', SPIs match charon's ($spi_i/$spi_r)"
pass
