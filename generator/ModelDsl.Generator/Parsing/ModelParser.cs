using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parsing;

/// <summary>
/// The only step that touches symbols: reads a [Model] class into a <see cref="ModelDeclaration"/> of plain data.
/// Half-typed code (error types, missing arguments) is skipped, never thrown on.
/// </summary>
internal static class ModelParser
{
    /// <summary>
    /// [Model] written on two partial declarations of one class is compiler error CS0579; the generator then sees the
    /// class twice and must emit it once, from the first declaration.
    /// </summary>
    public static bool IsFirstModelAttribute(GeneratorAttributeSyntaxContext context)
    {
        AttributeData? first = context.TargetSymbol.GetAttributes().FirstOrDefault(a => AttributeNames.IsModel(a.AttributeClass));
        return first?.ApplicationSyntaxReference is not { } reference || context.TargetNode.Span.Contains(reference.Span) && context.TargetNode.SyntaxTree == reference.SyntaxTree;
    }

    /// <summary>
    /// The generator's parse: without source locations. Only the analyzer reports diagnostics, and leaving positions out
    /// means an edit that merely moves a model (a line added above it) does not re-run its plan and emit steps; it also
    /// makes this step, which runs for every model on every edit, markedly cheaper (docs/benchmarks.md, Generator).
    /// </summary>
    public static ModelDeclaration Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => Parse((INamedTypeSymbol)context.TargetSymbol, (TypeDeclarationSyntax)context.TargetNode, context.Attributes[0], withLocations: false, cancellationToken);

    /// <summary>
    /// Shared by the generator and <see cref="Diagnostics.ModelAnalyzer"/>, so both see the same model; the analyzer asks
    /// for <paramref name="withLocations"/>, which its diagnostics point to.
    /// </summary>
    public static ModelDeclaration Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData modelAttribute, bool withLocations, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? classLocation = withLocations ? LocationInfo.From(declaration.Identifier.GetLocation()) : null;
        LocationInfo? modelLocation = withLocations ? LocationInfo.From(modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null;

        LanguageVersion version = declaration.SyntaxTree.Options is CSharpParseOptions parseOptions ? parseOptions.LanguageVersion.MapSpecifiedToEffectiveVersion() : LanguageVersion.Latest;
        if (version < MinimumLanguageVersion)
        {
            diagnostics.Add(Diag(Descriptors.LanguageVersionTooLow, classLocation, type.Name, version.ToDisplayString(), MinimumLanguageVersion.ToDisplayString()));
        }
        CheckPartial(type, classLocation, diagnostics);
        CheckDeclarationKind(type, declaration, classLocation, diagnostics);
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && type.TypeKind == TypeKind.Class && !type.IsRecord
            && !IsGeneratedBase(baseType))
        {
            diagnostics.Add(Diag(Descriptors.ModelHasBaseClass, classLocation, type.Name, baseType.ToDisplayString()));
        }

        // One pass over the class's attributes: its layer stack, the other ModelDsl attributes (options), [Obsolete].
        var classLayers = new List<AttributeDeclaration>();
        var classLayerData = new List<AttributeData>();
        var options = new List<AttributeDeclaration>();
        var inputs = new List<InputDeclaration>();
        ObsoleteInfo? obsolete = null;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            INamedTypeSymbol? attributeClass = attribute.AttributeClass;
            if (AttributeNames.IsInput(attributeClass))
            {
                if (ReadInput(attribute, withLocations, cancellationToken) is { } input) inputs.Add(input);
                continue;
            }
            bool isLayer = IsLayer(attributeClass);
            List<AttributeDeclaration>? into = isLayer ? classLayers
                : IsModelDslAttribute(attributeClass) && !AttributeNames.IsModel(attributeClass) ? options
                : null;
            if (into is not null && Read(attribute, withLocations, cancellationToken) is { } read)
            {
                into.Add(read);
                if (isLayer) classLayerData.Add(attribute);
            }
            else if (attributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                obsolete = new ObsoleteInfo(
                    attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null,
                    attribute.ConstructorArguments.Length > 1 && attribute.ConstructorArguments[1].Value is true);
            }
        }
        if (type.DeclaringSyntaxReferences.Length > 1) CheckLayersOnOneDeclaration(type, classLayerData, withLocations, diagnostics, cancellationToken);

        var blocks = new List<BlockDeclaration>();
        if (classLayers.Count > 0) blocks.Add(new BlockDeclaration(null, null, false, classLayers.ToEquatableArray(), classLocation));

        var userMembers = new List<UserMember> { new(type.Name, UserMemberKind.Class, classLocation) };
        foreach (ITypeParameterSymbol parameter in type.TypeParameters)
            userMembers.Add(new UserMember(parameter.Name, UserMemberKind.TypeParameter, withLocations ? LocationInfo.From(parameter.Locations.FirstOrDefault()) : null));
        var brokenProperties = new List<SurfaceProperty>();
        foreach ((ISymbol member, Location declaredAt) in MembersInSourceOrder(type, userMembers, withLocations))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImmutableArray<AttributeData> attributes = member.GetAttributes();
            EquatableArray<AttributeDeclaration> layers = ReadLayers(attributes, withLocations, cancellationToken);
            AttributeDeclaration? residual = ReadResidual(attributes, withLocations, cancellationToken);
            NodeInput? nodeInput = ReadNodeInput(member.Name, attributes, withLocations, diagnostics, cancellationToken);
            AttributeData? output = attributes.FirstOrDefault(a => AttributeNames.IsOutput(a.AttributeClass));
            TemplateDeclaration? template = TemplateOf(member, withLocations, cancellationToken);
            // A block of graph attributes alone is a join ([Concatenate(…)] with no layers) or a tap ([From(…), Output]).
            if (layers.Count == 0 && template is null && (residual is not null || nodeInput is null && output is null))
            {
                if (residual is not null)
                {
                    diagnostics.Add(Diag(Descriptors.ResidualOption, residual.Location, member.Name, "the block has no layers; put the branch's layers on the same member ([Residual, Conv2d(16, 3, Padding = 1), BatchNorm, ReLU, …])"));
                    AddBrokenBlockProperty(member, attributes, brokenProperties);
                }
                continue;
            }
            LocationInfo? location = withLocations ? LocationInfo.From(declaredAt) : null;
            BlockDeclaration? block = ReadBlock(member, attributes, layers, location, diagnostics, template);
            if (block is not null)
            {
                blocks.Add(block with
                {
                    Residual = residual,
                    Input = nodeInput,
                    IsOutput = output is not null,
                    OutputLocation = withLocations ? LocationInfo.From(output?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null,
                    Template = template,
                    With = ReadWith(attributes, withLocations, cancellationToken, out LocationInfo? withAt),
                    WithLocation = withAt ?? location,
                });
            }
            else AddBrokenBlockProperty(member, attributes, brokenProperties);
        }

        // forward(Tensor) only: another forward is an overload, beside which the generated one is still needed (CS0534 otherwise).
        bool hasUserForward = type.GetMembers("forward").Any(m => m is IMethodSymbol { IsImplicitlyDeclared: false, Parameters.Length: 1 } method
            && method.Parameters[0].Type.Name == "Tensor" && method.DeclaringSyntaxReferences.Any(r => !IsOurs(r)));

        return new ModelDeclaration(
            Hierarchy(type),
            classLocation,
            modelLocation,
            ReadShape(modelAttribute),
            blocks.ToEquatableArray(),
            options.ToEquatableArray(),
            hasUserForward,
            diagnostics.ToEquatableArray())
        {
            Context = modelAttribute.NamedArguments.FirstOrDefault(a => a.Key == "Context").Value.Value is int context ? context : null,
            UserMembers = userMembers.ToEquatableArray(),
            EnsembleConflict = options.Any(o => o.Name == "Ensemble") ? EnsembleConflict(type, withLocations) : null,
            BrokenBlockProperties = brokenProperties.ToEquatableArray(),
            FileScopedNamespace = version >= LanguageVersion.CSharp10,
            Obsolete = obsolete,
            Inputs = inputs.ToEquatableArray(),
        };
    }

    /// <summary>One [Input(name, shape…)]; null for one the compiler could not bind.</summary>
    private static InputDeclaration? ReadInput(AttributeData attribute, bool withLocations, CancellationToken cancellationToken)
    {
        if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not string name) return null;
        TypedConstant shape = attribute.ConstructorArguments[1];
        EquatableArray<long> dimensions = shape.Kind == TypedConstantKind.Array && !shape.Values.IsDefault
            ? shape.Values.Select(v => v.Value is int i ? (long)i : long.MinValue).ToEquatableArray()
            : EquatableArray<long>.Empty;
        return new InputDeclaration(name, dimensions, withLocations ? LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null);
    }

    /// <summary>
    /// The [Block] template a member's type is, read with its parameters and blocks; null for any other type. Read at
    /// each use from the template's symbol, so the model sees the template's current declaration.
    /// </summary>
    private static TemplateDeclaration? TemplateOf(ISymbol member, bool withLocations, CancellationToken cancellationToken)
        => TemplateOf(member, withLocations, cancellationToken, System.Array.Empty<(INamedTypeSymbol, string)>());

    /// <summary>
    /// As above, for a member of a template: <paramref name="enclosing"/> are the templates being read, outermost first,
    /// each with the member that leads into the next (the last is the member's own class and the member). A template met
    /// again among them contains itself; it is not read again (that would never end) but marked with the cycle.
    /// </summary>
    private static TemplateDeclaration? TemplateOf(ISymbol member, bool withLocations, CancellationToken cancellationToken, IReadOnlyList<(INamedTypeSymbol Template, string Member)> enclosing)
    {
        if ((member is IPropertySymbol p ? p.Type : member is IFieldSymbol f ? f.Type : null) is not INamedTypeSymbol type
            // A template is read from its source (its arguments' expressions are syntax), so only this compilation's
            // classes can be templates; checking that first also spares reading the attributes of every Sequential.
            || type.DeclaringSyntaxReferences.IsEmpty
            || !type.GetAttributes().Any(a => AttributeNames.IsBlock(a.AttributeClass)))
            return null;
        for (int i = 0; i < enclosing.Count; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(enclosing[i].Template, type)) continue;
            string cycle = string.Join(" → ", enclosing.Skip(i).Select(e => e.Template.Name + "." + e.Member)) + " → " + type.Name;
            return new TemplateDeclaration(Hierarchy(type), type.Name, FullyQualifiedNames.GetValue(type, t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)),
                EquatableArray<TemplateParameter>.Empty, EquatableArray<BlockDeclaration>.Empty, withLocations ? LocationInfo.From(type.Locations.FirstOrDefault()) : null,
                EquatableArray<DiagnosticInfo>.Empty) { Cycle = cycle };
        }
        return ParseTemplate(type, withLocations, cancellationToken, enclosing);
    }

    /// <summary>A [Block] template class as data: its parameters, named blocks and what its parse found wrong.</summary>
    public static TemplateDeclaration ParseTemplate(INamedTypeSymbol type, bool withLocations, CancellationToken cancellationToken)
        => ParseTemplate(type, withLocations, cancellationToken, System.Array.Empty<(INamedTypeSymbol, string)>());

    /// <summary>
    /// A template inside the templates <paramref name="enclosing"/> it is read for (see <see cref="TemplateOf(ISymbol, bool, CancellationToken, IReadOnlyList{ValueTuple{INamedTypeSymbol, string}})"/>).
    /// A block of the template may be layers or a use of another template, whose [With] values may be expressions of
    /// this template's parameters.
    /// </summary>
    private static TemplateDeclaration ParseTemplate(INamedTypeSymbol type, bool withLocations, CancellationToken cancellationToken, IReadOnlyList<(INamedTypeSymbol Template, string Member)> enclosing)
    {
        var parameters = type.GetMembers().OfType<IFieldSymbol>()
            .Where(field => field.IsConst && field.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double)
            .Select(field => new TemplateParameter(field.Name, field.Type.SpecialType != SpecialType.System_Double, ToDouble(field.ConstantValue)))
            .ToList();
        var names = new HashSet<string>(parameters.Select(x => x.Name), System.StringComparer.Ordinal);
        var diagnostics = new List<DiagnosticInfo>();
        var blocks = new List<BlockDeclaration>();
        foreach ((ISymbol inner, Location declaredAt) in MembersInSourceOrder(type, new List<UserMember>(), withLocations))
        {
            ImmutableArray<AttributeData> attributes = inner.GetAttributes();
            EquatableArray<AttributeDeclaration> layers = ReadLayers(attributes, withLocations, cancellationToken, names);
            NodeInput? input = ReadNodeInput(inner.Name, attributes, withLocations, diagnostics, cancellationToken);
            TemplateDeclaration? used = TemplateOf(inner, withLocations, cancellationToken, enclosing.Append((type, inner.Name)).ToList());
            if (layers.Count == 0 && input is null && used is null) continue;
            LocationInfo? location = withLocations ? LocationInfo.From(declaredAt) : null;
            if (ReadBlock(inner, attributes, layers, location, diagnostics, used) is { } block)
            {
                blocks.Add(block with
                {
                    Input = input,
                    Residual = ReadResidual(attributes, withLocations, cancellationToken),
                    Template = used,
                    With = ReadWith(attributes, withLocations, cancellationToken, out LocationInfo? withAt, names),
                    WithLocation = withAt ?? location,
                });
            }
        }
        AttributeData? classLayer = type.GetAttributes().FirstOrDefault(a => IsLayer(a.AttributeClass));
        return new TemplateDeclaration(Hierarchy(type), type.Name, FullyQualifiedNames.GetValue(type, t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)),
            parameters.ToEquatableArray(), blocks.ToEquatableArray(),
            withLocations ? LocationInfo.From(type.Locations.FirstOrDefault()) : null, diagnostics.ToEquatableArray())
        {
            HasClassLayers = classLayer is not null,
            ClassLayersLocation = withLocations ? LocationInfo.From(classLayer?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null,
        };
    }

    /// <summary>
    /// A template use's [With(name, value, …)] pairs; empty without one. In a template, <paramref name="parameters"/> are
    /// its own: a value that names one keeps its source text, which each use of the template evaluates.
    /// </summary>
    private static EquatableArray<TemplateArgument> ReadWith(ImmutableArray<AttributeData> attributes, bool withLocations, CancellationToken cancellationToken, out LocationInfo? location,
        IReadOnlyCollection<string>? parameters = null)
    {
        location = null;
        AttributeData? with = attributes.FirstOrDefault(a => AttributeNames.IsWith(a.AttributeClass));
        if (with is null || with.ConstructorArguments.Length != 1 || with.ConstructorArguments[0].Values.IsDefault) return EquatableArray<TemplateArgument>.Empty;
        AttributeSyntax? syntax = withLocations || parameters is not null ? with.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax : null;
        if (withLocations) location = LocationInfo.From(syntax);
        ImmutableArray<TypedConstant> values = with.ConstructorArguments[0].Values;
        // One argument per value (params); an explicit array gives no syntax per value.
        SeparatedSyntaxList<AttributeArgumentSyntax>? spread = syntax?.ArgumentList is { } list && list.Arguments.Count == values.Length ? list.Arguments : null;
        var pairs = new List<TemplateArgument>();
        for (int i = 0; i < values.Length; i += 2)
        {
            string name = values[i].Value as string ?? "";
            TypedConstant value = i + 1 < values.Length ? values[i + 1] : default;
            double? number = value.Value is int or long or double or float or short or byte ? ToDouble(value.Value) : null;
            LocationInfo? at = !withLocations ? null : spread is { } arguments ? LocationInfo.From(arguments[i]) : location;
            string? expression = parameters is not null && spread is { } given && i + 1 < given.Count ? ParameterExpression(given[i + 1].Expression, parameters) : null;
            pairs.Add(new TemplateArgument(name, number, value.Value is int or long or short or byte, at) { Expression = expression });
        }
        return pairs.ToEquatableArray();
    }

    /// <summary>
    /// A block's [From] or merge, with each source's location (a params argument each); null when it has neither. A second
    /// one on the same block is MD0095 and is not read.
    /// </summary>
    private static NodeInput? ReadNodeInput(string member, ImmutableArray<AttributeData> attributes, bool withLocations, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        NodeInput? found = null;
        foreach (AttributeData attribute in attributes)
        {
            INamedTypeSymbol? attributeClass = attribute.AttributeClass;
            bool from = AttributeNames.IsFrom(attributeClass);
            if (!from && !AttributeNames.IsMerge(attributeClass) || attribute.ConstructorArguments.Length != 1) continue;
            AttributeSyntax? syntax = withLocations ? attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax : null;
            LocationInfo? location = withLocations ? LocationInfo.From((SyntaxNode?)syntax ?? attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null;
            if (found is not null)
            {
                diagnostics.Add(Diag(Descriptors.GraphInputTwice, location, member, $"[{found.AttributeName}]", "[" + ShortName(attributeClass!) + "]"));
                continue;
            }
            TypedConstant argument = attribute.ConstructorArguments[0];
            var sources = from
                ? new[] { argument.Value as string ?? "" }
                : argument.Values.IsDefault ? System.Array.Empty<string>() : argument.Values.Select(v => v.Value as string ?? "").ToArray();
            var locations = new SourceLocation[sources.Length];
            bool spread = syntax?.ArgumentList is { } list && list.Arguments.Count == sources.Length; // one argument per source (params)
            for (int i = 0; i < sources.Length; i++) locations[i] = new SourceLocation(spread ? LocationInfo.From(syntax!.ArgumentList!.Arguments[i]) : null);
            MergeKind kind = MergeKind.From;
            if (!from && !System.Enum.TryParse(ShortName(attributeClass!), out kind)) continue; // a merge newer than this generator
            found = new NodeInput(kind, sources.ToEquatableArray(), location, locations.ToEquatableArray());
        }
        return found;
    }

    /// <summary>The lowest C# version whose compiler accepts the generated code (target-typed new, `is not null`): C# 9.</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp9;

    /// <summary>
    /// Structs and interfaces (besides the compiler's CS0592 for [Model] on them), records, static and file-local classes
    /// and classes with a primary constructor cannot take the generated part: a record cannot derive from Module, a static class has no instances, a file-local class cannot be extended in
    /// another file, and a primary constructor would need the generated constructor to chain to it. Abstract classes
    /// cannot be constructed by the generated ensemble or by users.
    /// </summary>
    private static void CheckDeclarationKind(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        string? problem = type.TypeKind == TypeKind.Struct ? $"is a {(type.IsRecord ? "record struct" : "struct")}, but a model is a class deriving from TorchSharp's Module; declare it as a partial class"
            : type.TypeKind != TypeKind.Class ? $"is an {type.TypeKind.ToString().ToLowerInvariant()}, but a model is a class deriving from TorchSharp's Module; declare it as a partial class"
            : type.IsRecord ? "is a record, which cannot derive from TorchSharp's Module; declare it as a partial class"
            : type.IsStatic ? "is static, but a model is a module with instances; remove 'static'"
            : type.IsAbstract ? "is abstract, but the generated constructor builds instances of it; remove 'abstract'"
            : declaration.ParameterList is not null || type.DeclaringSyntaxReferences.Length > 1 && type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null })
                ? "has a primary constructor, which the generated constructor (seed, device, dtype) cannot chain to; remove the parameter list"
            : null;
        for (INamedTypeSymbol? t = type; problem is null && t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal) problem = (SymbolEqualityComparer.Default.Equals(t, type) ? "is" : $"is inside '{t.Name}', which is")
                + " file-local ('file'), so the generated part in another file cannot extend it; remove 'file'";
        }
        if (problem is not null) diagnostics.Add(Diag(Descriptors.UnsupportedDeclaration, location, type.Name, problem));
    }

    /// <summary>
    /// The order of attributes on different partial declarations of one class is the order in which the compiler lists
    /// the files, which the user does not control; so the class-level stack must be written on one declaration (MD0056).
    /// </summary>
    private static void CheckLayersOnOneDeclaration(INamedTypeSymbol type, List<AttributeData> layers, bool withLocations, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        TypeDeclarationSyntax? first = null;
        foreach (AttributeData layer in layers)
        {
            SyntaxNode? syntax = layer.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            TypeDeclarationSyntax? owner = syntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (owner is null) continue;
            if (first is null) first = owner;
            else if (owner != first)
            {
                diagnostics.Add(Diag(Descriptors.LayersOnSeveralDeclarations, withLocations ? LocationInfo.From(syntax) : null, type.Name));
                return;
            }
        }
    }

    /// <summary>
    /// What the user wrote with the name the generated ensemble takes ({Model}Ensemble): a type of the same arity in the
    /// model's namespace or containing type, any other member of the containing type, or the containing type itself
    /// (CS0101, CS0102, CS0542 in the generated file otherwise). Null when the name is free.
    /// </summary>
    private static UserMember? EnsembleConflict(INamedTypeSymbol type, bool withLocations)
    {
        string name = type.Name + "Ensemble";
        UserMember Conflict(ISymbol symbol)
        {
            Location? at = symbol.Locations.FirstOrDefault(l => !IsOurs(l.SourceTree));
            return new UserMember(name, UserMemberKind.Sibling, withLocations ? LocationInfo.From(at) : null);
        }
        if (type.ContainingType is { } container)
        {
            if (container.Name == name) return Conflict(container);
            foreach (ISymbol member in container.GetMembers(name))
            {
                if (member is INamedTypeSymbol sibling && sibling.Arity != type.Arity || member.IsImplicitlyDeclared || !DeclaredByUser(member.Locations)) continue;
                return Conflict(member);
            }
            return null;
        }
        foreach (INamedTypeSymbol sibling in type.ContainingNamespace.GetTypeMembers(name))
        {
            if (sibling.Arity == type.Arity && DeclaredByUser(sibling.Locations)) return Conflict(sibling);
        }
        return null;
    }

    /// <summary>
    /// True for code this generator emitted. The analyzer sees the compilation after generation, where the generated
    /// forward and partial-property bodies exist; they must not count as the user's own.
    /// </summary>
    private static bool IsOurs(SyntaxReference reference) => IsOurs(reference.SyntaxTree);

    /// <summary>True when any of the symbol's declarations is in a file the user wrote (see <see cref="IsOurs(SyntaxTree?)"/>).</summary>
    private static bool DeclaredByUser(ImmutableArray<Location> locations)
    {
        foreach (Location location in locations)
        {
            if (!IsOurs(location.SourceTree)) return true;
        }
        return false;
    }

    private static bool IsOurs(SyntaxTree? tree)
    {
        // Without allocating: this runs for every member of every model on every edit.
        if (tree is null) return false;
        string path = tree.FilePath;
        int at = path.IndexOf(GeneratorFolder, System.StringComparison.Ordinal);
        return at >= 0 && at + GeneratorFolder.Length < path.Length && path[at + GeneratorFolder.Length] is '/' or '\\';
    }

    private static readonly string GeneratorFolder = typeof(ModelGenerator).FullName!;

    private static bool IsGeneratedBase(INamedTypeSymbol baseType)
        => baseType.Name == "Module" && baseType.ContainingNamespace?.ToDisplayString() == "TorchSharp" ||
           baseType.ToDisplayString().StartsWith("TorchSharp.torch.nn.Module", System.StringComparison.Ordinal);

    private static void CheckPartial(INamedTypeSymbol type, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            bool partial = current.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                diagnostics.Add(Diag(Descriptors.NotPartial, location, current.Name));
                return;
            }
        }
    }

    /// <summary>
    /// The properties and fields that may be blocks, in a deterministic order: by file path (ordinal), then by position
    /// in the file (docs/dsl-reference.md, "Blocks on several partial declarations"). Also collects into
    /// <paramref name="userMembers"/> every member, constructor and nested type the user wrote.
    /// </summary>
    private static List<(ISymbol Member, Location Location)> MembersInSourceOrder(INamedTypeSymbol type, List<UserMember> userMembers, bool withLocations)
    {
        // Locations rather than DeclaringSyntaxReferences: a source member computes its syntax references by searching
        // the tree on every call, and this runs for every member of every model on every edit.
        var members = new List<(ISymbol, Location)>();
        foreach (ISymbol m in type.GetMembers())
        {
            if (m.IsImplicitlyDeclared) continue;
            ImmutableArray<Location> locations = m.Locations;
            if (locations.Length == 0 || !locations[0].IsInSource) continue;
            if (m is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor) }) continue;
            if (UserMemberOf(m, locations, withLocations) is { } user) userMembers.Add(user);
            // The analyzer sees the generated files too: a backing field this generator wrote (_stage1, of a template's
            // type) is no block of the user's, though it would read as an unconfigured template use.
            if (m is IPropertySymbol or IFieldSymbol && !IsOurs(locations[0].SourceTree)) members.Add((m, locations[0]));
        }
        // Usually already in order (one declaration lists its members in source order); sorted only when not.
        for (int i = 1; i < members.Count; i++)
        {
            if (CompareSourceOrder(members[i - 1], members[i]) > 0)
            {
                members.Sort(CompareSourceOrder);
                break;
            }
        }
        return members;
    }

    /// <summary>The member as a <see cref="UserMember"/> when the user declared it (not this generator), at its first location in the user's code.</summary>
    private static UserMember? UserMemberOf(ISymbol member, ImmutableArray<Location> locations, bool withLocations)
    {
        Location? at = null;
        foreach (Location location in locations)
        {
            if (!IsOurs(location.SourceTree)) { at = location; break; }
        }
        if (at is null) return null;
        UserMemberKind kind = member switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor } => UserMemberKind.Constructor,
            IMethodSymbol => UserMemberKind.Method,
            IFieldSymbol => UserMemberKind.Field,
            IPropertySymbol => UserMemberKind.Property,
            IEventSymbol => UserMemberKind.Event,
            _ => UserMemberKind.NestedType,
        };
        // Parameter types only where a generated method or constructor could share the name; an overload is no clash.
        string? parameters = member is IMethodSymbol method && (kind == UserMemberKind.Constructor ? !method.IsStatic : Planning.GeneratedNames.IsMethodName(method.Name))
            ? Planning.GeneratedNames.Signature(method.Arity, method.Parameters.Select(p => (p.RefKind != RefKind.None ? "ref " : "") + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)))
            : null;
        return new UserMember(member.Name, kind, withLocations ? LocationInfo.From(at) : null, parameters);
    }

    private static int CompareSourceOrder((ISymbol Member, Location Location) a, (ISymbol Member, Location Location) b)
    {
        int byFile = string.CompareOrdinal(a.Location.SourceTree?.FilePath, b.Location.SourceTree?.FilePath);
        return byFile != 0 ? byFile : a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start);
    }

    private static BlockDeclaration? ReadBlock(ISymbol member, ImmutableArray<AttributeData> attributes, EquatableArray<AttributeDeclaration> layers, LocationInfo? location, List<DiagnosticInfo> diagnostics,
        TemplateDeclaration? template = null)
    {
        ITypeSymbol memberType = member is IPropertySymbol p ? p.Type : ((IFieldSymbol)member).Type;
        string fullType = FullyQualifiedNames.GetValue(memberType, t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        string? problem = null;
        if (member.IsStatic) problem = "must not be static";
        else if (template is null && !AcceptsSequential(fullType)) problem = $"has type '{memberType.ToDisplayString()}', which cannot hold the generated TorchSharp.Modules.Sequential; declare it as Sequential or Module<Tensor, Tensor>";
        else if (member is IPropertySymbol property && !(property.IsPartialDefinition
                 && (property.PartialImplementationPart is null || !DeclaredByUser(property.PartialImplementationPart.Locations))))
            problem = property.IsPartialDefinition || property.PartialDefinitionPart is not null
                ? "already has an implementation; leave the partial property without a body so ModelDsl implements it"
                : "must be a partial property without a body (public partial Sequential Name { get; }) or a field";
        else if (member is IPropertySymbol { SetMethod: not null }) problem = "must be get-only ({ get; })";
        else if (member is IPropertySymbol { IsVirtual: true } && member.ContainingType.IsSealed)
            problem = "is virtual in a sealed class, where nothing can override it; remove 'virtual'";
        else if (member is IPropertySymbol { IsAbstract: true } or IPropertySymbol { IsOverride: true } or IPropertySymbol { IsExtern: true })
            problem = "must not be abstract, override or extern; ModelDsl implements it with the block it builds";
        else if (member is IFieldSymbol { IsRequired: true } or IPropertySymbol { IsRequired: true })
            problem = "must not be required: ModelDsl assigns it in the generated constructor, and the generated ensemble constructs the model without an initializer";

        if (problem is not null)
        {
            diagnostics.Add(Diag(Descriptors.InvalidBlock, location, member.Name, problem));
            return null;
        }

        bool nullable = memberType.NullableAnnotation == NullableAnnotation.Annotated;
        PartialPropertyInfo? declaration = member is IPropertySymbol prop
            ? new PartialPropertyInfo(Accessibility(prop.DeclaredAccessibility), PropertyModifiers(prop, attributes), fullType + (nullable ? "?" : ""))
            : null;
        return new BlockDeclaration(member.Name, declaration, nullable, layers, location);
    }

    /// <summary>
    /// The partial property's modifiers other than accessibility and 'partial' (virtual, new, sealed, unsafe; for a
    /// broken block also static, required, override), which its implementation must repeat.
    /// </summary>
    private static EquatableArray<string> PropertyModifiers(IPropertySymbol property, ImmutableArray<AttributeData> attributes, bool broken = false)
    {
        var modifiers = new List<string>();
        foreach (SyntaxToken modifier in Declaration(property, attributes)?.Modifiers ?? default)
        {
            if (modifier.Kind() is SyntaxKind.VirtualKeyword or SyntaxKind.NewKeyword or SyntaxKind.SealedKeyword or SyntaxKind.UnsafeKeyword
                || broken && modifier.Kind() is SyntaxKind.StaticKeyword or SyntaxKind.RequiredKeyword or SyntaxKind.OverrideKeyword)
                modifiers.Add(modifier.ValueText);
        }
        return modifiers.ToEquatableArray();
    }

    /// <summary>
    /// A partial property meant as a block that is none (MD0014, MD0076) and has no implementation of the user's: the
    /// surface of the model with errors implements it, with the accessors it declares, so CS9248 does not join the MD error.
    /// </summary>
    private static void AddBrokenBlockProperty(ISymbol member, ImmutableArray<AttributeData> attributes, List<SurfaceProperty> properties)
    {
        if (member is not IPropertySymbol { IsPartialDefinition: true } property
            || property.PartialImplementationPart is { } implementation && DeclaredByUser(implementation.Locations)
            || property.IsVirtual && property.ContainingType.IsSealed) return; // the compiler's CS0549 would repeat in the implementation
        string type = FullyQualifiedNames.GetValue(property.Type, t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            + (property.Type.NullableAnnotation == NullableAnnotation.Annotated && !property.Type.IsValueType ? "?" : "");
        var accessors = new List<string>();
        if (property.GetMethod is not null) accessors.Add("get");
        if (property.SetMethod is { } setter) accessors.Add(setter.IsInitOnly ? "init" : "set");
        properties.Add(new SurfaceProperty(property.Name, new PartialPropertyInfo(Accessibility(property.DeclaredAccessibility), PropertyModifiers(property, attributes, broken: true), type), accessors.ToEquatableArray()));
    }

    /// <summary>
    /// The property's declaration, reached from its first attribute's syntax (which the attribute holds) rather than from
    /// DeclaringSyntaxReferences, which searches the tree on each call.
    /// </summary>
    private static PropertyDeclarationSyntax? Declaration(IPropertySymbol property, ImmutableArray<AttributeData> attributes)
    {
        if (attributes.Length > 0 && attributes[0].ApplicationSyntaxReference?.GetSyntax() is { Parent.Parent: PropertyDeclarationSyntax declaration })
            return declaration;
        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is PropertyDeclarationSyntax syntax) return syntax;
        }
        return null;
    }

    /// <summary>The member must be able to hold the generated <c>Sequential</c>: Sequential itself or one of its bases (fully qualified names).</summary>
    private static bool AcceptsSequential(string fullType)
        => fullType is "global::TorchSharp.Modules.Sequential"
            or "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>"
            or "global::TorchSharp.torch.nn.Module";

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static EquatableArray<long> ReadShape(AttributeData model)
    {
        if (model.ConstructorArguments.Length != 1) return EquatableArray<long>.Empty;
        TypedConstant argument = model.ConstructorArguments[0];
        if (argument.Kind != TypedConstantKind.Array || argument.Values.IsDefault) return EquatableArray<long>.Empty;
        return argument.Values
            .Select(v => v.Value is int i ? (long)i : long.MinValue)
            .ToEquatableArray();
    }

    private static EquatableArray<AttributeDeclaration> ReadLayers(ImmutableArray<AttributeData> attributes, bool withLocations, CancellationToken cancellationToken, IReadOnlyCollection<string>? parameters = null)
    {
        List<AttributeDeclaration>? layers = null;
        foreach (AttributeData attribute in attributes)
        {
            if (IsLayer(attribute.AttributeClass) && Read(attribute, withLocations, cancellationToken, parameters) is { } layer) (layers ??= new List<AttributeDeclaration>()).Add(layer);
        }
        return layers is null ? EquatableArray<AttributeDeclaration>.Empty : layers.ToEquatableArray();
    }

    /// <summary>A block member's [Residual], or null.</summary>
    private static AttributeDeclaration? ReadResidual(ImmutableArray<AttributeData> attributes, bool withLocations, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in attributes)
        {
            if (AttributeNames.IsResidual(attribute.AttributeClass)) return Read(attribute, withLocations, cancellationToken);
        }
        return null;
    }

    internal static bool IsLayer(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null || attributeClass.TypeKind == TypeKind.Error) return false;
        for (INamedTypeSymbol? t = attributeClass.BaseType; t is not null; t = t.BaseType)
        {
            if (AttributeNames.IsLayerBase(t)) return true;
        }
        return false;
    }

    internal static bool IsModelDslAttribute(INamedTypeSymbol? attributeClass)
        => attributeClass is { TypeKind: not TypeKind.Error } && AttributeNames.InModelDslNamespace(attributeClass);

    private static AttributeDeclaration? Read(AttributeData attribute, bool withLocations, CancellationToken cancellationToken, IReadOnlyCollection<string>? parameters = null)
    {
        INamedTypeSymbol? attributeClass = attribute.AttributeClass;
        if (attributeClass is null) return null;
        AttributeSyntax? syntax = withLocations || parameters is not null ? attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax : null;

        // Sized once and filled in place: this runs for every layer of every model on every edit (benchmarks: incremental).
        ImmutableArray<TypedConstant> positional = attribute.ConstructorArguments;
        ImmutableArray<KeyValuePair<string, TypedConstant>> named = attribute.NamedArguments;
        string[] parameterNames = ParameterNames(attribute.AttributeConstructor);
        var arguments = ImmutableArray.CreateBuilder<ArgumentValue>(positional.Length + named.Length);
        for (int i = 0; i < positional.Length; i++)
        {
            string parameter = i < parameterNames.Length ? parameterNames[i] : "Arg" + i;
            ArgumentValue? value = Value(parameter, positional[i], isPositional: true, withLocations ? ArgumentLocation(syntax, parameter, i) : null);
            if (value is not null) arguments.Add(parameters is null ? value : value with { Expression = TemplateExpression(syntax, parameter, i, parameters) });
        }
        foreach (KeyValuePair<string, TypedConstant> argument in named)
        {
            ArgumentValue? value = Value(argument.Key, argument.Value, isPositional: false, withLocations ? ArgumentLocation(syntax, argument.Key, -1) : null);
            if (value is not null) arguments.Add(parameters is null ? value : value with { Expression = TemplateExpression(syntax, argument.Key, -1, parameters) });
        }
        LocationInfo? location = withLocations ? LocationInfo.From(syntax ?? attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) : null;
        ImmutableArray<ArgumentValue> values = arguments.Count == arguments.Capacity ? arguments.MoveToImmutable() : arguments.ToImmutable();
        return new AttributeDeclaration(ShortName(attributeClass), new EquatableArray<ArgumentValue>(values), location) { IsCustom = IsLayer(attributeClass) && !AttributeNames.InModelDslNamespace(attributeClass) };
    }

    /// <summary>
    /// The constructor's parameter names, capitalized as the attribute's properties are ("units" → "Units"), kept while
    /// the constructor symbol lives: a referenced assembly's attribute is the same symbol in every compilation that
    /// shares the reference, and IMethodSymbol.Parameters allocates a new array on each call.
    /// </summary>
    private static string[] ParameterNames(IMethodSymbol? constructor)
        => constructor is null ? System.Array.Empty<string>() : CapitalizedParameterNames.GetValue(constructor, static c => c.Parameters.Select(p => Capitalize(p.Name)).ToArray());

    private static readonly ConditionalWeakTable<IMethodSymbol, string[]> CapitalizedParameterNames = new();

    /// <summary>"Dense" for DenseAttribute, computed once per attribute class (see <see cref="ParameterNames"/>).</summary>
    private static string ShortName(INamedTypeSymbol attributeClass)
        => ShortNames.GetValue(attributeClass, static c => c.Name.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? c.Name.Substring(0, c.Name.Length - "Attribute".Length)
            : c.Name);

    private static readonly ConditionalWeakTable<INamedTypeSymbol, string> ShortNames = new();

    /// <summary>
    /// A template layer argument's source text when it names one of the template's <paramref name="parameters"/>
    /// (<c>Squeeze</c>, <c>Width * 4</c>), which each use evaluates with its values; null for a plain constant.
    /// </summary>
    private static string? TemplateExpression(AttributeSyntax? syntax, string name, int position, IReadOnlyCollection<string> parameters)
        => ArgumentSyntax(syntax, name, position) is { } argument ? ParameterExpression(argument.Expression, parameters) : null;

    /// <summary>The expression's source text when it names one of the template's <paramref name="parameters"/>; null otherwise.</summary>
    private static string? ParameterExpression(ExpressionSyntax expression, IReadOnlyCollection<string> parameters)
        => expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => parameters.Contains(i.Identifier.ValueText)) ? expression.ToString() : null;

    private static AttributeArgumentSyntax? ArgumentSyntax(AttributeSyntax? syntax, string name, int position)
    {
        if (syntax?.ArgumentList is not { } list) return null;
        int positional = 0;
        foreach (AttributeArgumentSyntax argument in list.Arguments)
        {
            string? named = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            if (named == name) return argument;
            if (named is null && position >= 0 && positional++ == position) return argument;
        }
        return null;
    }

    /// <summary>
    /// The syntax of one argument: a named one (<c>Init = He</c>, <c>units: 3</c>) by its name, a positional one by its
    /// place among the positional arguments. Null when not found (a params array spreads over several arguments).
    /// </summary>
    private static LocationInfo? ArgumentLocation(AttributeSyntax? syntax, string name, int position)
    {
        if (syntax?.ArgumentList is not { } list) return null;
        int positional = 0;
        foreach (AttributeArgumentSyntax argument in list.Arguments)
        {
            string? named = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            if (named == name) return LocationInfo.From(argument);
            if (named is null && position >= 0 && positional++ == position) return LocationInfo.From(argument);
        }
        return null;
    }

    /// <summary>One argument as data; null for an argument the compiler could not bind (half-typed code).</summary>
    private static ArgumentValue? Value(string name, TypedConstant constant, bool isPositional, LocationInfo? location)
    {
        if (constant.Kind == TypedConstantKind.Error) return null;
        (ArgumentKind kind, double number, string? text, EquatableArray<double> items) = constant.Kind switch
        {
            TypedConstantKind.Array => (ArgumentKind.Array, 0, null, constant.Values.IsDefault ? EquatableArray<double>.Empty : constant.Values.Select(v => ToDouble(v.Value)).ToEquatableArray()),
            TypedConstantKind.Enum => EnumMemberName(constant.Type, ToDouble(constant.Value)) is { } member
                ? (ArgumentKind.Enum, ToDouble(constant.Value), member, EquatableArray<double>.Empty)
                : (ArgumentKind.UndefinedEnum, ToDouble(constant.Value), constant.Type?.Name, EquatableArray<double>.Empty),
            _ => constant.Value switch
            {
                null => (ArgumentKind.Null, 0, null, EquatableArray<double>.Empty),
                bool b => (ArgumentKind.Boolean, b ? 1 : 0, null, EquatableArray<double>.Empty),
                string s => (ArgumentKind.Text, 0, s, EquatableArray<double>.Empty),
                // Exact text too: a double holds longs (seeds) only up to 2^53.
                long l => (ArgumentKind.Number, l, l.ToString(System.Globalization.CultureInfo.InvariantCulture), EquatableArray<double>.Empty),
                _ => (ArgumentKind.Number, ToDouble(constant.Value), (string?)null, EquatableArray<double>.Empty),
            },
        };
        return new ArgumentValue(name, kind, number, text, items) { IsPositional = isPositional, Location = location };
    }

    /// <summary>
    /// The enum member with this value. The members of each enum type are read once and kept while the type symbol
    /// lives (a referenced assembly's enum is the same symbol in every compilation that shares the reference): this
    /// runs for every enum argument of every model on every edit.
    /// </summary>
    private static string? EnumMemberName(ITypeSymbol? enumType, double value)
        => enumType is not null && EnumMembers.GetValue(enumType, ReadEnumMembers).TryGetValue(value, out string? name) ? name : null;

    private static readonly ConditionalWeakTable<ITypeSymbol, Dictionary<double, string>> EnumMembers = new();

    /// <summary>Block member types (TorchSharp's, from a reference, so the same symbol in every compilation), formatted once.</summary>
    private static readonly ConditionalWeakTable<ITypeSymbol, string> FullyQualifiedNames = new();

    private static Dictionary<double, string> ReadEnumMembers(ITypeSymbol enumType)
    {
        var byValue = new Dictionary<double, string>();
        foreach (ISymbol member in enumType.GetMembers())
        {
            if (member is not IFieldSymbol { HasConstantValue: true } field) continue;
            double value = ToDouble(field.ConstantValue);
            if (!byValue.ContainsKey(value)) byValue.Add(value, field.Name); // the first member with a value wins, as before
        }
        return byValue;
    }

    private static double ToDouble(object? value) => value switch
    {
        null => double.NaN,
        bool b => b ? 1 : 0,
        string => double.NaN,
        _ => System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    private static TypeHierarchy Hierarchy(INamedTypeSymbol type)
    {
        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? NamespaceName(n) : null;
        var containing = new List<TypeDeclarationInfo>();
        var metadataNames = new List<string>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            containing.Insert(0, Declaration(t));
            metadataNames.Insert(0, t.MetadataName);
        }
        metadataNames.Add(type.MetadataName);
        string hint = HintNames.Base(ns, metadataNames);
        return new TypeHierarchy(ns, containing.ToEquatableArray(), Declaration(type), CaseTwins.Has(type) ? HintNames.Disambiguated(hint) : hint);
    }

    private static TypeDeclarationInfo Declaration(INamedTypeSymbol type)
        => new(Keyword(type), type.Name, type.TypeParameters.Select(TypeParameter).ToEquatableArray(), Accessibility(type.DeclaredAccessibility));

    private static TypeParameterInfo TypeParameter(ITypeParameterSymbol p)
        => new(p.Name, p.HasReferenceTypeConstraint, p.HasValueTypeConstraint, p.HasUnmanagedTypeConstraint, p.HasNotNullConstraint,
            p.ConstraintTypes.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToEquatableArray(), p.HasConstructorConstraint);

    /// <summary>"A.B.C" from the namespace's name parts; cheaper than ToDisplayString, and this runs for every model on every edit.</summary>
    private static string NamespaceName(INamespaceSymbol ns)
        => ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? NamespaceName(parent) + "." + ns.Name : ns.Name;

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static DiagnosticInfo Diag(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor.Id, location, arguments.ToEquatableArray());
}
