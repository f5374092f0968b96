using Xunit;

namespace IkeExtensions.Tests.Cli
{
    /// <summary>`ikex initiate --encap` (IKEv2 forced UDP encapsulation, RFC 7296 §2.23): listed in help, refused for IKEv1.</summary>
    public class IkexInitiateEncapOptionTests
    {
        [Fact]
        public void Encap_WithoutIkeVersion2_Exits2_NamingTheProblem()
        {
            using var files = new TempFiles();
            var r = IkexProcess.Run("initiate", "--address", "127.0.0.1", "--peer", "127.0.0.1", "--psk-file", files.Write("psk", "cli-encap-test-psk"), "--encap");
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("ikex initiate: --encap needs --ike-version 2 (IKEv1 floats only when a NAT is detected)", r.StdErr.TrimEnd('\r', '\n'));
        }

        [Fact]
        public void Help_ListsEncap()
        {
            var r = IkexProcess.Run("initiate", "--help");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("--encap", r.StdOut);
        }
    }
}
