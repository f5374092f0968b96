using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using IkeExtensions.Crypto;
using IkeExtensions.Engine;
using IkeExtensions.Management;
using IkeExtensions.Platform;
using IkeExtensions.Policy;
using IkeExtensions.Tables;
using IkeExtensions.Wire;
using Xunit;

namespace IkeExtensions.Tests.Management
{
    /// <summary>Management DTOs carry names and numbers, never keys (house rule: secrets never appear in JSON).</summary>
    public class SaInfoTests
    {
        private const string Psk = "dto-test-pre-shared-key";

        [Fact]
        public void SaDtos_HaveNoKeyProperties()
        {
            foreach (var type in new[] { typeof(MainModeSaInfo), typeof(QuickModeSaInfo), typeof(IkeStatisticsInfo), typeof(SaListing), typeof(ControlResponse) })
            {
                // "Rekey…" (RFC 7296 §1.3.2: ControlResponse.Rekeying) names an exchange, not key material.
                var names = type.GetProperties().Select(p => p.Name)
                    .Where(n => System.Text.RegularExpressions.Regex.IsMatch(n, "(?<!re)key|secret", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
                Assert.Equal(type == typeof(MainModeSaInfo) ? new[] { "KeyModule" } : Array.Empty<string>(), names.ToArray());
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task ListingJson_HoldsNeitherEspKeyMaterialNorThePresharedKey()
        {
            var qmA = new BlockingCollection<QuickModeSa>();
            var qmB = new BlockingCollection<QuickModeSa>();
            using var a = Host(qmA);
            using var b = Host(qmB);
            await a.InitiateAsync(new InitiateRequest(a.LocalEndpoint, b.LocalEndpoint));
            Assert.True(qmA.TryTake(out var qa, TimeSpan.FromSeconds(30)));
            Assert.True(qmB.TryTake(out var qb, TimeSpan.FromSeconds(30)));

            var keys = (await a.InvokeAsync(e => e.KeyMaterialOf(qa!.Id)))!.Value;
            var listing = new SaListing
            {
                MainModeSas = a.MainModeSas.Snapshot().Concat(b.MainModeSas.Snapshot()).Select(MainModeSaInfo.From).ToArray(),
                QuickModeSas = a.QuickModeSas.Snapshot().Concat(b.QuickModeSas.Snapshot()).Select(QuickModeSaInfo.From).ToArray(),
            };
            string json = JsonSerializer.Serialize(listing, ManagementJson.Indented).ToLowerInvariant();
            foreach (var secret in new[] { keys.Inbound, keys.Outbound })
            {
                Assert.DoesNotContain(HexFormat.ToHex(secret).ToLowerInvariant(), json);
                Assert.DoesNotContain(HexFormat.ToHex(secret.AsSpan(0, 8).ToArray()).ToLowerInvariant(), json);
                Assert.DoesNotContain(Convert.ToBase64String(secret).ToLowerInvariant(), json);
            }
            Assert.DoesNotContain(Psk, json);
            Assert.Contains(qa!.InboundSpi.ToString("x8"), json);
        }

        private static UdpIkeHost Host(BlockingCollection<QuickModeSa> established)
        {
            var pad = new PeerAuthorizationDatabase();
            pad.Add(new PeerAuthorizationEntry(null, PreSharedKey.FromText(Psk)));
            var host = new UdpIkeHost(new IkeV1EngineOptions(SystemClock.Instance, SystemRandomSource.Instance, IkeV1Policy.Default, pad), IPAddress.Loopback, 0, null);
            host.EventRaised += e => { if (e.Kind == EngineEventKind.QuickModeEstablished) established.Add((QuickModeSa)e.Sa!); };
            host.Start();
            return host;
        }
    }
}
