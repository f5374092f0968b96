using System.Runtime.InteropServices;

namespace IkeExtensions.Platform.Windows.Native
{
    /// <summary>iketypes.h IKEEXT_CIPHER_ALGORITHM0 { IKEEXT_CIPHER_TYPE algoIdentifier; UINT32 keyLen; UINT32 rounds; } (keyLen, rounds unused: 0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_CIPHER_ALGORITHM0
    {
        public uint algoIdentifier;
        public uint keyLen;
        public uint rounds;
    }

    /// <summary>iketypes.h IKEEXT_INTEGRITY_ALGORITHM0 { IKEEXT_INTEGRITY_TYPE algoIdentifier; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_INTEGRITY_ALGORITHM0
    {
        public uint algoIdentifier;
    }

    /// <summary>iketypes.h IKEEXT_PROPOSAL0: 28 bytes on both architectures.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IKEEXT_PROPOSAL0
    {
        public IKEEXT_CIPHER_ALGORITHM0 cipherAlgorithm;
        public IKEEXT_INTEGRITY_ALGORITHM0 integrityAlgorithm;
        public uint maxLifetimeSeconds;
        public uint dhGroup;
        public uint quickModeLimit;
    }
}
