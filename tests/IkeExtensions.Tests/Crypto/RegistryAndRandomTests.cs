using System;
using System.Linq;
using IkeExtensions.Crypto;
using Xunit;

namespace IkeExtensions.Tests.Crypto
{
    public class RegistryAndRandomTests
    {
        [Fact]
        public void SupportedGroupsResolveWithMatchingIdsAndLengths()
        {
            var expected = new (int Id, int Length)[] { (2, 128), (14, 256), (24, 256), (19, 64), (20, 96) };
            Assert.Equal(expected.Select(e => e.Id).OrderBy(i => i), DhGroups.Supported.OrderBy(i => i));
            foreach (var (id, length) in expected)
            {
                Assert.True(DhGroups.TryGet(id, out IDhGroup group));
                Assert.Equal(id, group.Id);
                Assert.Equal(length, group.PublicValueLength);
                Assert.False(DhGroups.IsWeak(group));
            }
        }

        [Fact]
        public void Group1IsAvailableOnlyWhenWeakGroupsAreAllowed()
        {
            Assert.False(DhGroups.TryGet(1, out _));
            Assert.Throws<NotSupportedException>(() => DhGroups.Get(1));
            Assert.True(DhGroups.TryGet(1, allowWeak: true, out IDhGroup group1));
            Assert.Equal(96, group1.PublicValueLength);
            Assert.True(DhGroups.IsWeak(group1));
            Assert.True(((ModpDhGroup)group1).IsWeak);
            Assert.False(DhGroups.TryGet(5, allowWeak: true, out _)); // 1536-bit MODP: not implemented
            Assert.False(DhGroups.TryGet(21, out _));                  // P-521: not implemented
        }

        [Fact]
        public void DeterministicSourceIsReproducibleAndIndependentOfChunking()
        {
            var a = new DeterministicRandomSource("seed-1");
            var b = new DeterministicRandomSource("seed-1");
            byte[] whole = new byte[100];
            a.Fill(whole);
            byte[] pieces = new byte[100];
            b.Fill(pieces.AsSpan(0, 7));
            b.Fill(pieces.AsSpan(7, 33));
            b.Fill(pieces.AsSpan(40));
            Assert.Equal(whole, pieces);

            // Block 0 is SHA-256(seed | 00 00 00 00 00 00 00 00).
            byte[] seed = System.Text.Encoding.UTF8.GetBytes("seed-1");
            byte[] block0 = System.Security.Cryptography.SHA256.HashData(seed.Concat(new byte[8]).ToArray());
            Assert.Equal(block0, whole.AsSpan(0, 32).ToArray());

            byte[] other = new byte[100];
            new DeterministicRandomSource("seed-2").Fill(other);
            Assert.NotEqual(whole, other);
        }

        [Fact]
        public void SystemSourceFillsBuffers()
        {
            byte[] x = new byte[64], y = new byte[64];
            SystemRandomSource.Instance.Fill(x);
            SystemRandomSource.Instance.Fill(y);
            Assert.NotEqual(x, y);
            SystemRandomSource.Instance.Fill(Span<byte>.Empty);
        }
    }
}
