using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    /// <summary>
    /// Status codes in the NOTIFY_STATUS (0x3039, MS-IKEE 2.2.7) that ends a correlation exchange. The spec leaves the
    /// values to the implementation ("implementation specific", note 9); these are ours. Every one of them ends the
    /// correlating IKE SA (SAcurrent) — only <see cref="Correlated"/> means SAoriginal was flagged.
    /// </summary>
    public enum CorrelationStatus : uint
    {
        /// <summary>The hash matched; the SAs were flagged as correlated and the exchange torn down (3.10.5.2).</summary>
        Correlated = 1,
        /// <summary>No established IKE SA has the SPIs of the Correlation payload (3.10.5.1 step 1).</summary>
        UnknownSa = 2,
        /// <summary>The Correlation_Hash differs from ours (3.10.5.1 step 2).</summary>
        HashMismatch = 3,
        /// <summary>SAcurrent authenticated differently from SAoriginal (3.10: it MUST use the same authentication).</summary>
        AuthenticationMismatch = 4,
        /// <summary>The hash is not one PRF output long.</summary>
        Malformed = 5,
        /// <summary>SAoriginal has no SK_a (an AEAD cipher): the hash would have no secret key, so it is not accepted.</summary>
        NoIntegrityKey = 6,
    }

    /// <summary>
    /// MS-IKEE 3.10 IKE SA correlation. The initiator builds a new IKE SA (SAcurrent) whose IKE_AUTH request carries
    /// a Correlation payload (2.2.9) immediately before SAi2. The responder authenticates IKE_AUTH as usual, then checks
    /// the payload against its SADB (3.10.5.1), flags the SAs as correlated when the hash matches, and — success or
    /// not — tears the exchange down with an error notify (3.10.5.2); the initiator deletes SAcurrent on it (3.10.5.3).
    /// "Any failures in this exchange MUST NOT affect the state of the correlated IKE_SA": SAoriginal is only read,
    /// and written only on success.
    /// </summary>
    public sealed partial class IkeV2Engine
    {
        /// <summary>Tests only: changes the Correlation_Hash we send, to play a peer without SAoriginal's keys.</summary>
        internal Func<byte[], byte[]>? CorrelationHashTamper { get; set; }

        /// <summary>
        /// MS-IKEE 3.10 (initiator): builds a new IKE SA with the peer of established IKE SA <paramref name="originalIkeSaId"/>
        /// and correlates it with that one. <paramref name="request"/> is the child proposed in IKE_AUTH (SAi2, TSi, TSr;
        /// default: transport between the same addresses). The result lands on the original row
        /// (<see cref="IkeV2Sa.CorrelatedWith"/>) and in the MainModeFailed event of the correlating SA, which never stays.
        /// </summary>
        public IkeV2Sa Correlate(long originalIkeSaId, InitiateRequest? request = null)
        {
            var original = _bySpi.Values.FirstOrDefault(x => x.Row.Id == originalIkeSaId && !x.Gone && x.Row.State == IkeV2SaState.Established)
                           ?? throw new InvalidOperationException($"No established IKE SA IKEv2#{originalIkeSaId} to correlate with.");
            if (SenderKey(original, weSend: true).Length == 0)
                throw new InvalidOperationException($"IKEv2#{originalIkeSaId} uses an AEAD cipher and has no SK_a to key the correlation hash (MS-IKEE 2.2.9).");
            request ??= new InitiateRequest(original.Row.LocalEndpoint, original.Row.RemoteEndpoint);
            request.ForceNewMainMode = true;
            var row = Initiate(request);
            var current = _bySpi[row.InitiatorSpi];
            current.CorrelateWith = originalIkeSaId;
            row.CorrelationTarget = originalIkeSaId;
            Log(LogLevel.Info, $"IKEv2#{row.Id} will correlate with IKEv2#{originalIkeSaId} (MS-IKEE 3.10)");
            return row;
        }

        /// <summary>
        /// SAoriginal's SK_a of the party sending the Correlation payload (2.2.9: "SK_ai on the initiator and SK_ar for the
        /// responder from SAoriginal" — the sender's key by its role in SAoriginal; SK_ai when it initiated both SAs).
        /// </summary>
        private static byte[] SenderKey(IkeV2Session original, bool weSend) =>
            original.IsOriginalInitiator == weSend ? original.Keys!.SkAi : original.Keys!.SkAr;

        /// <summary>2.2.9: prf(SK_a, SAcurrent.SPIi | SAcurrent.SPIr | SAoriginal.SPIi | SAoriginal.SPIr) with SAcurrent's PRF.</summary>
        private static byte[] CorrelationHash(IkeV2Session current, IkeV2Session original, bool weSend)
        {
            var data = new byte[32];
            BinaryPrimitives.WriteUInt64BigEndian(data, current.Row.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), current.Row.ResponderSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(16), original.Row.InitiatorSpi);
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(24), original.Row.ResponderSpi);
            return current.Prf!.Compute(SenderKey(original, weSend), data);
        }

        private IkeV2Session? EstablishedSession(long id) =>
            _bySpi.Values.FirstOrDefault(x => x.Row.Id == id && !x.Gone && x.Row.State == IkeV2SaState.Established && x.Keys != null);

        /// <summary>
        /// Initiator, IKE_AUTH request (3.10): the Correlation payload, added right before SAi2. False when SAoriginal is
        /// gone meanwhile: SAcurrent then fails here and nothing is sent.
        /// </summary>
        private bool AddCorrelation(IkeV2Session s, List<IkePayload> payloads)
        {
            if (s.CorrelateWith == null) return true;
            var original = EstablishedSession(s.CorrelateWith.Value);
            if (original == null)
            {
                Fail(s, $"IKEv2#{s.CorrelateWith} to correlate with is no longer established (MS-IKEE 3.10)");
                return false;
            }
            var hash = CorrelationHash(s, original, weSend: true);
            if (CorrelationHashTamper != null) hash = CorrelationHashTamper(hash);
            payloads.Add(new CorrelationPayload(original.Row.InitiatorSpi, original.Row.ResponderSpi, hash));
            return true;
        }

        /// <summary>
        /// Responder, IKE_AUTH request with a Correlation payload, after IDi and AUTH checked out (3.10.5.1). Answers with
        /// NOTIFY_STATUS and tears SAcurrent down in every case (3.10.5.2); SAoriginal is written only on success.
        /// </summary>
        private void OnCorrelationRequest(IkeV2Session s, IsakmpHeader h, CorrelationPayload c)
        {
            var original = _bySpi.Values.FirstOrDefault(x => x != s && !x.Gone && x.Row.State == IkeV2SaState.Established && x.Keys != null &&
                                                             x.Row.InitiatorSpi == c.OriginalInitiatorSpi && x.Row.ResponderSpi == c.OriginalResponderSpi);
            CorrelationStatus status;
            if (original == null) status = CorrelationStatus.UnknownSa;
            else if (original.Row.AuthenticationMethod != s.Row.AuthenticationMethod) status = CorrelationStatus.AuthenticationMismatch;
            else if (SenderKey(original, weSend: false).Length == 0) status = CorrelationStatus.NoIntegrityKey;
            else if (c.CorrelationHash.Length != s.Prf!.OutputLength) status = CorrelationStatus.Malformed;
            else
            {
                var expected = CorrelationHash(s, original, weSend: false);
                status = CryptoBytes.FixedTimeEquals(expected, c.CorrelationHash.Span) ? CorrelationStatus.Correlated : CorrelationStatus.HashMismatch;
            }
            string spis = $"{c.OriginalInitiatorSpi:x16}/{c.OriginalResponderSpi:x16}";
            if (status == CorrelationStatus.Correlated)
            {
                // 3.10.5.1 step 2: "the host flags these SAs as correlated" (3.10.1: each row names the other).
                original!.Row.CorrelatedWith = s.Row.Id;
                original.Row.CorrelatedAt = Now;
                s.Row.CorrelatedWith = original.Row.Id;
                s.Row.CorrelationTarget = original.Row.Id;
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} correlated with IKEv2#{original.Row.Id} (MS-IKEE 3.10.5.1)");
            }
            else Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} correlation with {spis} refused: {status}; that IKE SA is left as it was (MS-IKEE 3.10.5.1)");
            SendResponse(s, h, new IkePayload[] { StatusNotify(status) });
            Fail(s, $"correlation exchange ended by the responder (MS-IKEE 3.10.5.2): {status}" +
                    (status == CorrelationStatus.Correlated ? $" with IKEv2#{original!.Row.Id}" : $" for {spis}"));
        }

        private static NotifyPayload StatusNotify(CorrelationStatus status)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(data, (uint)status);
            return new NotifyPayload(NotifyTypeV2.MsNotifyStatus, data);
        }

        /// <summary>
        /// Initiator, IKE_AUTH response of a correlation exchange: NOTIFY_STATUS ends it (3.10.5.3: delete the SA; read the
        /// status, 2.2.7). True when handled. Without one the peer ignored the payload; see <see cref="AfterCorrelatingAuth"/>.
        /// </summary>
        private bool OnCorrelationResponse(IkeV2Session s, IReadOnlyList<IkePayload> inner)
        {
            if (s.CorrelateWith == null) return false;
            var notify = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.MessageType == NotifyTypeV2.MsNotifyStatus);
            if (notify == null) return false;
            uint code = notify.Data.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(notify.Data.Span) : 0;
            string status = notify.Data.Length != 4 ? $"malformed status ({notify.Data.Length} bytes)"
                : Enum.IsDefined(typeof(CorrelationStatus), code) ? ((CorrelationStatus)code).ToString() : $"status 0x{code:x8}";
            long originalId = s.CorrelateWith.Value;
            var original = EstablishedSession(originalId);
            if (notify.Data.Length == 4 && code == (uint)CorrelationStatus.Correlated && original != null)
            {
                original.Row.CorrelatedWith = s.Row.Id;
                original.Row.CorrelatedAt = Now;
                s.Row.CorrelatedWith = originalId;
                Log(LogLevel.Info, $"IKEv2#{originalId} correlated with IKEv2#{s.Row.Id} (MS-IKEE 3.10)");
            }
            Fail(s, $"correlation exchange ended by the responder (MS-IKEE 3.10.5.3): {status}");
            return true;
        }

        /// <summary>
        /// Initiator: SAcurrent got established instead — the peer does not implement MS-IKEE 3.10 and ignored the
        /// (non-critical) Correlation payload. The SA was only wanted for correlating, so it is deleted again.
        /// </summary>
        private void AfterCorrelatingAuth(IkeV2Session s)
        {
            if (s.CorrelateWith == null || s.Gone || s.Row.State != IkeV2SaState.Established) return;
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} the peer established the SA instead of answering the correlation (no MS-IKEE 3.10 support)");
            DeleteIke(s, "the peer does not support IKE SA correlation (MS-IKEE 3.10)");
        }
    }
}
