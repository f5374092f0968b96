using System.Collections.Generic;
using IkeExtensions.Wire.V2;

namespace IkeExtensions.Engine.V2
{
    internal sealed partial class IkeV2Session
    {
        /// <summary>The attribute types our CFG_REQUEST asked for (MS-IKEE 3.11, 3.16); a CFG_REPLY is read for these only.</summary>
        public HashSet<ConfigurationAttributeType>? RequestedAttributes;
    }
}
