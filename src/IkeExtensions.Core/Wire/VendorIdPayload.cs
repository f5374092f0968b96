using System;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Wire
{
    /// <summary>Vendor ID payload: IKEv1 type 13 (RFC 2408 §3.16) or IKEv2 type 43 (RFC 7296 §3.12).</summary>
    public sealed class VendorIdPayload : OpaquePayload
    {
        public VendorIdPayload(ReadOnlyMemory<byte> data, int majorVersion = 1)
            : base(majorVersion == 2 ? PayloadType.VendorIdV2 : PayloadType.VendorId, data) { }

        public static VendorIdPayload For(VendorIdKind kind, uint? number = null, int majorVersion = 1) =>
            new VendorIdPayload(VendorIdRegistry.Get(kind).ToBytes(number), majorVersion);

        /// <summary>The registry entry this vendor ID matches, if any.</summary>
        public VendorIdMatch? Known => VendorIdRegistry.TryIdentify(Data.Span, out var m) ? m : (VendorIdMatch?)null;

        public override string ToString() => $"VID {Known?.Description ?? "unknown"} {Hex(Data)}";
    }
}
