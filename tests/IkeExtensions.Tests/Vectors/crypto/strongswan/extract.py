#!/usr/bin/env python3
"""Extracts IKEv1 keying values from a strongSwan charon log (initiator side, filelog ike = 4, enc = 4).

Usage: python3 extract.py charon-initiator.log > ikev1-psk-aes256-sha1-modp2048.txt
Writes NAME=hex lines (plus # comments giving the log line each value came from). Values are taken verbatim from
charon's hex dumps; nothing is recomputed here, so the C# test compares our derivations with strongSwan's.
"""
import re
import sys

HEADER = re.compile(r'^(\d\d)\[(\w+)\]\s*(.*?)\s*=> (\d+) bytes @ 0x[0-9a-f]+$')
DUMP = re.compile(r'^\d\d\[\w+\]\s+\d+: ((?:[0-9A-F]{2} ?)+)')


def entries(lines):
    """(line number, label, bytes) for every hex-dumped chunk; CHUNK_DATA/SPI labels get the rule text."""
    result, i = [], 0
    while i < len(lines):
        m = HEADER.match(lines[i])
        if not m:
            i += 1
            continue
        label = m.group(3)
        if label == "":  # "   => N bytes" after a "parsing/generating rule" line
            label = re.sub(r'^\d\d\[\w+\]\s*', '', lines[i - 1]).strip()
        n, data, j = int(m.group(4)), "", i + 1
        while j < len(lines) and len(data) < 2 * n:
            d = DUMP.match(lines[j])
            if not d:
                break
            data += d.group(1).replace(" ", "")
            j += 1
        result.append((i + 1, label, bytes.fromhex(data)))
        i = j
    return result


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    es = entries(lines)

    def find(pred, nth=0):
        hits = [e for e in es if pred(e)]
        return hits[nth]

    def named(label, nth=0):
        return find(lambda e: e[1] == label, nth)

    out = []

    def emit(name, entry, value=None):
        value = entry[2] if value is None else value
        out.append(f"# {name}: log line {entry[0]} ({entry[1]})")
        out.append(f"{name}={value.hex().upper()}")

    emit("CKY_I", find(lambda e: e[1] == "generating rule 0 IKE_SPI"))
    emit("CKY_R", find(lambda e: e[1] == "parsing rule 1 IKE_SPI" and any(e[2])))
    emit("GXI", find(lambda e: e[1] == "generating rule 3 CHUNK_DATA" and len(e[2]) == 256))
    emit("GXR", find(lambda e: e[1] == "parsing rule 3 CHUNK_DATA" and len(e[2]) == 256))
    emit("NI_B", find(lambda e: e[1] == "generating rule 10 CHUNK_DATA" and len(e[2]) == 32))
    emit("NR_B", find(lambda e: e[1] == "parsing rule 10 CHUNK_DATA" and len(e[2]) == 32))
    for label, name in [("shared Diffie Hellman secret", "GXY"), ("SKEYID", "SKEYID"), ("SKEYID_d", "SKEYID_D"),
                        ("SKEYID_a", "SKEYID_A"), ("SKEYID_e", "SKEYID_E"), ("encryption key Ka", "KA"),
                        ("initial IV", "INITIAL_IV"), ("HASH_I data", "HASH_I_DATA"), ("HASH_I", "HASH_I"),
                        ("HASH_R data", "HASH_R_DATA"), ("HASH_R", "HASH_R")]:
        emit(name, named(label))
    # Main Mode #5: the first encryption (IV, plaintext payloads, strongSwan's padding, ciphertext).
    emit("MM5_IV", named("IV"))
    emit("MM5_PLAIN", named("plain"))
    emit("MM5_PADDING", named("padding"))
    emit("MM5_ENCRYPTED", named("encrypted"))
    # Last phase 1 block: the IV after decrypting Main Mode #6 (second "next IV for MID 0").
    emit("LAST_P1_BLOCK", named("next IV for MID 0", 1))
    mids = [e for e in es if e[1] == "generating rule 14 U_INT_32" and any(e[2])]
    emit("QM_MID", mids[0])
    emit("QM_IV", find(lambda e: e[1].startswith("next IV for MID ") and e[1] != "next IV for MID 0"))
    emit("QM_NI_B", find(lambda e: e[1] == "generating rule 10 CHUNK_DATA" and len(e[2]) == 32, 1))
    emit("QM_NR_B", find(lambda e: e[1] == "parsing rule 10 CHUNK_DATA" and len(e[2]) == 32, 1))
    emit("QM1_PLAIN", named("plain", 2))   # HASH(1) | SA | Ni | KE | IDci | IDcr (generated)
    emit("QM_HASH1", named("Hash(1)"))
    emit("QM2_PLAIN", named("plain", 3))   # decrypted responder message, incl. strongSwan's padding
    emit("QM_HASH2", named("Hash(2)"))
    emit("INFO_MID", mids[1])
    emit("INFO_IV", find(lambda e: e[1].startswith("next IV for MID ") and e[1] not in ("next IV for MID 0", es[0][1])
                                   and e[0] > mids[1][0]))
    emit("INFO_PLAIN", named("plain", 4))  # HASH | N(NO_PROPOSAL_CHOSEN)
    emit("INFO_HASH", named("Hash"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
