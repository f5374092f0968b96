using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using IkeExtensions.Capture;
using IkeExtensions.Wire;
using IkeExtensions.Wire.VendorIds;

namespace IkeExtensions.Benchmarks
{
    /// <summary>
    /// Wire codec cost per message. Inputs: strongSwan's Main Mode #1 (frame 1) and an encrypted Quick Mode message
    /// (frame 7) from tests/IkeExtensions.Tests/Vectors/captures/ikev1-mm-qm-psk.pcap, and a plaintext Quick Mode #1
    /// built with the Wire API (SampleMessages.QuickMode1Plain, shared with the tests).
    /// </summary>
    [MemoryDiagnoser]
    public class CodecBenchmarks
    {
        private byte[] _mainMode1 = Array.Empty<byte>();
        private byte[] _quickModeEncrypted = Array.Empty<byte>();
        private byte[] _quickMode = Array.Empty<byte>();
        private IkeMessage _mainMode1Message = null!;
        private IkeMessage _quickModeMessage = null!;
        private byte[][] _vendorIds = Array.Empty<byte[]>();
        private byte[] _output = Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Vectors", "ikev1-mm-qm-psk.pcap");
            var capture = CaptureFile.ReadUdpDatagrams(File.ReadAllBytes(path));
            byte[] Frame(long n) => IkeDatagramClassifier.Classify(capture.Datagrams.Single(d => d.FrameNumber == n)).Ike.ToArray();
            _mainMode1 = Frame(1);
            _quickModeEncrypted = Frame(7);

            _mainMode1Message = Decode(_mainMode1);
            if (Decode(_quickModeEncrypted).Header.ExchangeType != ExchangeType.QuickMode) throw new InvalidDataException("frame 7 is not Quick Mode");
            _quickModeMessage = IkeExtensions.Tests.SampleMessages.QuickMode1Plain();
            _quickMode = _quickModeMessage.Encode();
            Decode(_quickMode);

            // strongSwan's six MM1 vendor IDs plus the MS-IKEE ones Windows sends.
            _vendorIds = _mainMode1Message.FindAll<VendorIdPayload>().Select(v => v.Data.ToArray())
                .Concat(new[]
                {
                    VendorIdPayload.For(VendorIdKind.MicrosoftImplementation, 9).Data.ToArray(),
                    VendorIdPayload.For(VendorIdKind.IkeCgaVersion1).Data.ToArray(),
                    VendorIdPayload.For(VendorIdKind.NegotiationDiscoveryCapable).Data.ToArray(),
                    VendorIdPayload.For(VendorIdKind.VidInitialContact).Data.ToArray(),
                })
                .ToArray();
            if (_vendorIds.Length != 10) throw new InvalidDataException($"expected 10 vendor IDs, have {_vendorIds.Length}");
            _output = new byte[IkeMessage.MaxLength];
        }

        private static IkeMessage Decode(byte[] bytes) =>
            IkeMessage.TryDecode(bytes, out var m, out var e) ? m : throw new InvalidDataException(e.ToString());

        /// <summary>Header plus the generic payload chain walk, the cheap path a dispatcher takes first. Must allocate nothing.</summary>
        [Benchmark]
        public int ParseHeaderAndWalkChain_MainMode1()
        {
            ReadOnlySpan<byte> data = _mainMode1;
            if (!IsakmpHeader.TryRead(data, out var header, out _)) return -1;
            var chain = new PayloadChain(data.Slice(IsakmpHeader.Size), header.NextPayload, IsakmpHeader.Size, false);
            int n = 0;
            while (chain.MoveNext()) n += chain.Current.Body.Length;
            return chain.Error.IsError ? -1 : n;
        }

        [Benchmark]
        public IkeMessage Decode_MainMode1() => Decode(_mainMode1);

        [Benchmark]
        public int Encode_MainMode1() => _mainMode1Message.Encode(_output);

        [Benchmark]
        public IkeMessage Decode_QuickMode() => Decode(_quickMode);

        [Benchmark]
        public int Encode_QuickMode() => _quickModeMessage.Encode(_output);

        /// <summary>Header of an encrypted message: nothing to walk, the body is kept as a slice.</summary>
        [Benchmark]
        public IkeMessage Decode_QuickModeEncrypted() => Decode(_quickModeEncrypted);

        /// <summary>Identifies 10 vendor IDs (strongSwan's MM1 set and four MS-IKEE ones) per call.</summary>
        [Benchmark(OperationsPerInvoke = 10)]
        public int VendorIdIdentify()
        {
            int known = 0;
            foreach (var v in _vendorIds)
                if (VendorIdRegistry.TryIdentify(v, out _)) known++;
            return known;
        }
    }
}
