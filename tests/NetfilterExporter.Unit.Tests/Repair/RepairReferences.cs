using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NetfilterExporter.Unit.Tests.Repair;

/// <summary>
/// Which types of the built exporter assembly use which others, read from its metadata: base types and interfaces,
/// generic constraints, field, method and property signatures, and every token in every method body (calls, object
/// creations, field accesses, typeof, casts, locals), generic arguments included. Within one assembly a use of another
/// of its types is a TypeDef token, never a TypeRef, so reading the IL is the only way to see it. A nested type (a
/// closure, an async state machine, a lambda's display class) counts as its outermost type, whose namespace it has.
/// </summary>
internal sealed class RepairReferences
{
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => unchecked((ushort)code.Value), code => code.OperandType);

    private readonly MetadataReader reader;
    private readonly Collector collector;

    private RepairReferences(MetadataReader reader)
    {
        this.reader = reader;
        collector = new Collector(this);
    }

    /// <summary>For each outermost type (by full name), the outermost types of the assembly it uses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var scan = new RepairReferences(pe.GetMetadataReader());
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in scan.reader.TypeDefinitions)
        {
            var owner = scan.Outermost(handle);
            if (!uses.TryGetValue(owner, out var set))
            {
                uses[owner] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.UnionWith(scan.UsesOf(handle, pe).Select(scan.Outermost));
        }
        return uses.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>)pair.Value, StringComparer.Ordinal);
    }

    /// <summary>"Namespace.Name" of the type, or of the type it is nested in, outermost.</summary>
    public string Outermost(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            type = reader.GetTypeDefinition(outer);
        }
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? reader.GetString(type.Name) : $"{ns}.{reader.GetString(type.Name)}";
    }

    private List<TypeDefinitionHandle> UsesOf(TypeDefinitionHandle handle, PEReader pe)
    {
        var used = new List<TypeDefinitionHandle>();
        var type = reader.GetTypeDefinition(handle);
        if (!type.BaseType.IsNil)
        {
            used.AddRange(FromType(type.BaseType));
        }
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            used.AddRange(FromType(reader.GetInterfaceImplementation(implementation).Interface));
        }
        used.AddRange(Constraints(type.GetGenericParameters()));
        foreach (var field in type.GetFields())
        {
            used.AddRange(reader.GetFieldDefinition(field).DecodeSignature(collector, null));
        }
        foreach (var property in type.GetProperties())
        {
            var signature = reader.GetPropertyDefinition(property).DecodeSignature(collector, null);
            used.AddRange(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter)));
        }
        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            var signature = method.DecodeSignature(collector, null);
            used.AddRange(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter)));
            used.AddRange(Constraints(method.GetGenericParameters()));
            if (method.RelativeVirtualAddress != 0)
            {
                used.AddRange(Body(pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
        }
        return used;
    }

    private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(parameter => reader.GetGenericParameter(parameter).GetConstraints())
            .SelectMany(constraint => FromType(reader.GetGenericParameterConstraint(constraint).Type));

    private List<TypeDefinitionHandle> Body(MethodBodyBlock body)
    {
        var used = new List<TypeDefinitionHandle>();
        if (!body.LocalSignature.IsNil)
        {
            used.AddRange(reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null).SelectMany(local => local));
        }
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }
            switch (Operands[code])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType or OperandType.InlineSig:
                    used.AddRange(FromToken(MetadataTokens.EntityHandle(il.ReadInt32())));
                    break;
                case OperandType.InlineSwitch:
                    il.Offset += 4 * il.ReadInt32();
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineString or OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
        return used;
    }

    private IEnumerable<TypeDefinitionHandle> FromToken(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification => FromType(handle),
        HandleKind.MethodDefinition => [reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()],
        HandleKind.FieldDefinition => [reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()],
        HandleKind.MemberReference => FromMemberReference((MemberReferenceHandle)handle),
        HandleKind.MethodSpecification => FromMethodSpecification((MethodSpecificationHandle)handle),
        HandleKind.StandaloneSignature => FromStandaloneSignature((StandaloneSignatureHandle)handle),
        _ => [],
    };

    private IEnumerable<TypeDefinitionHandle> FromMemberReference(MemberReferenceHandle handle)
    {
        var member = reader.GetMemberReference(handle);
        var parent = FromToken(member.Parent);
        return member.GetKind() == MemberReferenceKind.Method
            ? parent.Concat(member.DecodeMethodSignature(collector, null) is var method ? method.ReturnType.Concat(method.ParameterTypes.SelectMany(parameter => parameter)) : [])
            : parent.Concat(member.DecodeFieldSignature(collector, null));
    }

    private IEnumerable<TypeDefinitionHandle> FromMethodSpecification(MethodSpecificationHandle handle)
    {
        var specification = reader.GetMethodSpecification(handle);
        return FromToken(specification.Method).Concat(specification.DecodeSignature(collector, null).SelectMany(argument => argument));
    }

    private IEnumerable<TypeDefinitionHandle> FromStandaloneSignature(StandaloneSignatureHandle handle)
    {
        var signature = reader.GetStandaloneSignature(handle);
        return signature.GetKind() == StandaloneSignatureKind.Method && signature.DecodeMethodSignature(collector, null) is var method
            ? method.ReturnType.Concat(method.ParameterTypes.SelectMany(parameter => parameter))
            : signature.DecodeLocalSignature(collector, null).SelectMany(local => local);
    }

    private IEnumerable<TypeDefinitionHandle> FromType(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => [(TypeDefinitionHandle)handle],
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(collector, null),
        _ => [],
    };

    /// <summary>Every type definition of this assembly a signature names, generic arguments and modifiers included.</summary>
    private sealed class Collector(RepairReferences scan) : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly ImmutableArray<TypeDefinitionHandle> None = [];

        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            [.. scan.FromType(handle)];

        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(argument => argument)];

        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => None;

        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => None;

        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(parameter => parameter)];

        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) =>
            [.. modifier, .. unmodifiedType];
    }
}
