using System;
using IkeExtensions.Wire;

namespace IkeExtensions.Engine
{
    /// <summary>The exact bytes the hashes of RFC 2409 cover (SAi_b, IDii_b, the payloads after HASH), taken from what was sent or received.</summary>
    internal static class RawPayloads
    {
        /// <summary>The body (without generic header) of the first payload of <paramref name="type"/> in a payload area.</summary>
        public static byte[]? Body(ReadOnlySpan<byte> area, PayloadType first, PayloadType type)
        {
            var chain = new PayloadChain(area, first, 0, allowTrailing: true);
            while (chain.MoveNext())
                if (chain.Current.Type == type) return chain.Current.Body.ToArray();
            return null;
        }

        /// <summary>Bytes from the end of the first payload (HASH) to the end of the last payload, excluding cipher padding.</summary>
        public static byte[]? AfterFirst(ReadOnlySpan<byte> area, PayloadType first)
        {
            var chain = new PayloadChain(area, first, 0, allowTrailing: true);
            if (!chain.MoveNext()) return null;
            int start = chain.Consumed;
            while (chain.MoveNext()) { }
            if (chain.Error.IsError) return null;
            return area.Slice(start, chain.Consumed - start).ToArray();
        }

        public static byte[] Encode(System.Collections.Generic.IReadOnlyList<IkePayload> payloads)
        {
            var bytes = new byte[IkeMessage.GetPayloadsLength(payloads)];
            IkeMessage.EncodePayloads(payloads, bytes);
            return bytes;
        }

        /// <summary>Body bytes of one payload as it would be encoded.</summary>
        public static byte[] BodyOf(IkePayload payload)
        {
            var all = Encode(new[] { payload });
            return all.AsSpan(IkePayload.GenericHeaderSize).ToArray();
        }
    }
}
