using System.Collections.Generic;
using System.Globalization;

namespace IkeExtensions.Wire.V1
{
    /// <summary>
    /// Windows IKE status codes carried by NOTIFY_STATUS (MS-IKEE 2.2.6 note 8: "any Windows error code value", MS-ERREF).
    /// Only the ones this engine sends or that explain common failures are named; any other value is still carried.
    /// </summary>
    public static class MsErrorCodes
    {
        public const uint IkeAuthFail = 13801;           // ERROR_IPSEC_IKE_AUTH_FAIL
        public const uint IkeAttribFail = 13802;         // ERROR_IPSEC_IKE_ATTRIB_FAIL
        public const uint IkeNegotiationPending = 13803; // ERROR_IPSEC_IKE_NEGOTIATION_PENDING
        public const uint IkeGeneralProcessingError = 13804;
        public const uint IkeTimedOut = 13805;           // ERROR_IPSEC_IKE_TIMED_OUT
        public const uint IkeNoCert = 13806;             // ERROR_IPSEC_IKE_NO_CERT
        public const uint IkeSaDeleted = 13807;          // ERROR_IPSEC_IKE_SA_DELETED
        public const uint IkeNoPolicy = 13825;           // ERROR_IPSEC_IKE_NO_POLICY
        public const uint IkeInvalidSignature = 13826;   // ERROR_IPSEC_IKE_INVALID_SIGNATURE
        public const uint IkeInvalidPayload = 13843;     // ERROR_IPSEC_IKE_INVALID_PAYLOAD
        public const uint IkeInvalidPolicy = 13861;      // ERROR_IPSEC_IKE_INVALID_POLICY
        public const uint IkePolicyMatch = 13868;        // ERROR_IPSEC_IKE_POLICY_MATCH

        private static readonly Dictionary<uint, string> Names = new Dictionary<uint, string>
        {
            [IkeAuthFail] = "ERROR_IPSEC_IKE_AUTH_FAIL",
            [IkeAttribFail] = "ERROR_IPSEC_IKE_ATTRIB_FAIL",
            [IkeNegotiationPending] = "ERROR_IPSEC_IKE_NEGOTIATION_PENDING",
            [IkeGeneralProcessingError] = "ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR",
            [IkeTimedOut] = "ERROR_IPSEC_IKE_TIMED_OUT",
            [IkeNoCert] = "ERROR_IPSEC_IKE_NO_CERT",
            [IkeSaDeleted] = "ERROR_IPSEC_IKE_SA_DELETED",
            [IkeNoPolicy] = "ERROR_IPSEC_IKE_NO_POLICY",
            [IkeInvalidSignature] = "ERROR_IPSEC_IKE_INVALID_SIGNATURE",
            [IkeInvalidPayload] = "ERROR_IPSEC_IKE_INVALID_PAYLOAD",
            [IkeInvalidPolicy] = "ERROR_IPSEC_IKE_INVALID_POLICY",
            [IkePolicyMatch] = "ERROR_IPSEC_IKE_POLICY_MATCH",
        };

        public static string Describe(uint code) =>
            (Names.TryGetValue(code, out var name) ? name : "Windows error") + " (" + code.ToString(CultureInfo.InvariantCulture) + ")";

        /// <summary>NOTIFY_STATUS data: the 4-byte status code.</summary>
        public static byte[] Encode(uint code) => new[] { (byte)(code >> 24), unchecked((byte)(code >> 16)), unchecked((byte)(code >> 8)), unchecked((byte)code) };
    }
}
