using System;
using System.Collections.Generic;
using System.Linq;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine.V2
{
    /// <summary>Test access for the MS-IKEE 3.10/3.11 tests: what is inside SK, and the keys the correlation hash uses. Never logged.</summary>
    public sealed partial class IkeV2Engine
    {
        /// <summary>Tests only: SK_ai and SK_ar of an IKE SA, to recompute a correlation hash independently.</summary>
        internal (byte[] SkAi, byte[] SkAr)? IntegrityKeysOf(long ikeSaId)
        {
            var s = _bySpi.Values.FirstOrDefault(x => x.Row.Id == ikeSaId && x.Keys != null);
            return s == null ? null : ((byte[], byte[])?)(s.Keys!.SkAi, s.Keys.SkAr);
        }

        /// <summary>Tests only: decrypts a datagram the peer sent on one of our IKE SAs and returns the inner payloads in wire order.</summary>
        internal IReadOnlyList<IkePayload>? OpenForTests(ReadOnlyMemory<byte> datagram)
        {
            if (!IkeMessage.TryDecode(datagram, out var m, out _)) return null;
            bool fromInitiator = (m.Header.Flags & HeaderFlags.Initiator) != 0;
            if (!_bySpi.TryGetValue(fromInitiator ? m.Header.ResponderSpi : m.Header.InitiatorSpi, out var s) || s.Sk == null) return null;
            return TryOpen(s, m, datagram, out var inner) ? inner : null;
        }
    }
}
