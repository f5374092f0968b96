using System;
using IkeExtensions.Wire;
using Xunit;

namespace IkeExtensions.Tests.Wire
{
    /// <summary>Reading a header and walking the payload chain allocates nothing (issue goal; the receive path triages with it).</summary>
    public class PayloadChainTests
    {
        private static int Walk(byte[] message)
        {
            if (!IsakmpHeader.TryRead(message, out var header, out _)) return -1;
            var chain = new PayloadChain(message.AsSpan(IsakmpHeader.Size), header.NextPayload, IsakmpHeader.Size, allowTrailing: false);
            int n = 0;
            while (chain.MoveNext()) n += chain.Current.Body.Length > 0 ? 1 : 0;
            return chain.Error.IsError ? -1 : n;
        }

        [Fact]
        public void HeaderAndChainWalk_OfMainMode1_AllocateZeroBytes()
        {
            byte[] mm1 = CaptureVectors.Ike("ikev1-mm-qm-psk.pcap")[0].Ike;
            Assert.Equal(7, Walk(mm1)); // warm-up and JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            int total = 0;
            for (int i = 0; i < 1000; i++) total += Walk(mm1);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(7000, total);
            Assert.Equal(0, allocated);
        }

        [Fact]
        public void ChainWalk_ReportsTypesFlagsAndBodyOffsets()
        {
            byte[] init = SampleMessages.IkeSaInit().Encode();
            IsakmpHeader.TryRead(init, out var header, out _);
            var chain = new PayloadChain(init.AsSpan(IsakmpHeader.Size), header.NextPayload, IsakmpHeader.Size, false);
            Assert.True(chain.MoveNext());
            Assert.Equal(PayloadType.SecurityAssociationV2, chain.Current.Type);
            Assert.Equal(PayloadType.KeyExchangeV2, chain.Current.NextPayload);
            Assert.Equal(IsakmpHeader.Size + 4, chain.Current.BodyOffset);
        }
    }
}
