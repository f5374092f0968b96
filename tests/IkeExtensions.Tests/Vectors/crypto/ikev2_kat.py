#!/usr/bin/env python3
"""Independent known answers for tests/IkeExtensions.Tests/EngineV2/IkeV2CryptoTests.cs.

IKEv2 key derivation (RFC 7296 §2.13 prf+, §2.14 SKEYSEED and the seven keys, §2.17 child KEYMAT), the pre-shared key
AUTH (§2.15) and SK payload protection (§3.14: AES-CBC + HMAC-SHA2 truncated ICV; RFC 5282 AES-GCM-16 with an 8-octet
explicit IV, the 4-octet salt at the end of SK_e, AAD = IKE header + SK generic header).

Uses the Python standard library (hmac, hashlib) plus the `cryptography` package for AES (CBC and GCM), so nothing
here shares code with the C# implementation (System.Security.Cryptography / BouncyCastle). Run:

    python3 ikev2_kat.py > ikev2_kat.txt

Every value (inputs too) is printed as NAME=hex; the tests read ikev2_kat.txt.
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

out = []


def emit(name, value):
    out.append(f"{name}={value.hex().upper()}")


def prf(hash_name, key, data):
    return hmac.new(key, data, getattr(hashlib, hash_name)).digest()


def prf_plus(hash_name, key, seed, length):
    """RFC 7296 §2.13: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n)."""
    result, t, n = b"", b"", 1
    while len(result) < length:
        t = prf(hash_name, key, t + seed + bytes([n]))
        result += t
        n += 1
    return result[:length]


def pattern(n, start, step=1):
    return bytes((start + i * step) & 0xFF for i in range(n))


# ---- prf+ -------------------------------------------------------------------------------------------------------
K = pattern(32, 0x0B, 0)
S = b"IKEv2 prf+ seed, longer than one block of output....."
emit("PRFPLUS_KEY", K)
emit("PRFPLUS_SEED", S)
emit("PRFPLUS_SHA256_200", prf_plus("sha256", K, S, 200))
emit("PRFPLUS_SHA512_130", prf_plus("sha512", K, S, 130))

# ---- IKE SA keys (§2.14) ----------------------------------------------------------------------------------------
NI = pattern(32, 0x10)
NR = pattern(48, 0x80, 3)
GIR = hashlib.sha512(b"g^ir A").digest() * 4          # 256 octets, a MODP-2048-sized shared secret
SPII = 0x0102030405060708
SPIR = 0x1112131415161718
emit("NI", NI)
emit("NR", NR)
emit("GIR", GIR)
emit("SPII", struct.pack(">Q", SPII))
emit("SPIR", struct.pack(">Q", SPIR))


def ike_keys(tag, hash_name, encr_len, integ_len):
    skeyseed = prf(hash_name, NI + NR, GIR)
    emit(f"SKEYSEED_{tag}", skeyseed)
    p = hashlib.new(hash_name).digest_size
    stream = prf_plus(hash_name, skeyseed, NI + NR + struct.pack(">QQ", SPII, SPIR),
                      p + 2 * integ_len + 2 * encr_len + 2 * p)
    at = 0
    keys = {}
    for name, n in (("D", p), ("AI", integ_len), ("AR", integ_len), ("EI", encr_len), ("ER", encr_len), ("PI", p), ("PR", p)):
        keys[name] = stream[at:at + n]
        emit(f"SK_{name}_{tag}", keys[name])
        at += n
    return keys


# A: aes256-sha256 with PRF-HMAC-SHA2-256 (ENCR 32, INTEG 32). B: aes128gcm16 with PRF-HMAC-SHA2-384 (16 + 4 salt, none).
KA = ike_keys("A", "sha256", 32, 32)
KB = ike_keys("B", "sha384", 20, 0)

# ---- child KEYMAT (§2.17) ---------------------------------------------------------------------------------------
GIR_NEW = hashlib.sha256(b"g^ir new").digest()
emit("GIR_NEW", GIR_NEW)
emit("KEYMAT_A", prf_plus("sha256", KA["D"], NI + NR, 2 * (32 + 32)))            # aes256-sha256, no PFS
emit("KEYMAT_B_PFS", prf_plus("sha384", KB["D"], GIR_NEW + NI + NR, 2 * (16 + 4)))  # aes128gcm16 with PFS

# ---- PSK AUTH (§2.15) -------------------------------------------------------------------------------------------
PSK = b"interop-lab-psk-not-a-secret"
MSG1 = pattern(300, 0x21, 7)                           # stands in for the IKE_SA_INIT request as sent
IDBODY = bytes([1, 0, 0, 0, 192, 0, 2, 1])             # ID_IPV4_ADDR 192.0.2.1
emit("PSK", PSK)
emit("MSG1", MSG1)
emit("IDBODY", IDBODY)
octets = MSG1 + NR + prf("sha256", KA["PI"], IDBODY)
emit("SIGNED_OCTETS_A", octets)
emit("AUTH_A", prf("sha256", prf("sha256", PSK, b"Key Pad for IKEv2"), octets))

# ---- SK payload (§3.14) -----------------------------------------------------------------------------------------
INNER = pattern(45, 0x40, 5)                           # an encoded payload chain; first inner payload IDi (35)
emit("INNER", INNER)


def header(length):
    # SPIi, SPIr, next payload SK (46), version 2.0, IKE_AUTH (35), flags I (0x08), message ID 1, length.
    return struct.pack(">QQBBBBII", SPII, SPIR, 46, 0x20, 35, 0x08, 1, length)


# AES-256-CBC + HMAC-SHA2-256-128 with the initiator's keys.
IV_CBC = pattern(16, 0xA0)
emit("IV_CBC", IV_CBC)
pad = (16 - (len(INNER) + 1) % 16) % 16
plain = INNER + bytes(pad) + bytes([pad])
enc = Cipher(algorithms.AES(KA["EI"]), modes.CBC(IV_CBC)).encryptor()
ct = enc.update(plain) + enc.finalize()
total = 28 + 4 + 16 + len(ct) + 16
msg = header(total) + struct.pack(">BBH", 35, 0, 4 + 16 + len(ct) + 16) + IV_CBC + ct
msg += prf("sha256", KA["AI"], msg)[:16]
emit("SK_CBC_DATAGRAM", msg)

# AES-128-GCM-16 with the initiator's key (first 16 octets of SK_ei) and salt (last 4).
IV_GCM = pattern(8, 0xC0)
emit("IV_GCM", IV_GCM)
plain = INNER + bytes([0])                             # no padding needed; pad length 0
total = 28 + 4 + 8 + len(plain) + 16
aad = header(total) + struct.pack(">BBH", 35, 0, 4 + 8 + len(plain) + 16)
sealed = AESGCM(KB["EI"][:16]).encrypt(KB["EI"][16:] + IV_GCM, plain, aad)   # ciphertext | tag
emit("SK_GCM_DATAGRAM", aad + IV_GCM + sealed)

print("\n".join(out))
