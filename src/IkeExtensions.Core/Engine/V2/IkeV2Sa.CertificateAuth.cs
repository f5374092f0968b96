namespace IkeExtensions.Engine.V2
{
    public sealed partial class IkeV2Sa
    {
        // AuthenticationMethod (the shared column) names how the peer authenticated: PreSharedKey, RsaSignature (RFC 7296
        // method 1), EcdsaSignature (RFC 4754 methods 9/10/11) or DigitalSignature (RFC 7427 method 14).

        /// <summary>How we authenticated to the peer (the same names).</summary>
        public string? LocalAuthenticationMethod { get; internal set; }
        /// <summary>Subject DN of the peer's verified end-entity certificate; null with pre-shared keys.</summary>
        public string? RemoteCertificateSubject { get; internal set; }
        /// <summary>Subject DN of the certificate we sent; null with pre-shared keys.</summary>
        public string? LocalCertificateSubject { get; internal set; }
    }
}
