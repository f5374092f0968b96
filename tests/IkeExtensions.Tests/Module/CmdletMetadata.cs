using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace IkeExtensions.Tests.Module
{
    /// <summary>One [Parameter] attribute of a cmdlet property, read from metadata.</summary>
    internal sealed class ParameterDeclaration
    {
        public string SetName { get; init; } = "__AllParameterSets";
        public int Position { get; init; } = int.MinValue;
        public bool Mandatory { get; init; }
        public bool ValueFromPipeline { get; init; }
        public bool ValueFromPipelineByPropertyName { get; init; }
    }

    /// <summary>A cmdlet parameter: the property and its [Parameter]/[Alias]/[SupportsWildcards] attributes.</summary>
    internal sealed class CmdletParameter
    {
        public PropertyInfo Property { get; init; } = null!;
        public string Name => Property.Name;
        public IReadOnlyList<ParameterDeclaration> Declarations { get; init; } = Array.Empty<ParameterDeclaration>();
        public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();
        public bool SupportsWildcards { get; init; }
    }

    /// <summary>A type deriving from PSCmdlet/Cmdlet and what its attributes declare, read without loading PowerShell.</summary>
    internal sealed class CmdletMetadata
    {
        private const string Sma = "System.Management.Automation.";

        public Type Type { get; private init; } = null!;
        public CustomAttributeData? CmdletAttribute { get; private init; }
        public IReadOnlyList<CustomAttributeData> OutputTypeAttributes { get; private init; } = Array.Empty<CustomAttributeData>();
        public IReadOnlyList<CmdletParameter> Parameters { get; private init; } = Array.Empty<CmdletParameter>();

        public string Verb => (string)CmdletAttribute!.ConstructorArguments[0].Value!;
        public string Noun => (string)CmdletAttribute!.ConstructorArguments[1].Value!;
        public string Name => Verb + "-" + Noun;
        public string? DefaultParameterSetName => (string?)Named(CmdletAttribute!, "DefaultParameterSetName");
        public bool SupportsShouldProcess => (bool?)Named(CmdletAttribute!, "SupportsShouldProcess") ?? false;
        /// <summary>The ConfirmImpact value (System.Management.Automation.ConfirmImpact: None 0, Low 1, Medium 2, High 3), null when not set.</summary>
        public int? ConfirmImpact => (int?)Named(CmdletAttribute!, "ConfirmImpact");

        /// <summary>The full names of the [OutputType] types.</summary>
        public IEnumerable<string> OutputTypeNames => OutputTypeAttributes
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(t => t.Value is Type type ? type.FullName! : (string)t.Value!);

        /// <summary>
        /// Every concrete type in <paramref name="assembly"/> that derives from System.Management.Automation.Cmdlet. Abstract
        /// bases (shared parameters of cmdlet families) are not cmdlets; their public parameters show on each concrete cmdlet.
        /// </summary>
        public static IReadOnlyList<CmdletMetadata> Read(Assembly assembly) =>
            assembly.GetTypes().Where(IsCmdlet).Select(FromType).OrderBy(c => c.Type.FullName, StringComparer.Ordinal).ToList();

        public static bool DerivesFrom(Type type, string fullName)
        {
            for (Type? t = type.BaseType; t != null; t = t.BaseType)
                if (t.FullName == fullName) return true;
            return false;
        }

        public static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

        private static bool IsCmdlet(Type type) => !type.IsAbstract && DerivesFrom(type, Sma + "Cmdlet");

        private static CmdletMetadata FromType(Type type)
        {
            IList<CustomAttributeData> attributes = type.GetCustomAttributesData();
            return new CmdletMetadata
            {
                Type = type,
                CmdletAttribute = attributes.SingleOrDefault(a => a.AttributeType.FullName == Sma + "CmdletAttribute"),
                OutputTypeAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute").ToList(),
                Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(ReadParameter).Where(p => p.Declarations.Count > 0).ToList(),
            };
        }

        private static CmdletParameter ReadParameter(PropertyInfo property)
        {
            IList<CustomAttributeData> attributes = property.GetCustomAttributesData();
            return new CmdletParameter
            {
                Property = property,
                Declarations = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").Select(a => new ParameterDeclaration
                {
                    SetName = (string?)Named(a, "ParameterSetName") ?? "__AllParameterSets",
                    Position = (int?)Named(a, "Position") ?? int.MinValue,
                    Mandatory = (bool?)Named(a, "Mandatory") ?? false,
                    ValueFromPipeline = (bool?)Named(a, "ValueFromPipeline") ?? false,
                    ValueFromPipelineByPropertyName = (bool?)Named(a, "ValueFromPipelineByPropertyName") ?? false,
                }).ToList(),
                Aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
                    .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!))
                    .ToList(),
                SupportsWildcards = attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
            };
        }
    }
}
