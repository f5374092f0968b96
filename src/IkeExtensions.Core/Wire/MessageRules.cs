using System;
using System.Collections.Generic;

namespace IkeExtensions.Wire
{
    /// <summary>How often a payload type may appear in a message of one exchange, and whether it must come first.</summary>
    public readonly struct PayloadRule
    {
        public PayloadRule(PayloadType type, int min, int max, bool mustBeFirst = false)
        {
            Type = type;
            Min = min;
            Max = max;
            MustBeFirst = mustBeFirst;
        }

        public PayloadType Type { get; }
        public int Min { get; }
        public int Max { get; }
        public bool MustBeFirst { get; }
    }

    /// <summary>
    /// Which payloads each exchange may carry (strongSwan's message rules, in table form). The counts are per message
    /// of the exchange; the engine's handlers check what a particular message number needs. Unknown payload types are
    /// allowed (RFC 2408 §5.1 skips them; RFC 7296 §2.5 ignores non-critical ones) except a critical unknown IKEv2
    /// payload, which is UNSUPPORTED_CRITICAL_PAYLOAD. Checking allocates nothing.
    /// </summary>
    public static class MessageRules
    {
        private const int Many = 32;
        private static readonly Dictionary<(int, ExchangeType), PayloadRule[]> Rules = new Dictionary<(int, ExchangeType), PayloadRule[]>
        {
            // RFC 2409 §5 Main Mode; MS-IKEE adds NOTIFY_DOS_COOKIE (3.9) and reliable-delete nothing here.
            [(1, ExchangeType.IdentityProtection)] = new[]
            {
                R(PayloadType.SecurityAssociation, 0, 1), R(PayloadType.KeyExchange, 0, 1), R(PayloadType.Nonce, 0, 1),
                R(PayloadType.Identification, 0, 1), R(PayloadType.Certificate, 0, 16), R(PayloadType.CertificateRequest, 0, 16),
                R(PayloadType.Hash, 0, 1), R(PayloadType.Signature, 0, 1), R(PayloadType.Notification, 0, Many), R(PayloadType.VendorId, 0, Many),
                R(PayloadType.NatDiscovery, 0, 8), R(PayloadType.NatDiscoveryDraft, 0, 8), R(PayloadType.Fragment, 0, 1),
            },
            [(1, ExchangeType.Aggressive)] = new[]
            {
                R(PayloadType.SecurityAssociation, 0, 1), R(PayloadType.KeyExchange, 0, 1), R(PayloadType.Nonce, 0, 1),
                R(PayloadType.Identification, 0, 1), R(PayloadType.Certificate, 0, 16), R(PayloadType.CertificateRequest, 0, 16),
                R(PayloadType.Hash, 0, 1), R(PayloadType.Signature, 0, 1), R(PayloadType.Notification, 0, Many), R(PayloadType.VendorId, 0, Many),
                R(PayloadType.NatDiscovery, 0, 8), R(PayloadType.NatDiscoveryDraft, 0, 8), R(PayloadType.Fragment, 0, 1),
            },
            // RFC 2409 §5.5: HASH(1..3) comes first; client IDs come in pairs; NAT-OA per RFC 3947 §5.2.
            [(1, ExchangeType.QuickMode)] = new[]
            {
                R(PayloadType.Hash, 1, 1, first: true), R(PayloadType.SecurityAssociation, 0, 1), R(PayloadType.Nonce, 0, 1),
                R(PayloadType.KeyExchange, 0, 1), R(PayloadType.Identification, 0, 2), R(PayloadType.Notification, 0, Many),
                R(PayloadType.NatOriginalAddress, 0, 2), R(PayloadType.NatOriginalAddressDraft, 0, 2), R(PayloadType.Fragment, 0, 1),
            },
            // RFC 2409 §5.7; MS-IKEE 3.8 reliable delete adds a Nonce.
            [(1, ExchangeType.Informational)] = new[]
            {
                R(PayloadType.Hash, 0, 1, first: true), R(PayloadType.Notification, 0, Many), R(PayloadType.Delete, 0, Many),
                R(PayloadType.Nonce, 0, 1), R(PayloadType.VendorId, 0, Many), R(PayloadType.Fragment, 0, 1),
            },
            [(1, ExchangeType.Transaction)] = new[] { R(PayloadType.Hash, 0, 1, first: true), R((PayloadType)14, 0, 1) },

            // RFC 7296 §1.2 / §3: IKE_SA_INIT is in the clear; everything later sits in SK (or SKF).
            [(2, ExchangeType.IkeSaInit)] = new[]
            {
                R(PayloadType.SecurityAssociationV2, 0, 1), R(PayloadType.KeyExchangeV2, 0, 1), R(PayloadType.NonceV2, 0, 1),
                R(PayloadType.Notify, 0, Many), R(PayloadType.VendorIdV2, 0, Many), R(PayloadType.CertificateRequestV2, 0, 16),
            },
            [(2, ExchangeType.IkeAuth)] = Protected(),
            [(2, ExchangeType.CreateChildSa)] = Protected(),
            [(2, ExchangeType.InformationalV2)] = Protected(),
        };

        /// <summary>Rules for the payloads inside SK of IKEv2 exchanges (RFC 7296 §1.2–1.5; MS-IKEE 2.2.9 Correlation).</summary>
        private static readonly Dictionary<ExchangeType, PayloadRule[]> InnerRulesV2 = new Dictionary<ExchangeType, PayloadRule[]>
        {
            [ExchangeType.IkeAuth] = new[]
            {
                R(PayloadType.IdentificationInitiator, 0, 1), R(PayloadType.IdentificationResponder, 0, 1), R(PayloadType.Authentication, 0, 1),
                R(PayloadType.CertificateV2, 0, 16), R(PayloadType.CertificateRequestV2, 0, 16), R(PayloadType.SecurityAssociationV2, 0, 1),
                R(PayloadType.TrafficSelectorInitiator, 0, 1), R(PayloadType.TrafficSelectorResponder, 0, 1), R(PayloadType.Configuration, 0, 1),
                R(PayloadType.Notify, 0, Many), R(PayloadType.VendorIdV2, 0, Many), R(PayloadType.ExtensibleAuthentication, 0, 1),
                R(PayloadType.Correlation, 0, 1),
            },
            [ExchangeType.CreateChildSa] = new[]
            {
                R(PayloadType.SecurityAssociationV2, 0, 1), R(PayloadType.NonceV2, 0, 1), R(PayloadType.KeyExchangeV2, 0, 1),
                R(PayloadType.TrafficSelectorInitiator, 0, 1), R(PayloadType.TrafficSelectorResponder, 0, 1),
                R(PayloadType.Notify, 0, Many), R(PayloadType.VendorIdV2, 0, Many), R(PayloadType.Correlation, 0, 1),
            },
            [ExchangeType.InformationalV2] = new[]
            {
                R(PayloadType.Notify, 0, Many), R(PayloadType.DeleteV2, 0, Many), R(PayloadType.Configuration, 0, 1),
                R(PayloadType.VendorIdV2, 0, Many),
            },
        };

        /// <summary>Checks a decoded message (for IKEv1 with an encrypted body: nothing to check until decrypted).</summary>
        public static bool TryCheck(IkeMessage message, out ParseError error)
        {
            error = default;
            if (message.HasEncryptedBody) return true;
            if (!Rules.TryGetValue((message.MajorVersion, message.Header.ExchangeType), out var rules))
            {
                error = new ParseError(ParseErrorCode.RuleViolation, 18, PayloadType.None, $"exchange type {(byte)message.Header.ExchangeType} is not an IKEv{message.MajorVersion} exchange");
                return false;
            }
            if (!TryCheck(message.Payloads, rules, message.MajorVersion, out error)) return false;

            // MS-IKEE 2.2.3: a fragment message is a header and one Fragment payload, nothing else.
            if (message.MajorVersion == 1 && message.Payloads.Count > 1 && Contains(message.Payloads, PayloadType.Fragment))
            {
                error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, PayloadType.Fragment, "a Fragment payload must be alone in its message");
                return false;
            }
            return true;
        }

        /// <summary>
        /// Checks the decrypted payloads of an IKEv1 message (MS-IKEE 3.1.5: CERT only in a message that carries ID) or
        /// of an IKEv2 SK payload.
        /// </summary>
        public static bool TryCheckDecrypted(int majorVersion, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, out ParseError error)
        {
            PayloadRule[]? rules;
            bool found = majorVersion == 1 ? Rules.TryGetValue((1, exchange), out rules) : InnerRulesV2.TryGetValue(exchange, out rules);
            if (!found || rules == null)
            {
                error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, PayloadType.None, $"no protected payloads in exchange {exchange}");
                return false;
            }
            if (!TryCheck(payloads, rules, majorVersion, out error)) return false;
            if (majorVersion == 1 && Contains(payloads, PayloadType.Certificate) && !Contains(payloads, PayloadType.Identification))
            {
                error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, PayloadType.Certificate, "CERT in a message without ID (MS-IKEE 3.1.5)");
                return false;
            }
            return true;
        }

        private static PayloadRule[] Protected() => new[] { R(PayloadType.Encrypted, 0, 1), R(PayloadType.EncryptedFragment, 0, 1) };

        private static bool TryCheck(IReadOnlyList<IkePayload> payloads, PayloadRule[] rules, int majorVersion, out ParseError error)
        {
            Span<int> counts = stackalloc int[256];
            for (int i = 0; i < payloads.Count; i++)
            {
                var p = payloads[i];
                int rule = IndexOf(rules, p.Type);
                if (rule < 0)
                {
                    if (PayloadTypes.IsKnown(p.Type, majorVersion) || (majorVersion == 2 && p.Critical))
                    {
                        error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, p.Type,
                            p.Critical && !PayloadTypes.IsKnown(p.Type, majorVersion) ? "unsupported critical payload" : "payload not allowed in this exchange");
                        return false;
                    }
                    continue;
                }
                if (rules[rule].MustBeFirst && i != 0)
                {
                    error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, p.Type, "must be the first payload");
                    return false;
                }
                counts[(byte)p.Type]++;
            }
            foreach (var r in rules)
            {
                int n = counts[(byte)r.Type];
                if (n < r.Min || n > r.Max)
                {
                    error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, r.Type, $"{n} present, {r.Min}..{r.Max} allowed");
                    return false;
                }
            }
            if (majorVersion == 2 && counts[(byte)PayloadType.Encrypted] + counts[(byte)PayloadType.EncryptedFragment] > 1)
            {
                error = new ParseError(ParseErrorCode.RuleViolation, IsakmpHeader.Size, PayloadType.Encrypted, "SK and SKF together");
                return false;
            }
            error = default;
            return true;
        }

        private static int IndexOf(PayloadRule[] rules, PayloadType type)
        {
            for (int i = 0; i < rules.Length; i++) if (rules[i].Type == type) return i;
            return -1;
        }

        private static bool Contains(IReadOnlyList<IkePayload> payloads, PayloadType type)
        {
            for (int i = 0; i < payloads.Count; i++) if (payloads[i].Type == type) return true;
            return false;
        }

        private static PayloadRule R(PayloadType t, int min, int max, bool first = false) => new PayloadRule(t, min, max, first);
    }
}
