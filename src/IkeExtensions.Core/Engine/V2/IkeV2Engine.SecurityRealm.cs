using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;
using IkeExtensions.Wire.V2;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Engine
    {
        // ================================================================ MS-IKEE 3.14: Security Realm ID vendor ID (IKEv2)

        /// <summary>The realm ID our own (initiator) policy carries: HMAC-MD5 of <see cref="IkeV2EngineOptions.SecurityRealm"/>.</summary>
        private byte[]? OwnRealmId() => _options.SecurityRealm != null ? SecurityRealmId.Compute(_options.SecurityRealm) : null;

        /// <summary>
        /// 3.14.5.1 / 3.14.5.2, initiator: "If the initiator chooses a security realm-based IPsec policy ... includes it in
        /// the 'MSFT IPsec Security Realm Id' vendor ID payload" in IKE_SA_INIT, IKE_AUTH and CREATE_CHILD_SA, with the same
        /// realm ID in all of them: the one of the IKE SA (<see cref="IkeV2Session.RealmId"/>).
        /// </summary>
        private void AddSecurityRealmVendorId(IkeV2Session s, List<IkePayload> payloads)
        {
            if (s.RealmId == null && s.IsOriginalInitiator && s.Row.State == IkeV2SaState.SaInit && _options.SecurityRealm != null)
            {
                s.RealmId = OwnRealmId();
                s.Row.SecurityRealm = _options.SecurityRealm;
                s.Row.SecurityRealmId = HexFormat.ToHex(s.RealmId);
            }
            if (s.RealmId != null) payloads.Add(new VendorIdPayload(SecurityRealmId.VendorIdData(s.RealmId), 2));
        }

        /// <summary>The realm ID of the first "MSFT IPsec Security Realm Id" vendor ID among <paramref name="payloads"/>, or null.</summary>
        private static byte[]? ReadRealmId(IEnumerable<IkePayload> payloads)
        {
            foreach (var v in payloads.OfType<VendorIdPayload>())
                if (SecurityRealmId.TryRead(v.Data.Span, out var id)) return id;
            return null;
        }

        /// <summary>
        /// 3.14.5.1, responder: picks the IKE policy for an IKE_SA_INIT request. Candidates are tried in priority order
        /// (<see cref="IkeV2EngineOptions.RealmPolicies"/>, then <see cref="IkeV2EngineOptions.Policy"/>). A policy without a
        /// realm may be chosen whatever the request carries ("a higher priority IPsec policy that is not associated with any
        /// security realm can be selected over a lower priority IPsec policy that might be associated with the security realm
        /// ID"); a realm policy only when "the security realm ID associated with the policy [does] exactly match the security
        /// realm ID as received in the vendor ID"; without the vendor ID realm policies are skipped (SHOULD, note &lt;39&gt;).
        /// Null when nothing fits; <paramref name="why"/> then says why.
        /// </summary>
        private IkeV2SecurityRealmPolicy? ChooseIkePolicy(IkeMessage m, SecurityAssociationPayload sa, out IkeV2Proposal? chosen, out ProposalV2? theirs,
            out byte[]? receivedRealmId, out string why)
        {
            chosen = null;
            theirs = null;
            receivedRealmId = ReadRealmId(m.Payloads);
            int skippedRealm = 0;
            var candidates = _options.RealmPolicies.Concat(new[] { new IkeV2SecurityRealmPolicy(_options.SecurityRealm, _options.Policy) });
            foreach (var candidate in candidates)
            {
                if (candidate.Realm != null && (receivedRealmId == null || !candidate.Id.SequenceEqual(receivedRealmId)))
                {
                    skippedRealm++;
                    continue;
                }
                foreach (var ours in candidate.Policy.Ike)
                {
                    theirs = sa.Proposals.FirstOrDefault(p => IkeV2Codec.MatchIke(p, new[] { ours }) != null);
                    if (theirs != null)
                    {
                        chosen = ours;
                        why = "";
                        return candidate;
                    }
                }
            }
            theirs = null;
            why = $"no acceptable proposal in [{string.Join(" | ", sa.Proposals)}]";
            if (skippedRealm > 0)
                why += receivedRealmId == null
                    ? $"; {skippedRealm} security realm policies skipped: no \"MSFT IPsec Security Realm Id\" vendor ID (MS-IKEE 3.14.5.1)"
                    : $"; realm ID {HexFormat.ToHex(receivedRealmId)} matches none of {skippedRealm} security realm policies (MS-IKEE 3.14.5.1)";
            return null;
        }

        /// <summary>Records the chosen policy and realm on the new responder IKE SA (3.14.1 ADM: the SPD entry's Security Realm ID).</summary>
        private void AttachSecurityRealm(IkeV2Session s, IkeV2SecurityRealmPolicy policy, byte[]? receivedRealmId)
        {
            s.SelectedPolicy = policy.Policy;
            s.RealmId = policy.IdBytes;
            s.Row.SecurityRealm = policy.Realm;
            if (receivedRealmId != null) s.Row.SecurityRealmId = HexFormat.ToHex(receivedRealmId);
            if (policy.Realm != null) Log(LogLevel.Info, $"IKEv2#{s.Row.Id} security realm policy \"{policy.Realm}\" chosen (realm ID {s.Row.SecurityRealmId})");
            else if (receivedRealmId != null) Log(LogLevel.Info, $"IKEv2#{s.Row.Id} peer's realm ID {s.Row.SecurityRealmId}; a policy without realm was chosen");
        }

        /// <summary>
        /// 3.14.5.2, responder: "If the message from the initiator for negotiating the child SA does not have an 'MSFT IPsec
        /// Security Realm Id' vendor ID, but the parent IKE SA is associated to a security realm policy, then this message
        /// will be discarded by the responder and the child SA negotiation will fail." True: discard (no response).
        /// IKE_AUTH negotiates a child only when it carries an SA payload; CREATE_CHILD_SA always does (rekeys included).
        /// </summary>
        private bool DiscardForSecurityRealm(IkeV2Session s, ExchangeType exchange, IReadOnlyList<IkePayload> inner)
        {
            if (s.RealmId == null || ReadRealmId(inner) != null) return false;
            if (exchange == ExchangeType.IkeAuth && !inner.OfType<SecurityAssociationPayload>().Any()) return false;
            Statistics.Dropped();
            Log(LogLevel.Warning, $"IKEv2#{s.Row.Id} {exchange} request without the \"MSFT IPsec Security Realm Id\" vendor ID on an IKE SA of " +
                                  $"security realm \"{s.Row.SecurityRealm}\": discarded, the child SA negotiation fails (MS-IKEE 3.14.5.2)");
            return true;
        }

        /// <summary>
        /// 3.14.5.2, responder: a child carrying a realm ID looks up the IPsec policy like the IKE policy, and "if a security
        /// realm ID-based IPsec policy is chosen, the responder MUST ensure that the corresponding IKE (MM) policy is
        /// associated with the same security realm ID". The child's policy is the IKE SA's: a realm ID other than the IKE
        /// SA's cannot select it. Null: acceptable; otherwise why not.
        /// </summary>
        private string? SecurityRealmChildRefusal(IkeV2Session s, IReadOnlyList<IkePayload> inner)
        {
            if (s.RealmId == null) return null;
            var received = ReadRealmId(inner);
            if (received == null || received.AsSpan().SequenceEqual(s.RealmId)) return null;
            return $"the child's realm ID {HexFormat.ToHex(received)} is not the IKE SA's ({HexFormat.ToHex(s.RealmId)}) (MS-IKEE 3.14.5.2)";
        }
    }
}
