namespace IkeExtensions.Engine.V2
{
    internal sealed partial class IkeV2Session
    {
        /// <summary>
        /// MS-IKEE 3.10: this IKE SA (SAcurrent) was started to correlate with the IKE SA of this id (SAoriginal);
        /// its IKE_AUTH request carries the Correlation payload. The keys are looked up when needed, never copied.
        /// </summary>
        public long? CorrelateWith;
    }
}
