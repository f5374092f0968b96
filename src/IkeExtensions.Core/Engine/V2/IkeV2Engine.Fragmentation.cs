using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// IKEv2 fragmentation (RFC 7383; MS-IKEE 1.3.13, 2.2.11, 3.15): negotiation in IKE_SA_INIT, splitting of large
    /// encrypted messages into Encrypted Fragment (SKF) payloads, and bounded reassembly of the peer's fragments.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        /// <summary>
        /// The fragments of a sealed message, by the unfragmented datagram <see cref="Seal"/> returned (which the
        /// outstanding request and the last response keep): retransmissions resend all of them (RFC 7383 §2.6.1). Entries
        /// go when their datagram is no longer referenced.
        /// </summary>
        private readonly ConditionalWeakTable<byte[], byte[][]> _fragmentsOf = new ConditionalWeakTable<byte[], byte[][]>();

        /// <summary>Messages being reassembled over all IKE SAs (bounded by <see cref="IkeV2EngineOptions.MaxConcurrentReassemblies"/>).</summary>
        private int _fragmentAssemblies;

        /// <summary>Messages being reassembled now, over all IKE SAs.</summary>
        public int FragmentReassemblyCount => _fragmentAssemblies;

        // ---------------------------------------------------------------- negotiation (MS-IKEE 2.2.11.1, 3.15.5.1-2)

        /// <summary>Initiator: IKEV2_FRAGMENTATION_SUPPORTED in the IKE_SA_INIT request when fragmentation is allowed.</summary>
        private void OfferFragmentation(IkeV2Session s, List<IkePayload> payloads)
        {
            if (!_options.FragmentationEnabled) return;
            s.FragmentationOffered = true;
            payloads.Add(new NotifyPayload(NotifyTypeV2.IkeV2FragmentationSupported));
        }

        /// <summary>
        /// The peer's IKE_SA_INIT message: records whether it announced fragmentation. As responder
        /// (<paramref name="response"/> not null) we answer with the notify only when the request had it and we allow it
        /// (MS-IKEE 3.15.5.1: both must support it); as initiator, the response completes the negotiation (3.15.5.2).
        /// </summary>
        private void NegotiateFragmentation(IkeV2Session s, IkeMessage peerMessage, List<IkePayload>? response)
        {
            s.PeerSupportsFragmentation = peerMessage.FindAll<NotifyPayload>().Any(n => n.MessageType == NotifyTypeV2.IkeV2FragmentationSupported);
            if (response != null && s.PeerSupportsFragmentation && _options.FragmentationEnabled)
            {
                s.FragmentationOffered = true;
                response.Add(new NotifyPayload(NotifyTypeV2.IkeV2FragmentationSupported));
            }
            s.Row.FragmentationSupported = s.FragmentationNegotiated;
            if (s.FragmentationNegotiated) Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} IKEv2 fragmentation negotiated (RFC 7383 §2.3)");
        }

        // ---------------------------------------------------------------- sending (RFC 7383 §2.5)

        /// <summary>
        /// Called by <see cref="Seal"/>: when fragmentation was negotiated and the protected message is larger than a
        /// fragment may be, splits the plaintext <paramref name="inner"/> into SKF messages and remembers them for
        /// <paramref name="sealedMessage"/>, which <see cref="SendRaw"/> then sends as those fragments.
        /// </summary>
        private void AttachFragments(IkeV2Session s, IsakmpHeader header, PayloadType firstInner, byte[] inner, byte[] sealedMessage)
        {
            if (!s.FragmentationNegotiated || header.ExchangeType == ExchangeType.IkeSaInit) return;
            int budget = IkeV2Fragmenter.MessageBudget(_options.FragmentSize, s.Row.LocalEndpoint, s.Row.RemoteEndpoint);
            if (sealedMessage.Length <= budget) return;
            var fragments = IkeV2Fragmenter.Split(s.Sk!, header, firstInner, inner, budget, ushort.MaxValue, _options.Random);
            if (fragments == null)
            {
                Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} {header.ExchangeType} ({sealedMessage.Length} bytes) cannot be fragmented into {budget}-byte messages: sent whole");
                return;
            }
            _fragmentsOf.Add(sealedMessage, fragments);
            s.Row.FragmentationActive = true;
            Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {header.ExchangeType} {((header.Flags & HeaderFlags.Response) != 0 ? "response" : "request")} " +
                                $"mid={header.MessageId} ({sealedMessage.Length} bytes) split into {fragments.Length} fragments of at most {budget} bytes (RFC 7383 §2.5)");
        }

        /// <summary>Called by <see cref="SendRawTo"/>: sends the fragments of a fragmented message instead of it; false when it has none.</summary>
        private bool SendFragments(IPEndPoint local, IPEndPoint remote, byte[] datagram)
        {
            if (!_fragmentsOf.TryGetValue(datagram, out var fragments)) return false;
            foreach (var f in fragments)
            {
                Statistics.Sent();
                _output.Send(local, remote, f);
            }
            return true;
        }

        // ---------------------------------------------------------------- receiving (RFC 7383 §2.6)

        /// <summary>
        /// Called by <see cref="TryOpen"/> for a message ending in an SKF payload (after the message-ID checks): verifies
        /// and decrypts the fragment, stores it, and once all fragments are here returns the reassembled inner payloads as
        /// if they had come in one SK payload. False while incomplete and for any fragment that is dropped.
        /// </summary>
        private bool TryOpenFragment(IkeV2Session s, IkeMessage m, EncryptedFragmentPayload f, ReadOnlyMemory<byte> datagram, out IReadOnlyList<IkePayload> inner)
        {
            inner = Array.Empty<IkePayload>();
            var h = m.Header;
            bool response = (h.Flags & HeaderFlags.Response) != 0;
            string what = $"IKEv2#{s.Row.Id} {h.ExchangeType} {(response ? "response" : "request")} mid={h.MessageId} fragment {f.FragmentNumber}/{f.TotalFragments}";
            if (!s.FragmentationNegotiated)
            {
                Drop(s.Row.RemoteEndpoint, $"{what}: fragmentation was not negotiated on this IKE SA (RFC 7383 §2.3)");
                return false;
            }
            var key = (h.MessageId, response);
            if (f.TotalFragments > _options.MaxFragmentsPerMessage)
            {
                DiscardAssembly(s, key);
                Drop(s.Row.RemoteEndpoint, $"{what}: more than {_options.MaxFragmentsPerMessage} fragments (MS-IKEE 3.15.1 limit)");
                return false;
            }
            // RFC 7383 §2.6: the ICV of every fragment is checked before it is stored, so forged fragments cannot
            // displace genuine ones.
            int offset = datagram.Length - f.EncodedLength;
            if (!s.Sk!.TryUnprotect(datagram.Span, offset, out var plain, out var why, payloadHeaderLength: 8))
            {
                Statistics.Malformed();
                Log(LogLevel.Debug, $"{what} dropped: {why}");
                return false;
            }
            ExpireFragmentAssemblies(Now);
            if (!s.FragmentAssemblies.TryGetValue(key, out var a))
            {
                if (_fragmentAssemblies >= _options.MaxConcurrentReassemblies)
                {
                    CryptoBytes.Zero(plain);
                    Drop(s.Row.RemoteEndpoint, $"{what}: {_fragmentAssemblies} messages already being reassembled (limit)");
                    return false;
                }
                // The window admits one message per direction: one left from an earlier message ID is stale.
                foreach (var old in s.FragmentAssemblies.Keys.Where(k => k.Response == response).ToList()) DiscardAssembly(s, old);
                a = new IkeV2FragmentAssembly(f.TotalFragments, Now);
                s.FragmentAssemblies.Add(key, a);
                _fragmentAssemblies++;
            }
            switch (a.Add(f.FragmentNumber, f.TotalFragments, f.FirstInnerPayload, plain, _options.MaxReassembledSize))
            {
                case FragmentAddResult.Duplicate:
                    CryptoBytes.Zero(plain);
                    Log(LogLevel.Debug, $"{what}: duplicate, ignored (RFC 7383 §2.6)");
                    return false;
                case FragmentAddResult.StaleTotal:
                    CryptoBytes.Zero(plain);
                    Log(LogLevel.Debug, $"{what}: fewer Total Fragments than the {a.TotalFragments} held, ignored (RFC 7383 §2.6)");
                    return false;
                case FragmentAddResult.TooLarge:
                    CryptoBytes.Zero(plain);
                    DiscardAssembly(s, key);
                    Drop(s.Row.RemoteEndpoint, $"{what}: the message would exceed {_options.MaxReassembledSize} bytes (MS-IKEE 3.15.1 limit): discarded");
                    return false;
                case FragmentAddResult.Stored:
                    Log(LogLevel.Debug, $"{what} stored ({a.Received} of {a.TotalFragments})");
                    return false;
            }
            var first = a.FirstInner;
            var all = a.Assemble();
            DiscardAssembly(s, key);
            s.Row.FragmentationActive = true;
            // The decoded payloads are views of `all` (as with SK's plaintext in TryOpen): it is not wiped on success.
            if (!IkeMessage.TryDecodePayloads(all, first, 2, out inner, out var error, baseOffset: 0) ||
                !MessageRules.TryCheckDecrypted(2, h.ExchangeType, inner, out error))
            {
                inner = Array.Empty<IkePayload>();
                CryptoBytes.Zero(all);
                Statistics.Malformed();
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {h.ExchangeType} reassembled inner payloads rejected: {error}");
                return false;
            }
            Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} {h.ExchangeType} {(response ? "response" : "request")} mid={h.MessageId} " +
                                $"reassembled from {f.TotalFragments} fragments ({all.Length} bytes, RFC 7383 §2.6)");
            return true;
        }

        /// <summary>
        /// Called for a request whose Message ID was already answered: when it is a fragment, RFC 7383 §2.6.1 has the
        /// responder resend its response on fragment 1 of the retransmitted request (after checking its ICV), without
        /// waiting for the other fragments, which are dropped. False when the message is not a fragment.
        /// </summary>
        private bool OnAnsweredRequestFragment(IkeV2Session s, IkeMessage m, ReadOnlyMemory<byte> datagram)
        {
            if (!(m.Payloads.Count > 0 && m.Payloads[m.Payloads.Count - 1] is EncryptedFragmentPayload f)) return false;
            var h = m.Header;
            if (f.FragmentNumber == 1 && s.FragmentationNegotiated && s.LastResponse != null &&
                s.Sk!.TryUnprotect(datagram.Span, datagram.Length - f.EncodedLength, out var plain, out _, payloadHeaderLength: 8))
            {
                CryptoBytes.Zero(plain);
                Statistics.Retransmitted();
                Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} retransmitted {h.ExchangeType} request mid={h.MessageId} (fragment 1): response sent again (RFC 7383 §2.6.1)");
                SendRaw(s, s.LastResponse);
            }
            else Drop(s.Row.RemoteEndpoint, $"fragment {f.FragmentNumber}/{f.TotalFragments} of the answered request mid={h.MessageId}");
            return true;
        }

        // ---------------------------------------------------------------- cleanup (MS-IKEE 3.3.2, 3.3.6.2)

        private void DiscardAssembly(IkeV2Session s, (uint MessageId, bool Response) key)
        {
            if (!s.FragmentAssemblies.TryGetValue(key, out var a)) return;
            a.Clear();
            s.FragmentAssemblies.Remove(key);
            _fragmentAssemblies--;
        }

        /// <summary>Called when an IKE SA goes: its incomplete messages are wiped.</summary>
        private void DiscardFragmentAssemblies(IkeV2Session s)
        {
            foreach (var key in s.FragmentAssemblies.Keys.ToList()) DiscardAssembly(s, key);
        }

        /// <summary>The fragment reassembly timer (MS-IKEE 3.3.6.2): fragments of a message incomplete after the timeout are silently discarded.</summary>
        private void ExpireFragmentAssemblies(DateTime now)
        {
            if (_fragmentAssemblies == 0) return;
            foreach (var s in _bySpi.Values)
            {
                if (s.FragmentAssemblies.Count == 0) continue;
                foreach (var kv in s.FragmentAssemblies.Where(x => now >= x.Value.StartedAt + _options.FragmentReassemblyTimeout).ToList())
                {
                    Log(LogLevel.Debug, $"IKEv2#{s.Row.Id} mid={kv.Key.MessageId}: {kv.Value.Received} of {kv.Value.TotalFragments} fragments discarded (reassembly timer)");
                    DiscardAssembly(s, kv.Key);
                }
            }
        }

        /// <summary>When the next reassembly times out, for <see cref="NextDeadline"/>.</summary>
        private DateTime? NextFragmentDeadline()
        {
            if (_fragmentAssemblies == 0) return null;
            DateTime? next = null;
            foreach (var s in _bySpi.Values)
                foreach (var a in s.FragmentAssemblies.Values)
                {
                    var t = a.StartedAt + _options.FragmentReassemblyTimeout;
                    if (next == null || t < next) next = t;
                }
            return next;
        }
    }
}
