using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IkeExtensions.Crypto.Certificates;
using IkeExtensions.Management;
using IkeExtensions.Tables;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>
    /// `ikex responder` / `ikex initiate` with --cert/--key/--ca (Main Mode with RSA signatures, RFC 2409 §5.1) as
    /// processes over loopback, and the one-line errors for bad certificate input.
    /// </summary>
    public class IkexCertificateCommandTests
    {
        private const string Psk = "cli-cert-test-pre-shared-key";
        private const string ResponderDn = "C=XX,O=IkeExtensions,CN=responder.ike.test";
        private const string InitiatorDn = "C=XX,O=IkeExtensions,CN=initiator.ike.test";
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
        private static readonly Lazy<CliPki> Pki = new Lazy<CliPki>(() => new CliPki());

        /// <summary>Writes the PKI's PEM files into <paramref name="files"/>; returns placeholder → path.</summary>
        private static (string Key, string Value)[] WritePki(TempFiles files)
        {
            var p = Pki.Value;
            return new[]
            {
                ("{ca}", files.Write("ca.pem", CliPki.Pem(p.Root.Cert))),
                ("{othercacert}", files.Write("other-ca.pem", CliPki.Pem(p.OtherRoot.Cert))),
                ("{rcert}", files.Write("responder.pem", CliPki.Pem(p.Responder.Cert))),
                ("{rkey}", files.Write("responder.key", CliPki.Pkcs1(p.Responder.Key))),
                // The initiator's file holds its certificate and the intermediate that issued it (the --ca file only the root).
                ("{icert}", files.Write("initiator.pem", CliPki.Pem(p.Initiator.Cert) + CliPki.Pem(p.Intermediate.Cert))),
                ("{ikey}", files.Write("initiator.key", CliPki.Pkcs8(p.Initiator.Key))),
                ("{roguecert}", files.Write("rogue.pem", CliPki.Pem(p.Rogue.Cert))),
                ("{roguekey}", files.Write("rogue.key", CliPki.Pkcs1(p.Rogue.Key))),
                ("{expiredcert}", files.Write("expired.pem", CliPki.Pem(p.Expired.Cert))),
                ("{expiredkey}", files.Write("expired.key", CliPki.Pkcs1(p.Expired.Key))),
                ("{eckey}", files.Write("ec.key", CliPki.Pkcs1(p.EcKey))),
                ("{encryptedkey}", files.Write("encrypted.key", CliPki.EncryptedPkcs1(p.Initiator.Key))),
                ("{badpem}", files.Write("bad.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!not base64 at all\n-----END CERTIFICATE-----\n")),
                ("{psk}", files.Write("psk", Psk)),
                ("{empty}", files.Write("empty.pem", "")),
                ("{dir}", files.Root),
            };
        }

        private static string Expand(string s, (string Key, string Value)[] map) =>
            map.Aggregate(s, (acc, kv) => acc.Replace(kv.Key, kv.Value, StringComparison.Ordinal));

        /// <summary>Nothing on stdout or stderr may quote a private key (PEM armour or any of its base64 lines).</summary>
        private static void AssertNoKeyMaterial(string text)
        {
            Assert.DoesNotContain("-----BEGIN", text, StringComparison.Ordinal);
            var p = Pki.Value;
            foreach (var pem in new[] { CliPki.Pkcs1(p.Responder.Key), CliPki.Pkcs8(p.Initiator.Key) })
                foreach (var line in pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 32 && !l.StartsWith("-----", StringComparison.Ordinal)))
                    Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }

        private static string[] Initiate(int port, params string[] more) =>
            new[] { "initiate", "--address", "127.0.0.1", "--port", "0", "--peer", "127.0.0.1", "--peer-port",
                port.ToString(CultureInfo.InvariantCulture), "--json" }.Concat(more).ToArray();

        [Fact]
        public void ResponderAndInitiate_WithCertificatesOnly_EstablishWithRsaSignatures_AndShowEachOthersDn()
        {
            if (OperatingSystem.IsWindows()) return; // SIGTERM: Linux/macOS
            using var files = new TempFiles();
            var map = WritePki(files);
            var stderr = new BlockingCollection<string>();
            // Responder: PKCS#1 key, leaf issued by the root. No --psk-file.
            using var responder = IkexProcess.Start(stderr, Expand("responder --address 127.0.0.1 --port 0 --nat-port 0 --cert {rcert} --key {rkey} --ca {ca}", map).Split(' '));
            var seen = new System.Collections.Generic.List<string>();
            try
            {
                string? listening = null;
                while (listening == null && stderr.TryTake(out var line, Patience))
                {
                    seen.Add(line);
                    if (line.Contains("info: listening on ", StringComparison.Ordinal)) listening = line;
                }
                Assert.True(listening != null, "responder did not start:\n" + string.Join("\n", seen));
                int port = int.Parse(Regex.Match(listening!, @"listening on 127\.0\.0\.1:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

                // Initiator: PKCS#8 key, leaf + intermediate in --cert, only the root in --ca.
                var r = IkexProcess.Run(Initiate(port, Expand("--cert {icert} --key {ikey} --ca {ca}", map).Split(' ')));
                Assert.True(r.ExitCode == 0, r.StdErr);
                using (var doc = JsonDocument.Parse(r.StdOut))
                {
                    var mm = doc.RootElement.GetProperty("mainModeSa");
                    Assert.Equal("Established", mm.GetProperty("state").GetString());
                    Assert.Equal("RsaSignatures", mm.GetProperty("authenticationMethod").GetString());
                    Assert.Equal(ResponderDn, mm.GetProperty("remoteFirstId").GetString());
                    Assert.Equal("Established", doc.RootElement.GetProperty("quickModeSa").GetProperty("state").GetString());
                }
                AssertNoKeyMaterial(r.StdOut + r.StdErr);

                // The responder saw the initiator's DN and RSA signatures.
                string? established = null;
                while (established == null && stderr.TryTake(out var line, Patience))
                {
                    seen.Add(line);
                    if (line.Contains(" established with 127.0.0.1:", StringComparison.Ordinal) && line.Contains("MM#", StringComparison.Ordinal)) established = line;
                }
                Assert.True(established != null, "responder logged no established Main Mode:\n" + string.Join("\n", seen));
                Assert.Contains($"({InitiatorDn}): ", established!);
                Assert.EndsWith("/RsaSignatures", established!);
            }
            finally
            {
                if (!responder.HasExited)
                {
                    using (var kill = Process.Start("kill", new[] { "-TERM", responder.Id.ToString(CultureInfo.InvariantCulture) })) kill.WaitForExit();
                    if (!responder.WaitForExit(30_000)) responder.Kill();
                }
            }
            Assert.Equal(0, responder.ExitCode);
            responder.WaitForExit(); // drains stderr
            while (stderr.TryTake(out var line)) seen.Add(line);
            string all = string.Join("\n", seen);
            Assert.Contains($"info: authentication: certificate '{ResponderDn}', trusting 'C=XX,O=IkeExtensions,CN=IkeExtensions CLI Test CA'", all);
            AssertNoKeyMaterial(all);
        }

        [Fact]
        public async Task Initiate_WithPskAndCertificates_PrefersCertificates_WhenTheResponderHasBoth()
        {
            using var files = new TempFiles();
            var map = WritePki(files);
            var p = Pki.Value;
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk),
                LocalCertificate = new CertificateCredential(p.Responder.Cert, p.Responder.Key.Private),
                TrustAnchors = new[] { p.Root.Cert },
            });
            var r = IkexProcess.Run(Initiate(responder.LocalEndpoint.Port, Expand("--psk-file {psk} --cert {icert} --key {ikey} --ca {ca}", map).Split(' ')));
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var mm = doc.RootElement.GetProperty("mainModeSa");
            Assert.Equal("RsaSignatures", mm.GetProperty("authenticationMethod").GetString());
            Assert.Equal(ResponderDn, mm.GetProperty("remoteFirstId").GetString());
            Assert.Equal(1, responder.Statistics.MainModeEstablished);
        }

        [Fact]
        public async Task Initiate_WithPskAndCertificates_FallsBackToThePsk_WhenTheResponderHasOnlyThePsk()
        {
            using var files = new TempFiles();
            var map = WritePki(files);
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk),
            });
            var r = IkexProcess.Run(Initiate(responder.LocalEndpoint.Port, Expand("--psk-file {psk} --cert {icert} --key {ikey} --ca {ca}", map).Split(' ')));
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var mm = doc.RootElement.GetProperty("mainModeSa");
            Assert.Equal("PreSharedKey", mm.GetProperty("authenticationMethod").GetString());
            Assert.Equal("127.0.0.1", mm.GetProperty("remoteFirstId").GetString());
        }

        [Fact]
        public async Task Initiate_WithACertificateFromAnotherCa_IsRefused_Exit1()
        {
            using var files = new TempFiles();
            var map = WritePki(files);
            var p = Pki.Value;
            await using var responder = IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0,
                LocalCertificate = new CertificateCredential(p.Responder.Cert, p.Responder.Key.Private),
                TrustAnchors = new[] { p.Root.Cert },
            });
            // The initiator trusts the responder, but its own certificate chains to a CA the responder does not trust.
            var r = IkexProcess.Run(Initiate(responder.LocalEndpoint.Port, Expand("--cert {roguecert} --key {roguekey} --ca {ca} --timeout 10", map).Split(' ')));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Contains($"ikex initiate: negotiation with {responder.LocalEndpoint} failed: ", r.StdErr);
            Assert.Equal(0, responder.Statistics.MainModeEstablished);
            AssertNoKeyMaterial(r.StdErr);
        }

        [Fact]
        public void IkeService_RefusesACertificateWithoutTrustAnchors_AndNoAuthenticationAtAll()
        {
            var p = Pki.Value;
            Assert.Throws<ArgumentException>(() => IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, LocalCertificate = new CertificateCredential(p.Responder.Cert, p.Responder.Key.Private),
            }));
            Assert.Throws<ArgumentException>(() => IkeService.StartResponder(new ResponderOptions
            {
                Address = IPAddress.Loopback, Port = 0, NatPort = 0, PresharedKey = PreSharedKey.FromText(Psk), TrustAnchors = new[] { p.Root.Cert },
            }));
            Assert.Throws<ArgumentException>(() => IkeService.StartResponder(new ResponderOptions { Address = IPAddress.Loopback, Port = 0, NatPort = 0 }));
        }

        // ---- bad input: one line on stderr naming the problem, exit 2, no key material ----

        private const string I = "initiate --address 127.0.0.1 --peer 127.0.0.1 ";
        private const string R = "responder --address 127.0.0.1 --port 0 --nat-port 0 ";

        [Theory]
        [InlineData(I, "ikex initiate: give --psk-file, or --cert, --key and --ca (or both)")]
        [InlineData(R, "ikex responder: give --psk-file, or --cert, --key and --ca (or both)")]
        [InlineData(I + "--cert {icert} --ca {ca}", "ikex initiate: --cert needs --key (the certificate's private key)")]
        [InlineData(I + "--psk-file {psk} --cert {icert}", "ikex initiate: --cert needs --key (the certificate's private key)")]
        [InlineData(I + "--cert {icert} --key {ikey}", "ikex initiate: --cert needs --ca (trust anchors for the peer's certificate)")]
        [InlineData(I + "--key {ikey} --ca {ca}", "ikex initiate: --key needs --cert (the certificate it belongs to)")]
        [InlineData(R + "--ca {ca}", "ikex responder: --ca needs --cert and --key (our own certificate and its private key)")]
        [InlineData(R + "--psk-file {psk} --ca {ca}", "ikex responder: --ca needs --cert and --key (our own certificate and its private key)")]
        [InlineData(I + "--cert {dir}/missing.pem --key {ikey} --ca {ca}", "ikex initiate: --cert: file not found: '{dir}/missing.pem'")]
        [InlineData(I + "--cert {icert} --key {dir}/missing.key --ca {ca}", "ikex initiate: --key: file not found: '{dir}/missing.key'")]
        [InlineData(R + "--cert {rcert} --key {rkey} --ca {dir}/missing-ca.pem", "ikex responder: --ca: file not found: '{dir}/missing-ca.pem'")]
        [InlineData(I + "--cert {ikey} --key {ikey} --ca {ca}", "ikex initiate: --cert: no PEM certificate (BEGIN CERTIFICATE) in '{ikey}'")]
        [InlineData(I + "--cert {empty} --key {ikey} --ca {ca}", "ikex initiate: --cert: no PEM certificate (BEGIN CERTIFICATE) in '{empty}'")]
        [InlineData(I + "--cert {badpem} --key {ikey} --ca {ca}", "ikex initiate: --cert: '{badpem}' holds a malformed PEM block")]
        [InlineData(I + "--cert {icert} --key {icert} --ca {ca}", "ikex initiate: --key: no PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY) in '{icert}'")]
        [InlineData(R + "--cert {rcert} --key {ikey} --ca {ca}", "ikex responder: --key: the private key in '{ikey}' does not belong to the certificate '" + ResponderDn + "' in '{rcert}'")]
        [InlineData(R + "--cert {rcert} --key {eckey} --ca {ca}", "ikex responder: --key: the private key in '{eckey}' does not belong to the certificate '" + ResponderDn + "' in '{rcert}'")]
        [InlineData(R + "--cert {rcert} --key {encryptedkey} --ca {ca}", "ikex responder: --key: the private key in '{encryptedkey}' is encrypted (give an unencrypted PEM key)")]
        [InlineData(R + "--cert {rcert} --key {rkey} --ca {rkey}", "ikex responder: --ca: no PEM certificate (BEGIN CERTIFICATE) in '{rkey}'")]
        [InlineData(R + "--cert {expiredcert} --key {expiredkey} --ca {ca}", "ikex responder: --cert: certificate 'C=XX,O=IkeExtensions,CN=expired.ike.test' is not valid now (valid 2020-01-01 00:00:00Z to 2021-01-01 00:00:00Z)")]
        [InlineData(R + "--psk-file {dir}/missing --cert {rcert} --key {rkey} --ca {ca}", "ikex responder: --psk-file: file not found: '{dir}/missing'")]
        public void BadCertificateInput_Exits2_WithOneLineNamingTheProblem(string commandLine, string expected)
        {
            using var files = new TempFiles();
            var map = WritePki(files);
            var r = IkexProcess.Run(Expand(commandLine, map).Trim().Split(' '));
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.StdOut);
            Assert.Equal(Expand(expected, map), r.StdErr.TrimEnd('\r', '\n'));
            AssertNoKeyMaterial(r.StdErr);
        }

        [Fact]
        public void Help_ListsTheCertificateOptions()
        {
            foreach (var command in new[] { "responder", "initiate" })
            {
                var r = IkexProcess.Run(command, "--help");
                Assert.True(r.ExitCode == 0, r.StdErr);
                Assert.Contains("--cert", r.StdOut);
                Assert.Contains("--key", r.StdOut);
                Assert.Contains("--ca", r.StdOut);
            }
        }
    }

    /// <summary>
    /// A throw-away PKI for the CLI tests, made with BouncyCastle: root CA → responder leaf; root → intermediate CA →
    /// initiator leaf; an untrusted root → rogue leaf; an expired leaf; an EC key. RSA-2048, generated once per run.
    /// </summary>
    internal sealed class CliPki
    {
        private static readonly SecureRandom Random = new SecureRandom();
        private static long _serial = DateTime.UtcNow.Ticks & 0x7fffffff;

        public CliPki()
        {
            var now = DateTime.UtcNow;
            Root = Issue("C=XX, O=IkeExtensions, CN=IkeExtensions CLI Test CA", null, isCa: true, now.AddDays(-1), now.AddYears(5));
            Intermediate = Issue("C=XX, O=IkeExtensions, CN=IkeExtensions CLI Intermediate CA", Root, isCa: true, now.AddDays(-1), now.AddYears(5));
            OtherRoot = Issue("C=XX, O=Elsewhere, CN=Untrusted CA", null, isCa: true, now.AddDays(-1), now.AddYears(5));
            Responder = Issue("C=XX, O=IkeExtensions, CN=responder.ike.test", Root, isCa: false, now.AddDays(-1), now.AddYears(1));
            Initiator = Issue("C=XX, O=IkeExtensions, CN=initiator.ike.test", Intermediate, isCa: false, now.AddDays(-1), now.AddYears(1));
            Rogue = Issue("C=XX, O=IkeExtensions, CN=initiator.ike.test", OtherRoot, isCa: false, now.AddDays(-1), now.AddYears(1));
            Expired = Issue("C=XX, O=IkeExtensions, CN=expired.ike.test", Root, isCa: false,
                new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var ec = new ECKeyPairGenerator();
            ec.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, Random));
            EcKey = ec.GenerateKeyPair();
        }

        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Root { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Intermediate { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) OtherRoot { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Responder { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Initiator { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Rogue { get; }
        public (X509Certificate Cert, AsymmetricCipherKeyPair Key) Expired { get; }
        public AsymmetricCipherKeyPair EcKey { get; }

        private static (X509Certificate, AsymmetricCipherKeyPair) Issue(string subject, (X509Certificate Cert, AsymmetricCipherKeyPair Key)? issuer,
            bool isCa, DateTime notBefore, DateTime notAfter)
        {
            var gen = new RsaKeyPairGenerator();
            gen.Init(new KeyGenerationParameters(Random, 2048));
            var key = gen.GenerateKeyPair();
            var cg = new X509V3CertificateGenerator();
            cg.SetSerialNumber(BigInteger.ValueOf(System.Threading.Interlocked.Increment(ref _serial)));
            cg.SetSubjectDN(new X509Name(subject));
            cg.SetIssuerDN(issuer?.Cert.SubjectDN ?? new X509Name(subject));
            cg.SetNotBefore(notBefore);
            cg.SetNotAfter(notAfter);
            cg.SetPublicKey(key.Public);
            if (isCa) cg.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            var signer = new Asn1SignatureFactory("SHA256WITHRSA", (issuer?.Key ?? key).Private, Random);
            return (cg.Generate(signer), key);
        }

        private static string Write(Action<PemWriter> write)
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var writer = new PemWriter(text);
            write(writer);
            writer.Writer.Flush();
            return text.ToString();
        }

        public static string Pem(X509Certificate cert) => Write(w => w.WriteObject(cert));

        /// <summary>"RSA PRIVATE KEY" (or "EC PRIVATE KEY"): the traditional OpenSSL form.</summary>
        public static string Pkcs1(AsymmetricCipherKeyPair key) => Write(w => w.WriteObject(key.Private));

        /// <summary>"PRIVATE KEY": unencrypted PKCS#8.</summary>
        public static string Pkcs8(AsymmetricCipherKeyPair key) => Write(w => w.WriteObject(new Pkcs8Generator(key.Private)));

        /// <summary>"RSA PRIVATE KEY" with "Proc-Type: 4,ENCRYPTED" (a passphrase-protected traditional key).</summary>
        public static string EncryptedPkcs1(AsymmetricCipherKeyPair key) =>
            Write(w => w.WriteObject(new MiscPemGenerator(key.Private, "AES-128-CBC", "passphrase".ToCharArray(), Random)));
    }
}
