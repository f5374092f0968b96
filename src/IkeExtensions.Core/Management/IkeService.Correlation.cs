using System;
using System.Threading.Tasks;
using IkeExtensions.Engine.V2;

namespace IkeExtensions.Management
{
    /// <summary>MS-IKEE 3.10 IKE SA correlation through the service.</summary>
    public sealed partial class IkeService
    {
        /// <summary>
        /// Starts a correlation of established IKEv2 SA <paramref name="ikeSaId"/> (MS-IKEE 3.10): a new IKE SA with its peer
        /// whose IKE_AUTH carries the Correlation payload. Returns the correlating SA as started; the outcome shows in
        /// <see cref="IkeV2Sa.CorrelatedWith"/> of the original row (and the listings). Throws InvalidOperationException when
        /// there is no such established SA, IKEv2 is off, or the SA has no SK_a (AEAD).
        /// </summary>
        public Task<IkeV2Sa> CorrelateV2Async(long ikeSaId)
        {
            if (_host.EngineV2 == null) throw new InvalidOperationException("IKEv2 is not enabled on this service.");
            return _host.InvokeV2Async(e => e.Correlate(ikeSaId).Snapshot());
        }
    }
}
