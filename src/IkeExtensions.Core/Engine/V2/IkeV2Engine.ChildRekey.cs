using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ child SA rekey (RFC 7296 §1.3.3, §2.8, §2.8.1, §2.25)
        //
        // CREATE_CHILD_SA {N(REKEY_SA, ESP, SPI), SA, Ni, [KEi], TSi, TSr}: the SPI is the rekey initiator's inbound SPI of
        // the old child (the responder's outbound one, as in Delete). The new child has the old one's selectors and mode;
        // the new row records which child it replaces; the initiator of the rekey deletes the old child, the responder
        // keeps it until then.

        /// <summary>Rekeys an established child SA (RFC 7296 §1.3.3); false when there is none or it is already being rekeyed or deleted.</summary>
        public bool RekeyChildSa(long id)
        {
            var c = _bySpi.Values.Where(s => !s.Gone).SelectMany(s => s.Children).FirstOrDefault(x => x.Row.Id == id);
            return c != null && StartChildRekey(c, "requested by administrator");
        }

        private bool StartChildRekey(ChildSession old, string why)
        {
            var s = old.Parent;
            if (s.Gone || s.Row.State != IkeV2SaState.Established || old.Row.State != QuickModeSaState.Established || old.Chosen == null ||
                old.RekeyingBy != null || old.ReplacedBy != null || old.DeleteRequested || old.AwaitDeleteUntil != null ||
                old.Row.LocalTrafficSelector == null || old.Row.RemoteTrafficSelector == null) return false;
            var c = NewChild(s, old.Request, initiator: true);
            c.Mode = old.Mode;
            c.ProposedLocal.Clear();
            c.ProposedRemote.Clear();
            c.ProposedLocal.Add(old.Row.LocalTrafficSelector);
            c.ProposedRemote.Add(old.Row.RemoteTrafficSelector);
            c.Rekeys = old;
            c.NonceI = NewNonce();
            old.RekeyingBy = c;
            // §2.8: the same algorithms as the old child (its proposal first); the KE follows the first proposal's PFS group.
            var proposals = new[] { old.Chosen }.Concat(_options.Policy.Child.Where(p => !ReferenceEquals(p, old.Chosen))).ToList();
            int pfs = proposals[0].PfsGroup;
            var payloads = new List<IkePayload>
            {
                new NotifyPayload(NotifyTypeV2.RekeySa, default, (byte)ProtocolIdV2.Esp, IkeV2Codec.SpiBytes(old.Row.InboundSpi)),
                new SecurityAssociationPayload(proposals.Select((p, i) => IkeV2Codec.Child((byte)(i + 1), p, c.Row.InboundSpi, withDh: true)).ToList()),
                new NoncePayload(c.NonceI, 2),
            };
            if (pfs != 0)
            {
                c.Dh = DhGroups.Get(pfs).Generate(_options.Random);
                payloads.Add(new KeyExchangePayload((ushort)pfs, c.Dh.PublicValue));
            }
            if (c.Mode == EncapsulationModeChoice.Transport) payloads.Add(new NotifyPayload(NotifyTypeV2.UseTransportMode));
            payloads.Add(IkeV2Codec.Ts(true, c.ProposedLocal));
            payloads.Add(IkeV2Codec.Ts(false, c.ProposedRemote));
            Log(LogLevel.Info, $"CHILD#{old.Row.Id} rekeying ({why}): CREATE_CHILD_SA with REKEY_SA for CHILD#{c.Row.Id} on IKEv2#{s.Row.Id}");
            SendRequest(s, RequestKind.RekeyChild, ExchangeType.CreateChildSa, payloads, c);
            return true;
        }

        private void OnRekeyChildResponse(IkeV2Session s, ChildSession c, IReadOnlyList<IkePayload> inner)
        {
            var old = c.Rekeys;
            if (old != null && old.RekeyingBy == c) old.RekeyingBy = null;
            OnCreateChildResponse(s, c, inner); // establishes c, or removes it as failed
            if (old == null) return;
            var theirs = old.CollidingRekey != null && old.CollidingRekey.Row.State == QuickModeSaState.Established ? old.CollidingRekey : null;
            old.CollidingRekey = null;
            if (c.Row.State != QuickModeSaState.Established)
            {
                if (theirs != null)
                {
                    // §2.8.1 / §2.25: the peer finished its rekey of this child first; its new child replaces the old one.
                    Replaced(old, theirs);
                    old.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout;
                    Log(LogLevel.Info, $"CHILD#{old.Row.Id} our rekey failed; the peer's CHILD#{theirs.Row.Id} replaces it");
                    return;
                }
                old.RekeyAt = Now + _options.RekeyRetryInterval;
                Log(LogLevel.Warning, $"CHILD#{old.Row.Id} rekey failed ({c.Row.FailureReason}); the child stays, retry in {_options.RekeyRetryInterval.TotalSeconds:0}s");
                return;
            }
            if (theirs != null && HoldsLowestNonce(c.NonceI, c.NonceR, theirs.NonceI, theirs.NonceR))
            {
                // §2.8.1: the SA with the lowest of the four nonces is closed by the endpoint that created it — ours here.
                Log(LogLevel.Info, $"CHILD#{old.Row.Id} simultaneous rekey: our CHILD#{c.Row.Id} holds the lowest nonce and goes, the peer's CHILD#{theirs.Row.Id} survives (RFC 7296 §2.8.1)");
                Replaced(old, theirs);
                old.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout; // the peer initiated the survivor: it deletes the old child
                RequestChildDelete(c, "redundant child of a simultaneous rekey (RFC 7296 §2.8.1)");
                return;
            }
            if (theirs != null)
            {
                Log(LogLevel.Info, $"CHILD#{old.Row.Id} simultaneous rekey: the peer's CHILD#{theirs.Row.Id} holds the lowest nonce, our CHILD#{c.Row.Id} survives (RFC 7296 §2.8.1)");
                theirs.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout; // the peer deletes its redundant child
            }
            Replaced(old, c);
            if (old.Parent.Children.Contains(old) && old.Row.State == QuickModeSaState.Established)
                RequestChildDelete(old, $"rekeyed: replaced by CHILD#{c.Row.Id}");
        }

        /// <summary>The responder's side of a child rekey (§1.3.3): a new child as usual, linked to the one it replaces.</summary>
        private void OnRekeyChildRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner, NotifyPayload rekey, SecurityAssociationPayload sa,
            TrafficSelectorPayload tsi, TrafficSelectorPayload tsr, NoncePayload nonce)
        {
            uint spi = rekey.ProtocolId == (byte)ProtocolIdV2.Esp ? IkeV2Codec.ReadSpi(rekey.Spi) : 0;
            var old = s.Children.FirstOrDefault(x => x.Row.OutboundSpi == spi && x.Row.State == QuickModeSaState.Established);
            if (old == null)
            {
                // §2.25: a rekey of a child that does not exist (any more).
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} peer asks to rekey child SPI {spi:x8}, which we do not have: CHILD_SA_NOT_FOUND");
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.ChildSaNotFound, default, rekey.ProtocolId, rekey.Spi) });
                return;
            }
            if (old.DeleteRequested || old.ReplacedBy != null)
            {
                // §2.25: a child we are closing (or that is already replaced) is not rekeyed.
                Log(LogLevel.Info, $"CHILD#{old.Row.Id} peer asks to rekey it while it is being closed: TEMPORARY_FAILURE");
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.TemporaryFailure) });
                return;
            }
            var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
            var nonceI = nonce.Data.ToArray();
            var nonceR = NewNonce();
            var payloads = RespondChild(s, inner, sa, tsi, tsr, nonceI, nonceR, ke, inIkeAuth: false, out var child, out var refusal);
            SendResponse(s, h, payloads);
            if (child == null)
            {
                Log(LogLevel.Warning, $"CHILD#{old.Row.Id} rekey from the peer refused: {refusal}; the child stays");
                return;
            }
            child.NonceI = nonceI;
            child.NonceR = nonceR;
            child.Rekeys = old;
            child.Row.ReplacesChildSaId = old.Row.Id;
            ChildEstablished(child);
            if (old.RekeyingBy != null)
            {
                // §2.8.1: we are rekeying it too; answer as usual, the four nonces decide once ours completes.
                old.CollidingRekey = child;
                Log(LogLevel.Info, $"CHILD#{old.Row.Id} simultaneous rekey: the peer's CHILD#{child.Row.Id} waits for ours (CHILD#{old.RekeyingBy.Row.Id}) to complete (RFC 7296 §2.8.1)");
                return;
            }
            Replaced(old, child);
            old.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout;
            Log(LogLevel.Info, $"CHILD#{child.Row.Id} replaces CHILD#{old.Row.Id} (rekeyed by the peer); the old child stays until the peer deletes it");
        }

        private static void Replaced(ChildSession old, ChildSession heir)
        {
            old.ReplacedBy = heir;
            old.Row.ReplacedByChildSaId = heir.Row.Id;
            heir.Row.ReplacesChildSaId = old.Row.Id;
        }
    }
}
