using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;

namespace IkeExtensions.Wire.V2
{
    /// <summary>
    /// MS-IKEE 2.2.7: the private error notify 0x3039 (12345), "used to tell the peer of a private failure reason". Its
    /// Notification_Data is NOTIFY_STATUS, 4 bytes, a status code indicating failure; note &lt;9&gt;: any Windows error code
    /// value, see [MS-ERREF]. Names below are the MS-ERREF (winerror.h) names of the IKE codes this engine sends or that a
    /// Windows peer is known to send; other values are shown as numbers.
    /// </summary>
    public static class MsNotifyStatus
    {
        public const uint ErrorIpsecIkeNegStatusBegin = 13800;
        public const uint ErrorIpsecIkeAuthFail = 13801;
        public const uint ErrorIpsecIkeTimedOut = 13805;
        public const uint ErrorIpsecIkeNoPolicy = 13825;
        public const uint ErrorIpsecIkeNoMmPolicy = 13850;
        public const uint ErrorIpsecIkePolicyMatch = 13868;
        public const uint ErrorIpsecIkeNegotiationDisabled = 13883;
        public const uint ErrorIpsecIkeCertChainPolicyMismatch = 13887;
        public const uint ErrorIpsecIkeInvalidAuthPayload = 13889;
        public const uint ErrorIpsecIkeTooManyFilters = 13896;
        public const uint ErrorIpsecIkeAuthorizationFailure = 13905;
        public const uint ErrorIpsecIkeStrongCredAuthorizationFailure = 13906;
        public const uint ErrorIpsecIkeAuthorizationFailureWithOptionalRetry = 13907;
        public const uint ErrorIpsecIkeStrongCredAuthorizationAndCertmapFailure = 13908;

        private static readonly Dictionary<uint, string> Names = new Dictionary<uint, string>
        {
            [ErrorIpsecIkeNegStatusBegin] = "ERROR_IPSEC_IKE_NEG_STATUS_BEGIN",
            [ErrorIpsecIkeAuthFail] = "ERROR_IPSEC_IKE_AUTH_FAIL",
            [ErrorIpsecIkeTimedOut] = "ERROR_IPSEC_IKE_TIMED_OUT",
            [ErrorIpsecIkeNoPolicy] = "ERROR_IPSEC_IKE_NO_POLICY",
            [ErrorIpsecIkeNoMmPolicy] = "ERROR_IPSEC_IKE_NO_MM_POLICY",
            [ErrorIpsecIkePolicyMatch] = "ERROR_IPSEC_IKE_POLICY_MATCH",
            [ErrorIpsecIkeNegotiationDisabled] = "ERROR_IPSEC_IKE_NEGOTIATION_DISABLED",
            [ErrorIpsecIkeCertChainPolicyMismatch] = "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH",
            [ErrorIpsecIkeInvalidAuthPayload] = "ERROR_IPSEC_IKE_INVALID_AUTH_PAYLOAD",
            [ErrorIpsecIkeTooManyFilters] = "ERROR_IPSEC_IKE_TOO_MANY_FILTERS",
            [ErrorIpsecIkeAuthorizationFailure] = "ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE",
            [ErrorIpsecIkeStrongCredAuthorizationFailure] = "ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_FAILURE",
            [ErrorIpsecIkeAuthorizationFailureWithOptionalRetry] = "ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE_WITH_OPTIONAL_RETRY",
            [ErrorIpsecIkeStrongCredAuthorizationAndCertmapFailure] = "ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_AND_CERTMAP_FAILURE",
        };

        /// <summary>"ERROR_IPSEC_IKE_AUTH_FAIL (13801)", or "Windows error 0x0000abcd (43981)" for a code not in the table.</summary>
        public static string Describe(uint code)
        {
            string number = code.ToString(CultureInfo.InvariantCulture);
            return Names.TryGetValue(code, out var name) ? $"{name} ({number})" : $"Windows error 0x{code.ToString("x8", CultureInfo.InvariantCulture)} ({number})";
        }

        /// <summary>The 0x3039 notify carrying <paramref name="code"/> (network byte order).</summary>
        public static NotifyPayload Create(uint code)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(data, code);
            return new NotifyPayload(NotifyTypeV2.MsNotifyStatus, data);
        }

        /// <summary>The status code of a 0x3039 notify; false for another notify or data that is not exactly 4 bytes.</summary>
        public static bool TryRead(NotifyPayload notify, out uint code)
        {
            code = 0;
            if (notify == null || notify.MessageType != NotifyTypeV2.MsNotifyStatus || notify.Data.Length != 4) return false;
            code = BinaryPrimitives.ReadUInt32BigEndian(notify.Data.Span);
            return true;
        }
    }
}
