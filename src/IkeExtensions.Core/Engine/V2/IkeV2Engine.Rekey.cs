using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Crypto;
using IkeExtensions.Crypto.V2;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ IKE SA rekey (RFC 7296 §1.3.2, §2.8, §2.8.2, §2.18)
        //
        // CREATE_CHILD_SA on the old IKE SA: SA (IKE proposals carrying the sender's new 8-octet SPI), Ni/Nr, KE (required).
        // The new IKE SA gets a new row (new Id, new SPIs, MainModeEstablished); the rekey initiator is its original
        // initiator, its message IDs start at 0, its keys come from SK_d of the old SA (§2.18). The children move to it,
        // and the initiator of the rekey deletes the old IKE SA (its last request there); the old row goes Deleted.

        /// <summary>Rekeys an established IKE SA (RFC 7296 §1.3.2); false when there is none or a rekey of it is already under way.</summary>
        public bool RekeyIkeSa(long id)
        {
            var s = _bySpi.Values.FirstOrDefault(x => x.Row.Id == id && !x.Gone && x.Row.State == IkeV2SaState.Established);
            return s != null && StartIkeRekey(s, "requested by administrator");
        }

        private bool StartIkeRekey(IkeV2Session s, string why)
        {
            if (s.Gone || s.Row.State != IkeV2SaState.Established || s.Sk == null || s.Chosen == null ||
                s.IkeRekey != null || s.Successor != null || s.AwaitDeleteUntil != null) return false;
            int group = s.Chosen.DhGroup;
            var attempt = new IkeRekeyAttempt(NewIkeSpi(), NewNonce(), group, DhGroups.Get(group).Generate(_options.Random));
            s.IkeRekey = attempt;
            Log(LogLevel.Info, $"IKEv2#{s.Row.Id} rekeying the IKE SA ({why})");
            SendIkeRekey(s, attempt);
            return true;
        }

        private void SendIkeRekey(IkeV2Session s, IkeRekeyAttempt a)
        {
            // §2.8: the new SA SHOULD NOT change algorithms: the current suite first, then the rest of the policy, KE's group first.
            var ordered = _options.Policy.Ike.OrderBy(p => p.DhGroup == a.Group ? 0 : 1).ThenBy(p => ReferenceEquals(p, s.Chosen) ? 0 : 1).ToList();
            var spi = SpiBytes64(a.Spi);
            var payloads = new List<IkePayload>
            {
                new SecurityAssociationPayload(ordered.Select((p, i) => IkeV2Codec.Ike((byte)(i + 1), p, spi)).ToList()),
                new NoncePayload(a.Nonce, 2),
                new KeyExchangePayload((ushort)a.Group, a.Dh.PublicValue),
            };
            SendRequest(s, RequestKind.RekeyIke, ExchangeType.CreateChildSa, payloads);
        }

        private void OnRekeyIkeResponse(IkeV2Session s, IReadOnlyList<IkePayload> inner)
        {
            var a = s.IkeRekey;
            if (a == null) return;
            s.IkeRekey = null;
            using (a)
            {
                var error = inner.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
                if (error != null)
                {
                    int group = error.MessageType == NotifyTypeV2.InvalidKePayload && error.Data.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(error.Data.Span) : 0;
                    if (group != 0 && group != a.Group && a.Retries < _options.MaxInitRetries && _options.Policy.Ike.Any(p => p.DhGroup == group))
                    {
                        // §1.3.2 / §1.2: the responder names the group it wants; try again with it.
                        var retry = new IkeRekeyAttempt(a.Spi, NewNonce(), group, DhGroups.Get(group).Generate(_options.Random)) { Retries = a.Retries + 1 };
                        s.IkeRekey = retry;
                        Log(LogLevel.Info, $"IKEv2#{s.Row.Id} rekey: INVALID_KE_PAYLOAD, the peer wants group {group}; trying again");
                        SendIkeRekey(s, retry);
                        return;
                    }
                    IkeRekeyFailed(s, $"the peer refused it: {NotifyName(error.MessageType)}");
                    return;
                }
                var sa = inner.OfType<SecurityAssociationPayload>().FirstOrDefault();
                var nonce = inner.OfType<NoncePayload>().FirstOrDefault();
                var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
                if (sa == null || sa.Proposals.Count != 1 || nonce == null || nonce.Data.Length < 16 || nonce.Data.Length > 256 || ke == null)
                {
                    IkeRekeyFailed(s, "the response lacks SA, Nr or KE");
                    return;
                }
                var proposal = sa.Proposals[0];
                ulong theirSpi = proposal.Spi.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(proposal.Spi.Span) : 0;
                var chosen = IkeV2Codec.MatchIke(proposal, _options.Policy.Ike.Where(p => p.DhGroup == a.Group));
                if (chosen == null || ke.DhGroup != a.Group || theirSpi == 0)
                {
                    IkeRekeyFailed(s, $"the responder chose what we did not offer: {proposal} KE group {ke.DhGroup}");
                    return;
                }
                byte[] shared;
                try { shared = a.Dh.Agree(ke.Data.Span); }
                catch (CryptoException)
                {
                    IkeRekeyFailed(s, "invalid KE public value in the response");
                    return;
                }
                var n = NewRekeyedIkeSa(s, initiator: true, a.Spi, theirSpi, chosen, a.Nonce, nonce.Data.ToArray(), shared);
                CryptoBytes.Zero(shared);
                if (s.CollidingRekey is IkeV2Session theirs && !theirs.Gone)
                {
                    s.CollidingRekey = null;
                    ResolveIkeRekeyCollision(s, n, theirs);
                    return;
                }
                DeadPeerIkeRekeyDone(s, "the IKE SA was rekeyed"); // MS-IKEE 3.12.7.1: a dead peer rekey that succeeded ends dead peer detection
                HandOver(s, n);
                DeleteIke(s, $"rekeyed: replaced by IKEv2#{n.Row.Id}");
            }
        }

        /// <summary>
        /// Both peers rekeyed the IKE SA at once (RFC 7296 §2.8.2): of the two new IKE SAs, the one holding the lowest of the
        /// four nonces is redundant and deleted by the endpoint that created it (§2.8.1); the other inherits the children and
        /// its initiator deletes the old IKE SA. The peer reaches the same verdict from the same four nonces.
        /// </summary>
        private void ResolveIkeRekeyCollision(IkeV2Session old, IkeV2Session ours, IkeV2Session theirs)
        {
            if (HoldsLowestNonce(ours.NonceI, ours.NonceR, theirs.NonceI, theirs.NonceR))
            {
                Log(LogLevel.Info, $"IKEv2#{old.Row.Id} simultaneous rekey: our IKEv2#{ours.Row.Id} holds the lowest nonce, the peer's IKEv2#{theirs.Row.Id} survives (RFC 7296 §2.8.2)");
                HandOver(old, theirs);
                AwaitPeerDelete(old, $"rekeyed: replaced by IKEv2#{theirs.Row.Id} (the peer's rekey)");
                DeleteIke(ours, "redundant IKE SA of a simultaneous rekey (RFC 7296 §2.8.2)");
            }
            else
            {
                Log(LogLevel.Info, $"IKEv2#{old.Row.Id} simultaneous rekey: the peer's IKEv2#{theirs.Row.Id} holds the lowest nonce, our IKEv2#{ours.Row.Id} survives (RFC 7296 §2.8.2)");
                theirs.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout;
                HandOver(old, ours);
                DeleteIke(old, $"rekeyed: replaced by IKEv2#{ours.Row.Id}");
            }
        }

        private void IkeRekeyFailed(IkeV2Session s, string why)
        {
            if (s.CollidingRekey is IkeV2Session theirs && !theirs.Gone)
            {
                // §2.8.2: the peer finished its own rekey first; ours is forgotten and the peer deletes the old SA.
                s.CollidingRekey = null;
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} our rekey failed ({why}); the peer's IKEv2#{theirs.Row.Id} replaces it");
                HandOver(s, theirs);
                AwaitPeerDelete(s, $"rekeyed: replaced by IKEv2#{theirs.Row.Id} (the peer's rekey)");
                return;
            }
            s.RekeyAt = Now + _options.RekeyRetryInterval;
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} IKE SA rekey failed: {why}; the IKE SA stays, retry in {_options.RekeyRetryInterval.TotalSeconds:0}s");
            DeadPeerIkeRekeyDone(s, "the peer answered the IKE SA rekey (refused)"); // the peer answered (with a refusal): it is alive (MS-IKEE 3.12.4)
        }

        private void OnRekeyIkeRequest(IkeV2Session s, IsakmpHeader h, IReadOnlyList<IkePayload> inner)
        {
            var pending = s.Pending?.Kind;
            if (pending == RequestKind.CreateChild || pending == RequestKind.RekeyChild || pending == RequestKind.DeleteChild ||
                (s.CollidingRekey != null && !s.CollidingRekey.Gone))
            {
                // §2.25: busy creating, rekeying or closing a child of this IKE SA (or a second rekey of it): try later.
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} peer asks to rekey the IKE SA while a child exchange is in flight: TEMPORARY_FAILURE");
                SendResponse(s, h, new IkePayload[] { new NotifyPayload(NotifyTypeV2.TemporaryFailure) });
                return;
            }
            var sa = inner.OfType<SecurityAssociationPayload>().First();
            var nonce = inner.OfType<NoncePayload>().FirstOrDefault();
            var ke = inner.OfType<KeyExchangePayload>().FirstOrDefault();
            if (nonce == null || nonce.Data.Length < 16 || nonce.Data.Length > 256)
            {
                RefuseIkeRekey(s, h, NotifyTypeV2.InvalidSyntax, default, "no valid nonce");
                return;
            }
            IkeV2Proposal? chosen = null;
            ProposalV2? theirs = null;
            foreach (var ours in _options.Policy.Ike)
            {
                theirs = sa.Proposals.FirstOrDefault(p => p.Spi.Length == 8 && BinaryPrimitives.ReadUInt64BigEndian(p.Spi.Span) != 0 &&
                                                          IkeV2Codec.MatchIke(p, new[] { ours }) != null);
                if (theirs != null) { chosen = ours; break; }
            }
            if (chosen == null || theirs == null)
            {
                RefuseIkeRekey(s, h, NotifyTypeV2.NoProposalChosen, default, $"no acceptable proposal in [{string.Join(" | ", sa.Proposals)}]");
                return;
            }
            if (ke == null)
            {
                // §1.3.2: a rekey of the IKE SA MUST carry a new Diffie-Hellman exchange.
                RefuseIkeRekey(s, h, NotifyTypeV2.InvalidSyntax, default, "no KE payload (RFC 7296 §1.3.2 requires one)");
                return;
            }
            if (ke.DhGroup != chosen.DhGroup)
            {
                RefuseIkeRekey(s, h, NotifyTypeV2.InvalidKePayload, IkeV2Codec.Group16(chosen.DhGroup), $"KE is group {ke.DhGroup}, we chose {chosen}");
                return;
            }
            byte[] shared;
            byte[] ourPublic;
            using (var dh = DhGroups.Get(chosen.DhGroup).Generate(_options.Random))
            {
                try { shared = dh.Agree(ke.Data.Span); }
                catch (CryptoException)
                {
                    RefuseIkeRekey(s, h, NotifyTypeV2.InvalidSyntax, default, "invalid KE public value");
                    return;
                }
                ourPublic = dh.PublicValue;
            }
            ulong theirSpi = BinaryPrimitives.ReadUInt64BigEndian(theirs.Spi.Span);
            ulong ourSpi = NewIkeSpi();
            var nonceR = NewNonce();
            var n = NewRekeyedIkeSa(s, initiator: false, theirSpi, ourSpi, chosen, nonce.Data.ToArray(), nonceR, shared);
            CryptoBytes.Zero(shared);
            SendResponse(s, h, new IkePayload[]
            {
                new SecurityAssociationPayload(new[] { IkeV2Codec.Ike(theirs.Number, chosen, SpiBytes64(ourSpi)) }),
                new NoncePayload(nonceR, 2),
                new KeyExchangePayload((ushort)chosen.DhGroup, ourPublic),
            });
            if (s.IkeRekey != null)
            {
                // §2.8.2: we are rekeying too; answer as usual, and let the four nonces decide once ours completes.
                s.CollidingRekey = n;
                Log(LogLevel.Info, $"IKEv2#{s.Row.Id} simultaneous IKE SA rekey: IKEv2#{n.Row.Id} (the peer's) waits for ours to complete (RFC 7296 §2.8.2)");
                return;
            }
            HandOver(s, n);
            AwaitPeerDelete(s, $"rekeyed by the peer: replaced by IKEv2#{n.Row.Id}");
        }

        private void RefuseIkeRekey(IkeV2Session s, IsakmpHeader h, NotifyTypeV2 type, ReadOnlyMemory<byte> data, string why)
        {
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} IKE SA rekey from the peer refused: {why}: {NotifyName(type)}");
            SendResponse(s, h, new IkePayload[] { new NotifyPayload(type, data) });
        }

        /// <summary>
        /// The new IKE SA (RFC 7296 §2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF, then the seven
        /// keys as in §2.14 from the new PRF, nonces and SPIs. Registered, established, message IDs from 0.
        /// </summary>
        private IkeV2Session NewRekeyedIkeSa(IkeV2Session old, bool initiator, ulong spiI, ulong spiR, IkeV2Proposal chosen, byte[] nonceI, byte[] nonceR, byte[] shared)
        {
            var row = new IkeV2Sa(NextId(), old.Row.LocalEndpoint, old.Row.RemoteEndpoint, spiI, isInitiator: initiator, Now)
            {
                State = IkeV2SaState.Established,
                ResponderSpi = spiR,
                LocalFirstId = old.Row.LocalFirstId,
                RemoteFirstId = old.Row.RemoteFirstId,
                NatDetectedLocal = old.Row.NatDetectedLocal,
                NatDetectedRemote = old.Row.NatDetectedRemote,
                AuthenticationMethod = old.Row.AuthenticationMethod,
                ReplacesIkeSaId = old.Row.Id,
            };
            var n = new IkeV2Session(row, initiator, old.Peer)
            {
                Chosen = chosen,
                KeGroup = chosen.DhGroup,
                NonceI = nonceI,
                NonceR = nonceR,
                NextRequestId = 0,
                ExpectedRequestId = 0,
            };
            var seed = IkeV2KeyMaterial.RekeySkeySeed(old.Prf!, old.Keys!.SkD, shared, nonceI, nonceR);
            var prf = IkeV2Names.PrfOf(chosen.Prf);
            var keys = IkeV2KeyMaterial.DeriveIkeSaKeys(prf, seed, nonceI, nonceR, spiI, spiR,
                SkProtection.EncryptionKeyLength(chosen.Encryption, chosen.KeyBits), SkProtection.IntegrityKeyLength(chosen.Integrity));
            CryptoBytes.Zero(seed);
            n.Prf = prf;
            n.Keys = keys;
            n.Sk = initiator
                ? new SkProtection(chosen.Encryption, chosen.KeyBits, chosen.Integrity, keys.SkEi, keys.SkAi, keys.SkEr, keys.SkAr)
                : new SkProtection(chosen.Encryption, chosen.KeyBits, chosen.Integrity, keys.SkEr, keys.SkAr, keys.SkEi, keys.SkAi);
            row.CipherAlgorithm = IkeV2Names.CipherName(chosen.Encryption, chosen.KeyBits);
            row.HashAlgorithm = IkeV2Names.IntegrityName(chosen.Integrity);
            row.PrfAlgorithm = IkeV2Names.PrfName(chosen.Prf);
            row.GroupId = chosen.DhGroup;
            row.LifetimeSeconds = chosen.LifetimeSeconds;
            row.EstablishedAt = Now;
            row.LastHeardAt = Now;
            n.ExpiresAt = Now + TimeSpan.FromSeconds(chosen.LifetimeSeconds);
            InheritFromReplacedIkeSa(old, n); // IkeV2Engine.RekeyInheritance.cs
            _bySpi.Add(n.OurSpi, n);
            IkeSas.Add(row);
            Statistics.MainModeOk();
            Log(LogLevel.Info, $"IKEv2#{row.Id} established by rekeying IKEv2#{old.Row.Id} ({(initiator ? "our" : "the peer's")} rekey, RFC 7296 §1.3.2): " +
                               $"{row.CipherAlgorithm}/{row.HashAlgorithm}/{row.PrfAlgorithm}/group{row.GroupId} spi {spiI:x16}/{spiR:x16}");
            _output.OnEvent(new EngineEvent(EngineEventKind.MainModeEstablished, row.Snapshot()));
            return n;
        }

        /// <summary>The children of <paramref name="old"/> move to <paramref name="heir"/> (§1.3.2); ones still being negotiated fail.</summary>
        private void HandOver(IkeV2Session old, IkeV2Session heir)
        {
            old.Successor = heir;
            old.Row.ReplacedByIkeSaId = heir.Row.Id;
            var moved = new List<long>();
            foreach (var c in old.Children.ToList())
            {
                if (c.Row.State != QuickModeSaState.Established)
                {
                    if (c.Rekeys?.RekeyingBy == c) c.Rekeys.RekeyingBy = null;
                    RemoveChild(c, $"IKEv2#{old.Row.Id} was rekeyed while this child was being negotiated", QuickModeSaState.Failed);
                    continue;
                }
                old.Children.Remove(c);
                c.Parent = heir;
                c.Row.IkeSaId = heir.Row.Id;
                heir.Children.Add(c);
                moved.Add(c.Row.Id);
            }
            old.Row.ChildSaCount = 0;
            heir.Row.ChildSaCount = heir.Children.Count(x => x.Row.State == QuickModeSaState.Established);
            if (moved.Count > 0) Log(LogLevel.Info, $"IKEv2#{old.Row.Id} children {string.Join(", ", moved.Select(i => "CHILD#" + i))} moved to IKEv2#{heir.Row.Id}");
        }

        /// <summary>The old IKE SA, replaced by the peer's rekey: the peer deletes it; we only wait (bounded by <see cref="IkeV2EngineOptions.RekeyDeleteTimeout"/>).</summary>
        private void AwaitPeerDelete(IkeV2Session old, string reason)
        {
            old.Row.State = IkeV2SaState.Deleting;
            old.Row.FailureReason = reason;
            old.AwaitDeleteUntil = Now + _options.RekeyDeleteTimeout;
        }

        /// <summary>Detach hook: an IKE SA going away leaves its children to its successor (or to the peer's colliding rekey, §2.8.2).</summary>
        private void HandOverBeforeRemoval(IkeV2Session s)
        {
            s.IkeRekey?.Dispose();
            s.IkeRekey = null;
            var heir = s.Successor != null && !s.Successor.Gone ? s.Successor
                : s.CollidingRekey != null && !s.CollidingRekey.Gone ? s.CollidingRekey : null;
            s.CollidingRekey = null;
            if (heir == null || heir.Row.State != IkeV2SaState.Established || !s.Children.Any(c => c.Row.State == QuickModeSaState.Established)) return;
            if (s.Successor == null) Log(LogLevel.Info, $"IKEv2#{s.Row.Id} deleted by the peer during our rekey: the peer's IKEv2#{heir.Row.Id} replaces it (RFC 7296 §2.8.2)");
            HandOver(s, heir);
        }

        private static byte[] SpiBytes64(ulong spi)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, spi);
            return b;
        }
    }
}
