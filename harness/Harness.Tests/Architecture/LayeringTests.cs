using Harness.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Harness.Tests.Architecture;

/// <summary>
/// The data flows one way: text → test model and program IR → (simulator | kernel → runner) →
/// verdict → report. These tests read Harness.Core's sources with Roslyn's semantic model and
/// check which namespace names which, so that a new dialect or model cannot quietly turn the
/// layers into a knot.
/// </summary>
[TestFixture]
public sealed class LayeringTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Graph = new(ReadGraph);

    [Test]
    public void No_namespace_of_the_core_depends_on_itself_through_another()
    {
        var cycles = StronglyConnected(Graph.Value).Where(component => component.Count > 1).ToList();
        Assert.That(cycles.Select(c => string.Join(" <-> ", c)), Is.Empty);
    }

    [Test]
    public void The_program_IR_is_at_the_bottom() =>
        Assert.That(DependenciesOf("Harness.Programs"), Is.Empty);

    [Test]
    public void The_wording_helpers_are_a_leaf() =>
        Assert.That(DependenciesOf("Harness.Formatting"), Is.Empty);

    [TestCase("Harness.Language.Source")]
    [TestCase("Harness.Language.C")]
    [TestCase("Harness.Language.Hardware")]
    [TestCase("Harness.Language.CSharp")]
    public void A_dialect_frontend_sees_only_the_lexer_core_and_the_IR(string frontend) =>
        Assert.That(DependenciesOf(frontend), Is.SubsetOf(new[] { "Harness.Language.Source", "Harness.Programs", "Harness.Formatting" }));

    [TestCase("Harness.Simulation")]
    [TestCase("Harness.Simulation.Executions")]
    [TestCase("Harness.Simulation.Models")]
    [TestCase("Harness.Mapping")]
    [TestCase("Harness.Kernels")]
    [TestCase("Harness.Running")]
    public void The_simulator_the_mapping_and_the_kernels_never_read_source_text(string layer) =>
        Assert.That(DependenciesOf(layer).Where(d => d.StartsWith("Harness.Language", StringComparison.Ordinal)
            && d != "Harness.Language.Source"), Is.Empty);

    [Test]
    public void The_kernel_ABI_depends_on_nothing_but_the_IR() =>
        Assert.That(DependenciesOf("Harness.Kernels.Abi"), Is.SubsetOf(new[] { "Harness.Programs" }));

    [Test]
    public void The_generator_and_the_runner_share_the_ABI_not_each_other() =>
        Assert.That(DependenciesOf("Harness.Kernels"), Does.Not.Contain("Harness.Running"));

    /// <summary>What the SDK's ImplicitUsings adds to a console or library project.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static IReadOnlySet<string> DependenciesOf(string ns)
    {
        Assert.That(Graph.Value.Keys, Does.Contain(ns), "the namespace exists");
        return Graph.Value[ns];
    }

    private static IReadOnlyDictionary<string, IReadOnlySet<string>> ReadGraph()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "harness", "Harness.Core");
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path))
            .ToList();
        // The framework and every package the core uses (all copied beside the test assembly) are all the binding needs.
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var packages = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Where(path => !path.Contains("Harness.", StringComparison.Ordinal));
        var references = framework.Concat(packages).DistinctBy(Path.GetFileName).Where(IsManagedAssembly).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("LayeringProbe", sources.Append(CSharpSyntaxTree.ParseText(ImplicitUsings)), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        // Unbound names would be edges silently missing: the probe must compile as the core does.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id is "CS0246" or "CS0234" or "CS0103").Take(5).Select(d => d.ToString()).ToList();
        Assert.That(errors, Is.Empty, "the core's sources bind in the probe compilation");

        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var tree in sources)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            var here = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().First().Name.ToString();
            if (!graph.TryGetValue(here, out var uses)) graph[here] = uses = [];
            foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (name.Parent is UsingDirectiveSyntax or QualifiedNameSyntax { Parent: UsingDirectiveSyntax }) continue;
                var symbol = model.GetSymbolInfo(name).Symbol;
                var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
                while (type?.ContainingType is { } outer) type = outer;
                var ns = type?.ContainingNamespace?.ToDisplayString();
                if (ns is not null && ns != here && ns.StartsWith("Harness", StringComparison.Ordinal)) uses.Add(ns);
            }
        }
        return graph.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? new HashSet<string>())
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string popped;
            do component.Add(popped = stack.Pop()); while (popped != v);
            components.Add(component);
        }
        foreach (var v in graph.Keys) if (!index.ContainsKey(v)) Visit(v);
        return components;
    }
}
